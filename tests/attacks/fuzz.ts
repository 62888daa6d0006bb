// A fuzz run of generated bad requests against a running Ladder server (issue 12): every
// state-changing operation of the OpenAPI document (POST, PUT, PATCH, DELETE) and the path and
// query parameters of the GET operations get requests that must be refused: mutations of the
// declared body schema, broken transport (invalid or truncated JSON, wrong media types, bodies
// declared gzip/deflate/br that are not compressed), bad path parameters, bad query values and
// bad session cookies. Each answer must be a 4xx with the API's error body; a 5xx, a 4xx of
// another shape, or a success where a refusal was due are reported.
//
// No test framework here: tests/server/fuzz.test.ts asserts on the result, and the reliability
// benchmark (bench/reliability.ts) prints it; both set up with seedFuzz. Requests go out through
// node:http (fetch would normalise some of them away), one connection each, with a timeout. The
// plan is seeded: the same seed and ids give the same requests.
import http from 'node:http';
import { randomInt } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { Ajv, type ValidateFunction } from 'ajv';
import { hashPassword } from '../../server/accounts/password.ts';
import { creditCodeFor } from '../../server/population.ts';
import type { Store } from '../../server/store/types.ts';
import { smallRuleset } from '../fixtures/small.ts';

export type Actor = 'anonymous' | 'enterprise' | 'regionAdmin' | 'author' | 'platformAdmin';
export const ACTORS: Actor[] = ['anonymous', 'enterprise', 'regionAdmin', 'author', 'platformAdmin'];

type Json = unknown;
type Schema = Record<string, any>;

export interface OpenApiDocument {
  paths: Record<string, Record<string, { security?: unknown[]; parameters?: { name: string; in: string; required?: boolean; schema?: Schema }[]; requestBody?: { content: Record<string, { schema?: Schema }> } }>>;
}

export interface FuzzOptions {
  /** e.g. http://127.0.0.1:3000 */
  baseUrl: string;
  /** GET /api/openapi.json */
  openapi: OpenApiDocument;
  /** A Cookie header value per actor (`ladder_sid=…`); '' for anonymous. */
  sessions: Record<Actor, string>;
  ids: {
    /** A diagnosis of the enterprise user. */
    diagnosis: string;
    /** The enterprise user's enterprise. */
    enterprise: string;
    /** The region administrator's region. */
    region: string;
    /** A draft ruleset the author may edit, as id@version. */
    draftRuleset: string;
    /** Optionally, a draft of the author's that lint refuses to publish (e.g. its report template does not exist), as id@version. */
    unpublishableDraft?: string;
  };
  /** How many requests (at least 1,000 for issue 12); default 1000. */
  requests?: number;
  seed?: number;
  /** Per request; default 20 s. */
  timeoutMs?: number;
  /** Requests in flight at once; default 4. */
  concurrency?: number;
  /** Called with every answer (a benchmark's progress, a debugging dump). */
  onAnswer?: (request: FuzzRequest, status: number | string, response: string) => void;
}

export interface FuzzRequest {
  /** "METHOD /api/path/{param}" as the OpenAPI document names the operation. */
  op: string;
  /** What is wrong with the request, e.g. "body /username: {toString}". */
  kind: string;
  method: string;
  path: string;
  actor: Actor | 'bad-cookie';
  headers: Record<string, string>;
  body?: Buffer;
  /** Whether any success is wrong (every write; GETs with a bad id or a bad integer). */
  mustRefuse: boolean;
}

export interface Finding {
  op: string;
  kind: string;
  method: string;
  path: string;
  actor: string;
  contentType?: string;
  contentEncoding?: string;
  body: string;
  status: number | string;
  response: string;
}

export interface FuzzResult {
  requests: number;
  ms: number;
  byStatus: Record<string, number>;
  byOperation: Record<string, number>;
  /** Answers with status 500 or above. */
  fiveHundreds: Finding[];
  /** 4xx answers without `{ error: { code, message } }` (field a string, details an array when present). */
  badBodies: Finding[];
  /** Successes (1xx–3xx) to requests that had to be refused. */
  accepted: Finding[];
  /** No answer: a closed connection or a timeout. */
  errors: Finding[];
  /** Whether the server still answered GET /api/openapi.json at the end. */
  serverUp: boolean;
  /** The ten slowest answers. */
  slowest: { op: string; kind: string; status: number | string; ms: number }[];
}

// ---------------------------------------------------------------------------------------------
// Seeded randomness

function mulberry32(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
type Rng = () => number;
const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)];
function shuffle<T>(rng: Rng, xs: T[]): T[] {
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Values that are written as JSON text rather than built as objects: nesting too deep to build or
// stringify, keys such as __proto__, numbers JSON.stringify cannot write.

interface Special {
  text: string;
  /** What the server's JSON.parse gives, or a shallow value of the same kind for the schema check. */
  standIn: Json;
  label: string;
}

const deepArray = (depth: number): Special => ({ text: '['.repeat(depth) + ']'.repeat(depth), standIn: [[[[]]]], label: `array nested ${depth.toLocaleString('en')} deep` });
const deepObject = (depth: number): Special => ({ text: '{"a":'.repeat(depth) + '1' + '}'.repeat(depth), standIn: { a: { a: { a: 1 } } }, label: `object nested ${depth.toLocaleString('en')} deep` });
const textual = (text: string, label: string): Special => ({ text, standIn: JSON.parse(text), label });

const SPECIAL_VALUES: Special[] = [
  textual('{"toString":1}', '{toString: 1}'),
  textual('{"toString":{"toString":1},"valueOf":1}', '{toString, valueOf}'),
  textual('{"__proto__":{"role":"platformAdmin","isAdmin":true}}', '{__proto__: …}'),
  textual('{"constructor":{"prototype":{"isAdmin":true}}}', '{constructor: {prototype}}'),
  textual('{"length":1,"0":"a"}', 'array-like object'),
  textual('1e309', '1e309'),
  textual('-1e309', '-1e309'),
  textual('123456789012345678901234567890', 'a 30-digit number'),
  textual('1e-400', '1e-400'),
  textual('-0', '-0'),
  textual('"\\ud800"', 'a lone high surrogate'),
  textual('"\\udfff\\ud800"', 'reversed surrogates'),
  textual('"\\u0000"', 'NUL'),
  textual('"\\u202e\\u200b\\ufeff\\ufffe"', 'bidi override and zero-width junk'),
  textual('"NaN"', '"NaN"'),
  textual('"Infinity"', '"Infinity"'),
  textual('"1e309"', '"1e309"'),
  textual('"-1"', '"-1"'),
  textual('"true"', '"true"'),
  deepArray(10_000),
  deepArray(100_000),
  deepObject(10_000),
  deepObject(100_000),
];

const PLAIN_VALUES: { value: Json; label: string }[] = [
  { value: null, label: 'null' },
  { value: true, label: 'true' },
  { value: false, label: 'false' },
  { value: 0, label: '0' },
  { value: -1, label: '-1' },
  { value: 1.5, label: '1.5' },
  { value: 9007199254740993, label: '2^53+1' },
  { value: '', label: '""' },
  { value: 'x', label: '"x"' },
  { value: '中文🙂\u0301', label: 'unicode text' },
  { value: [], label: '[]' },
  { value: ['a'], label: '["a"]' },
  { value: [null, 1, {}], label: '[null, 1, {}]' },
  { value: {}, label: '{}' },
  { value: { a: 1 }, label: '{a: 1}' },
];

/** Keys an extra property gets: prototype tricks, junk, a lone surrogate, a very long one. */
const EXTRA_KEYS: { key: string; label: string }[] = [
  { key: '__proto__', label: '__proto__' },
  { key: 'constructor', label: 'constructor' },
  { key: 'toString', label: 'toString' },
  { key: 'hasOwnProperty', label: 'hasOwnProperty' },
  { key: 'role', label: 'role' },
  { key: '', label: 'empty key' },
  { key: '\ud800', label: 'lone-surrogate key' },
  { key: 'k'.repeat(10_000), label: '10,000-character key' },
  { key: '$ref', label: '$ref' },
];

const MARK = '\u0001FUZZ';
let markCount = 0;

/** A placeholder string standing for a Special until the body is written out. */
class Specials {
  readonly byMark = new Map<string, Special>();
  put(s: Special): string {
    const mark = `${MARK}${markCount++}\u0001`;
    this.byMark.set(mark, s);
    return mark;
  }
  text(value: Json): string {
    let out = JSON.stringify(value);
    for (const [mark, s] of this.byMark) out = out.split(JSON.stringify(mark)).join(s.text);
    return out;
  }
  standIn(value: Json): Json {
    if (typeof value === 'string') return this.byMark.has(value) ? this.byMark.get(value)!.standIn : value;
    if (Array.isArray(value)) return value.map((v) => this.standIn(v));
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.standIn(v)]));
    return value;
  }
}

// ---------------------------------------------------------------------------------------------
// Schemas: a valid sample, the places a mutation can go, and the check that a mutation is invalid.

const ajv = new Ajv({ allErrors: false, strict: false, coerceTypes: false });
const compiledSchemas = new WeakMap<Schema, ValidateFunction>();
function validator(schema: Schema): ValidateFunction {
  let v = compiledSchemas.get(schema);
  if (!v) compiledSchemas.set(schema, (v = ajv.compile(schema)));
  return v;
}

const typeOf = (s: Schema): string | undefined => (typeof s.type === 'string' ? s.type : s.anyOf ? 'anyOf' : s.const !== undefined ? typeof s.const : undefined);
const isRecord = (s: Schema) => s.type === 'object' && !!s.patternProperties && !s.properties;

const STRING_CANDIDATES = ['fuzz_user1', '1.0.0', '13800000000', 'cmmm@1.0.0', 'a', ''];

/** The smallest value the schema accepts (or undefined when none is found). */
function sample(schema: Schema): Json {
  if (schema.const !== undefined) return schema.const;
  if (schema.enum) return schema.enum[0];
  if (schema.anyOf) return sample(schema.anyOf[0]);
  switch (schema.type) {
    case 'object': {
      const out: Record<string, Json> = {};
      for (const k of schema.required ?? []) out[k] = sample(schema.properties?.[k] ?? {});
      return out;
    }
    case 'array':
      return [];
    case 'boolean':
      return false;
    case 'integer':
    case 'number': {
      const lo = schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + (schema.maximum !== undefined ? (schema.maximum - schema.exclusiveMinimum) / 2 : 1) : 1);
      return schema.type === 'integer' ? Math.ceil(lo) : lo;
    }
    case 'string':
      return STRING_CANDIDATES.find((c) => validator(schema)(c)) ?? 'a';
    case 'null':
      return null;
    default:
      return null;
  }
}

interface Location {
  /** Property path from the body's root (a number is an array index). */
  at: (string | number)[];
  schema: Schema;
  required: boolean;
}

/** Every place in a body worth mutating, to a few levels; arrays and records get one element to mutate. */
function locations(schema: Schema, seed: Json, at: (string | number)[] = [], required = true, depth = 0): { seed: Json; places: Location[] } {
  const places: Location[] = [{ at, schema, required }];
  if (depth > 3) return { seed, places };
  if (schema.type === 'object' && schema.properties) {
    const obj: Record<string, Json> = { ...(seed as Record<string, Json>) };
    for (const [k, s] of Object.entries<Schema>(schema.properties)) {
      const present = Object.prototype.hasOwnProperty.call(obj, k);
      const inner = locations(s, present ? obj[k] : sample(s), [...at, k], (schema.required ?? []).includes(k), depth + 1);
      if (present) obj[k] = inner.seed;
      places.push(...inner.places);
    }
    return { seed: obj, places };
  }
  // Arrays and records get one valid element, so that the element's own places can be mutated alone.
  if (isRecord(schema)) {
    const valueSchema = Object.values<Schema>(schema.patternProperties)[0];
    const inner = locations(valueSchema, sample(valueSchema), [...at, 'fuzz-key'], true, depth + 1);
    const obj = seed && typeof seed === 'object' && !Array.isArray(seed) && Object.keys(seed).length ? seed : { 'fuzz-key': inner.seed };
    return { seed: obj, places: [...places, ...inner.places] };
  }
  if (schema.type === 'array' && schema.items) {
    const inner = locations(schema.items, sample(schema.items), [...at, 0], true, depth + 1);
    const arr = Array.isArray(seed) && seed.length ? seed : [inner.seed];
    return { seed: arr, places: [...places, ...inner.places] };
  }
  return { seed, places };
}

/** The body with `value` at `at` (containers on the way created as needed); `undefined` removes the property. */
function setAt(body: Json, at: (string | number)[], value: Json | undefined): Json {
  if (!at.length) return value;
  const [head, ...rest] = at;
  if (typeof head === 'number') {
    const arr = Array.isArray(body) ? [...body] : [];
    const next = setAt(arr[head], rest, value);
    if (next === undefined) arr.splice(head, 1);
    else arr[head] = next;
    return arr;
  }
  const entries = Object.entries(body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, Json>) : {}).filter(([k]) => k !== head);
  const current = body && typeof body === 'object' ? (body as Record<string, Json>)[head] : undefined;
  const next = setAt(Object.prototype.hasOwnProperty.call(body ?? {}, head) ? current : undefined, rest, value);
  return Object.fromEntries(next === undefined ? entries : [...entries, [head, next]]);
}

const pointer = (at: (string | number)[]) => '/' + at.join('/');

// ---------------------------------------------------------------------------------------------
// What the server is, as far as the fuzz needs to know.

interface Operation {
  op: string;
  method: string;
  /** OpenAPI path, e.g. /api/rulesets/{id}/{version} */
  path: string;
  access: 'public' | 'user';
  params: string[];
  query: { name: string; type: string; required: boolean }[];
  /** The JSON body schema, when the operation takes one. */
  body?: Schema;
  /** The media type of a raw upload body. */
  upload?: string;
  write: boolean;
}

function operations(doc: OpenApiDocument): Operation[] {
  const out: Operation[] = [];
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [method, o] of Object.entries(ops)) {
      const content = o.requestBody?.content ?? {};
      const json = content['application/json']?.schema;
      const upload = Object.keys(content).find((t) => t !== 'application/json');
      out.push({
        op: `${method.toUpperCase()} ${path}`,
        method: method.toUpperCase(),
        path,
        access: o.security?.length ? 'user' : 'public',
        params: (o.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name),
        query: (o.parameters ?? []).filter((p) => p.in === 'query').map((p) => ({ name: p.name, type: p.schema?.type ?? 'string', required: !!p.required })),
        ...(json ? { body: json } : {}),
        ...(upload ? { upload } : {}),
        write: method !== 'get' && method !== 'head' && method !== 'options',
      });
    }
  }
  return out;
}

/** Who would legitimately call the operation, so that requests get past the role checks to what is under test. */
function bestActor(op: Operation): Actor {
  if (op.access === 'public') return 'anonymous';
  const p = op.path;
  if (p.startsWith('/api/diagnoses')) return 'enterprise';
  if (p === '/api/rulesets/variants' || p.startsWith('/api/dashboard')) return 'regionAdmin';
  if (p.startsWith('/api/rulesets') || p.startsWith('/api/report-preview') || p.startsWith('/api/question-sheet')) return 'author';
  return 'platformAdmin';
}

interface Known {
  ids: FuzzOptions['ids'];
  draftId: string;
  draftVersion: string;
  /** The draft's document, as its author reads it. */
  draft?: Record<string, Json>;
  /** A published ruleset to derive variants from, as id@version. */
  publishedBase?: string;
}

function realParam(op: Operation, name: string, k: Known): string {
  if (name === 'level') return '1';
  if (name === 'version') return k.draftVersion;
  if (name === 'code') return k.ids.region;
  if (name === 'enterpriseId') return k.ids.enterprise;
  if (name === 'id') {
    if (op.path.startsWith('/api/diagnoses')) return k.ids.diagnosis;
    if (op.path.startsWith('/api/rulesets')) return k.draftId;
    return k.ids.enterprise;
  }
  return 'x';
}

/** A valid body for the operation (never sent as is: every request built from it breaks something else). */
function seedBody(op: Operation, k: Known): Json | undefined {
  if (!op.body) return undefined;
  let seed = sample(op.body);
  const draft = k.draft;
  const key = `${op.method} ${op.path}`;
  if (draft && (key === 'POST /api/rulesets' || key === 'PUT /api/rulesets/{id}/{version}'))
    seed = key === 'POST /api/rulesets' ? { document: { ...draft, id: 'fuzz-new-ruleset' } } : { document: draft, revision: 1 };
  if (draft && key === 'POST /api/report-preview') seed = { document: draft, industryType: (draft.industryTypes as { id: string }[])?.[0]?.id ?? 'discrete', answers: {} };
  if (k.publishedBase && key === 'POST /api/rulesets/variants') seed = { base: k.publishedBase, id: 'fuzz-variant', version: '1.0.0', overlay: { regions: [k.ids.region] } };
  return validator(op.body)(seed) ? seed : undefined;
}

// ---------------------------------------------------------------------------------------------
// Generating the requests

type Category = 'body' | 'semantic' | 'transport' | 'path' | 'query' | 'session';

interface Candidate {
  category: Category;
  /** Taken before the rest: the known ways in (a toString object, deep nesting, junk gzip, %zz…). */
  priority?: boolean;
  build: (rng: Rng) => FuzzRequest | undefined;
}

/** Path segments no real id has. Raw: already percent-encoded where they need to be. */
const BAD_SEGMENTS: { raw: string; label: string }[] = [
  { raw: '%zz', label: '%zz' },
  { raw: '%', label: 'a lone %' },
  { raw: '%E0%A4%A', label: 'truncated UTF-8 escape' },
  { raw: '%ED%A0%80', label: 'escaped lone surrogate' },
  { raw: '%C0%AF', label: 'overlong UTF-8 /' },
  { raw: '%00', label: '%00' },
  { raw: '..%2f..', label: '..%2f..' },
  { raw: '..%2F..%2F..%2F..%2Fetc%2Fpasswd', label: 'encoded traversal' },
  { raw: '%2e%2e', label: '%2e%2e' },
  { raw: '%0d%0aSet-Cookie:%20x=1', label: 'CRLF injection' },
  { raw: 'x'.repeat(4096), label: '4,096-character id' },
  { raw: 'y'.repeat(12_000), label: '12,000-character id' },
  { raw: encodeURIComponent('中文🙂'), label: 'unicode id' },
  { raw: encodeURIComponent('\u202e\u200b\ufeff'), label: 'bidi and zero-width id' },
  { raw: '__proto__', label: '__proto__' },
  { raw: 'constructor', label: 'constructor' },
  { raw: 'toString', label: 'toString' },
  { raw: 'hasOwnProperty', label: 'hasOwnProperty' },
  { raw: 'null', label: 'null' },
  { raw: 'undefined', label: 'undefined' },
  { raw: 'NaN', label: 'NaN' },
  { raw: '-1', label: '-1' },
  { raw: '1e309', label: '1e309' },
  { raw: '99999999999999999999', label: '20 digits' },
  { raw: '%20', label: 'a space' },
  { raw: '*', label: '*' },
  { raw: '%2A', label: '%2A' },
  { raw: 'a%2Fb', label: 'encoded slash' },
  { raw: '{id}', label: '{id}' },
];

/** Query values no parameter accepts. */
const BAD_QUERY: { raw: string; label: string }[] = [
  { raw: '%zz', label: '%zz' },
  { raw: '%00', label: '%00' },
  { raw: 'abc', label: 'abc' },
  { raw: '-1', label: '-1' },
  { raw: '1.5', label: '1.5' },
  { raw: '1e309', label: '1e309' },
  { raw: 'NaN', label: 'NaN' },
  { raw: 'Infinity', label: 'Infinity' },
  { raw: '99999999999999999999', label: '20 digits' },
  { raw: '__proto__', label: '__proto__' },
  { raw: 'constructor', label: 'constructor' },
  { raw: 'toString', label: 'toString' },
  { raw: 'q'.repeat(6000), label: '6,000 characters' },
  { raw: encodeURIComponent('中文🙂'), label: 'unicode' },
  { raw: '%ED%A0%80', label: 'escaped lone surrogate' },
  { raw: '..%2F..', label: 'encoded traversal' },
];

const BAD_COOKIES: { cookie: string; label: string }[] = [
  { cookie: 'ladder_sid=%zz', label: 'ladder_sid=%zz' },
  { cookie: 'ladder_sid=%E0%A4%A', label: 'truncated escape' },
  { cookie: 'ladder_sid=__proto__', label: 'ladder_sid=__proto__' },
  { cookie: 'ladder_sid=constructor', label: 'ladder_sid=constructor' },
  { cookie: 'ladder_sid=' + 's'.repeat(8000), label: '8,000-character session id' },
  { cookie: 'ladder_sid=%00', label: 'ladder_sid=%00' },
  { cookie: 'ladder_sid=', label: 'empty session id' },
  { cookie: 'ladder_sid=a; ladder_sid=b', label: 'two session cookies' },
  { cookie: 'ladder_sid="quoted"', label: 'quoted session id' },
  { cookie: '=; ;;=ladder_sid', label: 'junk cookie header' },
];

const JSON_TYPE = 'application/json';

let bomb: Buffer | undefined;
/** A real gzip stream (about 10 KB) of a JSON body of 10 MB: past every limit once inflated. */
const gzipBomb = () => (bomb ??= gzipSync(Buffer.concat([Buffer.from('{"a":"'), Buffer.alloc(10_000_000, 'a'), Buffer.from('"}')])));

const PROTOTYPE_NAMES = ['__proto__', 'constructor', 'toString', 'valueOf', 'hasOwnProperty'];

/** Per operation, a body whose schema is right and whose named things do not exist (with a name given), so the operation must refuse it. */
const NAMED_NOTHING: Record<string, { what: string; body: (name: string) => Json }> = {
  'POST /api/accounts': {
    what: 'credit code (invalid), enterprise type, industry, size band and region',
    body: (n) => ({ username: 'fuzz_user1', password: 'secret123', passwordConfirm: 'secret123', mobile: '13800000000', email: 'fuzz@example.com', enterpriseName: '模糊测试有限公司', creditCode: n, enterpriseType: n, industry: n, sizeBand: n, revenue: 1, region: n }),
  },
  'POST /api/users': { what: "a region administrator's region", body: (n) => ({ username: 'fuzz_user1', password: 'secret123x', passwordConfirm: 'secret123x', role: 'regionAdmin', region: n }) },
  'POST /api/regions': { what: 'the parent region', body: (n) => ({ parent: n, kind: 'park', name: { zh: '模糊测试园区' } }) },
  'PUT /api/regions/{code}/sub-platform': { what: 'the ruleset (id@version)', body: (n) => ({ enabled: true, name: { zh: '模糊测试' }, notice: { zh: '模糊测试' }, ruleset: `${n}@${n}` }) },
  'POST /api/regions/{code}/members': { what: 'the credit code', body: (n) => ({ creditCode: n }) },
  'POST /api/session': { what: 'the username and password', body: (n) => ({ username: n, password: n }) },
  'POST /api/password-reset/confirm': { what: 'the username', body: (n) => ({ username: n, code: '000000', password: 'secret123x', passwordConfirm: 'secret123x' }) },
  'POST /api/rulesets/variants': { what: 'the base', body: (n) => ({ base: `${n}@1.0.0`, id: 'fuzz-variant', version: '1.0.0' }) },
};

/** One id of each kind a ruleset names things by: a top node, a leaf, a question, an option, an industry type, a weight set, a level code. */
function idsToRename(doc: Record<string, any>): [string, string][] {
  const out: [string, string][] = [];
  const node = doc.model?.nodes?.[0];
  if (node?.id) out.push(['the node', node.id]);
  let leaf = node;
  while (leaf?.children?.length) leaf = leaf.children[leaf.children.length - 1];
  if (leaf?.id && leaf !== node) out.push(['the leaf', leaf.id]);
  if (doc.questions?.[0]?.id) out.push(['the question', doc.questions[0].id]);
  const option = doc.questions?.[0]?.options?.[0]?.id;
  if (option) out.push(['the option', option]);
  if (doc.industryTypes?.[0]?.id) out.push(['the industry type', doc.industryTypes[0].id]);
  if (doc.scoring?.weightSets?.[0]?.id) out.push(['the weight set', doc.scoring.weightSets[0].id]);
  if (doc.levels?.[0]?.code) out.push(['the level code', doc.levels[0].code]);
  // Only names that stand for one thing: renaming a string used for two would change more than the id.
  return out.filter(([, id], i) => typeof id === 'string' && out.findIndex(([, x]) => x === id) === i);
}

function planFor(op: Operation, k: Known, sessions: Record<Actor, string>): Candidate[] {
  const actor = bestActor(op);
  const cookieOf = (a: Actor) => sessions[a];
  const realPath = (params: Record<string, string> = {}) => op.path.replace(/\{([A-Za-z]+)\}/g, (_m, name: string) => params[name] ?? encodeURIComponent(realParam(op, name, k)));
  const base = (kind: string, category: Category, extra: Partial<FuzzRequest> = {}): FuzzRequest => ({
    op: op.op,
    kind: `${category}: ${kind}`,
    method: op.method,
    path: realPath(),
    actor,
    headers: { ...(cookieOf(actor) ? { cookie: cookieOf(actor) } : {}) },
    mustRefuse: op.write,
    ...extra,
  });
  const jsonRequest = (kind: string, category: Category, text: string | Buffer, headers: Record<string, string> = {}, extra: Partial<FuzzRequest> = {}) => {
    const r = base(kind, category, extra);
    return { ...r, headers: { ...r.headers, 'content-type': JSON_TYPE, ...headers }, body: Buffer.isBuffer(text) ? text : Buffer.from(text, 'utf8') };
  };

  const candidates: Candidate[] = [];
  const seed = seedBody(op, k);
  const validate = op.body ? validator(op.body) : undefined;

  // -- The declared body, mutated: kept only when the schema refuses the result, so the request must fail.
  if (op.body) {
    const start = seed ?? sample(op.body);
    const walked = locations(op.body, start);
    const places = walked.places;
    const expanded = validate!(walked.seed) ? walked.seed : start;
    let firstProperty = true;
    const refused = (specials: Specials, value: Json) => !validate!(specials.standIn(value));
    const add = (label: string, build: (sp: Specials) => Json, priority = false) =>
      candidates.push({
        category: 'body',
        priority,
        build: () => {
          const sp = new Specials();
          const value = build(sp);
          if (!refused(sp, value)) return undefined;
          return jsonRequest(label, 'body', sp.text(value));
        },
      });
    for (const place of places) {
      const where = pointer(place.at);
      const t = typeOf(place.schema);
      // The known ways in go first, at the body's first property (POST /session: the username).
      const first = place.at.length === 1 && firstProperty;
      if (first) firstProperty = false;
      for (const v of PLAIN_VALUES) add(`${where} = ${v.label}`, () => setAt(expanded, place.at, v.value));
      for (const s of SPECIAL_VALUES) add(`${where} = ${s.label}`, (sp) => setAt(expanded, place.at, sp.put(s)), first && (s.label === '{toString: 1}' || s.label === 'array nested 100,000 deep'));
      if (place.at.length && place.required) add(`${where} missing`, () => setAt(expanded, place.at, undefined));
      if (t === 'string') {
        const max = place.schema.maxLength;
        if (max !== undefined) add(`${where}: ${max + 1} characters (max ${max})`, () => setAt(expanded, place.at, 'x'.repeat(max + 1)));
        if (max !== undefined) add(`${where}: lone surrogates past the maximum`, () => setAt(expanded, place.at, '\ud800\udc00\ud800'.repeat(Math.ceil((max + 1) / 2))));
        if (place.schema.pattern) add(`${where}: against its pattern`, () => setAt(expanded, place.at, 'bad value!\u0000\ud800'));
        add(`${where}: 300,000 characters`, () => setAt(expanded, place.at, 'z'.repeat(300_000)));
        // Past the authoring routes' 4 MB; only where no maximum would refuse a shorter one anyway.
        if (max === undefined) add(`${where}: 4,500,000 characters`, () => setAt(expanded, place.at, 'w'.repeat(4_500_000)));
      }
      if (t === 'number' || t === 'integer') {
        if (place.schema.minimum !== undefined) add(`${where}: below its minimum`, () => setAt(expanded, place.at, place.schema.minimum - 1));
        if (place.schema.exclusiveMinimum !== undefined) add(`${where}: at its exclusive minimum`, () => setAt(expanded, place.at, place.schema.exclusiveMinimum));
        if (place.schema.maximum !== undefined) add(`${where}: above its maximum`, () => setAt(expanded, place.at, place.schema.maximum + 1));
        if (t === 'integer') add(`${where}: 1.5 for an integer`, () => setAt(expanded, place.at, 1.5));
      }
      if (place.schema.type === 'array' && place.schema.maxItems !== undefined)
        add(`${where}: ${place.schema.maxItems + 1} items (max ${place.schema.maxItems})`, () => setAt(expanded, place.at, Array.from({ length: place.schema.maxItems + 1 }, () => sample(place.schema.items ?? {}))));
      if (place.schema.maxProperties !== undefined)
        add(`${where}: ${place.schema.maxProperties + 1} properties (max ${place.schema.maxProperties})`, () =>
          setAt(expanded, place.at, Object.fromEntries(Array.from({ length: place.schema.maxProperties + 1 }, (_, i) => [`k${i}`, sample(Object.values<Schema>(place.schema.patternProperties ?? { x: {} })[0])]))),
        );
      if (place.schema.type === 'object' && place.schema.additionalProperties === false) {
        for (const e of EXTRA_KEYS)
          add(`${where}: extra property ${e.label}`, (sp) => {
            const inner = (getAt(expanded, place.at) ?? sample(place.schema)) as Record<string, Json>;
            const text = `{${JSON.stringify(e.key)}:{"isAdmin":true,"role":"platformAdmin"},${sp.text(inner).slice(1)}`.replace(/,}$/, '}');
            return setAt(expanded, place.at, sp.put({ text, standIn: JSON.parse(text), label: e.label }));
          }, e.key === '__proto__' && !place.at.length);
        if (!place.at.length)
          add(`${where}: 20,000 extra properties`, (sp) => {
            const text = `{${Array.from({ length: 20_000 }, (_, i) => `"k${i}":0`).join(',')},${sp.text(expanded).slice(1)}`.replace(/,}$/, '}');
            return sp.put({ text, standIn: JSON.parse(text), label: '20,000 extra properties' });
          });
        add(`${where}: a duplicate key, the last one wrong`, (sp) => {
          const inner = (getAt(expanded, place.at) ?? sample(place.schema)) as Record<string, Json>;
          const first = Object.keys(place.schema.properties ?? {})[0];
          if (!first) return expanded;
          const text = `${sp.text(inner).replace(/}$/, '')}${Object.keys(inner).length ? ',' : ''}${JSON.stringify(first)}:{"toString":1}}`;
          return setAt(expanded, place.at, sp.put({ text, standIn: JSON.parse(text), label: 'duplicate key' }));
        });
      }
    }
  }

  // -- Handler-refused bodies the schema lets through: a ruleset document that is not one, a report
  //    template that does not exist, an overlay too deep to merge, an id key with a line break.
  const semantic = (label: string, body: () => string | undefined, who: Actor = actor, priority = false) =>
    candidates.push({
      category: 'semantic',
      priority,
      build: () => {
        const text = body();
        if (text === undefined) return undefined;
        return jsonRequest(label, 'semantic', text, {}, { actor: who, headers: sessions[who] ? { cookie: sessions[who] } : {} });
      },
    });
  if (op.body?.properties?.document && seed && typeof seed === 'object') {
    const withDocument = (docText: string) => JSON.stringify({ ...(seed as Record<string, Json>), document: '\u0002DOC\u0002' }).replace('"\\u0002DOC\\u0002"', () => docText);
    const docJunk: [string, string][] = [
      ['null', 'null'],
      ['"a ruleset"', 'a string'],
      ['42', 'a number'],
      ['[]', 'an array'],
      ['{}', 'an empty object'],
      ['{"toString":1}', '{toString: 1}'],
      ['{"__proto__":{"id":"x"}}', '{__proto__: …}'],
      [deepArray(10_000).text, 'an array nested 10,000 deep'],
      [deepArray(100_000).text, 'an array nested 100,000 deep'],
      [deepObject(10_000).text, 'an object nested 10,000 deep'],
    ];
    for (const [text, label] of docJunk) semantic(`/document = ${label}`, () => withDocument(text), actor, label.includes('100,000'));
    const draft = (seed as { document?: Record<string, Json> }).document;
    if (draft && typeof draft === 'object' && !Array.isArray(draft)) {
      const report = (draft.report ?? {}) as Record<string, Json>;
      // A draft may name a template that does not exist (a lint error, as any other: publishing refuses it);
      // a preview cannot render it.
      if (op.path === '/api/report-preview')
        semantic('/document/report/template names a template that does not exist', () => withDocument(JSON.stringify({ ...draft, report: { ...report, template: 'no-such-template' } })), actor, true);
      semantic('/document/levels = "five"', () => withDocument(JSON.stringify({ ...draft, levels: 'five' })));
      semantic('/document with an extra property', () => withDocument(JSON.stringify({ ...draft, fuzz: true })));
      const model = JSON.stringify(draft.model ?? {});
      const deepModel = `${model.slice(0, -1)}${model.length > 2 ? ',' : ''}"fuzz":${deepObject(10_000).text}}`;
      semantic('/document/model with an extra property nested 10,000 deep', () => withDocument(JSON.stringify({ ...draft, model: '\u0002M\u0002' }).replace('"\\u0002M\\u0002"', () => deepModel)));
      if (op.path === '/api/rulesets/{id}/{version}') semantic('/document/id differs from the address', () => withDocument(JSON.stringify({ ...draft, id: `${draft.id}-other` })));
    }
  }
  if (op.path === '/api/rulesets/variants' && seed) {
    const s = seed as Record<string, Json>;
    const withOverlay = (overlayText: string) => JSON.stringify({ ...s, overlay: '\u0002O\u0002' }).replace('"\\u0002O\\u0002"', () => overlayText);
    const regions = JSON.stringify([k.ids.region]);
    semantic('/overlay/model nested 10,000 deep', () => withOverlay(`{"regions":${regions},"model":{"fuzz":${deepObject(10_000).text}}}`), actor, true);
    semantic('/overlay/model nested 100,000 deep', () => withOverlay(`{"regions":${regions},"model":{"fuzz":${deepObject(100_000).text}}}`), actor, true);
    semantic('/overlay/title = array nested 100,000 deep', () => withOverlay(`{"regions":${regions},"title":${deepArray(100_000).text}}`));
    semantic('/overlay/model {$replace} nested 10,000 deep', () => withOverlay(`{"regions":${regions},"model":{"$replace":${deepArray(10_000).text}}}`));
    semantic('/overlay/levels = "five"', () => withOverlay(`{"regions":${regions},"levels":"five"}`));
    semantic('/overlay/title = {toString: 1}', () => withOverlay(`{"regions":${regions},"title":{"toString":1}}`));
    semantic('/base names no published ruleset', () => JSON.stringify({ ...s, base: 'no-such-ruleset@9.9.9' }));
    semantic('/base is __proto__@constructor', () => JSON.stringify({ ...s, base: '__proto__@constructor' }));
    semantic('/id is the base\'s own id', () => JSON.stringify({ ...s, id: String(s.base).split('@')[0] }));
  }
  if (op.path === '/api/rulesets/{id}/{version}/publish' && k.ids.unpublishableDraft) {
    const [id, version = ''] = k.ids.unpublishableDraft.split('@');
    const path = `/api/rulesets/${encodeURIComponent(id)}/${encodeURIComponent(version)}/publish`;
    for (const body of ['{}', '{"version":"9.9.9"}'])
      candidates.push({ category: 'semantic', priority: body === '{}', build: () => jsonRequest(`publish ${k.ids.unpublishableDraft} (lint errors) with ${body}`, 'semantic', body, {}, { path }) });
  }
  // Bodies the schema accepts but naming nothing that exists, with the names of Object.prototype's
  // members where a code, id or reference goes: looked up, they must be refused, never found.
  const named = NAMED_NOTHING[`${op.method} ${op.path}`];
  if (named) for (const name of PROTOTYPE_NAMES) semantic(`${named.what} = ${name}`, () => JSON.stringify(named.body(name)), actor, name === '__proto__');
  // Record keys are question or indicator ids: none holds a line break ('^(.*)$' does not match one, so
  // the schema does not look at the value) and none is named after Object.prototype's members.
  if (op.body && seed) {
    for (const [prop, s] of Object.entries<Schema>(op.body.properties ?? {})) {
      if (!isRecord(s) || op.path === '/api/rulesets/variants') continue;
      const withRecord = (recordText: string) => JSON.stringify({ ...(seed as Record<string, Json>), [prop]: '\u0002R\u0002' }).replace('"\\u0002R\\u0002"', () => recordText);
      for (const junk of [deepArray(100_000), deepObject(10_000), textual('{"toString":1}', '{toString: 1}'), textual('{"__proto__":{"x":1}}', '{__proto__}')])
        semantic(`/${prop} key with a line break = ${junk.label}`, () => withRecord(`{"a\\nb":${junk.text}}`));
      const value = JSON.stringify(sample(Object.values<Schema>(s.patternProperties)[0]));
      for (const key of PROTOTYPE_NAMES) semantic(`/${prop} key ${key}`, () => withRecord(`{${JSON.stringify(key)}:${value}}`), actor, key === '__proto__');
    }
  }
  // The designer's preview stores nothing, so it can take a ruleset whose ids are named after
  // Object.prototype's members (valid ids: letters, digits, _ . -): it may render it or refuse it, never fail.
  if (op.path === '/api/report-preview' && k.draft) {
    const draft = k.draft;
    const text = JSON.stringify(draft);
    for (const [what, old] of idsToRename(draft))
      for (const name of PROTOTYPE_NAMES)
        candidates.push({
          category: 'semantic',
          priority: name === '__proto__',
          build: () => {
            const doc = JSON.parse(text.split(JSON.stringify(old)).join(JSON.stringify(name))) as { questions?: { id: string; options?: { id: string }[] }[]; industryTypes?: { id: string }[] };
            const answers = Object.fromEntries((doc.questions ?? []).filter((q) => q.options?.length).map((q) => [q.id, q.options!.at(-1)!.id]));
            const body = JSON.stringify({ document: doc, industryType: doc.industryTypes?.[0]?.id ?? 'discrete', answers });
            return { ...jsonRequest(`/document with ${what} ${old} renamed ${name}, every question answered`, 'semantic', body), mustRefuse: false };
          },
        });
  }

  // -- Broken transport. Operations without a declared body only get what the body parser refuses.
  const seedText = seed !== undefined ? JSON.stringify(seed) : op.body ? JSON.stringify(sample(op.body)) : '{"fuzz":true}';
  const transport = (label: string, text: string | Buffer, headers: Record<string, string> = {}, priority = false) =>
    candidates.push({ category: 'transport', priority, build: () => jsonRequest(label, 'transport', text, headers) });
  const invalidJson = ['{', '{"a":', '{"a":1,}', "{'a':1}", '[1,2', 'NaN', '{"a":1}garbage', '{"a":1}{"b":2}', '{"a":"\u0001"}', '{"a":01}', '{"a":.5}', '{"a":"\\x41"}', '"just a string"', 'null', 'true', '42', '\u0000', '{"a":"\\ud800', '{' + '"a":['.repeat(5000)];
  for (const text of invalidJson) transport(`invalid JSON ${JSON.stringify(text.length > 24 ? text.slice(0, 24) + '…' : text)}`, text);
  candidates.push({
    category: 'transport',
    build: (rng) => {
      const cut = 1 + Math.floor(rng() * Math.max(1, seedText.length - 2));
      const text = seedText.slice(0, cut);
      try {
        JSON.parse(text);
        return undefined;
      } catch {
        return jsonRequest(`JSON truncated at ${cut} of ${seedText.length}`, 'transport', text);
      }
    },
  });
  for (const enc of ['gzip', 'deflate', 'br']) transport(`Content-Encoding: ${enc}, not compressed`, seedText, { 'content-encoding': enc }, enc === 'gzip');
  transport('Content-Encoding: gzip, half a gzip stream', gzipSync(Buffer.from(seedText)).subarray(0, 12), { 'content-encoding': 'gzip' });
  transport('Content-Encoding: gzip, a gzip header and junk', Buffer.concat([Buffer.from([0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 0x03]), Buffer.from('junk junk junk')]), { 'content-encoding': 'gzip' });
  transport('Content-Encoding: gzip, invalid JSON inside', gzipSync(Buffer.from('{"a":')), { 'content-encoding': 'gzip' });
  transport('Content-Encoding: gzip, 10 MB once inflated', gzipBomb(), { 'content-encoding': 'gzip' });
  transport('Content-Encoding: compress', seedText, { 'content-encoding': 'compress' });
  transport('Content-Encoding: gzip, br', seedText, { 'content-encoding': 'gzip, br' });
  transport('Content-Encoding: x-fuzz', seedText, { 'content-encoding': 'x-fuzz' });
  transport('charset=latin1', seedText, { 'content-type': 'application/json; charset=latin1' });
  transport('charset=utf-16 on UTF-8 bytes', seedText, { 'content-type': 'application/json; charset=utf-16' });
  transport('charset=x-fuzz', seedText, { 'content-type': 'application/json; charset=x-fuzz' });
  if (op.body && seedText.startsWith('{') && seedText.length > 2) {
    const bytes = Buffer.concat([Buffer.from('{"'), Buffer.from([0xed, 0xa0, 0x80, 0xff, 0xfe, 0xc0, 0xaf]), Buffer.from('":1,'), Buffer.from(seedText.slice(1))]);
    transport('an extra key of invalid UTF-8 bytes', bytes);
  }
  if (op.body) {
    // The body is right but not declared JSON: the route must refuse it (415), never guess.
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'application/merge-patch+json', 'application/jsonx', ''])
      candidates.push({
        category: 'transport',
        build: () => {
          const r = base(`Content-Type ${type ? JSON.stringify(type) : 'missing'} on a JSON body`, 'transport');
          return { ...r, headers: { ...r.headers, ...(type ? { 'content-type': type } : {}) }, body: Buffer.from(seedText) };
        },
      });
  }
  if (op.upload) {
    const upload = (label: string, body: Buffer, headers: Record<string, string> = {}, priority = false) =>
      candidates.push({ category: 'transport', priority, build: () => { const r = base(label, 'transport'); return { ...r, headers: { ...r.headers, 'content-type': op.upload!, ...headers }, body }; } });
    upload('random bytes as the file', Buffer.from(Array.from({ length: 2048 }, (_, i) => (i * 7919) % 251)), {}, true);
    upload('a zip header and junk as the file', Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(500, 0xff)]));
    upload('an empty zip as the file', Buffer.from([0x50, 0x4b, 0x05, 0x06, ...Array(18).fill(0)]));
    upload('JSON as the file', Buffer.from('{"questions":[]}'));
    upload('the file declared gzip, not compressed', Buffer.from('PK\u0003\u0004junk'), { 'content-encoding': 'gzip' }, true);
    upload('an empty file', Buffer.alloc(0));
    upload('5 MB file', Buffer.alloc(5_000_000, 1));
  }

  // -- Bad path parameters: the others real; with a valid body when there is one, so the handler itself meets the parameter.
  for (const name of op.params) {
    for (const seg of BAD_SEGMENTS) {
      candidates.push({
        category: 'path',
        priority: seg.raw === '%zz',
        build: () => {
          const r = base(`{${name}} = ${seg.label}`, 'path', { path: realPath({ [name]: seg.raw }), mustRefuse: true });
          if (!op.body && !op.upload) return r;
          const text = seed !== undefined ? JSON.stringify(seed) : '{"fuzz":';
          return { ...r, headers: { ...r.headers, 'content-type': op.upload ?? JSON_TYPE }, body: Buffer.from(text) };
        },
      });
    }
  }

  // -- Bad query values: declared integers of GET operations get non-integers; a write operation's query
  //    parameters (which name things: a region) get values naming nothing, with a valid body; and junk
  //    query strings ride on broken bodies.
  const defaults = () => Object.fromEntries(op.query.filter((q) => q.required).map((q) => [q.name, q.type === 'integer' ? '1' : 'x']));
  const withQuery = (params: Record<string, string | string[]>) => {
    const parts = Object.entries(params).flatMap(([n, v]) => (Array.isArray(v) ? v : [v]).map((x) => `${encodeURIComponent(n)}=${x}`));
    return parts.length ? `${realPath()}?${parts.join('&')}` : realPath();
  };
  for (const q of op.query) {
    if (!op.write && q.type !== 'integer') {
      // A string parameter may well take junk and answer 200: only 5xx and the error shape count here.
      for (const bad of BAD_QUERY) candidates.push({ category: 'query', build: () => base(`?${q.name}=${bad.label}`, 'query', { path: withQuery({ ...defaults(), [q.name]: bad.raw }), mustRefuse: false }) });
      candidates.push({ category: 'query', build: () => base(`?${q.name} given twice`, 'query', { path: withQuery({ ...defaults(), [q.name]: ['a', 'b'] }), mustRefuse: false }) });
      continue;
    }
    for (const bad of BAD_QUERY) {
      candidates.push({
        category: 'query',
        build: () => {
          const r = base(`?${q.name}=${bad.label}`, 'query', { path: withQuery({ ...defaults(), [q.name]: bad.raw }), mustRefuse: true });
          return op.body && seed !== undefined ? { ...r, headers: { ...r.headers, 'content-type': JSON_TYPE }, body: Buffer.from(JSON.stringify(seed)) } : r;
        },
      });
    }
    candidates.push({
      category: 'query',
      build: () => {
        const r = base(`?${q.name} given twice`, 'query', { path: withQuery({ ...defaults(), [q.name]: q.type === 'integer' ? ['1', '2'] : [encodeURIComponent(k.ids.region), encodeURIComponent(k.ids.region)] }), mustRefuse: true });
        return op.body && seed !== undefined ? { ...r, headers: { ...r.headers, 'content-type': JSON_TYPE }, body: Buffer.from(JSON.stringify(seed)) } : r;
      },
    });
  }
  if (op.write && op.body)
    candidates.push({
      category: 'query',
      build: (rng) => {
        const junk = pick(rng, ['__proto__[isAdmin]=1', 'constructor[prototype][x]=1', 'a=%zz', `b=${'q'.repeat(6000)}`, 'c=%00&c=%ED%A0%80', 'toString=1&valueOf=2']);
        const r = jsonRequest(`junk query ${junk.slice(0, 30)} with an invalid JSON body`, 'query', '{"fuzz":');
        return { ...r, path: `${r.path}?${junk}` };
      },
    });

  // -- Sessions: no session or a broken cookie on operations that need one; on public operations with a body the schema refuses.
  const schemaRefused = !!validate && !validate({ fuzz: true });
  for (const c of [{ cookie: '', label: 'no session' }, ...BAD_COOKIES]) {
    candidates.push({
      category: 'session',
      priority: c.cookie === 'ladder_sid=%zz' && op.write,
      build: () => {
        if (op.access === 'public' && !op.body && op.write) return undefined;
        const r = base(c.label, 'session', { actor: c.cookie ? 'bad-cookie' : 'anonymous', headers: c.cookie ? { cookie: c.cookie } : {}, mustRefuse: op.write || op.access === 'user' });
        if (op.access === 'user') return op.body && seed !== undefined ? { ...r, headers: { ...r.headers, 'content-type': JSON_TYPE }, body: Buffer.from(JSON.stringify(seed)) } : r;
        if (!op.write) return r;
        // Valid JSON the schema refuses, so the request meets the session lookup before it is refused.
        return { ...r, headers: { ...r.headers, 'content-type': JSON_TYPE }, body: Buffer.from(schemaRefused ? '{"fuzz":true}' : '{"fuzz":') };
      },
    });
  }
  // -- Another actor than the one who would call it, with a broken body (so nothing can go through).
  if (op.write && op.body)
    for (const other of ACTORS.filter((a) => a !== actor))
      candidates.push({
        category: 'session',
        build: (rng) => {
          const text = pick(rng, schemaRefused ? ['{', '{"fuzz":true}', '[]', '{"fuzz":true}'] : ['{', '[]']);
          const r = jsonRequest(`as ${other}, with ${text === '{' ? 'a body that is not JSON' : `the body ${text}`}`, 'session', text, {}, { actor: other });
          return { ...r, headers: { ...r.headers, ...(sessions[other] ? { cookie: sessions[other] } : {}) } };
        },
      });

  return candidates;
}

function getAt(body: Json, at: (string | number)[]): Json {
  let cur: any = body;
  for (const k of at) cur = cur == null ? undefined : Object.prototype.hasOwnProperty.call(cur, k) ? cur[k] : undefined;
  return cur;
}

/** How often each category comes round: the body's mutations are the most numerous, so they get the most turns. */
const TURNS: Record<Category, number> = { body: 4, semantic: 2, transport: 2, path: 2, query: 1, session: 1 };

/** Takes `count` requests from the candidates: the priority ones first, then round robin over the categories, weighted by TURNS. */
function draw(rng: Rng, candidates: Candidate[], count: number): FuzzRequest[] {
  const out: FuzzRequest[] = [];
  const tryBuild = (c: Candidate) => {
    const r = c.build(rng);
    if (r) out.push(r);
    return !!r;
  };
  for (const c of shuffle(rng, candidates.filter((c) => c.priority))) {
    if (out.length >= count) return out;
    tryBuild(c);
  }
  const byCategory = new Map<Category, Candidate[]>();
  for (const c of shuffle(rng, candidates.filter((c) => !c.priority))) byCategory.set(c.category, [...(byCategory.get(c.category) ?? []), c]);
  const queues = [...byCategory.entries()].flatMap(([category, q]) => Array<Candidate[]>(TURNS[category]).fill(q));
  let misses = 0;
  let round = 0;
  while (out.length < count && misses < 10_000) {
    const q = queues[round++ % queues.length];
    if (!q?.length) {
      misses += 1;
      continue;
    }
    // Without replacement while a category lasts, then again from the start (truncations and actors
    // vary); a candidate that builds nothing (the schema would accept its body) is dropped.
    const c = q.shift()!;
    if (tryBuild(c)) q.push(c);
    else misses += 1;
  }
  return out;
}

/** The requests a run sends, in order; the same options give the same requests. */
export function planRequests(options: FuzzOptions, known: Known): FuzzRequest[] {
  const rng = mulberry32(options.seed ?? 12);
  const total = Math.max(options.requests ?? 1000, 1);
  const ops = operations(options.openapi);
  const writes = ops.filter((o) => o.write);
  const reads = ops.filter((o) => !o.write && (o.params.length || o.query.length));
  // Four fifths to the writes, the rest to the GETs' parameters.
  const perWrite = Math.ceil((reads.length ? 0.8 : 1) * total / Math.max(writes.length, 1));
  const perRead = reads.length ? Math.ceil((total - perWrite * writes.length) / reads.length) : 0;
  const planned: FuzzRequest[] = [];
  for (const op of writes) planned.push(...draw(rng, planFor(op, known, options.sessions), perWrite));
  // GET operations: their path and query parameters, and their sessions.
  for (const op of reads) planned.push(...draw(rng, planFor(op, known, options.sessions).filter((c) => c.category === 'path' || c.category === 'query' || c.category === 'session'), Math.max(perRead, 3)));
  return shuffle(rng, planned);
}

// ---------------------------------------------------------------------------------------------
// Sending

interface Answer {
  status: number | string;
  contentType?: string;
  text: string;
}

function send(baseUrl: string, r: FuzzRequest, timeoutMs: number): Promise<Answer> {
  const url = new URL(baseUrl);
  return new Promise((resolve) => {
    let settled = false;
    const done = (a: Answer) => {
      if (!settled) {
        settled = true;
        resolve(a);
      }
    };
    const headers: Record<string, string | number> = { connection: 'close', 'accept-language': r.path.length % 2 ? 'en' : 'zh-CN', ...r.headers };
    if (r.body) headers['content-length'] = r.body.length;
    let req: http.ClientRequest;
    try {
      req = http.request({ host: url.hostname, port: url.port, method: r.method, path: r.path, headers, agent: false, timeout: timeoutMs });
    } catch (e) {
      done({ status: `client refused to send: ${(e as Error).message}`, text: '' });
      return;
    }
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size <= 1_000_000) chunks.push(c);
      });
      res.on('end', () => done({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? ''), text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', (e) => done({ status: res.statusCode ?? `error: ${e.message}`, contentType: String(res.headers['content-type'] ?? ''), text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('timeout', () => {
      done({ status: 'timeout', text: '' });
      req.destroy();
    });
    // A server that answers before reading a large body may close the connection while it is sent:
    // the answer still counts when it arrived.
    req.on('error', (e) => setTimeout(() => done({ status: `error: ${(e as NodeJS.ErrnoException).code ?? e.message}`, text: '' }), 50));
    req.end(r.body);
  });
}

/** The API's error body: `{ error: { code, message, field?, details? } }`. */
export function isErrorBody(contentType: string | undefined, text: string): boolean {
  if (!/^application\/json\b/i.test(contentType ?? '')) return false;
  let body: any;
  try {
    body = JSON.parse(text);
  } catch {
    return false;
  }
  const e = body?.error;
  if (!e || typeof e !== 'object' || typeof e.code !== 'string' || !e.code || typeof e.message !== 'string' || !e.message) return false;
  if (e.field !== undefined && typeof e.field !== 'string') return false;
  if (e.details !== undefined && !(Array.isArray(e.details) && e.details.every((d: any) => d && typeof d.field === 'string' && typeof d.message === 'string'))) return false;
  return true;
}

const excerpt = (s: string, n = 240) => {
  const clean = s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return clean.length > n ? `${clean.slice(0, n)}… (${s.length.toLocaleString('en')} characters)` : clean;
};

function finding(r: FuzzRequest, a: Answer): Finding {
  return {
    op: r.op,
    kind: r.kind,
    method: r.method,
    path: excerpt(r.path, 160),
    actor: r.actor,
    ...(r.headers['content-type'] !== undefined ? { contentType: r.headers['content-type'] } : {}),
    ...(r.headers['content-encoding'] ? { contentEncoding: r.headers['content-encoding'] } : {}),
    body: r.body ? excerpt(r.body.toString('utf8'), 200) : '',
    status: a.status,
    response: excerpt(a.text, 300),
  };
}

async function getJson(baseUrl: string, path: string, cookie: string): Promise<{ status: number | string; body: any }> {
  const a = await send(baseUrl, { op: 'setup', kind: 'setup', method: 'GET', path, actor: 'anonymous', headers: cookie ? { cookie } : {}, mustRefuse: false }, 30_000);
  try {
    return { status: a.status, body: JSON.parse(a.text) };
  } catch {
    return { status: a.status, body: undefined };
  }
}

/** What the plan needs besides the ids: the draft's document and a published ruleset to derive variants from. */
async function discover(options: FuzzOptions): Promise<Known> {
  const [draftId, draftVersion = ''] = options.ids.draftRuleset.split('@');
  const known: Known = { ids: options.ids, draftId, draftVersion };
  const draft = await getJson(options.baseUrl, `/api/rulesets/${encodeURIComponent(draftId)}/${encodeURIComponent(draftVersion)}`, options.sessions.author);
  if (draft.status === 200 && draft.body && typeof draft.body === 'object') known.draft = draft.body;
  const list = await getJson(options.baseUrl, '/api/rulesets', '');
  if (Array.isArray(list.body)) {
    const published = (list.body as { id: string; version: string; status: string; extends?: string; questions: number }[]).filter((r) => r.status === 'published' && !r.extends).sort((a, b) => a.questions - b.questions)[0];
    if (published) known.publishedBase = `${published.id}@${published.version}`;
  }
  return known;
}

// ---------------------------------------------------------------------------------------------
// A world to fuzz

export interface FuzzWorld {
  openapi: OpenApiDocument;
  sessions: Record<Actor, string>;
  ids: FuzzOptions['ids'];
}

/**
 * The actors and ids a fuzz run needs, on a running server over `store` (a fresh one: the staff
 * accounts have fixed names): an enterprise registered as enterprises are, with a diagnosis
 * being answered at level 1; a region administrator of Jiangsu (the enterprise's province); a
 * ruleset author with a draft, and one whose report template does not exist; a platform
 * administrator. Staff accounts go straight into the store, everyone logs in over HTTP.
 */
export async function seedFuzz(options: { baseUrl: string; store: Pick<Store, 'createAccount'>; now?: Date }): Promise<FuzzWorld> {
  const { baseUrl, store } = options;
  const PASSWORD = 'admin1234';
  const call = async (method: string, path: string, body?: unknown, cookie = '') => {
    const res = await fetch(baseUrl + path, {
      method,
      headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(cookie ? { cookie } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    const sid = res.headers.getSetCookie().find((c) => c.startsWith('ladder_sid='));
    return { status: res.status, body: text ? JSON.parse(text) : undefined, cookie: sid ? sid.split(';')[0] : '' };
  };
  const login = async (username: string) => {
    const res = await call('POST', '/api/session', { username, password: PASSWORD });
    if (res.status !== 200 || !res.cookie) throw new Error(`fuzz: login ${username}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.cookie;
  };

  const passwordHash = await hashPassword(PASSWORD);
  const at = (options.now ?? new Date()).toISOString();
  await store.createAccount({ id: 'fuzz-author', username: 'fuzz-author', passwordHash, role: 'rulesetAuthor', createdAt: at });
  await store.createAccount({ id: 'fuzz-js', username: 'fuzz-js-admin', passwordHash, role: 'regionAdmin', region: '320000', createdAt: at });
  await store.createAccount({ id: 'fuzz-platform', username: 'fuzz-platform', passwordHash, role: 'platformAdmin', createdAt: at });
  const tag = randomInt(1, 2 ** 40);
  const registered = await call('POST', '/api/accounts', {
    username: `fuzz_firm_${tag.toString(36)}`,
    password: 'secret123',
    passwordConfirm: 'secret123',
    mobile: '13912345678',
    email: 'contact@example.com',
    enterpriseName: `模糊测试制造有限公司${tag.toString(36)}`,
    creditCode: creditCodeFor(tag),
    enterpriseType: 'production',
    industry: 'C35',
    sizeBand: '100-200',
    revenue: 5000,
    region: '320200',
  });
  if (registered.status !== 201) throw new Error(`fuzz: registration: ${JSON.stringify(registered.body)}`);
  const sessions: Record<Actor, string> = {
    anonymous: '',
    enterprise: registered.cookie,
    regionAdmin: await login('fuzz-js-admin'),
    author: await login('fuzz-author'),
    platformAdmin: await login('fuzz-platform'),
  };
  let diagnosis = await call('POST', '/api/diagnoses', {}, sessions.enterprise);
  if (diagnosis.status === 409) diagnosis = await call('POST', '/api/diagnoses', { acknowledgeWarnings: true }, sessions.enterprise);
  if (diagnosis.status !== 201) throw new Error(`fuzz: diagnosis: ${JSON.stringify(diagnosis.body)}`);
  // Answering level 1, so that what the answers route does with a body gets past the phase check.
  const tailored = await call('POST', `/api/diagnoses/${diagnosis.body.id}/tailoring`, { excluded: [] }, sessions.enterprise);
  if (tailored.status !== 200 || tailored.body.phase.phase !== 'answering') throw new Error(`fuzz: tailoring: ${JSON.stringify(tailored.body)}`);
  const draft = await call('POST', '/api/rulesets', { document: smallRuleset() }, sessions.author);
  if (draft.status !== 201) throw new Error(`fuzz: draft: ${JSON.stringify(draft.body)}`);
  // A draft may name a report template that does not exist; publishing it must be refused.
  const broken = await call('POST', '/api/rulesets', { document: { ...smallRuleset(), id: 'fuzz-no-template', report: { template: 'no-such-template', sections: [] } } }, sessions.author);
  if (broken.status !== 201) throw new Error(`fuzz: draft: ${JSON.stringify(broken.body)}`);
  const openapi = (await call('GET', '/api/openapi.json')).body as OpenApiDocument;
  return {
    openapi,
    sessions,
    ids: { diagnosis: diagnosis.body.id, enterprise: registered.body.enterprise.id, region: '320000', draftRuleset: `${draft.body.id}@${draft.body.version}`, unpublishableDraft: `fuzz-no-template@${broken.body.version}` },
  };
}

/** Runs the fuzz: plans the requests, sends them, and sorts the answers. */
export async function fuzz(options: FuzzOptions): Promise<FuzzResult> {
  const started = Date.now();
  const known = await discover(options);
  const plan = planRequests(options, known);
  const timeoutMs = options.timeoutMs ?? 20_000;
  const result: FuzzResult = { requests: 0, ms: 0, byStatus: {}, byOperation: {}, fiveHundreds: [], badBodies: [], accepted: [], errors: [], serverUp: false, slowest: [] };
  let next = 0;
  const worker = async () => {
    while (next < plan.length) {
      const r = plan[next++];
      const sentAt = Date.now();
      const a = await send(options.baseUrl, r, timeoutMs);
      const ms = Date.now() - sentAt;
      if (result.slowest.length < 10 || ms > result.slowest[result.slowest.length - 1].ms) {
        result.slowest.push({ op: r.op, kind: r.kind, status: a.status, ms });
        result.slowest.sort((x, y) => y.ms - x.ms).splice(10);
      }
      options.onAnswer?.(r, a.status, a.text);
      result.requests += 1;
      result.byOperation[r.op] = (result.byOperation[r.op] ?? 0) + 1;
      const key = typeof a.status === 'number' ? String(a.status) : a.status.startsWith('error') ? 'error' : String(a.status);
      result.byStatus[key] = (result.byStatus[key] ?? 0) + 1;
      if (typeof a.status !== 'number') result.errors.push(finding(r, a));
      else if (a.status >= 500) result.fiveHundreds.push(finding(r, a));
      else if (a.status >= 400) {
        if (!isErrorBody(a.contentType, a.text)) result.badBodies.push(finding(r, a));
      } else if (r.mustRefuse) result.accepted.push(finding(r, a));
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 4) }, worker));
  result.serverUp = (await getJson(options.baseUrl, '/api/openapi.json', '')).status === 200;
  result.ms = Date.now() - started;
  return result;
}

/** Findings grouped by what was wrong with the request (the mutation, path parameters by position) and the status, with the operations each group reached. */
export function groupFindings(findings: Finding[]): { kind: string; status: number | string; count: number; ops: string[]; example: Finding }[] {
  const groups = new Map<string, { kind: string; status: number | string; count: number; ops: string[]; example: Finding }>();
  for (const f of findings) {
    const kind = f.kind.replace(/truncated at \d+ of \d+/, 'truncated').replace(/^path: \{[A-Za-z]+\}/, 'path: {param}');
    const key = `${kind}\u0000${f.status}`;
    const g = groups.get(key);
    if (!g) groups.set(key, { kind, status: f.status, count: 1, ops: [f.op], example: f });
    else {
      g.count += 1;
      if (!g.ops.includes(f.op)) g.ops.push(f.op);
    }
  }
  return [...groups.values()].sort((a, b) => b.count - a.count || a.kind.localeCompare(b.kind));
}

/** A readable list of findings: one paragraph per group, with the operations it reached and an example request and answer. */
export function describeFindings(findings: Finding[], max = 40): string {
  const groups = groupFindings(findings);
  const lines = groups.slice(0, max).map((g) => {
    const e = g.example;
    const sent = `${e.method} ${e.path} as ${e.actor}${e.contentType !== undefined ? ` (${e.contentType}${e.contentEncoding ? `, Content-Encoding: ${e.contentEncoding}` : ''})` : ''}`;
    return `${g.count}× ${g.kind} → ${g.status}, on ${g.ops.length} operation(s): ${g.ops.slice(0, 8).join(', ')}${g.ops.length > 8 ? ', …' : ''}\n    e.g. ${sent}\n    sent: ${e.body || '(no body)'}\n    got:  ${e.response}`;
  });
  return lines.join('\n') + (groups.length > max ? `\n… and ${groups.length - max} more groups` : '');
}
