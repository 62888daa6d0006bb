import { describe, expect, it } from 'vitest';
import { startState, submitIndicators, submitLevel, submitTailoring, type DiagnosisState, type Ruleset } from '../engine/index.ts';
import { smallRuleset } from './fixtures/small.ts';

const facts = { industryType: 'discrete' };
const level = (r: Ruleset, n: number, option: string) => Object.fromEntries(r.questions.filter((q) => q.level === n).map((q) => [q.id, option]));

async function answering(r: Ruleset): Promise<DiagnosisState> {
  const t = await submitTailoring(r, startState(), [], facts);
  if (!t.ok) throw new Error('tailoring refused');
  return t.state;
}

describe('progression', () => {
  it('starts at the ruleset start level after tailoring, and refuses a mandatory exclusion', async () => {
    const r = smallRuleset();
    expect((await answering(r)).phase).toEqual({ phase: 'answering', level: 1 });
    const refused = await submitTailoring(r, startState(), ['production'], facts);
    expect(refused.ok).toBe(false);
  });

  it('moves to the next level after the delay when the level is reached', async () => {
    const r = smallRuleset();
    const t = submitLevel(r, await answering(r), { industryType: 'discrete', answers: level(r, 1, 'D') });
    expect(t.ok && t.state.phase).toEqual({ phase: 'answering', level: 2 });
    expect(t.ok && t.delaySeconds).toBe(3);
    expect(t.ok && t.level?.reached).toBe(true);
  });

  it('goes to the indicators page when the level is not reached', async () => {
    const r = smallRuleset();
    const t = submitLevel(r, await answering(r), { industryType: 'discrete', answers: level(r, 1, 'B') });
    expect(t.ok && t.state.phase).toEqual({ phase: 'indicators' });
    expect(t.ok && t.level?.score).toBeCloseTo(0.5, 9);
  });

  it('after the last level goes to the indicators, then finishes', async () => {
    const r = smallRuleset();
    const answers = { ...level(r, 1, 'D'), ...level(r, 2, 'D') };
    const l1 = submitLevel(r, await answering(r), { industryType: 'discrete', answers });
    if (!l1.ok) throw new Error();
    const l2 = submitLevel(r, l1.state, { industryType: 'discrete', answers });
    if (!l2.ok) throw new Error();
    expect(l2.state.phase).toEqual({ phase: 'indicators' });
    expect(l2.delaySeconds).toBeUndefined();
    const refused = submitIndicators(r, l2.state, { yield: { value: null, formula: '' } });
    expect(!refused.ok && refused.problems.map((p) => p.pointer)).toEqual(['/indicators/yield/value', '/indicators/yield/formula']);
    const done = submitIndicators(r, l2.state, { yield: { value: 0, formula: '无' } });
    expect(done.ok && done.state.phase).toEqual({ phase: 'finished' });
  });

  it('finishes straight away when the flow says so after the last level', async () => {
    const r = smallRuleset();
    r.flow.afterLastLevel.action = 'finish';
    const answers = { ...level(r, 1, 'D'), ...level(r, 2, 'D') };
    const l1 = submitLevel(r, await answering(r), { industryType: 'discrete', answers });
    const l2 = l1.ok ? submitLevel(r, l1.state, { industryType: 'discrete', answers }) : l1;
    expect(l2.ok && l2.state.phase).toEqual({ phase: 'finished' });
  });

  it('refuses to submit a level with unanswered questions, listing them', async () => {
    const r = smallRuleset();
    const answers = level(r, 1, 'D');
    delete answers['L1-2.2'];
    const t = submitLevel(r, await answering(r), { industryType: 'discrete', answers });
    expect(!t.ok && t.problems[0].message.zh).toContain('2.2');
  });

  it('refuses an action out of phase', () => {
    const t = submitIndicators(smallRuleset(), startState(), {});
    expect(!t.ok && t.problems[0].code).toBe('flow.phase');
  });
});
