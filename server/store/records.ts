// What both stores derive from a diagnosis when they write it: the summary lists and limits read,
// and the profile dashboards average (kept once, when the diagnosis finishes).
import { resultProfile, type Ruleset } from '../../engine/index.ts';
import type { Diagnosis, DiagnosisProfile, DiagnosisSummary } from './types.ts';

export const summaryOf = (d: Diagnosis): DiagnosisSummary => ({
  id: d.id,
  enterpriseId: d.enterpriseId,
  rulesetId: d.rulesetId,
  rulesetVersion: d.rulesetVersion,
  status: d.status,
  phase: d.state.phase,
  startedAt: d.startedAt,
  ...(d.finishedAt ? { finishedAt: d.finishedAt } : {}),
  ...(d.result ? { level: d.result.level, total: d.result.total } : {}),
});

/**
 * Which rule a kept profile was made by. 2: the level the ruleset's presentation names (by default
 * the first level not reached). A store opening with profiles of another version makes them again.
 */
export const PROFILE_VERSION = 2;

export const currentProfile = (p: DiagnosisProfile | undefined) => p?.v === PROFILE_VERSION;

/** The profile to keep for a diagnosis written finished, under its pinned ruleset (the engine decides which level it describes). */
export function finishedProfile(d: Diagnosis, ruleset: Ruleset | undefined): DiagnosisProfile | undefined {
  if (d.status !== 'finished' || !d.result || !ruleset) return undefined;
  const profile = resultProfile(ruleset, d.result);
  return profile && { ...profile, v: PROFILE_VERSION };
}
