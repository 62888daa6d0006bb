// Parse and validate a ruleset against the schema declared in engine/schema.
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import localizeModule from 'ajv-i18n';
import { Condition, Overlay, Ruleset } from './schema/ruleset.ts';
import type { Condition as ConditionT, Ruleset as RulesetT, Overlay as OverlayT } from './schema/ruleset.ts';
import { type Problem, text } from './problem.ts';

// ajv-i18n is CommonJS; under NodeNext its default import needs unwrapping.
const localize = ((localizeModule as unknown as { default: typeof localizeModule }).default ?? localizeModule) as unknown as Record<
  'zh' | 'en',
  (errors: ErrorObject[] | null | undefined) => void
>;

/** One shape of condition (all, any, not, condition reference, fact leaf), named by the key that marks it. */
interface ConditionBranch {
  key: string;
  validate: ValidateFunction;
}

const MARKERS = ['all', 'any', 'not', 'condition', 'fact'];

/** The Condition union split into its shapes, each checking one node with its children left open. */
function conditionBranches(ajv: Ajv): ConditionBranch[] {
  const open = JSON.stringify(Condition.anyOf).replaceAll('{"$ref":"Condition"}', '{}');
  return (JSON.parse(open) as { required: string[] }[]).map((branch) => ({
    key: branch.required.find((k) => MARKERS.includes(k))!,
    validate: ajv.compile(branch),
  }));
}

let validators: { ruleset: ValidateFunction; overlay: ValidateFunction; condition: ConditionBranch[] } | undefined;

function compiled() {
  if (!validators) {
    const ajv = new Ajv({ allErrors: true, strict: false });
    validators = {
      ruleset: ajv.compile(JSON.parse(JSON.stringify(Ruleset))),
      overlay: ajv.compile(JSON.parse(JSON.stringify(Overlay))),
      condition: conditionBranches(ajv),
    };
  }
  return validators;
}

/** ajv reports a failed union once per branch; keep the errors that say something to an author. */
function relevant(errors: ErrorObject[]): ErrorObject[] {
  const specific = errors.filter((e) => e.keyword !== 'anyOf' && e.keyword !== 'oneOf');
  const seen = new Set<string>();
  return specific.filter((e) => {
    const key = e.instancePath + '|' + e.keyword + '|' + JSON.stringify(e.params);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export function schemaProblems(errors: ErrorObject[] | null | undefined): Problem[] {
  if (!errors) return [];
  const chosen = relevant(errors).slice(0, 50);
  const en = chosen.map((e) => ({ ...e }));
  const zh = chosen.map((e) => ({ ...e }));
  localize.en(en);
  localize.zh(zh);
  return chosen.map((e, i) => {
    const pointer = e.keyword === 'required' ? `${e.instancePath}/${(e.params as { missingProperty: string }).missingProperty}` : e.keyword === 'additionalProperties' ? `${e.instancePath}/${(e.params as { additionalProperty: string }).additionalProperty}` : e.instancePath;
    return { code: `schema.${e.keyword}`, pointer, message: text(zh[i].message ?? e.keyword, en[i].message ?? e.keyword) };
  });
}

export type Loaded<T> = { ok: true; value: T } | { ok: false; problems: Problem[] };

/** Parse JSON text; a syntax error becomes a problem at the root. */
export function parseJson(source: string): Loaded<unknown> {
  try {
    return { ok: true, value: JSON.parse(source) };
  } catch (e) {
    const reason = (e as Error).message;
    return { ok: false, problems: [{ code: 'json.syntax', pointer: '', message: text(`不是有效的 JSON：${reason}`, `not valid JSON: ${reason}`) }] };
  }
}

export function validateRuleset(value: unknown): Loaded<RulesetT> {
  const v = compiled().ruleset;
  if (v(value)) return { ok: true, value: value as RulesetT };
  return { ok: false, problems: schemaProblems(v.errors) };
}

export function validateOverlay(value: unknown): Loaded<OverlayT> {
  const v = compiled().overlay;
  if (v(value)) return { ok: true, value: value as OverlayT };
  return { ok: false, problems: schemaProblems(v.errors) };
}

// Checked node by node: ajv on the whole recursive union reports every branch's complaint at
// every level, a screenful for one misspelt key; the key a node has says which shape it meant.
function conditionProblems(value: unknown, pointer: string, branches: ConditionBranch[], out: Problem[]): Problem[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    out.push({ code: 'schema.type', pointer, message: text('条件应当是对象', 'a condition must be an object') });
    return out;
  }
  const node = value as Record<string, unknown>;
  const present = branches.filter((b) => b.key in node);
  if (present.length !== 1) {
    const found = present.length ? `（现有 ${present.map((b) => b.key).join('、')}）` : '';
    const foundEn = present.length ? ` (it has ${present.map((b) => b.key).join(', ')})` : '';
    out.push({ code: 'condition.shape', pointer, message: text(`条件应当有且只有 ${MARKERS.join('、')} 之一${found}`, `a condition must have exactly one of ${MARKERS.join(', ')}${foundEn}`) });
    return out;
  }
  const { validate } = present[0];
  if (!validate(node)) out.push(...schemaProblems(validate.errors).map((p) => ({ ...p, pointer: pointer + p.pointer })));
  for (const key of ['all', 'any'] as const) if (Array.isArray(node[key])) (node[key] as unknown[]).forEach((c, i) => conditionProblems(c, `${pointer}/${key}/${i}`, branches, out));
  if ('not' in node) conditionProblems(node.not, `${pointer}/not`, branches, out);
  return out;
}

/** One rule's conditions on their own, as the designer's JSON view edits them; pointers are relative to the condition. */
export function validateCondition(value: unknown): Loaded<ConditionT> {
  const problems = conditionProblems(value, '', compiled().condition, []);
  return problems.length ? { ok: false, problems } : { ok: true, value: value as ConditionT };
}

/** A document is a variant overlay when it names a base in `extends` and lacks its own model. */
export function isOverlay(value: unknown): boolean {
  return typeof value === 'object' && value !== null && 'extends' in value && !('model' in value);
}
