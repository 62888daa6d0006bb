// Each enterprise with its finished diagnoses and the one that counts, read from the store once
// per request: summaries and profiles in one call each (in memory on lowdb, one query each on PostgreSQL).
import type { Ruleset } from '../../engine/index.ts';
import type { Context } from '../context.ts';
import { pinnedRuleset } from '../catalog.ts';
import type { DiagnosisProfile, Enterprise } from '../store/types.ts';
import { byFinishedAt, countedDiagnosis } from './counting.ts';

export interface FinishedDiagnosis {
  id: string;
  finishedAt: string;
  level: number;
  total: number;
  /** The pinned ruleset: its counting rule, level labels and model. */
  ruleset: Ruleset;
}

export interface EnterpriseRecord {
  enterprise: Enterprise;
  /** Oldest first. */
  finished: FinishedDiagnosis[];
  inProgress: number;
  /** The enterprise's result now, and its profile (absent when the store has none). */
  counted?: FinishedDiagnosis;
  profile?: DiagnosisProfile;
}

export const ruleOf = (d: FinishedDiagnosis) => d.ruleset.counting.result;

/** A record from finished diagnoses in any order; profiles by diagnosis id. */
export function recordOf(enterprise: Enterprise, finished: FinishedDiagnosis[], inProgress = 0, profiles?: Map<string, DiagnosisProfile>): EnterpriseRecord {
  const sorted = [...finished].sort(byFinishedAt);
  const counted = countedDiagnosis(sorted, ruleOf);
  const profile = counted && profiles?.get(counted.id);
  return { enterprise, finished: sorted, inProgress, ...(counted ? { counted } : {}), ...(profile ? { profile } : {}) };
}

export async function loadRecords(ctx: Context, enterprises: Enterprise[]): Promise<EnterpriseRecord[]> {
  const rulesets = new Map<string, Ruleset>();
  const records: EnterpriseRecord[] = [];
  // One read for all of them: on PostgreSQL, one query per enterprise would be 20,000 round trips.
  const summaries = await ctx.store.diagnosisSummaries(enterprises.map((e) => e.id));
  for (const enterprise of enterprises) {
    const finished: FinishedDiagnosis[] = [];
    let inProgress = 0;
    for (const s of summaries.get(enterprise.id) ?? []) {
      if (s.status !== 'finished' || !s.finishedAt) {
        inProgress += 1;
        continue;
      }
      const key = `${s.rulesetId}@${s.rulesetVersion}`;
      let ruleset = rulesets.get(key);
      if (!ruleset) rulesets.set(key, (ruleset = await pinnedRuleset(ctx, s.rulesetId, s.rulesetVersion)));
      finished.push({ id: s.id, finishedAt: s.finishedAt, level: s.level ?? 0, total: s.total ?? 0, ruleset });
    }
    records.push(recordOf(enterprise, finished, inProgress));
  }
  const profiles = await ctx.store.diagnosisProfiles(records.flatMap((r) => (r.counted ? [r.counted.id] : [])));
  for (const r of records) {
    const profile = r.counted && profiles.get(r.counted.id);
    if (profile) r.profile = profile;
  }
  return records;
}
