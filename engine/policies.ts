// Provincial policies (awards, requirements) that a result qualifies for.
import type { PolicyRule, Ruleset } from './schema/ruleset.ts';
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

export async function applicablePolicies(ruleset: Ruleset, facts: PolicyFacts): Promise<PolicyRule[]> {
  const fired = await matchingRules(ruleset.rules.policies, { ...facts });
  return ruleset.rules.policies.filter((p) => fired.has(p.id));
}
