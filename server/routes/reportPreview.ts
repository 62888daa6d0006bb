// Reports while a ruleset is designed: which templates exist, and the report a draft would give
// for sample answers, rendered exactly as an enterprise's report is.
import { Type } from '@sinclair/typebox';
import { EngineError, localized, resultView, text, validateRuleset, type AnswerValue } from '../../engine/index.ts';
import type { Context } from '../context.ts';
import type { RouteTable } from '../http/routes.ts';
import { ApiError, localeOf } from '../http/apiError.ts';
import { REPORT_CSP } from '../http/security.ts';
import { currentUser, requireRole } from '../auth.ts';
import { AUTHORING_ROLES } from '../rulesetAccess.ts';
import { coverOf, reportModel } from '../report/model.ts';
import { renderReport, reportTemplates } from '../report/render.ts';
import { previewDiagnosis, previewEnterprise } from '../report/preview.ts';
import { factsOf } from '../enterpriseFacts.ts';

export function reportPreviewRoutes(routes: RouteTable, ctx: Context) {
  routes.add({
    method: 'get',
    path: '/report-templates',
    tag: 'reports',
    summary: "Report templates a ruleset's report.template may name (folders under templates/), with the sections each can show",
    access: 'public',
    responses: { 200: '[{ id, name, sections }]' },
    response: Type.Array(
      Type.Object(
        {
          id: Type.String({ description: "The folder under templates/: what a ruleset's report.template names" }),
          name: Type.String({ description: "From the folder's template.json (else the id), in the request's language" }),
          sections: Type.Array(Type.String(), { description: 'The sections report.hbs can show, in its order: what report.sections may list' }),
        },
        { additionalProperties: false },
      ),
    ),
    handler: (req) => reportTemplates().map((t) => ({ id: t.id, name: localized(t.name, localeOf(req)), sections: t.sections })),
  });

  routes.add<{ document: unknown; industryType: string; excluded?: string[]; answers: Record<string, AnswerValue>; locale?: 'zh' | 'en' }>({
    method: 'post',
    path: '/report-preview',
    tag: 'reports',
    summary: 'The HTML report a ruleset (saved or not) gives for sample answers, for an enterprise named 示例企业（预览）; the answers go through its flow as an enterprise\'s would',
    access: 'user',
    body: Type.Object(
      {
        document: Type.Unknown(),
        industryType: Type.String({ maxLength: 80 }),
        excluded: Type.Optional(Type.Array(Type.String({ maxLength: 120 }), { maxItems: 1000 })),
        answers: Type.Record(Type.String({ maxLength: 80 }), Type.Union([Type.String({ maxLength: 2000 }), Type.Array(Type.String({ maxLength: 80 }), { maxItems: 50 }), Type.Number()]), { maxProperties: 10_000 }),
        locale: Type.Optional(Type.Union([Type.Literal('zh'), Type.Literal('en')])),
      },
      { additionalProperties: false },
    ),
    responses: {
      200: 'text/html',
      400: 'invalid ruleset (pointers under /document), an unknown template (/document/report/template), or answers the flow refuses (/industryType, /excluded/<i>, /answers/<question id>)',
      403: 'not an author or administrator',
    },
    handler: async (req, res) => {
      requireRole(currentUser(res), ...AUTHORING_ROLES);
      const v = validateRuleset(req.body.document);
      if (!v.ok) throw ApiError.fromProblems(v.problems.map((p) => ({ ...p, pointer: `/document${p.pointer}` })), 'invalid_ruleset');
      const ruleset = v.value;
      const template = ruleset.report.template;
      if (!reportTemplates().some((t) => t.id === template))
        throw new ApiError(400, 'unknown_template', text(`没有名为 "${template}" 的报告模板（见 templates/ 目录）`, `no report template "${template}" (see templates/)`), '/document/report/template');
      const at = ctx.now();
      const enterprise = previewEnterprise(ruleset, req.body.industryType, ctx.reference, at);
      let html: string;
      try {
        const preview = await previewDiagnosis(ruleset, req.body, enterprise, at);
        if (!preview.ok) throw ApiError.fromProblems(preview.problems, 'invalid_answers');
        const { diagnosis: d } = preview;
        const locale = req.body.locale ?? localeOf(req);
        const facts = factsOf(ctx.reference, enterprise, false);
        html = await ctx.reports.run(async () => {
          const view = await resultView(ruleset, { industryType: enterprise.industryType, excluded: d.state.excluded, answers: d.answers, levels: d.state.submitted, indicators: d.indicators, facts, finishedAt: d.finishedAt }, locale);
          return renderReport(template, reportModel({ ruleset, view, cover: coverOf(enterprise, ruleset, ctx.reference, locale), id: d.id, history: [], locale, generatedAt: at }));
        });
      } catch (e) {
        // A draft can be valid JSON and still not compute (lint errors the author has not fixed yet).
        if (e instanceof EngineError) throw ApiError.fromProblems(e.problems.map((p) => ({ ...p, pointer: `/document${p.pointer}` })), 'invalid_ruleset');
        throw e;
      }
      res.type('html').set('Content-Security-Policy', REPORT_CSP).send(html);
    },
  });
}
