import { describe, expect, it } from 'vitest';
import { lint, type Ruleset } from '../engine/index.ts';
import { q, smallRuleset } from './fixtures/small.ts';

const findings = (mutate: (r: Ruleset) => void) => {
  const r = smallRuleset();
  mutate(r);
  return lint(r);
};
const codes = (mutate: (r: Ruleset) => void) => findings(mutate).map((f) => `${f.severity}:${f.code}:${f.pointer}`);

describe('lint', () => {
  it('finds nothing in a sound ruleset', () => {
    expect(lint(smallRuleset())).toEqual([]);
  });

  it('reports duplicate question, node and option ids', () => {
    const c = codes((r) => {
      r.questions.push(q('L1-1.1', 'strategy', 1));
      r.model.nodes[1].children!.push({ id: 'design', name: { zh: '设计2', en: 'Design 2' } });
      r.questions[0].options![1].id = 'A';
    });
    expect(c).toContain('error:duplicate-id:/questions/8/id');
    expect(c).toContain('error:duplicate-id:/model/nodes/1/children/2');
    expect(c).toContain('error:duplicate-id:/questions/0/options/1/id');
  });

  it('reports dangling references with their pointer', () => {
    const c = codes((r) => {
      r.questions[0].subDomain = 'nowhere';
      r.levels[0].subDomains.push('ghost');
      r.scoring.weightSets[0].weights.phantom = 0;
      r.rules.tailoring.push({ id: 't', name: { zh: '规则', en: 'rule' }, conditions: { all: [] }, effect: 'allowExclude', nodes: ['missing'] });
    });
    expect(c).toContain('error:dangling-reference:/questions/0/subDomain');
    expect(c).toContain('error:dangling-reference:/levels/0/subDomains/3');
    expect(c).toContain('error:dangling-reference:/scoring/weightSets/0/weights/phantom');
    expect(c).toContain('error:dangling-reference:/rules/tailoring/0/nodes/0');
  });

  it('reports weights that do not sum to 1', () => {
    const f = findings((r) => (r.scoring.weightSets[0].weights['e.make'] = 0.5));
    const sum = f.find((x) => x.code === 'weights-sum')!;
    expect(sum.pointer).toBe('/scoring/weightSets/0/weights');
    expect(sum.message.en).toContain('sum to 0.9');
  });

  it('reports a level that no set of answers can reach', () => {
    const f = findings((r) => {
      for (const question of r.questions.filter((x) => x.level === 2)) question.options = question.options!.filter((o) => o.score! < 0.8);
    });
    expect(f.filter((x) => x.code === 'unreachable-level').map((x) => x.pointer)).toEqual(['/levels/1/threshold', '/levels/1/threshold']);
  });

  it('reports an option without a score', () => {
    expect(codes((r) => delete r.questions[2].options![3].score)).toContain('error:option-without-score:/questions/2/options/3/score');
  });

  it('reports a mandatory domain made tailorable, directly or by a rule', () => {
    expect(codes((r) => (r.model.nodes[1].children![0].tailorable = true))).toContain('error:mandatory-tailorable:/model/nodes/1/children/0/tailorable');
    expect(
      codes((r) => r.rules.tailoring.push({ id: 'x', name: { zh: '允许', en: 'allow' }, conditions: { all: [] }, effect: 'allowExclude', nodes: ['strategy'] })),
    ).toContain('error:mandatory-tailorable:/rules/tailoring/0/nodes/0');
  });

  it('reports a (sub-domain, level) cell that should have questions and has none', () => {
    expect(codes((r) => (r.questions = r.questions.filter((x) => x.id !== 'L2-2.1')))).toContain('error:empty-cell:/levels/1/subDomains/1');
  });

  it('reports a missing translation', () => {
    const f = findings((r) => delete r.questions[1].text.en);
    expect(f).toEqual([expect.objectContaining({ severity: 'warning', code: 'missing-translation', pointer: '/questions/1/text/en' })]);
  });

  it('warns about "not applicable" offered outside a tailorable domain and about unknown facts', () => {
    const c = codes((r) => {
      r.questions[0].notApplicable = true;
      r.rules.limits[0].conditions = { all: [{ fact: 'diagnosesPerMonth', operator: 'greaterThan', value: 3 }] };
    });
    expect(c).toContain('warning:na-outside-tailorable:/questions/0/notApplicable');
    expect(c).toContain('warning:unknown-fact:/rules/limits/0/conditions');
  });

  it('reports conditions the rules engine would refuse to run, and operators that do not fit their fact', () => {
    const c = codes((r) => {
      r.rules.limits[0].conditions = { all: [{ fact: 'diagnosesInWindow', operator: 'greaterThanOrEqual', value: 3 }] };
      r.rules.policies.push(
        { id: 'p-root', name: { zh: '根', en: 'root' }, kind: 'notice', text: { zh: '文', en: 'text' }, conditions: { fact: 'level', operator: 'equal', value: 2 } },
        { id: 'p-ref', name: { zh: '引用', en: 'reference' }, kind: 'notice', text: { zh: '文', en: 'text' }, conditions: { any: [{ condition: 'isGuizhou' }] } },
        { id: 'p-region', name: { zh: '地区', en: 'region' }, kind: 'notice', text: { zh: '文', en: 'text' }, conditions: { all: [{ not: { fact: 'regionPath', operator: 'equal', value: '520000' } }] } },
      );
    });
    expect(c).toContain('error:unknown-operator:/rules/limits/0/conditions/all/0/operator');
    expect(c).toContain('error:condition-root:/rules/policies/0/conditions');
    expect(c).toContain('error:condition-reference:/rules/policies/1/conditions/any/0');
    // regionPath is a list: "equal" to one code never holds; "contains" is meant.
    expect(c).toContain('warning:operator-mismatch:/rules/policies/2/conditions/all/0/not/operator');
  });

  it('accepts the engine\'s decorated operators the catalog does not list', () => {
    const c = codes((r) => (r.rules.limits[0].conditions = { all: [{ fact: 'regionPath', operator: 'not:someFact:in', value: ['310000'] }] }));
    expect(c.filter((x) => x.includes('/rules/'))).toEqual([]);
  });

  it('reports gaps in the band table', () => {
    expect(codes((r) => (r.scoring.bands[1].min = 0.9))).toContain('warning:band-gap:/scoring/bands/1/min');
  });
});
