// The question bank as an .xlsx workbook (exceljs), in memory: the command line writes it to a
// file, the API sends it to the designer. One sheet, the header row, one row per question.
import ExcelJS from 'exceljs';
import { EngineError, questionsToRows, rowsToQuestions, text, type Cell, type Question } from '../engine/index.ts';

const SHEET = 'questions';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export async function questionWorkbook(questions: Question[]): Promise<Buffer> {
  const { columns, rows } = questionsToRows(questions);
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet(SHEET, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.addRow(columns).font = { bold: true };
  for (const row of rows) sheet.addRow(row.map((c) => (c === null ? undefined : c)));
  sheet.columns.forEach((col, i) => (col.width = /zh|en/.test(columns[i]) ? 40 : 12));
  return Buffer.from(await book.xlsx.writeBuffer());
}

/** The questions of a workbook; an unreadable file or any bad cell throws an EngineError naming each row and column. */
export async function questionsFromWorkbook(workbook: Buffer): Promise<Question[]> {
  const book = new ExcelJS.Workbook();
  try {
    // exceljs declares its own Buffer (an ArrayBuffer) and reads Node's Buffer at run time.
    await book.xlsx.load(workbook as unknown as ArrayBuffer);
  } catch (e) {
    throw new EngineError([{ code: 'sheet.read', pointer: '', message: text(`无法读取 Excel 文件：${(e as Error).message}`, `cannot read the Excel file: ${(e as Error).message}`) }]);
  }
  const sheet = book.getWorksheet(SHEET) ?? book.worksheets[0];
  if (!sheet) throw new EngineError([{ code: 'sheet.empty', pointer: '', message: text('文件中没有工作表', 'the file has no worksheet') }]);
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
  if (!result.ok) throw new EngineError(result.problems);
  return result.questions;
}
