// The report's data model declared once: what a template (templates/<name>/report.hbs) receives.
// `npx ladder schema` writes it to templates/report-model.schema.json for template authors, and a
// test holds a real model to it. Its `result` is the engine's result view, unchanged.
import { Type } from '@sinclair/typebox';
import { ResultViewSchema } from '../../engine/index.ts';

const doc = (description: string) => ({ description });

export const ReportModelSchema = Type.Object(
  {
    locale: Type.Union([Type.Literal('zh'), Type.Literal('en')]),
    lang: Type.String(doc('html lang attribute')),
    title: Type.String(doc("the ruleset's title")),
    sections: Type.Record(Type.String(), Type.Literal(true), doc("section id → true, from the ruleset's report.sections")),
    reportNumber: Type.String(doc('ruleset id, the finishing date in the ruleset\'s time zone, the diagnosis id\'s start')),
    generatedAt: Type.String(doc('YYYY-MM-DD HH:mm in the ruleset\'s time zone')),
    ruleset: Type.Object(
      {
        id: Type.String(),
        version: Type.String(),
        title: Type.String(),
        description: Type.String(),
        standard: Type.Optional(Type.Object({ code: Type.String(), name: Type.String() }, { additionalProperties: false })),
      },
      { additionalProperties: false },
    ),
    enterprise: Type.Object(
      { name: Type.String(), creditCode: Type.String(), industry: Type.String(), region: Type.String(), sizeBand: Type.String(), industryType: Type.String() },
      { additionalProperties: false, ...doc('the cover, in the report\'s language') },
    ),
    result: ResultViewSchema,
    radar: Type.String(doc("inline SVG of the profile's groups, or empty with fewer than 3")),
    heatmap: Type.Object(
      {
        leafLayer: Type.String(doc("the name of the model's leaf layer")),
        levels: Type.Array(Type.Object({ number: Type.Integer(), name: Type.String() }, { additionalProperties: false })),
        rows: Type.Array(
          Type.Object(
            {
              name: Type.String(),
              path: Type.String(),
              cells: Type.Array(Type.Object({ text: Type.String(), band: Type.Union([Type.Literal('high'), Type.Literal('mid'), Type.Literal('low'), Type.Literal('none')]) }, { additionalProperties: false })),
            },
            { additionalProperties: false },
          ),
        ),
      },
      { additionalProperties: false },
    ),
    trend: Type.Array(Type.Object({ date: Type.String(), levelName: Type.String(), total: Type.String(), current: Type.Boolean() }, { additionalProperties: false })),
  },
  {
    additionalProperties: false,
    $id: 'https://ladder.dev/schema/report-model.schema.json',
    title: 'Ladder report data model',
    description: 'What a report template (templates/<name>/report.hbs) receives: the engine\'s result view (result) and what a report adds, built by server/report/model.ts.',
  },
);
