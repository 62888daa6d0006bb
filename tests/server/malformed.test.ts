// Issue 12 §6: malformed requests the attacker's fuzzing answered with a 500. Each must be a 4xx
// with the usual error body, and change nothing. (tests/server/fuzz.test.ts generates many more.)
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { harness, enterpriseAgent, type Harness } from './harness.ts';
import { hashPassword } from '../../server/accounts/password.ts';
import { smallRuleset } from '../fixtures/small.ts';

let h: Harness;

beforeAll(async () => {
  h = await harness();
  const passwordHash = await hashPassword('admin1234');
  const at = new Date().toISOString();
  await h.store.createAccount({ id: 'author', username: 'author', passwordHash, role: 'rulesetAuthor', createdAt: at });
  await h.store.createAccount({ id: 'js', username: 'js-admin', passwordHash, role: 'regionAdmin', region: '320000', createdAt: at });
});

const login = async (username: string) => {
  const agent = h.agent();
  await agent.post('/api/session').send({ username, password: 'admin1234' }).expect(200);
  return agent;
};

const refused = (res: request.Response, status: number, code?: string) => {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.body.error.message).toBeTruthy();
  if (code) expect(res.body.error.code).toBe(code);
};

/** `depth` nested arrays as JSON text (JSON.stringify itself would overflow the stack). */
const nested = (depth: number) => `${'['.repeat(depth)}"x"${']'.repeat(depth)}`;

describe('malformed requests', () => {
  it('refuses a body that claims gzip but is not, and accepts one that is', async () => {
    const bad = await request(h.app).post('/api/session').set('Content-Type', 'application/json').set('Content-Encoding', 'gzip').send('{"username":"a","password":"b"}');
    refused(bad, 400, 'bad_encoding');
    const good = await request(h.app)
      .post('/api/session')
      .set('Content-Type', 'application/json')
      .set('Content-Encoding', 'gzip')
      .serialize((b: Buffer) => b as unknown as string)
      .send(gzipSync('{"username":"nobody","password":"wrong-pass1"}'));
    refused(good, 401, 'invalid_credentials');
  });

  it('refuses a path parameter that is not valid percent-encoding', async () => {
    const { agent } = await enterpriseAgent(h);
    refused(await agent.get('/api/diagnoses/%zz'), 400, 'bad_path');
    refused(await agent.get('/api/rulesets/%E0%A4%A/1.0.0'), 400, 'bad_path');
  });

  it('refuses a username that is an object or a deeply nested array, before any limiter reads it', async () => {
    refused(await request(h.app).post('/api/session').send({ username: { toString: 1 }, password: 'x' }), 400, 'invalid');
    refused(await request(h.app).post('/api/password-reset/request').send({ username: { toString: 1 }, mobile: '13912345678' }), 400, 'invalid');
    const deep = `{"username":${nested(100_000)},"password":"x"}`;
    refused(await request(h.app).post('/api/session').set('Content-Type', 'application/json').send(deep), 400, 'too_deep');
  });

  it('refuses an overlay nested 10,000 deep, and saves nothing', async () => {
    const js = await login('js-admin');
    const before = (await h.store.listRulesets()).length;
    const body = `{"base":"cmmm-gbt39116@1.0.0","id":"js-deep","version":"1.0.0","overlay":{"regions":["320000"],"title":${nested(10_000)}}}`;
    const res = await js.post('/api/rulesets/variants').set('Content-Type', 'application/json').send(body);
    refused(res, 400, 'too_deep');
    expect((await h.store.listRulesets()).length).toBe(before);
  });

  it('refuses to publish a ruleset whose report template does not exist', async () => {
    const author = await login('author');
    for (const template of ['nonexistent', '..']) {
      const id = `tpl-${template === '..' ? 'dots' : template}`;
      const saved = await author.post('/api/rulesets').send({ document: { ...smallRuleset(), id, report: { template, sections: [] } } }).expect(201);
      expect(saved.body.findings.map((f: { code: string; pointer: string }) => `${f.code} ${f.pointer}`)).toContain('report-template /report/template');
      const res = await author.post(`/api/rulesets/${id}/1.0.0/publish`).send({});
      refused(res, 400, 'lint_errors');
      expect(res.body.error.field).toBe('/report/template');
      expect((await h.store.getRuleset(id, '1.0.0'))!.status).toBe('draft');
    }
  });
});
