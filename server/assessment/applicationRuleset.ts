// Which ruleset an enterprise's application for a formal assessment follows, and the
// self-diagnosis it relies on: the ruleset of the diagnosis the platform counts (the one the
// dashboards and the enterprise's list mark), else the one a new diagnosis would use now.
import type { Ruleset } from '../../engine/index.ts';
import type { Context } from '../context.ts';
import { pinnedRuleset, rulesetForEnterprise } from '../catalog.ts';
import { byFinishedAt, countedDiagnosis } from '../dashboard/counting.ts';
import type { DiagnosisSummary, Enterprise } from '../store/types.ts';

export interface ApplicationBasis {
  ruleset?: Ruleset;
  /** The counted finished self-diagnosis, if there is one. */
  counted?: DiagnosisSummary;
}

export async function applicationBasis(ctx: Context, enterprise: Enterprise): Promise<ApplicationBasis> {
  const finished = (await ctx.store.listDiagnoses(enterprise.id)).filter((d) => d.status === 'finished').sort(byFinishedAt);
  const rulesets = new Map<string, Ruleset>();
  for (const d of finished) {
    const key = `${d.rulesetId}@${d.rulesetVersion}`;
    if (!rulesets.has(key)) rulesets.set(key, await pinnedRuleset(ctx, d.rulesetId, d.rulesetVersion));
  }
  const counted = countedDiagnosis(finished, (d) => rulesets.get(`${d.rulesetId}@${d.rulesetVersion}`)!.counting.result);
  if (counted) return { ruleset: rulesets.get(`${counted.rulesetId}@${counted.rulesetVersion}`), counted };
  return { ruleset: (await rulesetForEnterprise(ctx, enterprise))?.document };
}
