// A route is declared once with its request and response schemas (TypeBox); the same declaration
// validates requests with ajv, produces the OpenAPI document at /api/openapi.json (from which the
// UIs' typed client is generated: ui/api/), and, where responses are checked (the test suite), holds
// every answer to its schema.
import express, { type NextFunction, type Request, type RequestHandler, type Response, type Router } from 'express';
import type { Static, TSchema } from '@sinclair/typebox';
import { Ajv, type ValidateFunction } from 'ajv';
import { schemaProblems, type Text } from '../../engine/index.ts';
import { ApiError } from './apiError.ts';
import { requestScope } from './requestLog.ts';

export type Access = 'public' | 'user';

export interface RouteSpec<B = unknown, R extends TSchema = TSchema> {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
  summary: string;
  tag: string;
  access: Access;
  body?: TSchema;
  /** A file sent as the raw body instead of JSON (`body` then stays unset): its media type, size limit and what to call it. */
  upload?: {
    type: string;
    limit: string;
    what: Text;
    /** The handler reads the body itself (its limit known only then, e.g. from a ruleset), refusing an oversized one as it streams. */
    streamed?: boolean;
  };
  query?: Record<string, { type: 'string' | 'integer'; required?: boolean; description?: string }>;
  responses: Record<number, string>;
  /** The body of the success answer (JSON); absent for routes answering 204, a file or HTML. */
  response?: R;
  /** Names the operation in the OpenAPI document and the typed client; derived from method and path when absent. */
  operationId?: string;
  /** Returns the success answer (held to `response` where one is declared), or sends one itself, or nothing for a 204. */
  handler: (req: Request & { body: B }, res: Response) => Promise<Static<R> | undefined | void> | Static<R> | undefined | void;
}

/** `get /diagnoses/:id/result` → getDiagnosesByIdResult. */
export const operationIdOf = (method: string, path: string) =>
  method +
  path
    .split('/')
    .filter(Boolean)
    .map((seg) => (seg.startsWith(':') ? `By${seg[1].toUpperCase()}${seg.slice(2)}` : seg.replace(/[-.](\w)/g, (_, c: string) => c.toUpperCase())))
    .map((seg) => seg[0].toUpperCase() + seg.slice(1))
    .join('');

/**
 * A schema as the OpenAPI document holds it: named subschemas (TypeBox's recursive ones, `$id:
 * "ViewNode"`) go to components and are referred to there; absolute `$id`s, which would rebase
 * references, are dropped.
 */
function hoisted(schema: TSchema, components: Record<string, unknown>): unknown {
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (!v || typeof v !== 'object') return v;
    const o = { ...(v as Record<string, unknown>) };
    if (typeof o.$ref === 'string' && !o.$ref.includes('#') && !o.$ref.includes('/')) o.$ref = `#/components/schemas/${o.$ref}`;
    const id = o.$id;
    delete o.$id;
    for (const [k, x] of Object.entries(o)) o[k] = walk(x);
    if (typeof id === 'string' && !id.includes('/')) {
      components[id] = o;
      return { $ref: `#/components/schemas/${id}` };
    }
    // Definitions that were all named went to components above: nothing is left to define here.
    if (o.$defs && typeof o.$defs === 'object' && Object.values(o.$defs as object).every((d) => d && typeof d === 'object' && '$ref' in d)) delete o.$defs;
    return o;
  };
  return walk(JSON.parse(JSON.stringify(schema)));
}

/** An answer that does not match its declared schema: a bug on the server, reported with what differs. */
export class ResponseMismatch extends Error {}

const ajv = new Ajv({ allErrors: true, strict: false, coerceTypes: false });
/**
 * Response checkers, compiled once per schema in a process (apps come and go in tests), each in
 * its own ajv so that schemas naming the same `$id` never collide.
 */
const responseCheckers = new WeakMap<TSchema, ValidateFunction>();
const responseChecker = (schema: TSchema) => {
  let check = responseCheckers.get(schema);
  if (!check) responseCheckers.set(schema, (check = new Ajv({ allErrors: true, strict: false, coerceTypes: false }).compile(JSON.parse(JSON.stringify(schema)))));
  return check;
};

export class RouteTable {
  readonly specs: RouteSpec[] = [];

  constructor(
    private readonly router: Router,
    private readonly requireUser: RequestHandler,
    /** Hold every JSON answer to its declared schema (the test suite sets LADDER_VALIDATE_RESPONSES=1). */
    private readonly checkResponses = process.env.LADDER_VALIDATE_RESPONSES === '1',
  ) {}

  add<B, R extends TSchema = TSchema>(spec: RouteSpec<B, R>) {
    this.specs.push(spec as unknown as RouteSpec);
    const validate: ValidateFunction | undefined = spec.body ? ajv.compile(JSON.parse(JSON.stringify(spec.body))) : undefined;
    const validateResponse: ValidateFunction | undefined = this.checkResponses && spec.response ? responseChecker(spec.response) : undefined;
    const handlers: RequestHandler[] = [];
    if (spec.access === 'user') handlers.push(this.requireUser);
    // After requireUser, so that an anonymous upload is refused before it is read.
    // requestScope: the body parser left the request's log scope (see requestLog.ts).
    if (spec.upload && !spec.upload.streamed) handlers.push(express.raw({ type: spec.upload.type, limit: spec.upload.limit }), requestScope);
    handlers.push(async (req: Request, res: Response, next: NextFunction) => {
      try {
        if (validate) {
          if (req.body === undefined || !req.is('application/json'))
            throw new ApiError(415, 'json_required', { zh: '请求内容须为 JSON（Content-Type: application/json）', en: 'the body must be JSON (Content-Type: application/json)' });
          if (!validate(req.body)) throw ApiError.fromProblems(schemaProblems(validate.errors));
        }
        if (spec.upload && !spec.upload.streamed && !(Buffer.isBuffer(req.body) && req.body.length > 0))
          throw new ApiError(415, 'file_required', { zh: `请求内容须为${spec.upload.what.zh}（Content-Type: ${spec.upload.type}）`, en: `the body must be ${spec.upload.what.en} (Content-Type: ${spec.upload.type})` });
        const out = await spec.handler(req as Request & { body: B }, res);
        if (!res.headersSent) {
          if (out === undefined) res.status(204).end();
          else {
            if (validateResponse && !validateResponse(JSON.parse(JSON.stringify(out))))
              throw new ResponseMismatch(`${spec.method.toUpperCase()} ${spec.path} answered outside its schema: ${JSON.stringify(validateResponse.errors?.slice(0, 5))}`);
            res.json(out);
          }
        }
      } catch (e) {
        next(e);
      }
    });
    // Express paths use :param; the OpenAPI document uses {param}.
    this.router[spec.method](spec.path, ...handlers);
  }

  openapi(info: { title: string; version: string }) {
    const paths: Record<string, Record<string, unknown>> = {};
    const named: Record<string, unknown> = {};
    for (const s of this.specs) {
      const success = Object.keys(s.responses).find((status) => Number(status) >= 200 && Number(status) < 300);
      const path = '/api' + s.path.replace(/:([A-Za-z]+)/g, '{$1}');
      const params = [...s.path.matchAll(/:([A-Za-z]+)/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
      const query = Object.entries(s.query ?? {}).map(([name, q]) => ({ name, in: 'query', required: q.required ?? false, description: q.description, schema: { type: q.type } }));
      (paths[path] ??= {})[s.method] = {
        operationId: s.operationId ?? operationIdOf(s.method, s.path),
        summary: s.summary,
        tags: [s.tag],
        ...(s.access === 'user' ? { security: [{ session: [] }] } : {}),
        ...(params.length || query.length ? { parameters: [...params, ...query] } : {}),
        ...(s.body ? { requestBody: { required: true, content: { 'application/json': { schema: JSON.parse(JSON.stringify(s.body)) } } } } : {}),
        ...(s.upload ? { requestBody: { required: true, description: s.upload.what.en, content: { [s.upload.type]: { schema: { type: 'string', format: 'binary' } } } } } : {}),
        responses: Object.fromEntries(
          Object.entries(s.responses).map(([status, description]) => [
            status,
            {
              description,
              ...(Number(status) >= 400 ? { content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } } : {}),
              ...(status === success && s.response ? { content: { 'application/json': { schema: hoisted(s.response, named) } } } : {}),
            },
          ]),
        ),
      };
    }
    return {
      openapi: '3.1.0',
      info,
      paths,
      components: {
        securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'ladder_sid' } },
        schemas: {
          ...named,
          Error: {
            type: 'object',
            required: ['error'],
            properties: {
              error: {
                type: 'object',
                required: ['code', 'message'],
                properties: {
                  code: { type: 'string' },
                  message: { type: 'string', description: 'zh-CN, or English with Accept-Language: en' },
                  field: { type: 'string', description: 'JSON pointer or field name' },
                  details: { type: 'array', items: { type: 'object', properties: { field: { type: 'string' }, message: { type: 'string' } } } },
                  requestId: { type: 'string', description: 'on a 5xx: the id of the request in the server log (also its X-Request-Id header)' },
                },
              },
            },
          },
        },
      },
    };
  }
}
