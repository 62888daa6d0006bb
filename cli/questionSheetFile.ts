// The question bank as an .xlsx file (exceljs): one sheet, the header row, one row per question.
import ExcelJS from 'exceljs';
import { questionsToRows, rowsToQuestions, text, type Cell, type Question } from '../engine/index.ts';
import { FileError } from './rulesetFiles.ts';

const SHEET = 'questions';

export async function writeQuestionSheet(file: string, questions: Question[]): Promise<void> {
  const { columns, rows } = questionsToRows(questions);
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet(SHEET, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.addRow(columns).font = { bold: true };
  for (const row of rows) sheet.addRow(row.map((c) => (c === null ? undefined : c)));
  sheet.columns.forEach((col, i) => (col.width = /zh|en/.test(columns[i]) ? 40 : 12));
  await book.xlsx.writeFile(file);
}

export async function readQuestionSheet(file: string): Promise<Question[]> {
  const book = new ExcelJS.Workbook();
  try {
    await book.xlsx.readFile(file);
  } catch (e) {
    throw new FileError(file, [{ code: 'sheet.read', pointer: '', message: text(`无法读取 Excel 文件：${(e as Error).message}`, `cannot read the Excel file: ${(e as Error).message}`) }]);
  }
  const sheet = book.getWorksheet(SHEET) ?? book.worksheets[0];
  if (!sheet) throw new FileError(file, [{ code: 'sheet.empty', pointer: '', message: text('文件中没有工作表', 'the file has no worksheet') }]);
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
  const result = rowsToQuestions((header ?? []).map((h) => String(h ?? '')), rows);
  if (!result.ok) throw new FileError(file, result.problems);
  return result.questions;
}
