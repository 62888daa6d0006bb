import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { diffRulesets, questionsToRows, rowsToQuestions } from '../engine/index.ts';
import { loadRulesetFile } from '../cli/rulesetFiles.ts';
import { readQuestionSheet, writeQuestionSheet } from '../cli/questionSheetFile.ts';
import { withQuestionBank } from '../server/questionWorkbook.ts';
import { q, smallRuleset } from './fixtures/small.ts';

const dir = mkdtempSync(join(tmpdir(), 'ladder-sheet-'));

describe('the question bank as a spreadsheet', () => {
  it('round-trips the bundled CMMM bank through an .xlsx file without a single change', async () => {
    const ruleset = loadRulesetFile('rulesets/cmmm/gbt39116-2020.json');
    const file = join(dir, 'cmmm.xlsx');
    await writeQuestionSheet(file, ruleset);
    const bank = await readQuestionSheet(file);
    expect(diffRulesets(ruleset, withQuestionBank(ruleset, bank))).toEqual([]);
  });

  it('keeps every kind of question and every optional field', () => {
    const bank = [
      q('L1-1', 'strategy', 1, { notApplicable: true, weight: 2, industryTypes: ['process'] }),
      q('L1-2', 'strategy', 1, { kind: 'multiple', aggregate: 'max' }),
      q('L1-3', 'strategy', 1, { kind: 'number', options: undefined, min: 0, max: 100, unit: { zh: '%', en: '%' }, scoreBands: [{ min: 50, score: 1 }] }),
      q('L1-4', 'strategy', 1, { kind: 'text', options: undefined, explanation: undefined, scored: false }),
    ];
    const { columns, rows } = questionsToRows(bank);
    const back = rowsToQuestions(columns, rows);
    expect(back.ok && back.questions).toEqual(bank);
  });

  it('names the row and the column of a bad cell, and imports nothing', async () => {
    const file = join(dir, 'bad.xlsx');
    await writeQuestionSheet(file, { ...smallRuleset(), questions: [q('L1-1', 'strategy', 1), q('L1-2', 'strategy', 1)] });
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(file);
    const sheet = book.worksheets[0];
    const header = (sheet.getRow(1).values as unknown[]).map(String);
    sheet.getRow(3).getCell(header.indexOf('level')).value = 'two';
    sheet.getRow(2).getCell(header.indexOf('kind')).value = 'essay';
    await book.xlsx.writeFile(file);
    await expect(readQuestionSheet(file)).rejects.toThrow(/第 2 行 kind.*\n?[\s\S]*第 3 行 level/);
  });
});
