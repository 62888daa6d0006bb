// Weight tables as two sheets of the question-bank workbook, so a standards body loads the
// official tables the way it keeps them: `weightSets` (one row per set) and `weights` (one row
// per node, grouped by the parent whose children it weighs, per level where a level differs).
// Pure conversion both ways; a round trip changes nothing. A group that does not sum to 1 is
// refused with the row and column of each of its rows.
import type { Ruleset, WeightSet } from './schema/ruleset.ts';
import { WeightSet as WeightSetSchema } from './schema/ruleset.ts';
import { Ajv } from 'ajv';
import { schemaProblems } from './load.ts';
import { indexRuleset } from './model.ts';
import { text, type Problem } from './problem.ts';
import type { Cell } from './questionSheet.ts';

export const WEIGHT_SET_COLUMNS = ['id', 'name.zh', 'name.en', 'industryType', 'default', 'placeholder', 'note.zh', 'note.en'] as const;
export const WEIGHT_COLUMNS = ['weightSet', 'level', 'group', 'node', 'weight'] as const;

/** The group column's value for the top of the tree (the level score's own children). */
export const TOP_GROUP = '(level)';

/** How close a group's sum must come to 1 (weights are typed as decimals in a spreadsheet). */
const SUM_TOLERANCE = 1e-6;

export interface WeightSheets {
  weightSets: { columns: string[]; rows: Cell[][] };
  weights: { columns: string[]; rows: Cell[][] };
}

/** The ruleset's weight sets as the two sheets; the group of each row is its node's parent in the model. */
export function weightSetsToRows(ruleset: Ruleset): WeightSheets {
  const index = indexRuleset(ruleset);
  const groupOf = (id: string) => index.nodeById.get(id)?.parent?.id ?? TOP_GROUP;
  const sets = ruleset.scoring.weightSets.map((w) => [
    w.id,
    w.name.zh,
    w.name.en ?? null,
    w.industryType,
    w.id === ruleset.scoring.defaultWeightSet,
    w.placeholder ?? null,
    w.note?.zh ?? null,
    w.note?.en ?? null,
  ]);
  const weights: Cell[][] = [];
  for (const w of ruleset.scoring.weightSets) {
    const tables: [Cell, Record<string, number>][] = [[null, w.weights], ...Object.entries(w.levelWeights ?? {}).map(([level, t]) => [Number(level), t] as [Cell, Record<string, number>])];
    for (const [level, table] of tables) for (const [node, weight] of Object.entries(table)) weights.push([w.id, level, groupOf(node), node, weight]);
  }
  return { weightSets: { columns: [...WEIGHT_SET_COLUMNS], rows: sets }, weights: { columns: [...WEIGHT_COLUMNS], rows: weights } };
}

const validate = new Ajv({ allErrors: true, strict: false }).compile(JSON.parse(JSON.stringify(WeightSetSchema)));

const truthy = (v: Cell) => v === true || v === 'TRUE' || v === 'true' || v === 1;

/**
 * The two sheets back to weight sets (and which is the default). Problems name the sheet, the row
 * (1 = the header) and the column, in Chinese and English; nothing is returned when any row is wrong.
 */
export function rowsToWeightSets(sheets: WeightSheets): { ok: true; weightSets: WeightSet[]; defaultWeightSet?: string } | { ok: false; problems: Problem[] } {
  const problems: Problem[] = [];
  const problem = (sheet: string, row: number, column: string, zh: string, en: string) =>
    problems.push({ code: 'sheet.weights', pointer: `/${sheet}/rows/${row}/${column}`, message: text(`工作表 ${sheet} 第 ${row} 行 ${column}：${zh}`, `sheet ${sheet}, row ${row}, ${column}: ${en}`) });
  const reader = (sheet: string, columns: string[], required: readonly string[]) => {
    const at = new Map(columns.map((c, i) => [c, i]));
    for (const c of required)
      if (!at.has(c)) problems.push({ code: 'sheet.column', pointer: `/${sheet}/columns/${c}`, message: text(`工作表 ${sheet} 的表头缺少列 "${c}"`, `the header of sheet ${sheet} lacks the column "${c}"`) });
    return (row: Cell[], c: string): Cell => {
      const v = at.has(c) ? row[at.get(c)!] : null;
      return v === '' || v === undefined ? null : v;
    };
  };
  const getSet = reader('weightSets', sheets.weightSets.columns, ['id', 'name.zh', 'industryType']);
  const getWeight = reader('weights', sheets.weights.columns, WEIGHT_COLUMNS);
  if (problems.length) return { ok: false, problems };

  const built = new Map<string, { set: Record<string, unknown>; row: number; weights: Record<string, number>; levelWeights: Record<string, Record<string, number>> }>();
  let defaultWeightSet: string | undefined;
  sheets.weightSets.rows.forEach((row, r) => {
    const sheetRow = r + 2;
    const id = getSet(row, 'id');
    if (id === null) return problem('weightSets', sheetRow, 'id', '缺少权重集 id', 'the weight set id is missing');
    if (built.has(String(id))) return problem('weightSets', sheetRow, 'id', `权重集 "${id}" 重复`, `weight set "${id}" appears twice`);
    const nameEn = getSet(row, 'name.en');
    const noteZh = getSet(row, 'note.zh');
    const noteEn = getSet(row, 'note.en');
    const placeholder = getSet(row, 'placeholder');
    const set: Record<string, unknown> = {
      id: String(id),
      name: { zh: String(getSet(row, 'name.zh') ?? ''), ...(nameEn !== null ? { en: String(nameEn) } : {}) },
      industryType: String(getSet(row, 'industryType') ?? ''),
      ...(placeholder !== null ? { placeholder: truthy(placeholder) } : {}),
      ...(noteZh !== null || noteEn !== null ? { note: { zh: String(noteZh ?? ''), ...(noteEn !== null ? { en: String(noteEn) } : {}) } } : {}),
    };
    if (truthy(getSet(row, 'default'))) {
      if (defaultWeightSet) problem('weightSets', sheetRow, 'default', `只能有一个默认权重集（已有 "${defaultWeightSet}"）`, `only one weight set can be the default ("${defaultWeightSet}" already is)`);
      else defaultWeightSet = String(id);
    }
    built.set(String(id), { set, row: sheetRow, weights: {}, levelWeights: {} });
  });

  // Sums per (weight set, level, group), with the rows that make each one up.
  const groups = new Map<string, { sum: number; rows: number[]; label: string }>();
  sheets.weights.rows.forEach((row, r) => {
    const sheetRow = r + 2;
    const setId = getWeight(row, 'weightSet');
    const entry = setId === null ? undefined : built.get(String(setId));
    if (!entry) return problem('weights', sheetRow, 'weightSet', `工作表 weightSets 中没有权重集 "${setId ?? ''}"`, `there is no weight set "${setId ?? ''}" in the sheet weightSets`);
    const levelCell = getWeight(row, 'level');
    const level = levelCell === null ? null : Number(levelCell);
    if (level !== null && !(Number.isInteger(level) && level >= 1)) return problem('weights', sheetRow, 'level', `等级 "${levelCell}" 应为正整数，或留空表示所有等级`, `level "${levelCell}" should be a whole number, or empty for every level`);
    const node = getWeight(row, 'node');
    if (node === null) return problem('weights', sheetRow, 'node', '缺少节点 id', 'the node id is missing');
    const value = getWeight(row, 'weight');
    const weight = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
    if (typeof weight !== 'number' || !Number.isFinite(weight) || weight < 0 || weight > 1)
      return problem('weights', sheetRow, 'weight', `权重 "${value ?? ''}" 应为 0 到 1 之间的数`, `the weight "${value ?? ''}" should be a number from 0 to 1`);
    const table = level === null ? entry.weights : (entry.levelWeights[String(level)] ??= {});
    if (String(node) in table) return problem('weights', sheetRow, 'node', `节点 "${node}" 在同一权重集和等级中重复`, `node "${node}" appears twice for the same weight set and level`);
    table[String(node)] = weight;
    const group = String(getWeight(row, 'group') ?? TOP_GROUP);
    const key = `${setId}\u0000${level ?? ''}\u0000${group}`;
    const g = groups.get(key) ?? { sum: 0, rows: [], label: `${setId} ${level === null ? '' : `L${level} `}${group}` };
    g.sum += weight;
    g.rows.push(sheetRow);
    groups.set(key, g);
  });
  for (const g of groups.values()) {
    if (Math.abs(g.sum - 1) <= SUM_TOLERANCE) continue;
    const sum = +g.sum.toFixed(6);
    for (const row of g.rows) problem('weights', row, 'weight', `${g.label} 组的权重之和为 ${sum}，应为 1`, `the weights of the group ${g.label} sum to ${sum}, not 1`);
  }

  const weightSets: WeightSet[] = [];
  for (const { set, row, weights, levelWeights } of built.values()) {
    const candidate = { ...set, weights, ...(Object.keys(levelWeights).length ? { levelWeights } : {}) };
    if (!validate(candidate)) {
      for (const p of schemaProblems(validate.errors)) {
        const column = p.pointer.replace(/^\//, '').replace(/\/(zh|en)$/, '.$1') || 'id';
        problem('weightSets', row, column, p.message.zh, p.message.en);
      }
    } else weightSets.push(candidate as unknown as WeightSet);
  }
  return problems.length ? { ok: false, problems } : { ok: true, weightSets, ...(defaultWeightSet ? { defaultWeightSet } : {}) };
}
