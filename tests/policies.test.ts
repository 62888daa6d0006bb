import { describe, expect, it } from 'vitest';
import { applicablePolicies, policyFacts, resultView, score, type Ruleset } from '../engine/index.ts';
import { smallRuleset } from './fixtures/small.ts';

function withAwards(): Ruleset {
  const r = smallRuleset();
  const award = (id: string, level: number, amount: number, requires?: string[]) => ({
    id,
    name: { zh: `${level} 级奖励`, en: `Level ${level} award` },
    kind: 'award' as const,
    text: { zh: `达到 ${level} 级奖励 ${amount} 万元`, en: `${amount}0k yuan for level ${level}` },
    amount: { value: amount, unit: { zh: '万元', en: '× 10,000 yuan' } },
    ...(requires ? { requires } : {}),
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
    expect(p.map((x) => [x.policy.id, x.status])).toEqual([['gz-1', 'applies']]);
  });

  it('do not apply outside the region', async () => {
    expect(await applicablePolicies(r, policyFacts(result, { industryType: 'discrete', regionPath: ['310000'] }))).toEqual([]);
    expect(await applicablePolicies(r, policyFacts(result, { industryType: 'discrete' }))).toEqual([]);
  });

  describe('with prerequisites', () => {
    const gated = withAwards();
    gated.rules.prerequisites = [
      { id: 'certificate', name: { zh: '取得标准符合性证书', en: 'a certificate of conformity' } },
      { id: 'benchmark', name: { zh: '经认定为标杆企业', en: 'recognition as a benchmark enterprise' }, conditions: { all: [{ fact: 'benchmark', operator: 'equal', value: true }] } },
    ];
    gated.rules.policies[0].requires = ['certificate', 'benchmark'];
    const inGuizhou = { industryType: 'discrete', regionPath: ['520000', '520100'] };

    it('a prerequisite without conditions is never met by a self-diagnosis: the award is one to apply for', async () => {
      const [p] = await applicablePolicies(gated, policyFacts(result, { ...inGuizhou, benchmark: true }));
      expect(p.status).toBe('mayApply');
      expect(p.requirements).toEqual([
        { id: 'certificate', name: expect.objectContaining({ zh: '取得标准符合性证书' }), met: false },
        { id: 'benchmark', name: expect.objectContaining({ zh: '经认定为标杆企业' }), met: true },
      ]);
    });

    it('the result view says what is still needed, never that it is granted', async () => {
      const zh = await resultView(gated, { industryType: 'discrete', answers, levels: [1], facts: { ...inGuizhou, benchmark: false } }, 'zh');
      expect(zh.policies).toEqual([
        expect.objectContaining({ id: 'gz-1', status: 'mayApply', statusText: '可申请（需取得标准符合性证书、经认定为标杆企业）', amount: { value: 100, unit: '万元', text: '100 万元' } }),
      ]);
      const en = await resultView(gated, { industryType: 'discrete', answers, levels: [1], facts: { ...inGuizhou, benchmark: true } }, 'en');
      expect(en.policies[0].statusText).toBe('You may apply (requires: a certificate of conformity)');
    });

    it('an amount given as a range reads as one', async () => {
      gated.rules.policies[0].amount = { value: 50, max: 100, unit: { zh: '万元', en: '× 10,000 yuan' } };
      const zh = await resultView(gated, { industryType: 'discrete', answers, levels: [1], facts: inGuizhou }, 'zh');
      expect(zh.policies[0].amount?.text).toBe('50–100 万元');
    });
  });
});
