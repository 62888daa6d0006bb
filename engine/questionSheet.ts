// The question bank as a table, one row per question, because standards bodies keep their banks
// in spreadsheets. Pure conversion both ways; the XLSX file itself is read and written at the
// edges (cli/, server/). A round trip changes nothing.
import type { Question } from './schema/ruleset.ts';
import { Question as QuestionSchema } from './schema/ruleset.ts';
import { Ajv } from 'ajv';
import { schemaProblems } from './load.ts';
import { text, type Problem } from './problem.ts';

export type Cell = string | number | boolean | null;

const I18N_FIELDS = ['text', 'explanation', 'unit'] as const;
const PLAIN = ['id', 'number', 'level', 'subDomain', 'kind'] as const;
const OPTIONAL = ['notApplicable', 'weight', 'aggregate', 'min', 'max', 'scored'] as const;

/** The header row: fixed columns, then four per option (id, zh, en, score) for as many options as the bank needs. */
export function sheetColumns(questions: Question[]): string[] {
  const options = Math.max(0, ...questions.map((q) => q.options?.length ?? 0));
  return [
    ...PLAIN,
    ...I18N_FIELDS.flatMap((f) => [`${f}.zh`, `${f}.en`]),
    ...OPTIONAL,
    'industryTypes',
    'scoreBands',
    ...Array.from({ length: options }, (_, i) => [`option${i + 1}.id`, `option${i + 1}.zh`, `option${i + 1}.en`, `option${i + 1}.score`]).flat(),
  ];
}

export function questionsToRows(questions: Question[]): { columns: string[]; rows: Cell[][] } {
  const columns = sheetColumns(questions);
  const rows = questions.map((q) => {
    const cell: Record<string, Cell> = {};
    for (const f of PLAIN) cell[f] = q[f];
    for (const f of I18N_FIELDS) {
      const v = q[f];
      if (v) {
        cell[`${f}.zh`] = v.zh;
        cell[`${f}.en`] = v.en ?? null;
      }
    }
    for (const f of OPTIONAL) cell[f] = q[f] ?? null;
    cell.industryTypes = q.industryTypes ? q.industryTypes.join(',') : null;
    cell.scoreBands = q.scoreBands ? JSON.stringify(q.scoreBands) : null;
    (q.options ?? []).forEach((o, i) => {
      cell[`option${i + 1}.id`] = o.id;
      cell[`option${i + 1}.zh`] = o.label.zh;
      cell[`option${i + 1}.en`] = o.label.en ?? null;
      cell[`option${i + 1}.score`] = o.score ?? null;
    });
    return columns.map((c) => cell[c] ?? null);
  });
  return { columns, rows };
}

const validate = new Ajv({ allErrors: true, strict: false }).compile(JSON.parse(JSON.stringify(QuestionSchema)));

/**
 * Rows back to questions. Problems name the spreadsheet row (1 = the header) and column, in
 * Chinese and English; nothing is returned when any row is wrong.
 */
export function rowsToQuestions(columns: string[], rows: Cell[][]): { ok: true; questions: Question[] } | { ok: false; problems: Problem[] } {
  const problems: Problem[] = [];
  const at = new Map(columns.map((c, i) => [c, i]));
  for (const required of PLAIN) {
    if (!at.has(required)) problems.push({ code: 'sheet.column', pointer: `/columns/${required}`, message: text(`表头缺少列 "${required}"`, `the header lacks the column "${required}"`) });
  }
  if (problems.length) return { ok: false, problems };
  const questions: Question[] = [];
  rows.forEach((row, r) => {
    const sheetRow = r + 2;
    const get = (c: string): Cell => {
      const v = at.has(c) ? row[at.get(c)!] : null;
      return v === '' || v === undefined ? null : v;
    };
    const q: Record<string, unknown> = {};
    for (const f of PLAIN) q[f] = get(f);
    if (typeof q.level === 'string' && /^\d+$/.test(q.level)) q.level = Number(q.level);
    if (typeof q.number === 'number') q.number = String(q.number);
    for (const f of I18N_FIELDS) {
      const zh = get(`${f}.zh`);
      const en = get(`${f}.en`);
      if (zh !== null || en !== null) q[f] = { zh: zh === null ? '' : String(zh), ...(en !== null ? { en: String(en) } : {}) };
    }
    for (const f of OPTIONAL) {
      const v = get(f);
      if (v !== null) q[f] = v === 'TRUE' ? true : v === 'FALSE' ? false : v;
    }
    const types = get('industryTypes');
    if (types !== null) q.industryTypes = String(types).split(',').map((s) => s.trim()).filter(Boolean);
    const bands = get('scoreBands');
    if (bands !== null) {
      try {
        q.scoreBands = JSON.parse(String(bands));
      } catch {
        problems.push({ code: 'sheet.scoreBands', pointer: `/rows/${sheetRow}/scoreBands`, message: text(`第 ${sheetRow} 行 scoreBands 不是有效的 JSON`, `row ${sheetRow}: scoreBands is not valid JSON`) });
      }
    }
    const options: Record<string, unknown>[] = [];
    for (let i = 1; at.has(`option${i}.id`); i++) {
      const id = get(`option${i}.id`);
      if (id === null) continue;
      const zh = get(`option${i}.zh`);
      const en = get(`option${i}.en`);
      const score = get(`option${i}.score`);
      options.push({ id: String(id), label: { zh: zh === null ? '' : String(zh), ...(en !== null ? { en: String(en) } : {}) }, ...(score !== null ? { score: typeof score === 'string' ? Number(score) : score } : {}) });
    }
    if (options.length) q.options = options;
    if (!validate(q)) {
      for (const p of schemaProblems(validate.errors)) {
        const column = p.pointer.replace(/^\//, '').replace(/\/(zh|en)$/, '.$1').replace(/^options\/(\d+)\/(?:label\/)?(\w+)$/, (_, n, f) => `option${Number(n) + 1}.${f}`);
        problems.push({ code: 'sheet.cell', pointer: `/rows/${sheetRow}/${column}`, message: text(`第 ${sheetRow} 行 ${column}：${p.message.zh}`, `row ${sheetRow}, ${column}: ${p.message.en}`) });
      }
    } else questions.push(q as unknown as Question);
  });
  return problems.length ? { ok: false, problems } : { ok: true, questions };
}
