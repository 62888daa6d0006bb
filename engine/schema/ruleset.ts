// The ruleset format, declared once: TypeBox gives both the TypeScript types the engine,
// designer and runtime share and the JSON Schema that rulesets/schema/ruleset.schema.json holds.
import { Type, type Static, type TSchema } from '@sinclair/typebox';

const doc = (description: string) => ({ description });

// Ids are keys of plain objects all through the engine (scores by node, answers by question):
// the names JavaScript objects already carry are refused, so no id can reach an object's prototype.
export const Id = Type.String({ pattern: '^(?!(?:__proto__|constructor|prototype)$)[A-Za-z0-9_.-]+$', minLength: 1, maxLength: 80, ...doc('Identifier: letters, digits, _ . - (not __proto__, constructor or prototype)') });

/** Text in zh-CN (primary) and en. A missing `en` is valid but reported by lint. */
export const I18n = Type.Object(
  { zh: Type.String({ minLength: 1 }), en: Type.Optional(Type.String()) },
  { additionalProperties: false, ...doc('Text in Chinese (zh, required) and English (en)') },
);

/** A reference to a schema kept in the root's $defs, typed as the schema it points to. */
const ref = <T extends TSchema>(schema: T) => Type.Unsafe<Static<T>>(Type.Ref(schema.$id!));

// ---------------------------------------------------------------- json-rules-engine conditions
const ConditionLeaf = Type.Object(
  {
    fact: Type.String({ minLength: 1 }),
    operator: Type.String({ minLength: 1 }),
    value: Type.Unknown(),
    path: Type.Optional(Type.String()),
    params: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    priority: Type.Optional(Type.Number()),
    name: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

export const Condition = Type.Recursive(
  (This) =>
    Type.Union([
      Type.Object({ all: Type.Array(This), name: Type.Optional(Type.String()), priority: Type.Optional(Type.Number()) }, { additionalProperties: false }),
      Type.Object({ any: Type.Array(This), name: Type.Optional(Type.String()), priority: Type.Optional(Type.Number()) }, { additionalProperties: false }),
      Type.Object({ not: This, name: Type.Optional(Type.String()), priority: Type.Optional(Type.Number()) }, { additionalProperties: false }),
      Type.Object({ condition: Type.String(), name: Type.Optional(Type.String()), priority: Type.Optional(Type.Number()) }, { additionalProperties: false }),
      ConditionLeaf,
    ]),
  { $id: 'Condition', ...doc('A json-rules-engine condition (all / any / not / condition reference / fact-operator-value)') },
);
const ConditionRef = ref(Condition);

// ---------------------------------------------------------------- model tree
export const ModelNode = Type.Recursive(
  (This) =>
    Type.Object(
      {
        id: Id,
        name: I18n,
        description: Type.Optional(I18n),
        mandatory: Type.Optional(Type.Boolean(doc('The standard requires this node; it can never be tailored out'))),
        tailorable: Type.Optional(Type.Boolean(doc('An enterprise may exclude this node before answering'))),
        children: Type.Optional(Type.Array(This, doc('Child nodes; a node without children is a leaf (sub-domain) that questions attach to'))),
      },
      { additionalProperties: false },
    ),
  { $id: 'ModelNode' },
);

export const Layer = Type.Object(
  { id: Id, name: I18n },
  { additionalProperties: false, ...doc('One layer of the model tree, top first (e.g. element, domain, subDomain); a node\'s layer is its depth') },
);

export const ProvenanceSource = Type.Union([Type.Literal('platform'), Type.Literal('standard'), Type.Literal('uncertain')], {
  ...doc('platform: the questions were seen on the national platform; standard: a paraphrase of the standard\'s requirements; uncertain: whether the standard has requirements here at all is not settled'),
});

export const CellProvenance = Type.Object(
  { source: ProvenanceSource, note: Type.Optional(I18n) },
  { additionalProperties: false, ...doc('Where the questions of one (sub-domain, level) cell come from') },
);

export const Level = Type.Object(
  {
    number: Type.Integer({ minimum: 1, maximum: 20 }),
    code: Type.String({ minLength: 1 }),
    name: I18n,
    /** How a result at this level is told, e.g. 二级（规范级）; the name when absent. */
    title: Type.Optional(I18n),
    description: Type.Optional(I18n),
    threshold: Type.Number({ minimum: 0, maximum: 1, ...doc('Level score X_n at or above which the level is reached') }),
    subDomains: Type.Array(Id, doc('Leaves that carry requirements (questions) at this level')),
    provenance: Type.Optional(Type.Record(Id, CellProvenance, doc('Leaf id → where the questions of that cell at this level come from'))),
  },
  { additionalProperties: false },
);

export const IndustryType = Type.Object({ id: Id, name: I18n }, { additionalProperties: false });

// ---------------------------------------------------------------- questions
export const NOT_APPLICABLE = 'N/A';

export const Option = Type.Object(
  {
    id: Type.String({ pattern: '^[A-Za-z0-9_-]+$', minLength: 1, maxLength: 20 }),
    label: I18n,
    score: Type.Optional(Type.Number({ minimum: 0, maximum: 1, ...doc('Score of this option in [0, 1]; lint reports a scored option without one') })),
  },
  { additionalProperties: false },
);

export const ScoreBand = Type.Object(
  { min: Type.Number(), max: Type.Optional(Type.Number()), score: Type.Number({ minimum: 0, maximum: 1 }) },
  { additionalProperties: false, ...doc('For number questions: a value in [min, max) scores `score`') },
);

export const QuestionKind = Type.Union([Type.Literal('single'), Type.Literal('multiple'), Type.Literal('number'), Type.Literal('text')]);

export const Question = Type.Object(
  {
    id: Id,
    number: Type.String({ minLength: 1, ...doc('Displayed number, e.g. 1.1.1') }),
    subDomain: Id,
    level: Type.Integer({ minimum: 1 }),
    kind: QuestionKind,
    text: I18n,
    explanation: Type.Optional(I18n),
    options: Type.Optional(Type.Array(Option)),
    notApplicable: Type.Optional(Type.Boolean(doc('Offer "企业不涉及此题目" (not applicable)'))),
    weight: Type.Optional(Type.Number({ exclusiveMinimum: 0, ...doc('Relative weight inside its sub-domain when questions aggregate by weight') })),
    industryTypes: Type.Optional(Type.Array(Id, doc('Industry types the question applies to; all when absent'))),
    aggregate: Type.Optional(Type.Union([Type.Literal('sum'), Type.Literal('max')], doc('multiple: how chosen option scores combine (sum is capped at 1)'))),
    min: Type.Optional(Type.Number()),
    max: Type.Optional(Type.Number()),
    unit: Type.Optional(I18n),
    scoreBands: Type.Optional(Type.Array(ScoreBand)),
    scored: Type.Optional(Type.Boolean(doc('false: informational, not scored (text questions are never scored)'))),
  },
  { additionalProperties: false },
);

// ---------------------------------------------------------------- scoring
export const Aggregation = Type.Union([Type.Literal('weighted'), Type.Literal('mean')]);
export const ExcludedHandling = Type.Union([Type.Literal('renormalize'), Type.Literal('zero'), Type.Literal('full')], doc('renormalize: drop the item and rescale its siblings; zero / full: count it as 0 / 1'));

export const WeightTable = Type.Record(Id, Type.Number({ minimum: 0 }), doc('Node id → weight among its siblings'));

export const WeightSet = Type.Object(
  {
    id: Id,
    name: I18n,
    industryType: Id,
    placeholder: Type.Optional(Type.Boolean(doc('The weights are not the official table'))),
    note: Type.Optional(I18n),
    weights: WeightTable,
    levelWeights: Type.Optional(Type.Record(Type.String({ pattern: '^[0-9]+$' }), WeightTable, doc('Per level number: overrides for sibling groups'))),
  },
  { additionalProperties: false },
);

export const AdjustableWeights = Type.Object(
  {
    layers: Type.Array(Id, { minItems: 1, ...doc('The model layers (ids) whose weights an assessment may set for one enterprise, e.g. ["domain"]') }),
    maxChange: Type.Number({ exclusiveMinimum: 0, maximum: 1, ...doc('How far each weight may move from the weight set\'s value, in absolute terms: 0.05 lets 0.20 become anything from 0.15 to 0.25') }),
    note: Type.Optional(I18n),
  },
  { additionalProperties: false, ...doc('Per-diagnosis weights (GB/T 39117: the assessment team sets each domain\'s weight for the enterprise), within bounds; a diagnosis gives whole sibling groups, each summing to 1') },
);

export const Band = Type.Object(
  { min: Type.Number(), max: Type.Number(), level: Type.Integer({ minimum: 0 }), label: I18n, inclusiveMax: Type.Optional(Type.Boolean()) },
  { additionalProperties: false, ...doc('Total score S in [min, max) (or [min, max] when inclusiveMax) → band level') },
);

export const TotalRule = Type.Union(
  [Type.Literal('gatedSum'), Type.Literal('passedPlusNext')],
  doc('gatedSum: S = X1 + X2 + … up to and including the first level not reached; passedPlusNext: S = k + X(k+1) with k consecutive levels reached'),
);

export const Scoring = Type.Object(
  {
    scale: Type.Array(Type.Object({ score: Type.Number({ minimum: 0, maximum: 1 }), label: I18n }, { additionalProperties: false }), doc('The option scale (e.g. 全部满足 1 / 大部分满足 0.8 / 部分满足 0.5 / 不满足 0)')),
    aggregation: Type.Object(
      {
        level: Aggregation,
        layers: Type.Record(Id, Aggregation, doc('Layer id → how a node of that layer combines its children (the leaf layer combines its questions)')),
      },
      { additionalProperties: false },
    ),
    weightSets: Type.Array(WeightSet),
    defaultWeightSet: Id,
    adjustableWeights: Type.Optional(AdjustableWeights),
    excluded: Type.Object({ tailored: ExcludedHandling, notApplicable: ExcludedHandling }, { additionalProperties: false }),
    unanswered: Type.Union([Type.Literal('zero'), Type.Literal('exclude')], doc('How an unanswered question of an assessed level counts')),
    total: Type.Object({ rule: TotalRule, decimals: Type.Optional(Type.Integer({ minimum: 0, maximum: 6 })) }, { additionalProperties: false }),
    levelBy: Type.Union([Type.Literal('consecutive'), Type.Literal('band')], doc('consecutive: the highest level reached with all lower ones reached; band: the band of S')),
    bands: Type.Array(Band),
  },
  { additionalProperties: false },
);

// ---------------------------------------------------------------- flow
export const FlowAction = Type.Union([Type.Literal('nextLevel'), Type.Literal('indicators'), Type.Literal('finish')]);

export const IndicatorField = Type.Object(
  {
    id: Id,
    label: I18n,
    help: Type.Optional(I18n),
    unit: Type.Optional(I18n),
    valueRequired: Type.Boolean(),
    formulaRequired: Type.Boolean(),
  },
  { additionalProperties: false },
);

export const Flow = Type.Object(
  {
    startLevel: Type.Integer({ minimum: 1 }),
    onReached: Type.Object({ action: FlowAction, delaySeconds: Type.Optional(Type.Number({ minimum: 0 })) }, { additionalProperties: false }),
    onNotReached: Type.Object({ action: FlowAction }, { additionalProperties: false }),
    afterLastLevel: Type.Object({ action: FlowAction }, { additionalProperties: false }),
    requireAllAnswered: Type.Boolean(doc('A level can be submitted only when every applicable question is answered')),
    tailoringLocked: Type.Boolean(doc('The tailoring choice cannot change once answering starts')),
    indicators: Type.Object(
      {
        title: I18n,
        note: Type.Optional(I18n),
        notApplicableValue: Type.Number(doc('The value entered when an indicator does not apply (e.g. 0)')),
        notApplicableFormula: Type.String(doc('The formula entered when an indicator does not apply (e.g. 无)')),
        fields: Type.Array(IndicatorField),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

// ---------------------------------------------------------------- rules
export const TailoringRule = Type.Object(
  {
    id: Id,
    name: I18n,
    conditions: ConditionRef,
    effect: Type.Union([Type.Literal('allowExclude'), Type.Literal('forbidExclude')]),
    nodes: Type.Array(Id),
    message: Type.Optional(I18n),
  },
  { additionalProperties: false, ...doc('When the conditions hold (facts: industryType, enterpriseType, industry, regionPath), the nodes become excludable or not') },
);

export const LimitRule = Type.Object(
  {
    id: Id,
    name: I18n,
    severity: Type.Union([Type.Literal('blocking'), Type.Literal('advisory'), Type.Literal('reminder')]),
    conditions: ConditionRef,
    message: I18n,
  },
  {
    additionalProperties: false,
    ...doc(
      'Refuses (blocking) or warns (advisory) when the conditions hold before a new diagnosis; a reminder shows on the enterprise\'s home page while they hold (e.g. 6 months since the last one). In a blocking message {date} and {dateTime} become the moment a new diagnosis is possible again. Facts: diagnosesInWindow {unit, count, mode, which}, daysSinceLast {which}, monthsSinceLast {which}, plus the enterprise facts',
    ),
  },
);

export const PolicyRule = Type.Object(
  {
    id: Id,
    name: I18n,
    kind: Type.Union([Type.Literal('award'), Type.Literal('requirement'), Type.Literal('notice')]),
    text: I18n,
    amount: Type.Optional(
      Type.Object(
        { value: Type.Number({ minimum: 0 }), max: Type.Optional(Type.Number({ minimum: 0, ...doc('Upper end when the policy gives a range (50–100 万元)') })), unit: I18n },
        { additionalProperties: false },
      ),
    ),
    source: Type.Optional(I18n),
    requires: Type.Optional(Type.Array(Id, doc('Prerequisites (rules.prerequisites ids) the enterprise must also meet, e.g. a certificate from a formal assessment: until they are met the result shows the policy as one it may apply for, never as granted'))),
    conditions: ConditionRef,
  },
  { additionalProperties: false, ...doc('Applies to a result when the conditions hold. Facts: level, score, bandLevel, regionPath, industry, industryType, enterpriseType, sizeBand, revenue, aboveScale, benchmark') },
);

export const Prerequisite = Type.Object(
  {
    id: Id,
    name: I18n,
    conditions: Type.Optional(ConditionRef),
  },
  {
    additionalProperties: false,
    ...doc('Something a policy may require beyond the result, e.g. 取得标准符合性证书: met when its conditions hold over the policy facts; one without conditions is never met by a self-diagnosis (a formal assessment meets it)'),
  },
);

export const Rules = Type.Object(
  {
    tailoring: Type.Array(TailoringRule),
    limits: Type.Array(LimitRule),
    policies: Type.Array(PolicyRule),
    prerequisites: Type.Optional(Type.Array(Prerequisite)),
  },
  { additionalProperties: false },
);

export const Counting = Type.Object(
  {
    result: Type.Union([Type.Literal('last'), Type.Literal('best')], doc('Which finished diagnosis counts as the enterprise\'s result')),
    utcOffsetMinutes: Type.Integer({ minimum: -720, maximum: 840, ...doc('Time zone of calendar windows (months, years) in limits, e.g. 480 for UTC+8') }),
    discarded: Type.Optional(
      Type.Union([Type.Literal('count'), Type.Literal('ignore')], doc('Whether a diagnosis discarded before anything was answered still counts toward the limits (default count)')),
    ),
  },
  { additionalProperties: false },
);

export const Presentation = Type.Object(
  {
    profile: Type.Optional(
      Type.Union([Type.Literal('firstNotReached'), Type.Literal('highestReached')], {
        ...doc('Which level a result\'s profile (radar, strengths, weaknesses, dashboard averages) describes: the first level not reached, where the enterprise has work to do (the highest reached when all are), or the highest reached. Default firstNotReached'),
      }),
    ),
    groupBy: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_.-]+$', ...doc('The model layer (its id) the radar and the dashboard\'s averages group by, e.g. "domain"; default the layer above the leaves') })),
    decimals: Type.Optional(Type.Integer({ minimum: 0, maximum: 4, ...doc('Decimals scores are shown with (default 2); a shown score never crosses the threshold or band edge its value is on the other side of') })),
    shareLevels: Type.Optional(Type.Array(Type.Integer({ minimum: 1 }), { ...doc('Levels whose share (enterprises at that level or above) dashboards show besides those a region set targets for; default none') })),
  },
  { additionalProperties: false, ...doc('How results are told: the same everywhere (result page, report, dashboard, command line)') },
);

export const Report = Type.Object(
  {
    template: Id,
    sections: Type.Array(Id),
    title: Type.Optional(I18n),
    disclaimer: Type.Optional(I18n),
  },
  {
    additionalProperties: false,
    ...doc('The report: its template and sections; its title (the ruleset\'s when absent); a disclaimer the report and the result page show, e.g. that a self-diagnosis is not a formal assessment and carries no certificate'),
  },
);

// ---------------------------------------------------------------- formal assessment (GB/T 39117's five steps)
export const ApplicationFieldKind = Type.Union([Type.Literal('text'), Type.Literal('number'), Type.Literal('date'), Type.Literal('choice'), Type.Literal('people')], {
  ...doc('text, number, date (YYYY-MM-DD), choice (one of options) or people (a list of persons with a certificate number each, e.g. staff trained and examined); as a fact a people field is the number of persons listed'),
});

export const ApplicationField = Type.Object(
  {
    id: Id,
    label: I18n,
    help: Type.Optional(I18n),
    kind: ApplicationFieldKind,
    required: Type.Optional(Type.Boolean()),
    options: Type.Optional(Type.Array(Type.Object({ id: Id, label: I18n }, { additionalProperties: false }), doc('The choices of a choice field'))),
    min: Type.Optional(Type.Number(doc('Least value of a number field, or persons of a people field'))),
    max: Type.Optional(Type.Number(doc('Greatest value of a number field, or persons of a people field'))),
    maxLength: Type.Optional(Type.Integer({ minimum: 1, ...doc('Longest text') })),
  },
  { additionalProperties: false, ...doc('A field of the application form; its value is also a fact (by its id) the application rules can test') },
);

export const ApplicationRule = Type.Object(
  {
    id: Id,
    name: I18n,
    conditions: ConditionRef,
    message: I18n,
  },
  {
    additionalProperties: false,
    ...doc('Refuses an application while its conditions hold, with its message, e.g. a level-3 application with fewer than one trained person. Facts: targetLevel, selfDiagnosisLevel (the counted self-diagnosis; 0 when none), selfDiagnosisScore, each application field by its id, and the enterprise facts'),
  },
);

export const Assessment = Type.Object(
  {
    title: I18n,
    targetLevels: Type.Array(Type.Integer({ minimum: 1 }), { minItems: 1, ...doc('The levels an enterprise may apply to be assessed at') }),
    application: Type.Object(
      {
        fields: Type.Array(ApplicationField),
        rules: Type.Array(ApplicationRule),
      },
      { additionalProperties: false, ...doc('Step 1: the application an enterprise sends an assessment body') },
    ),
    team: Type.Object(
      {
        minAssessors: Type.Integer({ minimum: 1, ...doc('Assessors on a team, the chief assessor (主任评估师) included') }),
        scoredBy: Type.Integer({ minimum: 1, ...doc('Assessors who score each requirement') }),
      },
      { additionalProperties: false },
    ),
    evidence: Type.Object(
      {
        maxBytes: Type.Integer({ minimum: 1, ...doc('Largest evidence file') }),
        types: Type.Array(Type.String({ pattern: '^[a-z0-9]+$' }), { minItems: 1, ...doc('File types accepted, by extension: pdf, docx, xlsx, jpg, png…') }),
        maxFiles: Type.Integer({ minimum: 1, ...doc('Files per requirement') }),
      },
      { additionalProperties: false, ...doc('Step 3: what the enterprise uploads for each requirement') },
    ),
    expertReview: Type.Boolean(doc('Step 4: whether an expert committee (专家委员会) reviews a result before a certificate is issued')),
    certificate: Type.Object(
      {
        title: I18n,
        numberPrefix: Type.String({ pattern: '^[A-Z0-9-]{1,20}$', ...doc('Certificate numbers are PREFIX-YEAR-SEQUENCE, e.g. CMMM-2026-00017') }),
        validityMonths: Type.Integer({ minimum: 1, maximum: 120 }),
        template: Id,
        note: Type.Optional(I18n),
      },
      { additionalProperties: false },
    ),
    note: Type.Optional(I18n),
  },
  {
    additionalProperties: false,
    ...doc('The formal assessment scheme: application, team, evidence, review and certificate. Requirements are the questions of the levels up to the target, scored on the scoring scale; weights may move within scoring.adjustableWeights'),
  },
);

// ---------------------------------------------------------------- stored test cases
export const AnswerValue = Type.Union([Type.String(), Type.Array(Type.String()), Type.Number()], doc(`An option id, option ids (multiple), a number, text, or "${NOT_APPLICABLE}"`));

export const RulesetTest = Type.Object(
  {
    id: Id,
    name: I18n,
    industryType: Id,
    excluded: Type.Optional(Type.Array(Id)),
    fill: Type.Optional(Type.Record(Type.String({ pattern: '^[0-9]+$' }), Type.String(), doc('Level number → the option id given to every question of that level'))),
    answers: Type.Optional(Type.Record(Id, AnswerValue)),
    expect: Type.Object(
      {
        level: Type.Optional(Type.Integer({ minimum: 0 })),
        score: Type.Optional(Type.Number()),
        reached: Type.Optional(Type.Array(Type.Integer())),
        tolerance: Type.Optional(Type.Number({ minimum: 0 })),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

// ---------------------------------------------------------------- the ruleset
export const SEMVER = '^(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)(-[0-9A-Za-z.-]+)?$';

export const Ruleset = Type.Object(
  {
    $schema: Type.Optional(Type.String()),
    id: Id,
    version: Type.String({ pattern: SEMVER, ...doc('Semantic version') }),
    status: Type.Union([Type.Literal('draft'), Type.Literal('published')]),
    title: I18n,
    description: I18n,
    extends: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_.-]+@' + SEMVER.slice(1), ...doc('Base ruleset id@version this variant was resolved from') })),
    regions: Type.Optional(Type.Array(Type.String({ pattern: '^[0-9]{6}$' }), doc('Region codes (GB/T 2260) whose enterprises get this ruleset by default, e.g. a province\'s variant'))),
    standard: Type.Optional(Type.Object({ code: Type.String(), name: I18n, note: Type.Optional(I18n) }, { additionalProperties: false })),
    model: Type.Object({ layers: Type.Array(Layer, { minItems: 1 }), nodes: Type.Array(ref(ModelNode), { minItems: 1 }) }, { additionalProperties: false }),
    levels: Type.Array(Level, { minItems: 1 }),
    industryTypes: Type.Array(IndustryType, { minItems: 1 }),
    questions: Type.Array(Question),
    scoring: Scoring,
    flow: Flow,
    rules: Rules,
    counting: Counting,
    presentation: Type.Optional(Presentation),
    report: Report,
    assessment: Type.Optional(Assessment),
    tests: Type.Optional(Type.Array(RulesetTest)),
  },
  { additionalProperties: false, $id: 'https://ladder.dev/schema/ruleset.schema.json', title: 'Ladder ruleset', $defs: { Condition, ModelNode } },
);

/** A variant as stored: identity plus only what differs from its base (see engine/variant). */
export const Overlay = Type.Object(
  {
    $schema: Type.Optional(Type.String()),
    id: Id,
    version: Type.String({ pattern: SEMVER }),
    extends: Type.String({ pattern: '^[A-Za-z0-9_.-]+@' + SEMVER.slice(1) }),
  },
  { additionalProperties: true, $id: 'https://ladder.dev/schema/overlay.schema.json', title: 'Ladder ruleset variant (overlay)' },
);

export type I18n = Static<typeof I18n>;
export type Condition = Static<typeof Condition>;
export type ModelNode = Static<typeof ModelNode>;
export type Layer = Static<typeof Layer>;
export type Level = Static<typeof Level>;
export type CellProvenance = Static<typeof CellProvenance>;
export type Option = Static<typeof Option>;
export type Question = Static<typeof Question>;
export type QuestionKind = Static<typeof QuestionKind>;
export type WeightSet = Static<typeof WeightSet>;
export type AdjustableWeights = Static<typeof AdjustableWeights>;
export type Band = Static<typeof Band>;
export type Scoring = Static<typeof Scoring>;
export type Flow = Static<typeof Flow>;
export type FlowAction = Static<typeof FlowAction>;
export type IndicatorField = Static<typeof IndicatorField>;
export type TailoringRule = Static<typeof TailoringRule>;
export type LimitRule = Static<typeof LimitRule>;
export type PolicyRule = Static<typeof PolicyRule>;
export type Prerequisite = Static<typeof Prerequisite>;
export type RulesetTest = Static<typeof RulesetTest>;
export type ApplicationField = Static<typeof ApplicationField>;
export type ApplicationRule = Static<typeof ApplicationRule>;
export type Assessment = Static<typeof Assessment>;
export type Presentation = Static<typeof Presentation>;
export type AnswerValue = Static<typeof AnswerValue>;
export type Ruleset = Static<typeof Ruleset>;
export type Overlay = Static<typeof Overlay> & Record<string, unknown>;
