// Weights: every sibling group of every bundled weight set sums to 1; under the 2020 placeholder
// rule the production domain keeps the standard's emphasis; the tables go to a workbook and come
// back unchanged; and a diagnosis's own weights are used only inside the ruleset's bounds.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { checkWeightAdjustment, diffRulesets, EngineError, indexRuleset, lint, pickWeightSet, score, siblingWeights, type Ruleset } from '../../engine/index.ts';
import { bundledRulesetFiles, loadRulesetFile } from '../../cli/rulesetFiles.ts';
import { readQuestionSheet, writeQuestionSheet } from '../../cli/questionSheetFile.ts';
import { withQuestionBank } from '../../server/questionWorkbook.ts';

const CMMM = 'rulesets/cmmm/gbt39116-2020.json';
const dir = mkdtempSync(join(tmpdir(), 'ladder-weights-'));

/** The share of X_n a node carries when every node counts: the product of its weights down the tree. */
function shareOf(r: Ruleset, industryType: string, id: string, level = 1): number {
  const index = indexRuleset(r);
  const set = pickWeightSet(r, industryType);
  let share = 1;
  for (let n = index.nodeById.get(id); n; n = n.parent) {
    const siblings = n.parent ? n.parent.children : index.roots;
    const ws = siblingWeights(set, level, siblings.map((s) => s.id));
    share *= ws[siblings.indexOf(n)] / ws.reduce((a, b) => a + b, 0);
  }
  return share;
}

describe.each(bundledRulesetFiles())('the weights of %s', (file) => {
  const r = loadRulesetFile(file);
  it('sum to 1 in every group a weight set lists', () => {
    const index = indexRuleset(r);
    const groups = [index.roots.map((n) => n.id), ...index.nodes.filter((n) => !n.isLeaf).map((n) => n.children.map((c) => c.id))];
    for (const set of r.scoring.weightSets) {
      for (const table of [set.weights, ...Object.values(set.levelWeights ?? {})]) {
        for (const ids of groups) {
          if (!ids.some((id) => table[id] !== undefined)) continue;
          expect(Math.abs(ids.reduce((s, id) => s + (table[id] ?? 0), 0) - 1), `${set.id}: ${ids.join(',')}`).toBeLessThan(1e-6);
        }
      }
    }
    expect(lint(r).filter((f) => f.code === 'weights-sum')).toEqual([]);
  });
});

describe('the 2020 placeholder weights', () => {
  const r = loadRulesetFile(CMMM);
  const index = indexRuleset(r);

  it('are labelled placeholders, in words an enterprise can read', () => {
    for (const set of r.scoring.weightSets) {
      expect(set.placeholder, set.id).toBe(true);
      expect(set.note?.zh, set.id).toMatch(/临时|占位/);
      expect(set.note?.zh, set.id).not.toMatch(/参考资料|§/);
      expect(set.note?.en, set.id).not.toMatch(/reference's|§/);
    }
  });

  it.each(['discrete', 'process'])('weigh each domain by its number of sub-domains within its element (%s)', (industryType) => {
    const set = pickWeightSet(r, industryType)!;
    for (const element of index.roots) {
      const leaves = (n: (typeof index.nodes)[number]): number => (n.isLeaf ? 1 : n.children.reduce((s, c) => s + leaves(c), 0));
      const total = leaves(element);
      for (const domain of element.children) expect(set.weights[domain.id], domain.id).toBeCloseTo(leaves(domain) / total, 5);
    }
  });

  it.each(['discrete', 'process'])('keep production the heaviest domain of manufacturing, its sub-domains each as heavy as 销售 (%s)', (industryType) => {
    const production = shareOf(r, industryType, 'd.production');
    const manufacturing = shareOf(r, industryType, 'e.manufacturing');
    // 7 of manufacturing's 13 sub-domains.
    expect(production / manufacturing).toBeCloseTo(7 / 13, 5);
    for (const d of index.nodeById.get('e.manufacturing')!.children) if (d.id !== 'd.production') expect(shareOf(r, industryType, d.id)).toBeLessThan(production);
    expect(shareOf(r, industryType, 'procurement')).toBeCloseTo(shareOf(r, industryType, 'sales'), 6);
    // Not 12% against 1.7% as with equal domains.
    expect(production).toBeGreaterThan(0.3);
  });
});

describe('the weight tables in the question-bank workbook', () => {
  it.each(bundledRulesetFiles().filter((f) => !f.includes('variants')))('round-trip %s without a change', async (file) => {
    const r = loadRulesetFile(file);
    const xlsx = join(dir, `${r.id}.xlsx`);
    await writeQuestionSheet(xlsx, r);
    const bank = await readQuestionSheet(xlsx);
    expect(bank.weightSets).toEqual(r.scoring.weightSets);
    expect(bank.defaultWeightSet).toBe(r.scoring.defaultWeightSet);
    expect(withQuestionBank(r, bank)).toEqual(r);
    expect(diffRulesets(r, withQuestionBank(r, bank))).toEqual([]);
  });

  it('refuse a group that does not sum to 1, naming the sheet, row and column of each of its rows', async () => {
    const r = loadRulesetFile(CMMM);
    const xlsx = join(dir, 'bad-weights.xlsx');
    await writeQuestionSheet(xlsx, r);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(xlsx);
    const sheet = book.getWorksheet('weights')!;
    const header = (sheet.getRow(1).values as unknown[]).map(String);
    let changed = 0;
    sheet.eachRow((row, n) => {
      if (n > 1 && row.getCell(header.indexOf('node')).value === 'e.technology' && changed++ === 0) row.getCell(header.indexOf('weight')).value = 0.3;
    });
    await book.xlsx.writeFile(xlsx);
    const error = await readQuestionSheet(xlsx).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    const message = (error as Error).message;
    expect(message).toMatch(/工作表 weights 第 \d+ 行 weight：.*\(level\) 组的权重之和为 1\.15，应为 1/);
    expect(message).toMatch(/sheet weights, row \d+, weight: the weights of the group .* sum to 1\.15, not 1/);
  });

  it('leave the weights as they are when a workbook has no weight sheets', async () => {
    const r = loadRulesetFile(CMMM);
    const xlsx = join(dir, 'questions-only.xlsx');
    await writeQuestionSheet(xlsx, r);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(xlsx);
    book.removeWorksheet(book.getWorksheet('weightSets')!.id);
    book.removeWorksheet(book.getWorksheet('weights')!.id);
    await book.xlsx.writeFile(xlsx);
    const bank = await readQuestionSheet(xlsx);
    expect(bank.weightSets).toBeUndefined();
    expect(withQuestionBank(r, bank).scoring).toEqual(r.scoring);
  });
});

describe('weights set for one diagnosis (GB/T 39117: the assessment team sets the domain weights)', () => {
  const r = loadRulesetFile(CMMM);
  const answers = Object.fromEntries(r.questions.filter((q) => q.level === 1 && (!q.industryTypes || q.industryTypes.includes('discrete'))).map((q, i) => [q.id, i % 3 ? 'D' : 'B']));
  const base = { industryType: 'discrete', answers, levels: [1] };
  const manufacturing = pickWeightSet(r, 'discrete')!.weights;
  const domains = indexRuleset(r).nodeById.get('e.manufacturing')!.children.map((c) => c.id);
  const max = r.scoring.adjustableWeights!.maxChange;

  it('are declared by the ruleset: which layer may move, and how far', () => {
    expect(r.scoring.adjustableWeights).toMatchObject({ layers: ['domain'] });
    expect(max).toBeGreaterThan(0);
    expect(max).toBeLessThanOrEqual(0.2);
  });

  it('score with weights inside the bounds, and record them on the result', () => {
    const moved = Object.fromEntries(domains.map((id) => [id, manufacturing[id]]));
    // As far as the bounds go (a weight never goes below 0).
    const step = Math.min(max, manufacturing['d.sales']);
    moved['d.production'] += step;
    moved['d.sales'] -= step;
    const result = score(r, { ...base, weights: moved });
    expect(result.weights).toEqual(moved);
    expect(result.levels[0].score).not.toBeCloseTo(score(r, base).levels[0].score!, 6);
  });

  it('refuse a weight outside its bounds, a group that does not sum to 1, a layer that may not move, naming each', () => {
    const moved = Object.fromEntries(domains.map((id) => [id, manufacturing[id]]));
    moved['d.production'] += max + 0.05;
    moved['d.sales'] -= max + 0.05;
    expect(() => score(r, { ...base, weights: moved })).toThrow(EngineError);
    const problems = checkWeightAdjustment(r, pickWeightSet(r, 'discrete'), moved);
    expect(problems.map((p) => p.pointer).sort()).toEqual(['/weights/d.production', '/weights/d.sales']);
    expect(problems[0].message.zh).toMatch(/超出允许范围/);

    const notWhole = { 'd.production': manufacturing['d.production'] + 0.01 };
    expect(checkWeightAdjustment(r, pickWeightSet(r, 'discrete'), notWhole).map((p) => p.message.en).join(' ')).toMatch(/needs all of its children/);
    const unbalanced = Object.fromEntries(domains.map((id) => [id, manufacturing[id] + (id === 'd.production' ? 0.01 : 0)]));
    expect(checkWeightAdjustment(r, pickWeightSet(r, 'discrete'), unbalanced).map((p) => p.message.en).join(' ')).toMatch(/sum to 1\.01, not 1/);
    expect(checkWeightAdjustment(r, pickWeightSet(r, 'discrete'), { 'e.personnel': 0.2, 'e.technology': 0.1, 'e.resources': 0.1, 'e.manufacturing': 0.6 }).map((p) => p.pointer)).toContain('/weights/e.personnel');
    expect(checkWeightAdjustment(r, pickWeightSet(r, 'discrete'), { nowhere: 1 }).map((p) => p.pointer)).toEqual(['/weights/nowhere']);
  });

  it('are refused altogether by a ruleset that declares no bounds', () => {
    const fixed = { ...r, scoring: { ...r.scoring, adjustableWeights: undefined } };
    const same = Object.fromEntries(domains.map((id) => [id, manufacturing[id]]));
    expect(checkWeightAdjustment(fixed, pickWeightSet(fixed, 'discrete'), same)).toHaveLength(domains.length);
  });

  it('lint the bounds: a layer that does not exist is an error', () => {
    const broken = { ...r, scoring: { ...r.scoring, adjustableWeights: { layers: ['nope'], maxChange: 0.1 } } };
    expect(lint(broken).filter((f) => f.pointer.startsWith('/scoring/adjustableWeights')).map((f) => `${f.severity}:${f.code}`)).toEqual(['error:dangling-reference']);
  });
});
