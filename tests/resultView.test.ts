// The engine's result view: what a result is and how it is told, the same everywhere.
import { describe, expect, it } from 'vitest';
import { levelName, resultProfile, resultView, score, shown, type Ruleset } from '../engine/index.ts';
import { q, smallRuleset } from './fixtures/small.ts';

/** The small ruleset with each level scored by one number question, whose answer sets X exactly. */
function exact(): Ruleset {
  const r = smallRuleset();
  r.questions = [1, 2].map((level) => ({ ...q(`L${level}-x`, 'strategy', level), kind: 'number' as const, options: undefined, min: 0, max: 1, scoreBands: [] }));
  r.levels.forEach((l) => (l.subDomains = ['strategy']));
  return r;
}

/** Answers that give X1 and X2 exactly (a number question's band from value v to v + 1e-9 scores v). */
function answersFor(r: Ruleset, x1: number, x2?: number) {
  for (const [i, x] of [x1, x2].entries()) if (x !== undefined) r.questions[i].scoreBands = [{ min: 0, max: 2, score: x }];
  return { industryType: 'discrete', excluded: [], answers: { 'L1-x': 1, ...(x2 !== undefined ? { 'L2-x': 1 } : {}) }, levels: x2 === undefined ? [1] : [1, 2] };
}

describe('a score as shown', () => {
  it('never says a number the decision contradicts', () => {
    expect(shown(0.7955, 2, [0.8]).text).toBe('0.79');
    expect(shown(0.8, 2, [0.8]).text).toBe('0.80');
    expect(shown(0.7999999999999, 2, [0.8]).text).toBe('0.80');
    expect(shown(0.806, 2, [0.805]).text).toBe('0.81');
    expect(shown(1.7999, 2, [0.8, 1.8]).text).toBe('1.79');
    expect(shown(0.456, 1).text).toBe('0.5');
  });
});

describe('the result view', () => {
  it('shows X₁ = 0.7955 as 0.79 beside 未达到, and exactly 0.8 as 0.80 达到', async () => {
    const r = exact();
    const below = await resultView(r, answersFor(r, 0.7955));
    expect(below.levels[0]).toMatchObject({ score: { text: '0.79' }, threshold: { text: '0.80' }, outcome: 'notReached', outcomeText: '未达到' });
    expect(below.levels[0].score!.value).toBeCloseTo(0.7955, 12);
    // Short by 0.0045: shown as 0.01, never as 0.00.
    expect(below.gap).toMatchObject({ targetLevel: 1, shortfall: { text: '0.01' } });
    const at = await resultView(r, answersFor(r, 0.8));
    expect(at.levels[0]).toMatchObject({ score: { text: '0.80' }, outcome: 'reached', outcomeText: '达到' });
  });

  it('shows S in the band it is in: 1.7999 is 1.79 in 0.8 ≤ S < 1.8', async () => {
    const r = exact();
    const v = await resultView(r, answersFor(r, 1, 0.7999));
    expect(v.total).toEqual({ value: 1.7999, text: '1.79' });
    expect(v.band).toEqual({ level: 1, label: '一级', range: '0.8 ≤ S < 1.8' });
    expect(v.level).toBe(1);
  });

  it('describes the first level not reached by default, grouped by the layer above the leaves', async () => {
    const r = smallRuleset();
    const answers = { 'L1-1.1': 'D', 'L1-1.2': 'D', 'L1-2.1': 'D', 'L1-2.2': 'C', 'L1-3.1': 'D', 'L2-1.1': 'B', 'L2-2.1': 'D', 'L2-3.1': 'A' };
    const input = { industryType: 'discrete', excluded: [], answers, levels: [1, 2] };
    const v = await resultView(r, input);
    expect(v.levels.map((l) => l.outcome)).toEqual(['reached', 'notReached']);
    expect(v.profile).toMatchObject({ level: 2, name: '规范级', basis: 'firstNotReached', layer: { id: 'element', name: '要素' } });
    expect(v.profile!.groups.map((g) => `${g.name} ${g.score.text}`)).toEqual(['人员 0.50', '制造 0.75']);
    expect(v.strengths[0]).toMatchObject({ name: '生产', path: ['制造'], score: { text: '1.00' } });
    expect(v.weaknesses[0]).toMatchObject({ name: '设计', score: { text: '0.00' } });
    expect(v.trees[0].level).toBe(2);
    expect(resultProfile(r, score(r, input))).toMatchObject({ level: 2 });
    // A ruleset may say otherwise.
    const highest = await resultView({ ...r, presentation: { profile: 'highestReached', groupBy: 'subDomain' } }, input);
    expect(highest.profile).toMatchObject({ level: 1, layer: { id: 'subDomain' } });
    expect(highest.profile!.groups.map((g) => g.name)).toEqual(['战略', '生产', '设计']);
  });

  it('names level 0 by its band and every other level by its name, in either language', () => {
    const r = smallRuleset();
    expect(levelName(r, 0)).toEqual({ zh: '一级以下', en: 'Below 1' });
    expect(levelName(r, 2).zh).toBe('规范级');
  });

  it('dates a result in the ruleset’s time zone, and tells its method and trace in words of the reader’s language', async () => {
    const r = smallRuleset();
    const input = { industryType: 'discrete', excluded: ['design'], answers: { 'L1-1.1': 'D', 'L1-1.2': 'C', 'L1-2.1': 'D', 'L1-2.2': 'D' }, levels: [1], finishedAt: '2026-11-28T19:20:00.000Z', trace: true };
    const zh = await resultView(r, input);
    expect(zh.finishedAt).toEqual({ iso: '2026-11-28T19:20:00.000Z', date: '2026-11-29', dateTime: '2026-11-29 03:20' });
    expect(zh.method.tailored).toContain('重新归一');
    expect(JSON.stringify(zh.method)).not.toContain('renormalize');
    expect(zh.trace![0].formula).toContain('权重占比');
    expect(zh.excluded).toEqual([{ id: 'design', name: '设计' }]);
    const en = await resultView(r, input, 'en');
    expect(en.trace![0].formula).toContain('share');
    expect(en.totalRule.text).toMatch(/^S = X1 \+ X2/);
  });
});

describe("the designer's quick fill", () => {
  it('answers 全部满足 with the option worth 1 whatever its letter, so the whole level scores X = 1', async () => {
    const { answerScoring, buildForm, indexRuleset } = await import('../engine/index.ts');
    const { loadRulesetFile } = await import('../cli/rulesetFiles.ts');
    const r = loadRulesetFile('rulesets/cmmm/gbt39116-2020.json');
    const index = indexRuleset(r);
    const full = r.scoring.scale.find((s) => s.label.zh === '全部满足')!;
    const form = buildForm(r, { level: 1, industryType: 'discrete' });
    const answers = Object.fromEntries(form.questionIds.map((id) => [id, answerScoring(index.questionById.get(id)!.question, full.score)!]));
    // CMMM lists options from A (worst) to D (best): by position, 全部满足 would have been A.
    expect(answers['L1-1.1.1']).toBe('D');
    expect(score(r, { industryType: 'discrete', answers, levels: [1] }).levels[0].score).toBe(1);
    const partly = r.scoring.scale.find((s) => s.score === 0.5)!;
    expect(score(r, { industryType: 'discrete', answers: Object.fromEntries(form.questionIds.map((id) => [id, answerScoring(index.questionById.get(id)!.question, partly.score)!])), levels: [1] }).levels[0].score).toBeCloseTo(0.5, 10);
  });
});
