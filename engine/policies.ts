// Provincial policies (awards, requirements, notices) that a result qualifies for, and what each
// still needs beyond it: a self-diagnosis never earns a certificate, so an award that requires
// one is something the enterprise may apply for, never something it has.
import type { I18n, PolicyRule, Ruleset } from './schema/ruleset.ts';
import type { ScoreResult } from './scoring.ts';
import type { EnterpriseFacts } from './tailoring.ts';
import { matchingRules } from './rules.ts';

export interface PolicyFacts extends EnterpriseFacts {
  level: number;
  score: number;
  bandLevel: number;
}

export const policyFacts = (result: ScoreResult, enterprise: EnterpriseFacts): PolicyFacts => ({
  ...enterprise,
  level: result.level,
  score: result.total,
  bandLevel: result.bandLevel,
});

export interface PolicyOutcome {
  policy: PolicyRule;
  /** The policy's prerequisites in its order, each met or not. */
  requirements: { id: string; name: I18n; met: boolean }[];
  /** applies: everything it asks for is met; mayApply: the result qualifies, a prerequisite is still missing. */
  status: 'applies' | 'mayApply';
}

export async function applicablePolicies(ruleset: Ruleset, facts: PolicyFacts): Promise<PolicyOutcome[]> {
  const fired = await matchingRules(ruleset.rules.policies, { ...facts });
  const prerequisites = ruleset.rules.prerequisites ?? [];
  // A prerequisite without conditions is never met here: nothing a self-diagnosis knows can meet it.
  const met = await matchingRules(
    prerequisites.filter((p) => p.conditions).map((p) => ({ id: p.id, conditions: p.conditions! })),
    { ...facts },
  );
  return ruleset.rules.policies
    .filter((p) => fired.has(p.id))
    .map((policy) => {
      const requirements = (policy.requires ?? []).map((id) => ({ id, name: prerequisites.find((p) => p.id === id)?.name ?? { zh: id, en: id }, met: met.has(id) }));
      return { policy, requirements, status: requirements.every((r) => r.met) ? 'applies' : 'mayApply' };
    });
}
