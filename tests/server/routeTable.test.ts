// The route table: one declaration gives validation, the OpenAPI document (with operation ids and
// response schemas) and, in the test suite, a check of every answer against its schema.
import express, { Router } from 'express';
import request from 'supertest';
import { Type } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import { RouteTable, operationIdOf } from '../../server/http/routes.ts';
import { errorHandler } from '../../server/http/apiError.ts';
import { ResultViewSchema } from '../../engine/index.ts';

function app(answer: unknown) {
  const router = Router();
  const routes = new RouteTable(router, (_req, _res, next) => next(), true);
  routes.add({ method: 'get', path: '/things/:id', tag: 't', summary: 's', access: 'public', responses: { 200: 'a thing' }, response: Type.Object({ name: Type.String() }, { additionalProperties: false }), handler: () => answer as { name: string } });
  routes.add({ method: 'get', path: '/views/:id', tag: 't', summary: 's', access: 'public', responses: { 200: 'a view' }, response: ResultViewSchema, handler: () => undefined });
  const a = express();
  a.use(router);
  a.use(errorHandler(() => undefined));
  return { app: a, openapi: routes.openapi({ title: 't', version: '1' }) };
}

describe('the route table', () => {
  it('names each operation from its method and path', () => {
    expect(operationIdOf('get', '/diagnoses/:id/result')).toBe('getDiagnosesByIdResult');
    expect(operationIdOf('put', '/rulesets/:id/:version')).toBe('putRulesetsByIdByVersion');
    expect(operationIdOf('post', '/password-reset/request')).toBe('postPasswordResetRequest');
  });

  it('answers 500 when an answer leaves its declared schema, and passes one that fits', async () => {
    expect((await request(app({ name: 'ok' }).app).get('/things/1')).status).toBe(200);
    expect((await request(app({ name: 1 }).app).get('/things/1')).status).toBe(500);
    expect((await request(app({ name: 'ok', extra: true }).app).get('/things/1')).status).toBe(500);
  });

  it('puts the response schemas in the OpenAPI document, recursive ones among its components', () => {
    const { openapi } = app({});
    const view = (openapi.paths['/api/views/{id}'] as Record<string, { operationId: string; responses: Record<string, { content: Record<string, { schema: unknown }> }> }>).get;
    expect(view.operationId).toBe('getViewsById');
    const text = JSON.stringify(view.responses['200'].content['application/json'].schema);
    expect(text).toContain('#/components/schemas/ViewNode');
    expect(text).not.toContain('"$id"');
    expect(openapi.components.schemas).toHaveProperty('ViewNode');
  });
});
