// Parse and validate a ruleset against the schema declared in engine/schema.
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import localizeModule from 'ajv-i18n';
import { Overlay, Ruleset } from './schema/ruleset.ts';
import type { Ruleset as RulesetT, Overlay as OverlayT } from './schema/ruleset.ts';
import { type Problem, text } from './problem.ts';

// ajv-i18n is CommonJS; under NodeNext its default import needs unwrapping.
const localize = ((localizeModule as unknown as { default: typeof localizeModule }).default ?? localizeModule) as unknown as Record<
  'zh' | 'en',
  (errors: ErrorObject[] | null | undefined) => void
>;

let validators: { ruleset: ValidateFunction; overlay: ValidateFunction } | undefined;

function compiled() {
  if (!validators) {
    const ajv = new Ajv({ allErrors: true, strict: false });
    validators = {
      ruleset: ajv.compile(JSON.parse(JSON.stringify(Ruleset))),
      overlay: ajv.compile(JSON.parse(JSON.stringify(Overlay))),
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

/** A document is a variant overlay when it names a base in `extends` and lacks its own model. */
export function isOverlay(value: unknown): boolean {
  return typeof value === 'object' && value !== null && 'extends' in value && !('model' in value);
}
