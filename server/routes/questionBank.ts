// The question bank as a spreadsheet for the designer: standards bodies keep their banks in
// Excel, so a draft's bank goes out as an .xlsx and an edited workbook comes back as questions
// (the designer puts them into the draft and saves it; nothing is stored here).
import { Type } from '@sinclair/typebox';
import { EngineError, Id, Question, text, WeightSet } from '../../engine/index.ts';
import type { Context } from '../context.ts';
import type { RouteTable } from '../http/routes.ts';
import { ApiError } from '../http/apiError.ts';
import { currentUser, requireRole } from '../auth.ts';
import { AUTHORING_ROLES, rulesetFor } from '../rulesetAccess.ts';
import { questionsFromWorkbook, questionWorkbook, XLSX_TYPE } from '../questionWorkbook.ts';

export function questionBankRoutes(routes: RouteTable, ctx: Context) {
  routes.add({
    method: 'get',
    path: '/rulesets/:id/:version/questions.xlsx',
    tag: 'rulesets',
    summary: 'The question bank as an Excel workbook: sheet questions, one row per question (options as optionN.id/zh/en/score columns); sheets weightSets and weights, the weight tables. Drafts for those who may edit them, published versions for authors and administrators',
    access: 'user',
    responses: { 200: `${XLSX_TYPE}, as an attachment named <id>-<version>-questions.xlsx`, 403: 'not an author or administrator', 404: 'no such ruleset, or a draft the caller may not edit' },
    handler: async (req, res) => {
      const r = await rulesetFor(ctx, currentUser(res), String(req.params.id), String(req.params.version), 'inspect');
      const workbook = await questionWorkbook(r.document);
      res.type(XLSX_TYPE).set('Content-Disposition', `attachment; filename="${r.id}-${r.version}-questions.xlsx"`).send(workbook);
    },
  });

  routes.add({
    method: 'post',
    path: '/question-sheet',
    tag: 'rulesets',
    summary: 'Read the questions and weight tables of an edited question-bank workbook (the .xlsx file itself as the body); every bad cell, and every row of a weight group that does not sum to 1, is named by sheet, row and column, and then nothing comes back',
    access: 'user',
    upload: { type: XLSX_TYPE, limit: '4mb', what: text('Excel 文件（.xlsx）', 'an Excel file (.xlsx)') },
    responses: { 200: '{ questions, weightSets?, defaultWeightSet? }', 400: 'unreadable file or bad cells (field /rows/<row>/<column> for questions, /weightSets|weights/rows/<row>/<column> for weights; row 1 being the header)', 403: 'not an author or administrator', 413: 'larger than 4 MB', 415: 'not an .xlsx body' },
    response: Type.Object(
      {
        questions: Type.Array(Question, { description: "The workbook's questions in its row order, each valid by the ruleset format" }),
        weightSets: Type.Optional(Type.Array(WeightSet, { description: 'The weight tables, when the workbook has the weightSets and weights sheets; every group sums to 1' })),
        defaultWeightSet: Type.Optional(Id),
      },
      { additionalProperties: false },
    ),
    handler: async (req, res) => {
      requireRole(currentUser(res), ...AUTHORING_ROLES);
      try {
        return await questionsFromWorkbook(req.body as Buffer);
      } catch (e) {
        if (e instanceof EngineError) throw ApiError.fromProblems(e.problems, 'invalid_sheet');
        throw e;
      }
    },
  });
}
