// The question bank as an .xlsx workbook (exceljs), in memory: the command line writes it to a
// file, the API sends it to the designer. Sheet `questions`: one row per question; sheets
// `weightSets` and `weights`: the weight tables (engine/weightSheet.ts). A workbook without the
// weight sheets still reads: it then leaves the ruleset's weights as they are.
import ExcelJS from 'exceljs';
import { EngineError, questionsToRows, rowsToQuestions, rowsToWeightSets, text, weightSetsToRows, type Cell, type Question, type Ruleset, type WeightSet } from '../engine/index.ts';

const QUESTIONS = 'questions';
const WEIGHT_SETS = 'weightSets';
const WEIGHTS = 'weights';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export interface QuestionBank {
  questions: Question[];
  /** Present when the workbook has the weight sheets. */
  weightSets?: WeightSet[];
  defaultWeightSet?: string;
}

function addSheet(book: ExcelJS.Workbook, name: string, columns: string[], rows: Cell[][], wide: (column: string) => boolean) {
  const sheet = book.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.addRow(columns).font = { bold: true };
  for (const row of rows) sheet.addRow(row.map((c) => (c === null ? undefined : c)));
  sheet.columns.forEach((col, i) => (col.width = wide(columns[i]) ? 40 : 14));
}

export async function questionWorkbook(ruleset: Pick<Ruleset, 'questions' | 'scoring' | 'model'>): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const { columns, rows } = questionsToRows(ruleset.questions);
  addSheet(book, QUESTIONS, columns, rows, (c) => /zh|en/.test(c));
  const sheets = weightSetsToRows(ruleset as Ruleset);
  addSheet(book, WEIGHT_SETS, sheets.weightSets.columns, sheets.weightSets.rows, (c) => /^(name|note)\./.test(c));
  addSheet(book, WEIGHTS, sheets.weights.columns, sheets.weights.rows, () => false);
  return Buffer.from(await book.xlsx.writeBuffer());
}

function sheetValues(sheet: ExcelJS.Worksheet): { columns: string[]; rows: Cell[][] } {
  const values: Cell[][] = [];
  sheet.eachRow({ includeEmpty: false }, (row) => {
    const cells: Cell[] = [];
    for (let c = 1; c <= sheet.columnCount; c++) {
      const v = row.getCell(c).value;
      cells.push(v === null || v === undefined ? null : typeof v === 'object' && 'richText' in v ? v.richText.map((t) => t.text).join('') : typeof v === 'object' && 'result' in v ? (v.result as Cell) : (v as Cell));
    }
    values.push(cells);
  });
  const [header, ...rows] = values;
  return { columns: (header ?? []).map((h) => String(h ?? '')), rows };
}

/** The questions (and weight tables, if the sheets are there) of a workbook; an unreadable file or any bad cell throws an EngineError naming each sheet, row and column. */
export async function questionsFromWorkbook(workbook: Buffer): Promise<QuestionBank> {
  const book = new ExcelJS.Workbook();
  try {
    // exceljs declares its own Buffer (an ArrayBuffer) and reads Node's Buffer at run time.
    await book.xlsx.load(workbook as unknown as ArrayBuffer);
  } catch (e) {
    throw new EngineError([{ code: 'sheet.read', pointer: '', message: text(`无法读取 Excel 文件：${(e as Error).message}`, `cannot read the Excel file: ${(e as Error).message}`) }]);
  }
  const sheet = book.getWorksheet(QUESTIONS) ?? book.worksheets[0];
  if (!sheet) throw new EngineError([{ code: 'sheet.empty', pointer: '', message: text('文件中没有工作表', 'the file has no worksheet') }]);
  const { columns, rows } = sheetValues(sheet);
  const questions = rowsToQuestions(columns, rows);
  const problems = questions.ok ? [] : [...questions.problems];
  const setsSheet = book.getWorksheet(WEIGHT_SETS);
  const weightsSheet = book.getWorksheet(WEIGHTS);
  let weights: ReturnType<typeof rowsToWeightSets> | undefined;
  if (setsSheet || weightsSheet) {
    if (!setsSheet || !weightsSheet) {
      const missing = setsSheet ? WEIGHTS : WEIGHT_SETS;
      problems.push({ code: 'sheet.missing', pointer: `/${missing}`, message: text(`缺少工作表 ${missing}（权重表需 weightSets 和 weights 两个工作表）`, `the sheet ${missing} is missing (weight tables need both weightSets and weights)`) });
    } else {
      weights = rowsToWeightSets({ weightSets: sheetValues(setsSheet), weights: sheetValues(weightsSheet) });
      if (!weights.ok) problems.push(...weights.problems);
    }
  }
  if (problems.length || !questions.ok) throw new EngineError(problems);
  return { questions: questions.questions, ...(weights?.ok ? { weightSets: weights.weightSets, ...(weights.defaultWeightSet ? { defaultWeightSet: weights.defaultWeightSet } : {}) } : {}) };
}

/** The ruleset with a workbook's bank in it: its questions, and its weight tables when the workbook has them. */
export function withQuestionBank(ruleset: Ruleset, bank: QuestionBank): Ruleset {
  if (!bank.weightSets) return { ...ruleset, questions: bank.questions };
  return { ...ruleset, questions: bank.questions, scoring: { ...ruleset.scoring, weightSets: bank.weightSets, defaultWeightSet: bank.defaultWeightSet ?? ruleset.scoring.defaultWeightSet } };
}
