// A route is declared once with its body schema; the same declaration validates requests with
// ajv and produces the OpenAPI document at /api/openapi.json.
import express, { type NextFunction, type Request, type RequestHandler, type Response, type Router } from 'express';
import type { TSchema } from '@sinclair/typebox';
import { Ajv, type ValidateFunction } from 'ajv';
import { schemaProblems, type Text } from '../../engine/index.ts';
import { ApiError } from './apiError.ts';

export type Access = 'public' | 'user';

export interface RouteSpec<B = unknown> {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
  summary: string;
  tag: string;
  access: Access;
  body?: TSchema;
  /** A file sent as the raw body instead of JSON (`body` then stays unset): its media type, size limit and what to call it. */
  upload?: { type: string; limit: string; what: Text };
  query?: Record<string, { type: 'string' | 'integer'; required?: boolean; description?: string }>;
  responses: Record<number, string>;
  handler: (req: Request & { body: B }, res: Response) => Promise<unknown> | unknown;
}

const ajv = new Ajv({ allErrors: true, strict: false, coerceTypes: false });

export class RouteTable {
  readonly specs: RouteSpec[] = [];

  constructor(
    private readonly router: Router,
    private readonly requireUser: RequestHandler,
  ) {}

  add<B>(spec: RouteSpec<B>) {
    this.specs.push(spec as RouteSpec);
    const validate: ValidateFunction | undefined = spec.body ? ajv.compile(JSON.parse(JSON.stringify(spec.body))) : undefined;
    const handlers: RequestHandler[] = [];
    if (spec.access === 'user') handlers.push(this.requireUser);
    // After requireUser, so that an anonymous upload is refused before it is read.
    if (spec.upload) handlers.push(express.raw({ type: spec.upload.type, limit: spec.upload.limit }));
    handlers.push(async (req: Request, res: Response, next: NextFunction) => {
      try {
        if (validate) {
          if (req.body === undefined || !req.is('application/json'))
            throw new ApiError(415, 'json_required', { zh: '请求内容须为 JSON（Content-Type: application/json）', en: 'the body must be JSON (Content-Type: application/json)' });
          if (!validate(req.body)) throw ApiError.fromProblems(schemaProblems(validate.errors));
        }
        if (spec.upload && !(Buffer.isBuffer(req.body) && req.body.length > 0))
          throw new ApiError(415, 'file_required', { zh: `请求内容须为${spec.upload.what.zh}（Content-Type: ${spec.upload.type}）`, en: `the body must be ${spec.upload.what.en} (Content-Type: ${spec.upload.type})` });
        const out = await spec.handler(req as Request & { body: B }, res);
        if (!res.headersSent) {
          if (out === undefined) res.status(204).end();
          else res.json(out);
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
    for (const s of this.specs) {
      const path = '/api' + s.path.replace(/:([A-Za-z]+)/g, '{$1}');
      const params = [...s.path.matchAll(/:([A-Za-z]+)/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
      const query = Object.entries(s.query ?? {}).map(([name, q]) => ({ name, in: 'query', required: q.required ?? false, description: q.description, schema: { type: q.type } }));
      (paths[path] ??= {})[s.method] = {
        summary: s.summary,
        tags: [s.tag],
        ...(s.access === 'user' ? { security: [{ session: [] }] } : {}),
        ...(params.length || query.length ? { parameters: [...params, ...query] } : {}),
        ...(s.body ? { requestBody: { required: true, content: { 'application/json': { schema: JSON.parse(JSON.stringify(s.body)) } } } } : {}),
        ...(s.upload ? { requestBody: { required: true, description: s.upload.what.en, content: { [s.upload.type]: { schema: { type: 'string', format: 'binary' } } } } } : {}),
        responses: Object.fromEntries(
          Object.entries(s.responses).map(([status, description]) => [
            status,
            { description, ...(Number(status) >= 400 ? { content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } } : {}) },
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
                },
              },
            },
          },
        },
      },
    };
  }
}
