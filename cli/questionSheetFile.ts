// The question bank as an .xlsx file: the workbook (server/questionWorkbook.ts) read from and
// written to disk, its problems reported against the file.
import { readFile, writeFile } from 'node:fs/promises';
import { EngineError, text, type Ruleset } from '../engine/index.ts';
import { questionsFromWorkbook, questionWorkbook, type QuestionBank } from '../server/questionWorkbook.ts';
import { FileError } from './rulesetFiles.ts';

export async function writeQuestionSheet(file: string, ruleset: Ruleset): Promise<void> {
  await writeFile(file, await questionWorkbook(ruleset));
}

export async function readQuestionSheet(file: string): Promise<QuestionBank> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new FileError(file, [{ code: 'file.read', pointer: '', message: code === 'ENOENT' ? text('文件不存在', 'file not found') : text(`无法读取：${code}`, `cannot read: ${code}`) }]);
  }
  try {
    return await questionsFromWorkbook(bytes);
  } catch (e) {
    if (e instanceof EngineError) throw new FileError(file, e.problems);
    throw e;
  }
}
