// What the self-diagnosis routes answer (server/routes/diagnoses.ts), declared once: the route
// table types each handler's answer by these schemas, puts them in /api/openapi.json and, in the
// test suite, holds every answer to them. The result view has its own (engine/schema/resultView.ts).
import { Type, type Static } from '@sinclair/typebox';
import { AnswerValue, LocalTime } from '../../engine/index.ts';

const doc = (description: string) => ({ description });
const closed = { additionalProperties: false } as const;

/** The pinned ruleset, its title in the request's language. */
export const RulesetRef = Type.Object({ id: Type.String(), version: Type.String(), title: Type.String() }, closed);

/** Where a diagnosis stands (engine/progression.ts Phase). */
export const PhaseSchema = Type.Union(
  [
    Type.Object({ phase: Type.Literal('tailoring') }, closed),
    Type.Object({ phase: Type.Literal('answering'), level: Type.Integer(doc('The level being answered')) }, closed),
    Type.Object({ phase: Type.Literal('indicators') }, closed),
    Type.Object({ phase: Type.Literal('finished') }, closed),
  ],
  doc('tailoring → answering (a level) → … → indicators → finished, as the ruleset\'s flow says'),
);

export const DiagnosisStatus = Type.Union([Type.Literal('inProgress'), Type.Literal('finished'), Type.Literal('discarded')], doc('discarded: left before anything was answered'));

/** A submitted level's score beside its threshold. */
export const LevelScore = Type.Object(
  { level: Type.Integer(), score: Type.Number(doc('The level score X_n')), reached: Type.Boolean(), threshold: Type.Number() },
  closed,
);

/** One effectiveness indicator as entered (also what the indicators routes take). */
export const IndicatorValueSchema = Type.Object({ value: Type.Union([Type.Number(), Type.Null()]), formula: Type.String({ maxLength: 1000 }) }, closed);

export const DiagnosisView = Type.Object(
  {
    id: Type.String(),
    status: DiagnosisStatus,
    phase: PhaseSchema,
    excluded: Type.Array(Type.String(), doc('The nodes tailored out')),
    submitted: Type.Array(Type.Integer(), doc('The levels submitted so far, in order')),
    answers: Type.Record(Type.String(), AnswerValue, doc('Question id → answer')),
    indicators: Type.Record(Type.String(), IndicatorValueSchema, doc('Indicator id → value and formula')),
    levelResults: Type.Array(LevelScore),
    ruleset: RulesetRef,
    revision: Type.Integer(doc('Increases with every change; a save may name the revision it was made on')),
    startedAt: Type.String(doc('ISO 8601')),
    finishedAt: Type.Optional(Type.String(doc('ISO 8601; once finished'))),
    discardedAt: Type.Optional(Type.String(doc('ISO 8601; once discarded'))),
  },
  { ...closed, ...doc('A diagnosis: its phase, tailoring, answers, indicators and level results') },
);
export type DiagnosisView = Static<typeof DiagnosisView>;

export const DiagnosisList = Type.Object(
  {
    items: Type.Array(
      Type.Object(
        {
          id: Type.String(),
          status: DiagnosisStatus,
          phase: PhaseSchema,
          ruleset: RulesetRef,
          startedAt: Type.String(doc('ISO 8601')),
          started: LocalTime,
          finishedAt: Type.Optional(Type.String(doc('ISO 8601'))),
          finished: Type.Optional(LocalTime),
          level: Type.Optional(Type.Integer(doc('Once finished: the level reached (0: below the first)'))),
          levelName: Type.Optional(Type.String(doc('The one name of the level, as the result page says it'))),
          total: Type.Optional(Type.Number(doc('Once finished: the total score S'))),
          totalText: Type.Optional(Type.String(doc('S as the result page shows it'))),
          counts: Type.Boolean(doc('The diagnosis the platform counts for the enterprise (the dashboard\'s)')),
        },
        closed,
      ),
      doc('Newest first'),
    ),
  },
  closed,
);

const Outcome = Type.Object({ id: Type.String(doc('The limit rule')), message: Type.String() }, closed);

export const Eligibility = Type.Object(
  {
    allowed: Type.Boolean(),
    refusals: Type.Array(Outcome, doc('Blocking rules that refuse a new diagnosis now')),
    warnings: Type.Array(Outcome, doc('Advisory rules: a new diagnosis must acknowledge them')),
    reminders: Type.Array(Outcome, doc('Reminder rules that hold now, for the home page (e.g. six months since the last one)')),
    /** When refused: the moment a new diagnosis becomes possible, if one will. */
    nextAllowed: Type.Optional(LocalTime),
    quota: Type.Optional(
      Type.Object(
        {
          used: Type.Integer(),
          limit: Type.Integer(),
          remaining: Type.Integer(),
          text: Type.String(doc('The quota in words, in the request\'s language')),
          /** When the next counted diagnosis leaves the window. */
          freesAt: Type.Optional(LocalTime),
        },
        { ...closed, ...doc('The tightest "at most N in a window" limit that applies to the enterprise') },
      ),
    ),
    ruleset: RulesetRef,
  },
  closed,
);

export const Outline = Type.Object(
  {
    levels: Type.Array(
      Type.Object({ number: Type.Integer(), code: Type.String(), name: Type.String(), description: Type.Optional(Type.String()), threshold: Type.Number() }, closed),
      doc('Lowest first'),
    ),
    layers: Type.Array(Type.Object({ id: Type.String(), name: Type.String() }, closed), doc('The model tree\'s layers, top first')),
    tailoring: Type.Array(
      Type.Object(
        {
          id: Type.String(),
          name: Type.String(),
          parent: Type.Optional(Type.String(doc('The listed part above this one (a domain above its sub-domains): leaving it out leaves this one out too'))),
          mandatory: Type.Boolean(),
          excludable: Type.Boolean(),
          reason: Type.Optional(Type.String()),
        },
        closed,
      ),
      doc('The parts an enterprise may or may not leave out'),
    ),
    tailoringLayer: Type.Optional(Type.String(doc('What the ruleset calls the parts that may be left out (能力域…)'))),
    indicators: Type.Object(
      {
        title: Type.String(),
        note: Type.Optional(Type.String()),
        notApplicableValue: Type.Number(),
        notApplicableFormula: Type.String(),
        fields: Type.Array(
          Type.Object(
            { id: Type.String(), label: Type.String(), help: Type.Optional(Type.String()), unit: Type.Optional(Type.String()), valueRequired: Type.Boolean(), formulaRequired: Type.Boolean() },
            closed,
          ),
        ),
      },
      closed,
    ),
    flow: Type.Object(
      {
        onReachedDelaySeconds: Type.Number(doc('How long the page waits before the next level once one is reached')),
        tailoringLocked: Type.Boolean(),
        requireAllAnswered: Type.Boolean(),
      },
      closed,
    ),
  },
  closed,
);

/** One node of a level's navigation tree, its name in the request's language. */
export const NavigationNodeSchema = Type.Recursive(
  (This) =>
    Type.Object(
      {
        id: Type.String(),
        layer: Type.String(),
        name: Type.String(),
        total: Type.Integer(doc('Applicable questions at this level under the node')),
        answered: Type.Integer(),
        remaining: Type.Integer(),
        status: Type.Union([Type.Literal('notStarted'), Type.Literal('inProgress'), Type.Literal('done')]),
        children: Type.Array(This),
        questions: Type.Array(Type.Object({ id: Type.String(), number: Type.String(), answered: Type.Boolean() }, closed), doc('The node\'s own questions (a leaf\'s)')),
      },
      closed,
    ),
  { $id: 'NavigationNode' },
);
export type NavigationNodeView = Static<typeof NavigationNodeSchema>;

export const NavigationTree = Type.Array(NavigationNodeSchema, doc('The roots; nodes without applicable questions are left out'));

export const FormView = Type.Object(
  {
    schema: Type.Object(
      {
        type: Type.Literal('object'),
        title: Type.String(),
        properties: Type.Record(Type.String(), Type.Record(Type.String(), Type.Unknown()), doc('Question id → its JSON Schema')),
      },
      { ...closed, ...doc('The JSON Schema @rjsf/core renders') },
    ),
    uiSchema: Type.Record(Type.String(), Type.Unknown(), doc('@rjsf/core\'s uiSchema: ui:order, and per question its widget, help and options')),
    questionIds: Type.Array(Type.String(), doc('In order')),
  },
  closed,
);

export const SearchHits = Type.Array(
  Type.Object(
    {
      id: Type.String(),
      number: Type.String(),
      text: Type.String(),
      nodeId: Type.String(doc('The leaf the question belongs to')),
      path: Type.Array(Type.String(), doc('The names from the top down to that leaf')),
    },
    closed,
  ),
  doc('At most 50'),
);

export const Saved = Type.Object({ revision: Type.Integer(), savedAt: Type.String(doc('ISO 8601')) }, closed);

export const LevelSubmitted = Type.Object(
  {
    level: LevelScore,
    delaySeconds: Type.Optional(Type.Number(doc('When the level was reached and the next one follows: how long the page waits'))),
    diagnosis: DiagnosisView,
  },
  closed,
);

export const IndicatorsSubmitted = Type.Object({ diagnosis: DiagnosisView }, closed);
