// Variants: a province stores only what differs from a published base (an overlay); resolving
// merges it into a flat ruleset. Arrays of objects with an `id` (levels: `number`) merge by that
// key, `{ "id": …, "$delete": true }` removes an entry, `null` removes a property,
// `{ "$replace": … }` replaces a value outright; other values replace. The same keyed view gives a structured diff between any two rulesets.
import type { Overlay, Ruleset } from './schema/ruleset.ts';
import { EngineError, text, pointerOf } from './problem.ts';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The key that identifies an array element, when the array is keyed (an `id`, or a level's `number`). */
export function keyOf(v: unknown): string | undefined {
  if (!isObject(v)) return undefined;
  if (typeof v.id === 'string') return v.id;
  if (typeof v.number === 'number' && 'code' in v) return String(v.number); // levels
  return undefined;
}

const isKeyed = (arr: Json[]) => arr.length > 0 && arr.every((v) => keyOf(v) !== undefined);

function merge(base: Json, overlay: Json): Json {
  // { "$replace": value } replaces outright, e.g. an array whose order the variant changes.
  if (isObject(overlay) && '$replace' in overlay) return strip(overlay.$replace);
  if (Array.isArray(base) && Array.isArray(overlay) && isKeyed(base) && overlay.every((v) => keyOf(v) !== undefined)) {
    const result = base.map((v) => v);
    for (const entry of overlay) {
      const key = keyOf(entry)!;
      const at = result.findIndex((v) => keyOf(v) === key);
      const { $delete, ...rest } = entry as JsonObject;
      if ($delete === true) {
        if (at >= 0) result.splice(at, 1);
      } else if (at >= 0) result[at] = merge(result[at], rest);
      else result.push(rest);
    }
    return result;
  }
  if (isObject(base) && isObject(overlay)) {
    const result: JsonObject = { ...base };
    for (const [k, v] of Object.entries(overlay)) {
      if (v === null) delete result[k];
      else result[k] = k in base ? merge(base[k], v) : strip(v);
    }
    return result;
  }
  return strip(overlay);
}

/** Removes `$delete` markers from values that had nothing to merge into. */
function strip(v: Json): Json {
  if (Array.isArray(v)) return v.filter((x) => !(isObject(x) && x.$delete === true)).map(strip);
  if (isObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, strip(x)]));
  return v;
}

/** base + overlay → a flat ruleset (not yet validated: run validateRuleset on it). */
export function resolveVariant(base: Ruleset, overlay: Overlay): Ruleset {
  const expected = `${base.id}@${base.version}`;
  if (overlay.extends !== expected)
    throw new EngineError([{ code: 'variant.base', pointer: '/extends', message: text(`变体基于 ${overlay.extends}，但提供的基础规则集是 ${expected}`, `the variant extends ${overlay.extends} but the base given is ${expected}`) }]);
  const { $schema: _ignored, ...rest } = overlay as Record<string, unknown>;
  const merged = merge(base as unknown as Json, rest as Json) as unknown as Ruleset;
  return { ...merged, extends: overlay.extends };
}

/** The smallest overlay that turns `base` into `variant`: resolveVariant(base, overlayOf(base, variant)) equals variant. */
export function overlayOf(base: Ruleset, variant: Ruleset): Overlay {
  const keyFields = (v: Json): JsonObject => {
    const o = v as JsonObject;
    return typeof o.id === 'string' ? { id: o.id } : { number: o.number, code: o.code };
  };
  const delta = (a: Json, b: Json): Json | undefined => {
    if (JSON.stringify(a) === JSON.stringify(b)) return undefined;
    if (Array.isArray(a) && Array.isArray(b) && isKeyed(a) && b.every((v) => keyOf(v) !== undefined)) {
      const entries: Json[] = [];
      const bKeys = new Set(b.map(keyOf));
      for (const v of a) if (!bKeys.has(keyOf(v))) entries.push({ ...keyFields(v), $delete: true });
      for (const v of b) {
        const old = a.find((x) => keyOf(x) === keyOf(v));
        if (!old) entries.push(v);
        else {
          const d = delta(old, v);
          if (d !== undefined) entries.push({ ...(d as JsonObject), ...keyFields(v) });
        }
      }
      // Merging by key cannot reorder: when it would not give b back, replace the array whole.
      return JSON.stringify(merge(a, entries)) === JSON.stringify(b) ? entries : { $replace: b };
    }
    if (isObject(a) && isObject(b)) {
      const out: JsonObject = {};
      for (const k of Object.keys(a)) if (!(k in b)) out[k] = null;
      for (const [k, v] of Object.entries(b)) {
        const d = k in a ? delta(a[k], v) : v;
        if (d !== undefined) out[k] = d;
      }
      return out;
    }
    return b;
  };
  const d = (delta(base as unknown as Json, variant as unknown as Json) ?? {}) as JsonObject;
  delete d.id;
  delete d.version;
  delete d.extends;
  return { id: variant.id, version: variant.version, extends: `${base.id}@${base.version}`, ...d } as unknown as Overlay;
}

export interface RebaseConflict {
  /** Where both the base and the variant changed the same thing, e.g. /rules/limits[max-3]/conditions. */
  path: string;
  /** The value in the old base, the new base, and the variant (which the rebased overlay keeps). */
  original: unknown;
  base: unknown;
  variant: unknown;
}

/**
 * Moves a variant from the base it was made on to a newer one: the variant's own changes are
 * kept, the base's other changes come through, and places that both changed are listed.
 */
export function rebaseVariant(oldBase: Ruleset, newBase: Ruleset, overlay: Overlay): { overlay: Overlay; resolved: Ruleset; conflicts: RebaseConflict[] } {
  const oldVariant = resolveVariant(oldBase, overlay);
  const baseChanges = diffRulesets(oldBase, newBase).filter((c) => c.category !== 'identity');
  const variantChanges = diffRulesets(oldBase, oldVariant).filter((c) => c.category !== 'identity');
  const overlaps = (p: string, q: string) => p === q || p.startsWith(q + '/') || p.startsWith(q + '[') || q.startsWith(p + '/') || q.startsWith(p + '[');
  const conflicts: RebaseConflict[] = [];
  for (const v of variantChanges) {
    const b = baseChanges.find((c) => overlaps(c.path, v.path));
    if (b && JSON.stringify(b.after) !== JSON.stringify(v.after))
      conflicts.push({ path: v.path, original: v.before, base: b.op === 'removed' ? undefined : b.after, variant: v.op === 'removed' ? undefined : v.after });
  }
  const rebased = { ...(overlay as Record<string, unknown>), extends: `${newBase.id}@${newBase.version}` } as Overlay;
  return { overlay: rebased, resolved: resolveVariant(newBase, rebased), conflicts };
}

/** The segments of a readable path: "/rules/limits[max-3]/conditions" → rules, [max-3], conditions. */
function pathSegments(path: string): ({ key: string } | { name: string })[] {
  const out: ({ key: string } | { name: string })[] = [];
  for (const raw of path.split('/').slice(1)) {
    const m = /^([^[]*)((?:\[[^\]]*\])*)$/.exec(raw)!;
    if (m[1]) out.push({ name: m[1].replace(/~1/g, '/').replace(/~0/g, '~') });
    for (const k of m[2].match(/\[[^\]]*\]/g) ?? []) out.push({ key: k.slice(1, -1) });
  }
  return out;
}

/** Sets (or, with undefined, removes) the value at a readable path with keys, as `diffRulesets` and rebase conflicts name places. */
export function setAtPath(ruleset: Ruleset, path: string, value: unknown): Ruleset {
  const set = (node: Json | undefined, segs: ReturnType<typeof pathSegments>): Json | undefined => {
    if (!segs.length) return value as Json | undefined;
    const [head, ...rest] = segs;
    if ('key' in head) {
      const arr = Array.isArray(node) ? node.slice() : [];
      const at = arr.findIndex((v) => keyOf(v) === head.key);
      const next = set(at >= 0 ? arr[at] : undefined, rest);
      if (at >= 0) next === undefined ? arr.splice(at, 1) : (arr[at] = next);
      else if (next !== undefined) arr.push(next);
      return arr;
    }
    const obj: JsonObject = isObject(node) ? { ...node } : {};
    const next = set(obj[head.name], rest);
    if (next === undefined) delete obj[head.name];
    else obj[head.name] = next;
    return obj;
  };
  return set(ruleset as unknown as Json, pathSegments(path)) as unknown as Ruleset;
}

export interface Change {
  op: 'added' | 'removed' | 'changed';
  /** A readable path with keys, e.g. /questions[L1-1.1.1]/text/zh. */
  path: string;
  /** JSON pointer into the newer ruleset (into the older one for removals). */
  pointer: string;
  /** What kind of thing changed: question, weights, threshold, band, limit, policy, tailoring, model, level, flow, scoring, identity, report, test. */
  category: string;
  before?: unknown;
  after?: unknown;
}

function categoryOf(path: (string | number)[]): string {
  const [top, second, third] = path.map(String);
  switch (top) {
    case 'questions':
      return 'question';
    case 'model':
      return 'model';
    case 'levels':
      return third === 'threshold' ? 'threshold' : 'level';
    case 'scoring':
      return second === 'weightSets' ? 'weights' : second === 'bands' ? 'band' : 'scoring';
    case 'rules':
      return second === 'limits' ? 'limit' : second === 'policies' ? 'policy' : 'tailoring';
    case 'flow':
      return 'flow';
    case 'report':
      return 'report';
    case 'tests':
      return 'test';
    default:
      return 'identity';
  }
}

/** A structured diff from a to b. */
export function diffRulesets(a: Ruleset, b: Ruleset): Change[] {
  const changes: Change[] = [];
  const walk = (x: Json | undefined, y: Json | undefined, path: string, keys: (string | number)[], ptrA: string, ptrB: string) => {
    const category = categoryOf(keys);
    if (x === undefined && y !== undefined) return void changes.push({ op: 'added', path, pointer: ptrB, category, after: y });
    if (y === undefined && x !== undefined) return void changes.push({ op: 'removed', path, pointer: ptrA, category, before: x });
    if (JSON.stringify(x) === JSON.stringify(y)) return;
    if (Array.isArray(x) && Array.isArray(y) && (isKeyed(x) || isKeyed(y)) && [...x, ...y].every((v) => keyOf(v) !== undefined)) {
      const seen = new Set<string>();
      y.forEach((v, j) => {
        const k = keyOf(v)!;
        seen.add(k);
        const i = x.findIndex((w) => keyOf(w) === k);
        walk(i >= 0 ? x[i] : undefined, v, `${path}[${k}]`, [...keys, k], i >= 0 ? `${ptrA}/${i}` : ptrA, `${ptrB}/${j}`);
      });
      x.forEach((v, i) => {
        const k = keyOf(v)!;
        if (!seen.has(k)) walk(v, undefined, `${path}[${k}]`, [...keys, k], `${ptrA}/${i}`, ptrB);
      });
      return;
    }
    if (isObject(x) && isObject(y)) {
      for (const k of new Set([...Object.keys(x), ...Object.keys(y)])) {
        const seg = pointerOf(k);
        walk(x[k], y[k], `${path}${seg}`, [...keys, k], `${ptrA}${seg}`, `${ptrB}${seg}`);
      }
      return;
    }
    changes.push({ op: 'changed', path, pointer: ptrB, category, before: x, after: y });
  };
  walk(a as unknown as Json, b as unknown as Json, '', [], '', '');
  return changes;
}
