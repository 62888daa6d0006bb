// The validator @rjsf needs, without compiling code at run time: rjsf's ajv8 validator builds
// functions with `new Function`, which the runtime's Content-Security-Policy (script-src 'self')
// forbids. rjsf asks it only whether a value matches a schema (to tell which option a value is);
// it checks the small part of JSON Schema the engine's forms use (engine/form.ts: const, enum,
// type, oneOf/anyOf/allOf, minimum/maximum, items, uniqueItems, required, properties). Answers are
// validated where it counts, by the server on every save, which names the question at fault.
import type { RJSFSchema, ValidationData, ValidatorType } from '@rjsf/utils';

type Schema = Record<string, unknown>;

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function typeMatches(type: unknown, value: unknown): boolean {
  const types = Array.isArray(type) ? type : [type];
  return types.some((t) => {
    switch (t) {
      case 'string':
        return typeof value === 'string';
      case 'number':
        return typeof value === 'number' && Number.isFinite(value);
      case 'integer':
        return Number.isInteger(value);
      case 'boolean':
        return typeof value === 'boolean';
      case 'array':
        return Array.isArray(value);
      case 'object':
        return value !== null && typeof value === 'object' && !Array.isArray(value);
      case 'null':
        return value === null;
      default:
        return true;
    }
  });
}

export function matches(schema: unknown, value: unknown): boolean {
  if (schema === true || schema === undefined) return true;
  if (schema === false || schema === null || typeof schema !== 'object') return false;
  const s = schema as Schema;
  if ('const' in s && !same(s.const, value)) return false;
  if (Array.isArray(s.enum) && !s.enum.some((v) => same(v, value))) return false;
  if (s.type !== undefined && !typeMatches(s.type, value)) return false;
  if (Array.isArray(s.oneOf) && s.oneOf.filter((o) => matches(o, value)).length !== 1) return false;
  if (Array.isArray(s.anyOf) && !s.anyOf.some((o) => matches(o, value))) return false;
  if (Array.isArray(s.allOf) && !s.allOf.every((o) => matches(o, value))) return false;
  if (typeof value === 'number') {
    if (typeof s.minimum === 'number' && value < s.minimum) return false;
    if (typeof s.maximum === 'number' && value > s.maximum) return false;
  }
  if (Array.isArray(value)) {
    if (s.items !== undefined && !value.every((v) => matches(s.items, v))) return false;
    if (s.uniqueItems === true && new Set(value.map((v) => JSON.stringify(v))).size !== value.length) return false;
  }
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const o = value as Record<string, unknown>;
    if (Array.isArray(s.required) && !s.required.every((k) => typeof k === 'string' && k in o)) return false;
    const properties = (s.properties ?? {}) as Record<string, unknown>;
    for (const [k, v] of Object.entries(o)) if (k in properties && !matches(properties[k], v)) return false;
  }
  return true;
}

export const formValidator: ValidatorType = {
  // The page never submits the form as a whole: each answer is saved and checked by the server.
  validateFormData: (): ValidationData<unknown> => ({ errors: [], errorSchema: {} }),
  isValid: (schema: RJSFSchema, formData: unknown) => matches(schema, formData),
  rawValidation: () => ({ errors: [] }),
};
