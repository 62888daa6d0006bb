// The result view (engine/resultView.ts) declared once: its TypeScript types and the JSON Schema the
// API's /result answer and the report's data model are held to come from this declaration.
import { Type, type Static, type TSchema } from '@sinclair/typebox';

const doc = (description: string) => ({ description });

export const ShownScore = Type.Object(
  { value: Type.Number(), text: Type.String(doc('As shown, with the ruleset\'s decimals; never on the other side of a threshold or band edge from `value`')) },
  { additionalProperties: false },
);

export const ViewNode: TSchema = Type.Recursive(
  (This) =>
    Type.Object(
      { id: Type.String(), layer: Type.String(), name: Type.String(), score: Type.Union([ShownScore, Type.Null()]), children: Type.Array(This) },
      { additionalProperties: false },
    ),
  { $id: 'ViewNode' },
);

export const ViewLevel = Type.Object(
  {
    level: Type.Integer(),
    code: Type.String(),
    name: Type.String(),
    threshold: ShownScore,
    assessed: Type.Boolean(),
    score: Type.Union([ShownScore, Type.Null()]),
    reached: Type.Union([Type.Boolean(), Type.Null()]),
    outcome: Type.Union([Type.Literal('reached'), Type.Literal('notReached'), Type.Literal('notAssessed')]),
    outcomeText: Type.String(),
  },
  { additionalProperties: false },
);

export const ViewLeaf = Type.Object(
  { id: Type.String(), name: Type.String(), path: Type.Array(Type.String(), doc('The names above it, top first')), score: ShownScore },
  { additionalProperties: false },
);

export const ViewTrace = Type.Object({ level: Type.Integer(), formula: Type.String(), nodes: Type.Array(Type.Unknown()) }, { additionalProperties: false });

export const LocalTime = Type.Object(
  { iso: Type.String(), date: Type.String(doc('YYYY-MM-DD in the ruleset\'s time zone')), dateTime: Type.String(doc('YYYY-MM-DD HH:mm in the ruleset\'s time zone')) },
  { additionalProperties: false },
);

const Named = Type.Object({ id: Type.String(), name: Type.String() }, { additionalProperties: false });

export const ResultViewSchema = Type.Object(
  {
    ruleset: Type.Object({ id: Type.String(), version: Type.String(), title: Type.String() }, { additionalProperties: false }),
    layers: Type.Array(Named, doc('The model\'s layers, top first: what the ruleset calls the levels of its tree')),
    level: Type.Integer(),
    levelName: Type.String(doc('The one name of the level (a level\'s name; below the first level, its band\'s label)')),
    total: ShownScore,
    totalRule: Type.Object({ id: Type.Union([Type.Literal('gatedSum'), Type.Literal('passedPlusNext')]), text: Type.String() }, { additionalProperties: false }),
    band: Type.Union([Type.Object({ level: Type.Integer(), label: Type.String(), range: Type.String() }, { additionalProperties: false }), Type.Null()]),
    bands: Type.Array(Type.Object({ level: Type.Integer(), label: Type.String(), range: Type.String(), current: Type.Boolean() }, { additionalProperties: false })),
    consistent: Type.Boolean(doc('Whether the band of S and the consecutive rule agree')),
    levels: Type.Array(ViewLevel),
    profile: Type.Union([
      Type.Object(
        {
          level: Type.Integer(),
          name: Type.String(),
          basis: Type.Union([Type.Literal('firstNotReached'), Type.Literal('highestReached')]),
          layer: Named,
          groups: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), score: ShownScore }, { additionalProperties: false })),
        },
        { additionalProperties: false, ...doc('What the radar, strengths, weaknesses and the dashboard\'s averages describe') },
      ),
      Type.Null(),
    ]),
    trees: Type.Array(Type.Object({ level: Type.Integer(), name: Type.String(), nodes: Type.Array(ViewNode) }, { additionalProperties: false }), doc('The model tree with its scores at each assessed level, the profile\'s first')),
    strengths: Type.Array(ViewLeaf),
    weaknesses: Type.Array(ViewLeaf),
    gap: Type.Union([
      Type.Object(
        {
          targetLevel: Type.Integer(),
          targetName: Type.String(),
          score: ShownScore,
          threshold: ShownScore,
          shortfall: ShownScore,
          reachable: Type.Boolean(),
          weakSubDomains: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), score: ShownScore }, { additionalProperties: false })),
          changes: Type.Array(
            Type.Object({ questionId: Type.String(), number: Type.String(), text: Type.String(), from: Type.String(), to: Type.String(), gain: ShownScore }, { additionalProperties: false }),
          ),
        },
        { additionalProperties: false },
      ),
      Type.Null(),
    ]),
    policies: Type.Array(
      Type.Object(
        {
          id: Type.String(),
          kind: Type.Union([Type.Literal('award'), Type.Literal('requirement'), Type.Literal('notice')]),
          name: Type.String(),
          text: Type.String(),
          amount: Type.Optional(
            Type.Object({ value: Type.Number(), max: Type.Optional(Type.Number()), unit: Type.String(), text: Type.String(doc('The amount as shown: 200 万元, 50–100 万元')) }, { additionalProperties: false }),
          ),
          source: Type.Optional(Type.String()),
          status: Type.Union([Type.Literal('applies'), Type.Literal('mayApply')], doc('mayApply: the result qualifies, but a prerequisite (e.g. a certificate) is not met: never shown as granted')),
          statusText: Type.String(doc('The status in words, e.g. 可申请（需取得标准符合性证书）; empty for a notice that simply applies')),
          requirements: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), met: Type.Boolean() }, { additionalProperties: false })),
        },
        { additionalProperties: false },
      ),
    ),
    indicators: Type.Array(Type.Object({ id: Type.String(), label: Type.String(), unit: Type.String(), value: Type.Union([Type.Number(), Type.Null()]), formula: Type.String() }, { additionalProperties: false })),
    indicatorsTitle: Type.String(),
    excluded: Type.Array(Named),
    finishedAt: Type.Union([LocalTime, Type.Null()]),
    method: Type.Object(
      {
        scale: Type.Array(Type.Object({ score: Type.Number(), label: Type.String() }, { additionalProperties: false })),
        thresholds: Type.Array(Type.Object({ name: Type.String(), threshold: ShownScore }, { additionalProperties: false })),
        totalRule: Type.String(),
        levelBy: Type.String(),
        tailored: Type.String(doc('How tailored-out parts count, in words')),
        notApplicable: Type.String(doc('How not-applicable answers count, in words')),
        layers: Type.Array(Type.Object({ name: Type.String(), aggregation: Type.String() }, { additionalProperties: false })),
        weightSet: Type.Optional(Type.Object({ name: Type.String(), placeholder: Type.Boolean(), note: Type.String() }, { additionalProperties: false })),
      },
      { additionalProperties: false },
    ),
    disclaimer: Type.String(doc('What the result is not, as the ruleset words it (e.g. not a formal assessment, no certificate); empty when it says nothing')),
    trace: Type.Optional(Type.Array(ViewTrace)),
  },
  { additionalProperties: false, $id: 'https://ladder.dev/schema/result-view.schema.json', title: 'Ladder result view' },
);

export type ShownScore = Static<typeof ShownScore>;
export interface ViewNode {
  id: string;
  layer: string;
  name: string;
  score: ShownScore | null;
  children: ViewNode[];
}
export type ViewLevel = Static<typeof ViewLevel>;
export type ViewLeaf = Static<typeof ViewLeaf>;
export type ViewTrace = Static<typeof ViewTrace> & { nodes: import('../scoring.ts').NodeTrace[] };
export type ResultView = Omit<Static<typeof ResultViewSchema>, 'trees' | 'trace'> & {
  trees: { level: number; name: string; nodes: ViewNode[] }[];
  trace?: ViewTrace[];
};
