import { describe, expect, it } from 'vitest';
import { score, NOT_APPLICABLE, type Ruleset } from '../engine/index.ts';
import { workedExample } from './fixtures/workedExample.ts';
import { smallRuleset } from './fixtures/small.ts';

const withRule = (r: Ruleset, rule: Ruleset['scoring']['total']['rule']): Ruleset => ({ ...r, scoring: { ...r.scoring, total: { rule, decimals: 4 } } });

describe('the reference §2.5 worked example', () => {
  const { ruleset, answers } = workedExample();
  const answerSet = { industryType: 'discrete', answers };

  it('scores level 2 at 0.846 and reaches it', () => {
    const r = score(ruleset, answerSet);
    const l2 = r.levels.find((l) => l.level === 2)!;
    // 人员 .758, 技术 .900, 资源 .950, 制造 .821 → .10·.758 + .15·.9 + .15·.95 + .60·.821
    expect(l2.nodes!['e.personnel']).toBeCloseTo(0.7583, 4);
    expect(l2.nodes!['e.technology']).toBeCloseTo(0.9, 6);
    expect(l2.nodes!['e.resources']).toBeCloseTo(0.95, 6);
    expect(l2.nodes!['d.production']).toBeCloseTo(5.65 / 7, 6);
    expect(l2.nodes!['d.service']).toBeCloseTo(0.7, 6);
    expect(l2.nodes!['e.manufacturing']).toBeCloseTo(0.8214, 4);
    expect(l2.score).toBeCloseTo(0.8462, 4);
    expect(l2.reached).toBe(true);
  });

  it('gives S = 2.30 under the gated sum (rule A): 0.93 + 0.846 + 0.52, band level 2', () => {
    const r = score(withRule(ruleset, 'gatedSum'), answerSet);
    expect(r.levels.map((l) => l.reached)).toEqual([true, true, false]);
    expect(r.total).toBeCloseTo(2.2962, 4);
    expect(r.bandLevel).toBe(2);
    expect(r.level).toBe(2);
    expect(r.consistent).toBe(true);
  });

  it('gives S = 2.52 under passed-levels-plus-next (rule B)', () => {
    const r = score(withRule(ruleset, 'passedPlusNext'), answerSet);
    expect(r.total).toBeCloseTo(2.52, 6);
    expect(r.bandLevel).toBe(2);
  });

  it('renormalises 制造 to .827 when 设计 is tailored out', () => {
    const answersWithoutDesign = Object.fromEntries(Object.entries(answers).filter(([id]) => !/product_design|process_design/.test(id)));
    const r = score(ruleset, { industryType: 'discrete', excluded: ['d.design'], answers: answersWithoutDesign });
    const l2 = r.levels.find((l) => l.level === 2)!;
    expect(l2.nodes!['e.manufacturing']).toBeCloseTo((5.65 / 7 + 0.8 + 1 + 0.7) / 4, 6);
    expect(l2.nodes!['d.design']).toBeUndefined();
  });

  it('explains every number: shares × scores add up to each node and to X_n', () => {
    const r = score(ruleset, answerSet, 'trace');
    const trace = r.trace!.find((t) => t.level === 2)!;
    const check = (nodes: NonNullable<typeof trace.nodes>, expected: number) => {
      const sum = nodes.filter((n) => n.score !== null).reduce((s, n) => s + n.share! * n.score!, 0);
      expect(sum).toBeCloseTo(expected, 9);
      for (const n of nodes) {
        if (n.children) check(n.children, n.score!);
        if (n.questions) {
          const counted = n.questions.filter((q) => q.score !== null);
          expect(counted.reduce((s, q) => s + q.score!, 0) / counted.length).toBeCloseTo(n.score!, 9);
        }
      }
    };
    check(trace.nodes, trace.score!);
    const personnel = trace.nodes.find((n) => n.id === 'e.personnel')!;
    expect(personnel.weight).toBe(0.1);
    expect(personnel.children![0].children![0].questions!.map((q) => q.answer)).toEqual(['S100', 'S80', 'S80']);
  });
});

describe('scoring the small ruleset by hand', () => {
  const r = smallRuleset();
  const all = (opt: string) => Object.fromEntries(r.questions.filter((q) => q.level === 1).map((q) => [q.id, opt]));

  it('weights elements and sub-domains: X1 = .4·strategy + .6·(.75·production + .25·design)', () => {
    const answers = { 'L1-1.1': 'D', 'L1-1.2': 'B', 'L1-2.1': 'C', 'L1-2.2': 'C', 'L1-3.1': 'A' };
    const res = score(r, { industryType: 'discrete', answers });
    expect(res.levels[0].score).toBeCloseTo(0.4 * 0.75 + 0.6 * (0.75 * 0.8 + 0.25 * 0), 9);
    expect(res.levels[0].reached).toBe(false);
    expect(res.levels[1].assessed).toBe(false);
    expect(res.total).toBeCloseTo(0.66, 9);
    expect(res.level).toBe(0);
  });

  it('drops a "not applicable" answer and renormalises its siblings', () => {
    const res = score(r, { industryType: 'discrete', answers: { ...all('C'), 'L1-3.1': NOT_APPLICABLE } });
    // design counts nothing, so 制造 = production alone
    expect(res.levels[0].nodes!.design).toBeNull();
    expect(res.levels[0].score).toBeCloseTo(0.8, 9);
    expect(res.levels[0].reached).toBe(true);
  });

  it('counts "not applicable" as full marks when the ruleset says so', () => {
    const full: Ruleset = { ...r, scoring: { ...r.scoring, excluded: { tailored: 'renormalize', notApplicable: 'full' } } };
    const res = score(full, { industryType: 'discrete', answers: { ...all('C'), 'L1-3.1': NOT_APPLICABLE } });
    expect(res.levels[0].score).toBeCloseTo(0.4 * 0.8 + 0.6 * (0.75 * 0.8 + 0.25 * 1), 9);
  });

  it('counts a tailored-out node as zero when the ruleset says so', () => {
    const zero: Ruleset = { ...r, scoring: { ...r.scoring, excluded: { tailored: 'zero', notApplicable: 'renormalize' } } };
    const answers = Object.fromEntries(Object.entries(all('D')).filter(([id]) => id !== 'L1-3.1'));
    const res = score(zero, { industryType: 'discrete', excluded: ['design'], answers });
    expect(res.levels[0].score).toBeCloseTo(0.4 + 0.6 * 0.75, 9);
    const renorm = score(r, { industryType: 'discrete', excluded: ['design'], answers });
    expect(renorm.levels[0].score).toBeCloseTo(1, 9);
  });

  it('scores an unanswered question of an assessed level as 0', () => {
    const answers = { ...all('D') };
    delete (answers as Record<string, string>)['L1-1.2'];
    const res = score(r, { industryType: 'discrete', answers });
    expect(res.levels[0].nodes!.strategy).toBeCloseTo(0.5, 9);
  });

  it('picks the weight set of the industry type', () => {
    const answers = { 'L1-1.1': 'D', 'L1-1.2': 'D', 'L1-2.1': 'A', 'L1-2.2': 'A', 'L1-3.1': 'A' };
    expect(score(r, { industryType: 'process', answers }).levels[0].score).toBeCloseTo(0.5, 9);
    expect(score(r, { industryType: 'discrete', answers }).levels[0].score).toBeCloseTo(0.4, 9);
  });

  it('reaches a level exactly at the threshold despite floating point', () => {
    const res = score(r, { industryType: 'discrete', answers: all('C') });
    expect(res.levels[0].score).toBeCloseTo(0.8, 12);
    expect(res.levels[0].reached).toBe(true);
    expect(res.total).toBe(0.8);
    expect(res.bandLevel).toBe(1);
  });

  it('sums levels up to and including the first one not reached (gated sum)', () => {
    const answers = { ...all('D'), 'L2-1.1': 'B', 'L2-2.1': 'B', 'L2-3.1': 'B' };
    const res = score(r, { industryType: 'discrete', answers });
    expect(res.levels.map((l) => l.reached)).toEqual([true, false]);
    expect(res.total).toBe(1.5);
    expect(res.level).toBe(1);
    expect(res.bandLevel).toBe(1);
  });
});
