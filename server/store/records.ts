// What both stores derive from a diagnosis when they write it: the summary lists and limits read,
// and the profile dashboards average (kept once, when the diagnosis finishes).
import { profileOf } from '../dashboard/profile.ts';
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

/** The profile to keep for a diagnosis written finished (an import, or the change that finished it). */
export const finishedProfile = (d: Diagnosis): DiagnosisProfile | undefined => (d.status === 'finished' && d.result ? profileOf(d.result) : undefined);
