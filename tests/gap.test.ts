import { describe, expect, it } from 'vitest';
import { gapAnalysis, score, type AnswerValue } from '../engine/index.ts';
import { smallRuleset } from './fixtures/small.ts';

const r = smallRuleset();
const level1 = r.questions.filter((q) => q.level === 1);

/** The fewest changed answers that reach level 1, by trying every combination. */
function bruteForceMinimum(answers: Record<string, AnswerValue>): number {
  let best = Infinity;
  const ids = level1.map((q) => q.id);
  const walk = (i: number, current: Record<string, AnswerValue>, changed: number) => {
    if (changed >= best) return;
    if (i === ids.length) {
      if (score(r, { industryType: 'discrete', answers: current }, 'summary').levels[0].reached) best = changed;
      return;
    }
    for (const o of ['A', 'B', 'C', 'D']) walk(i + 1, { ...current, [ids[i]]: o }, changed + (o === answers[ids[i]] ? 0 : 1));
  };
  walk(0, {}, 0);
  return best;
}

describe('gap analysis', () => {
  const cases: Record<string, AnswerValue>[] = [
    { 'L1-1.1': 'B', 'L1-1.2': 'B', 'L1-2.1': 'C', 'L1-2.2': 'B', 'L1-3.1': 'A' },
    { 'L1-1.1': 'A', 'L1-1.2': 'A', 'L1-2.1': 'A', 'L1-2.2': 'A', 'L1-3.1': 'A' },
    { 'L1-1.1': 'D', 'L1-1.2': 'C', 'L1-2.1': 'C', 'L1-2.2': 'B', 'L1-3.1': 'C' },
  ];

  it.each(cases.map((c, i) => [i, c]))('case %i: the suggested changes reach the level, and no fewer could', (_, answers) => {
    const gap = gapAnalysis(r, { industryType: 'discrete', answers });
    expect(gap.targetLevel).toBe(1);
    expect(gap.reachable).toBe(true);
    const changed = { ...answers, ...Object.fromEntries(gap.changes.map((c) => [c.questionId, c.to])) };
    expect(score(r, { industryType: 'discrete', answers: changed }, 'summary').levels[0].reached).toBe(true);
    expect(gap.changes.length).toBe(bruteForceMinimum(answers));
    expect(gap.score + gap.changes.reduce((s, c) => s + c.gain, 0)).toBeGreaterThanOrEqual(0.8 - 1e-9);
  });

  it('lists the sub-domains below the threshold, weakest first', () => {
    const gap = gapAnalysis(r, { industryType: 'discrete', answers: cases[0] });
    expect(gap.weakSubDomains).toEqual([
      { id: 'design', score: 0 },
      { id: 'strategy', score: 0.5 },
      { id: 'production', score: 0.65 },
    ]);
    expect(gap.heldBack[0]).toMatchObject({ questionId: 'L1-3.1', score: 0, potential: 0.6 * 0.25 });
  });

  it('targets the next level above the ones reached', () => {
    const answers = Object.fromEntries(level1.map((q) => [q.id, 'D']));
    const gap = gapAnalysis(r, { industryType: 'discrete', answers: { ...answers, 'L2-1.1': 'A', 'L2-2.1': 'A', 'L2-3.1': 'A' } });
    expect(gap.targetLevel).toBe(2);
    // strategy (.4) and production (.6 × .75) at full marks already give .85: design can stay at A.
    expect(gap.changes.map((c) => c.questionId).sort()).toEqual(['L2-1.1', 'L2-2.1']);
  });

  it('says when nothing is left to reach', () => {
    const answers = Object.fromEntries(r.questions.map((q) => [q.id, 'D']));
    expect(gapAnalysis(r, { industryType: 'discrete', answers }).targetLevel).toBeNull();
  });
});
