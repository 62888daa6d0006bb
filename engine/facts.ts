// The facts each kind of rule can test, with the operators and parameters that make sense for
// them: one catalog for lint (typos), the designer's condition builder (what to offer) and the
// tests that hold it to what the engine really computes (limitFacts, policyFacts, tailoringFacts).
import type { Condition } from './schema/ruleset.ts';
import { text, type Text } from './problem.ts';

export type RuleKind = 'tailoring' | 'limits' | 'policies';
export const RULE_KINDS: readonly RuleKind[] = ['tailoring', 'limits', 'policies'];

export type FactValueType = 'number' | 'string' | 'stringList' | 'boolean';

export interface FactParam {
  name: string;
  label: Text;
  kind: 'enum' | 'integer';
  choices?: { value: string; label: Text }[];
  default: string | number;
  /** Smallest allowed value of an integer parameter. */
  min?: number;
}

export interface FactInfo {
  name: string;
  label: Text;
  help?: Text;
  valueType: FactValueType;
  /** A number fact that only takes whole values (a level, a count), so equality and lists make sense. */
  integer?: boolean;
  operators: string[];
  params?: FactParam[];
}

export interface OperatorInfo {
  name: string;
  label: Text;
  /** 'list': the condition's value is an array (in, notIn, …); 'single': one value. */
  arity: 'single' | 'list';
}

export const OPERATORS: OperatorInfo[] = [
  { name: 'equal', label: text('等于', 'equals'), arity: 'single' },
  { name: 'notEqual', label: text('不等于', 'does not equal'), arity: 'single' },
  { name: 'lessThan', label: text('小于', 'less than'), arity: 'single' },
  { name: 'lessThanInclusive', label: text('小于或等于', 'at most'), arity: 'single' },
  { name: 'greaterThan', label: text('大于', 'greater than'), arity: 'single' },
  { name: 'greaterThanInclusive', label: text('大于或等于', 'at least'), arity: 'single' },
  { name: 'in', label: text('属于其中之一', 'is one of'), arity: 'list' },
  { name: 'notIn', label: text('不属于其中任何一个', 'is none of'), arity: 'list' },
  { name: 'contains', label: text('包含', 'contains'), arity: 'single' },
  { name: 'doesNotContain', label: text('不包含', 'does not contain'), arity: 'single' },
  // json-rules-engine's decorators applied to a list fact: "in any of these regions" without an any-group of contains.
  { name: 'someFact:in', label: text('包含其中任一', 'contains any of'), arity: 'list' },
  { name: 'everyFact:notIn', label: text('不包含其中任何一个', 'contains none of'), arity: 'list' },
];

const BASE_OPERATORS = new Set(OPERATORS.filter((o) => !o.name.includes(':')).map((o) => o.name));
const DECORATORS = new Set(['someFact', 'someValue', 'everyFact', 'everyValue', 'swap', 'not']);

/** Whether json-rules-engine can run this operator (it throws "Unknown operator" on any other). */
export function isEngineOperator(name: string): boolean {
  const parts = name.split(':');
  return BASE_OPERATORS.has(parts.pop()!) && parts.every((d) => DECORATORS.has(d));
}

const COMPARE = ['lessThan', 'lessThanInclusive', 'greaterThan', 'greaterThanInclusive'];
const WHOLE_NUMBER = ['equal', 'notEqual', ...COMPARE, 'in', 'notIn'];
// Equality on a fractional value (a score, days with hours in them) is almost never what the author means.
const FRACTION = COMPARE;
const CATEGORY = ['equal', 'notEqual', 'in', 'notIn'];
const LIST = ['contains', 'doesNotContain', 'someFact:in', 'everyFact:notIn'];
const YES_NO = ['equal', 'notEqual'];

const WHICH: FactParam = {
  name: 'which',
  label: text('计时依据', 'Counted from'),
  kind: 'enum',
  choices: [
    { value: 'started', label: text('开始时间', 'start') },
    { value: 'finished', label: text('完成时间', 'finish') },
  ],
  default: 'started',
};

const NO_HISTORY = text('企业此前没有诊断时，此条件不成立。', 'When the enterprise has no earlier diagnosis the condition does not hold.');

/** What every kind of rule knows about the enterprise (EnterpriseFacts). */
const ENTERPRISE: FactInfo[] = [
  {
    name: 'industryType',
    label: text('行业类型', 'Industry type'),
    help: text('规则集定义的行业类型之一，如离散型、流程型。', "One of the ruleset's industry types, e.g. discrete or process."),
    valueType: 'string',
    operators: CATEGORY,
  },
  { name: 'enterpriseType', label: text('企业类型', 'Enterprise type'), help: text('企业注册时选择的企业类型。', 'The enterprise type chosen at registration.'), valueType: 'string', operators: CATEGORY },
  {
    name: 'industry',
    label: text('国民经济行业代码', 'Industry code'),
    help: text('GB/T 4754-2017 行业代码，如 C35。', 'GB/T 4754-2017 industry code, e.g. C35.'),
    valueType: 'string',
    operators: CATEGORY,
  },
  {
    name: 'regionPath',
    label: text('所在地区', 'Region'),
    help: text(
      '从省到区县的行政区划代码（GB/T 2260），如 ["520000", "520100"]；用"包含"判断企业是否位于某地区。',
      'Region codes (GB/T 2260) from the province down, e.g. ["520000", "520100"]; use "contains" to test whether the enterprise is in a region.',
    ),
    valueType: 'stringList',
    operators: LIST,
  },
  { name: 'sizeBand', label: text('企业规模', 'Size band'), help: text('企业注册时选择的规模（人数）。', 'The size band (head count) chosen at registration.'), valueType: 'string', operators: CATEGORY },
  {
    name: 'revenue',
    label: text('年销售收入（万元）', 'Annual sales revenue (10,000 yuan)'),
    help: text('企业注册时填写的年销售收入，单位万元。', 'The annual sales revenue given at registration, in units of 10,000 yuan.'),
    valueType: 'number',
    operators: FRACTION,
  },
  {
    name: 'aboveScale',
    label: text('规模以上工业企业（规上）', 'Above designated size (规上)'),
    help: text('由平台按注册的年销售收入判定（平台参考数据中的规上标准）。', "Decided by the platform from the registered annual revenue (the threshold in the platform's reference data)."),
    valueType: 'boolean',
    operators: YES_NO,
  },
  {
    name: 'benchmark',
    label: text('标杆企业', 'Benchmark enterprise'),
    help: text('企业所在地区（省、市或区县）的管理员是否将其选为标杆企业（树标杆）。', "Whether an administrator of the enterprise's region (province, city or district) has picked it as a benchmark enterprise."),
    valueType: 'boolean',
    operators: YES_NO,
  },
];

export const FACTS: Record<RuleKind, FactInfo[]> = {
  tailoring: ENTERPRISE,
  limits: [
    {
      name: 'diagnosesInWindow',
      label: text('时间窗口内的诊断次数', 'Diagnoses in a time window'),
      help: text(
        '截至此刻的窗口内已开始（或已完成）的诊断数。滚动窗口向前数若干个单位；日历窗口从本日/本月/本年开始，再向前数（数量 − 1）个单位，按规则集的时区计算。',
        'Diagnoses started (or finished) in the window ending now. A rolling window goes back the given number of units; a calendar window starts at the beginning of the current day/month/year and goes back (count − 1) more, in the ruleset\'s time zone.',
      ),
      valueType: 'number',
      integer: true,
      operators: WHOLE_NUMBER,
      params: [
        {
          name: 'unit',
          label: text('单位', 'Unit'),
          kind: 'enum',
          choices: [
            { value: 'day', label: text('日', 'day') },
            { value: 'month', label: text('月', 'month') },
            { value: 'year', label: text('年', 'year') },
          ],
          default: 'month',
        },
        { name: 'count', label: text('数量', 'Count'), kind: 'integer', default: 1, min: 1 },
        {
          name: 'mode',
          label: text('窗口类型', 'Window'),
          kind: 'enum',
          choices: [
            { value: 'rolling', label: text('滚动', 'rolling') },
            { value: 'calendar', label: text('日历', 'calendar') },
          ],
          default: 'rolling',
        },
        WHICH,
      ],
    },
    {
      name: 'daysSinceLast',
      label: text('距上次诊断的天数', 'Days since the last diagnosis'),
      help: text(`含小数（不足一天的部分）。${NO_HISTORY.zh}`, `Includes fractions of a day. ${NO_HISTORY.en}`),
      valueType: 'number',
      operators: FRACTION,
      params: [WHICH],
    },
    {
      name: 'monthsSinceLast',
      label: text('距上次诊断的整月数', 'Whole months since the last diagnosis'),
      help: text(`按日历月计，1 月 15 日到 7 月 14 日为 5 个月。${NO_HISTORY.zh}`, `Calendar months: 15 January to 14 July is 5. ${NO_HISTORY.en}`),
      valueType: 'number',
      integer: true,
      operators: WHOLE_NUMBER,
      params: [WHICH],
    },
    ...ENTERPRISE,
  ],
  policies: [
    {
      name: 'level',
      label: text('成熟度等级', 'Maturity level'),
      help: text('诊断结果的等级（按规则集的定级方式），0 表示未达到 1 级。', "The result's level (by the ruleset's levelBy); 0 when level 1 is not reached."),
      valueType: 'number',
      integer: true,
      operators: WHOLE_NUMBER,
    },
    { name: 'score', label: text('总分', 'Total score'), help: text('成熟度总分 S。', 'The total maturity score S.'), valueType: 'number', operators: FRACTION },
    {
      name: 'bandLevel',
      label: text('分数段等级', 'Band level'),
      help: text('总分所在分数段对应的等级。', 'The level of the score band that S falls in.'),
      valueType: 'number',
      integer: true,
      operators: WHOLE_NUMBER,
    },
    ...ENTERPRISE,
  ],
};

export const factInfo = (kind: RuleKind, name: string): FactInfo | undefined => FACTS[kind].find((f) => f.name === name);
export const operatorInfo = (name: string): OperatorInfo | undefined => OPERATORS.find((o) => o.name === name);

/** The parameters a new condition on this fact starts with; undefined for a fact without any. */
export function defaultParams(fact: FactInfo): Record<string, string | number> | undefined {
  return fact.params ? Object.fromEntries(fact.params.map((p) => [p.name, p.default])) : undefined;
}

/** A value of the right shape for a new condition: a list for list operators, else 0 or "". */
export function defaultValue(fact: FactInfo, operator: string): unknown {
  if (operatorInfo(operator)?.arity === 'list') return [];
  return fact.valueType === 'number' ? 0 : fact.valueType === 'boolean' ? true : '';
}

/** A fact-operator-value condition, as opposed to a group or a reference to a named condition. */
export interface ConditionLeaf {
  fact: string;
  operator: string;
  value: unknown;
  path?: string;
  params?: Record<string, unknown>;
  priority?: number;
  name?: string;
}

export const isLeaf = (c: Condition): c is Condition & ConditionLeaf => typeof (c as { fact?: unknown }).fact === 'string';

/** Every fact-operator-value condition inside c, depth first, with its JSON pointer below c. */
export function conditionLeaves(c: Condition, pointer = ''): { leaf: ConditionLeaf; pointer: string }[] {
  if (isLeaf(c)) return [{ leaf: c, pointer }];
  const node = c as { all?: Condition[]; any?: Condition[]; not?: Condition };
  const out: { leaf: ConditionLeaf; pointer: string }[] = [];
  for (const key of ['all', 'any'] as const) node[key]?.forEach((x, i) => out.push(...conditionLeaves(x, `${pointer}/${key}/${i}`)));
  if (node.not) out.push(...conditionLeaves(node.not, `${pointer}/not`));
  return out;
}
