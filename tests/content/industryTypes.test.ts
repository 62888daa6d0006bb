// Process firms never answer discrete-only questions and discrete firms never process-only ones:
// each bundled model marks a question's industry types, and the words that only make sense on one
// side (报工, BOM, 装配 … / DCS, 配方, 物料平衡 …) appear only in questions marked for it.
import { describe, expect, it } from 'vitest';
import { applicableQuestions, cellKey, indexRuleset, type Question } from '../../engine/index.ts';
import { loadRulesetFile } from '../../cli/rulesetFiles.ts';

const DISCRETE_ONLY = ['报工', 'BOM', '装配', '数控', '工位', '工装', '首件', '零部件', '机加工', 'CAPP', '作业指导书'];
const PROCESS_ONLY = ['DCS', '配方', '物料平衡', '先进控制', 'APC', 'SIS', '操作规程'];

const words = (q: Question) => [q.text.zh, q.explanation?.zh ?? '', ...(q.options ?? []).map((o) => o.label.zh)].join(' ');

describe.each(['rulesets/cmmm/gbt39116-2020.json', 'rulesets/cmmm-2024-draft/wd2024005768.json'])('%s', (file) => {
  const r = loadRulesetFile(file);
  const index = indexRuleset(r);
  const asked = (industryType: string) => applicableQuestions(r, { excluded: [], industryType });

  it('marks every question that only fits one industry type, and asks each firm only its own', () => {
    const misfiled: string[] = [];
    for (const q of r.questions) {
      const text = words(q);
      for (const w of DISCRETE_ONLY) if (text.includes(w) && JSON.stringify(q.industryTypes) !== '["discrete"]') misfiled.push(`${q.id} (${w}) is not discrete-only`);
      for (const w of PROCESS_ONLY) if (text.includes(w) && JSON.stringify(q.industryTypes) !== '["process"]') misfiled.push(`${q.id} (${w}) is not process-only`);
    }
    expect(misfiled).toEqual([]);
    expect(asked('process').filter((q) => q.industryTypes && !q.industryTypes.includes('process'))).toEqual([]);
    expect(asked('discrete').filter((q) => q.industryTypes && !q.industryTypes.includes('discrete'))).toEqual([]);
  });

  it('asks process firms about process control, recipes and material balance', () => {
    const processText = asked('process').map(words).join(' ');
    for (const w of ['DCS', '配方', '物料平衡']) expect(processText, w).toContain(w);
    expect(asked('process').filter((q) => q.industryTypes?.includes('process')).length).toBeGreaterThanOrEqual(10);
  });

  it('numbers each firm\'s questions once, with no gaps inside a cell', () => {
    for (const industryType of r.industryTypes.map((t) => t.id)) {
      const mine = asked(industryType);
      const numbers = mine.map((q) => `${q.level}|${q.number}`);
      expect(numbers.length, industryType).toBe(new Set(numbers).size);
      for (const level of r.levels) {
        for (const leaf of index.leaves) {
          const cell = mine.filter((q) => q.level === level.number && q.subDomain === leaf.id).map((q) => Number(q.number.split('.').at(-1)));
          expect(cell, `${industryType} ${leaf.id} L${level.number}`).toEqual(cell.map((_, i) => i + 1));
        }
      }
    }
  });

  it('gives both industry types the same number of questions in each cell, except parts one of them skips', () => {
    const differ: string[] = [];
    for (const level of r.levels)
      for (const leaf of level.subDomains) {
        const cell = index.cell.get(cellKey(leaf, level.number)) ?? [];
        const count = (t: string) => cell.filter((q) => !q.industryTypes || q.industryTypes.includes(t)).length;
        if (count('discrete') !== count('process') && count('process') !== 0) differ.push(`${leaf} L${level.number}`);
      }
    expect(differ).toEqual([]);
  });
});
