import { describe, expect, it } from 'vitest';
import { applicablePolicies, policyFacts, score, type Ruleset } from '../engine/index.ts';
import { smallRuleset } from './fixtures/small.ts';

function withAwards(): Ruleset {
  const r = smallRuleset();
  const award = (id: string, level: number, amount: number) => ({
    id,
    name: { zh: `${level} 级奖励`, en: `Level ${level} award` },
    kind: 'award' as const,
    text: { zh: `达到 ${level} 级奖励 ${amount} 万元`, en: `${amount}0k yuan for level ${level}` },
    amount: { value: amount, unit: { zh: '万元', en: '10k yuan' } },
    conditions: {
      all: [
        { fact: 'regionPath', operator: 'contains', value: '520000' },
        { fact: 'level', operator: 'equal', value: level },
      ],
    },
  });
  r.rules.policies.push(award('gz-1', 1, 100), award('gz-2', 2, 200));
  return r;
}

describe('policies', () => {
  const r = withAwards();
  const answers = Object.fromEntries(r.questions.filter((q) => q.level === 1).map((q) => [q.id, 'D']));
  const result = score(r, { industryType: 'discrete', answers });

  it('grant the award of the level reached in the region', async () => {
    const p = await applicablePolicies(r, policyFacts(result, { industryType: 'discrete', regionPath: ['520000', '520100'] }));
    expect(p.map((x) => x.id)).toEqual(['gz-1']);
  });

  it('do not apply outside the region', async () => {
    expect(await applicablePolicies(r, policyFacts(result, { industryType: 'discrete', regionPath: ['310000'] }))).toEqual([]);
    expect(await applicablePolicies(r, policyFacts(result, { industryType: 'discrete' }))).toEqual([]);
  });
});
