// What a province's operations team relies on (issue 15): health and readiness probes, compressed
// answers and cached assets, a request id on every answer and log line, an access line per
// request, no secret in any log line, and only trusted proxies believed.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { harness, registration, type Harness } from './harness.ts';
import { trustProxyFromEnv } from '../../server/context.ts';
import { createLogger } from '../../server/log.ts';
import { loggedUrl } from '../../server/http/requestLog.ts';
import { RUNTIME_DIST } from '../../server/app.ts';
import { PostgresStore } from '../../server/store/postgres/store.ts';
import { freshDatabase } from '../postgresCluster.ts';

interface Line {
  level: string;
  time: string;
  msg: string;
  reqId?: string;
  userId?: string;
  method?: string;
  path?: string;
  status?: number;
  ms?: number;
  ip?: string;
  err?: { stack?: string };
}

const opened: Harness[] = [];
afterEach(async () => {
  for (const h of opened.splice(0)) {
    await h.ctx.background.settled();
    await h.store.close().catch(() => undefined);
  }
});

/** A harness whose log lines are kept, parsed. */
async function logged(env: NodeJS.ProcessEnv = {}) {
  const raw: string[] = [];
  const h = await harness({ log: (line) => void raw.push(line), env });
  opened.push(h);
  const lines = () => raw.map((l) => JSON.parse(l) as Line);
  const access = (reqId: string) => lines().find((l) => l.reqId === reqId && l.status !== undefined);
  return { h, raw, lines, access };
}

describe('/healthz and /readyz', () => {
  it('say the process is alive and ready, without a session, never cached', async () => {
    const { h } = await logged();
    const health = await request(h.app).get('/healthz').expect(200);
    expect(health.body).toEqual({ status: 'ok' });
    expect(health.headers['cache-control']).toBe('no-store');
    const ready = await request(h.app).get('/readyz').expect(200);
    expect(ready.body).toEqual({ status: 'ready', checks: { store: 'ok', migrations: 'applied', chromium: expect.stringMatching(/^(present|missing)$/) } });
    expect(ready.headers['cache-control']).toBe('no-store');
  });

  it('reports Chromium without taking the instance out when it is missing', async () => {
    const { h } = await logged();
    const before = process.env.PUPPETEER_EXECUTABLE_PATH;
    process.env.PUPPETEER_EXECUTABLE_PATH = '/nonexistent/chromium';
    try {
      const ready = await request(h.app).get('/readyz').expect(200);
      expect(ready.body.checks.chromium).toBe('missing');
    } finally {
      if (before === undefined) delete process.env.PUPPETEER_EXECUTABLE_PATH;
      else process.env.PUPPETEER_EXECUTABLE_PATH = before;
    }
  });

  it('answer 503 while draining (alive all the same), and when the store cannot be reached, logging why once', async () => {
    const { h, lines } = await logged();
    const { lifecycle } = h;
    lifecycle.draining = true;
    const draining = await request(h.app).get('/readyz').expect(503);
    expect(draining.body.status).toBe('draining');
    expect(draining.headers.connection).toBe('close');
    await request(h.app).get('/healthz').expect(200);
    lifecycle.draining = false;

    await h.store.close();
    const down = await request(h.app).get('/readyz').expect(503);
    expect(down.body).toMatchObject({ status: 'unavailable', checks: { store: 'unreachable' } });
    await request(h.app).get('/readyz').expect(503);
    // The reason is for the operator, not for whoever asks.
    expect(JSON.stringify(down.body)).not.toMatch(/closed/);
    expect(lines().filter((l) => l.msg.startsWith('not ready'))).toHaveLength(1);
  });

  it('share one store check among probes arriving together, and give up on a store that does not answer within 2 s', async () => {
    const { h } = await logged();
    const ping = h.store.ping.bind(h.store);
    let pings = 0;
    h.store.ping = async () => {
      pings += 1;
      await new Promise((r) => setTimeout(r, 100));
      return ping();
    };
    const answers = await Promise.all(Array.from({ length: 10 }, () => request(h.app).get('/readyz')));
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 200));
    expect(pings).toBe(1);

    h.store.ping = () => new Promise(() => undefined);
    const started = Date.now();
    const hung = await request(h.app).get('/readyz').expect(503);
    expect(hung.body.checks.store).toBe('unreachable');
    expect(Date.now() - started).toBeLessThan(4000);
  });

  it('answer 503 on PostgreSQL while a migration this Ladder knows is not applied', async () => {
    const url = await freshDatabase(inject('postgresUrl'));
    const store = await PostgresStore.open(url);
    const { h } = { h: await harness({ store }) };
    try {
      await request(h.app).get('/readyz').expect(200);
      const db = new pg.Client({ connectionString: url });
      await db.connect();
      const { rows } = await db.query<{ version: number }>('DELETE FROM ladder_migrations WHERE version = (SELECT max(version) FROM ladder_migrations) RETURNING version');
      await db.end();
      const ready = await request(h.app).get('/readyz').expect(503);
      expect(ready.body).toMatchObject({ status: 'unavailable', checks: { store: 'ok', migrations: 'pending' } });
      expect(await store.ping()).toEqual({ pendingMigrations: [rows[0].version] });
    } finally {
      await store.close();
    }
  });

  it('are outside the API: not in its OpenAPI document, no session or same-origin check', async () => {
    const { h } = await logged();
    expect(Object.keys(h.openapi.paths).filter((p) => /healthz|readyz/.test(p))).toEqual([]);
    await request(h.app).get('/readyz').set('Origin', 'https://elsewhere.example').set('Sec-Fetch-Site', 'cross-site').expect(200);
  });
});

describe('compression and caching', () => {
  it('compresses JSON answers for clients that accept it', async () => {
    const { h } = await logged();
    const gzip = await request(h.app).get('/api/openapi.json').set('Accept-Encoding', 'gzip');
    expect(gzip.status).toBe(200);
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gzip.body.openapi).toBe('3.1.0');
    const plain = await request(h.app).get('/api/openapi.json').set('Accept-Encoding', 'identity');
    expect(plain.headers['content-encoding']).toBeUndefined();
  });

  it.runIf(existsSync(join(RUNTIME_DIST, 'index.html')))('serves hashed assets compressed and immutable, and the pages that name them checked each time', async () => {
    const { h } = await logged();
    const index = await request(h.app).get('/').set('Accept-Encoding', 'gzip').expect(200);
    expect(index.headers['cache-control']).toBe('no-cache');
    const script = /src="\/(assets\/index-[\w-]+\.js)"/.exec(index.text)?.[1];
    expect(script, index.text).toBeTruthy();
    expect(readdirSync(join(RUNTIME_DIST, 'assets'))).toContain(script!.slice('assets/'.length));
    const js = await request(h.app).get(`/${script}`).set('Accept-Encoding', 'gzip, br').buffer(true).parse((res, done) => {
      res.on('data', () => undefined);
      res.on('end', () => done(null, null));
    });
    expect(js.status).toBe(200);
    expect(js.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(js.headers['content-encoding']).toMatch(/^(gzip|br)$/);
    // A client-side route is the same page, checked each time too.
    const route = await request(h.app).get('/diagnoses/123').expect(200);
    expect(route.headers['cache-control']).toBe('no-cache');
    expect(route.text).toContain(script);
    const designer = await request(h.app).get('/designer/').expect(200);
    expect(designer.headers['cache-control']).toBe('no-cache');
  });
});

describe('request ids and the access log', () => {
  it('gives every answer an id, writes an access line with it, and names the user once known', async () => {
    const { h, access, lines } = await logged();
    const res = await request(h.app).get('/api/session');
    const id = res.headers['x-request-id'];
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const line = access(id)!;
    expect(line).toMatchObject({ level: 'info', reqId: id, method: 'GET', path: '/api/session', status: 401, ip: expect.stringMatching(/(^|:)127\.0\.0\.1$/) });
    expect(line.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(line.ms).toBeGreaterThanOrEqual(0);
    expect(line.msg).toMatch(/^GET \/api\/session 401 /);

    const agent = h.agent();
    const fields = registration();
    const created = await agent.post('/api/accounts').send(fields).expect(201);
    const me = await agent.get('/api/session').expect(200);
    expect(access(me.headers['x-request-id'])).toMatchObject({ status: 200, userId: created.body.user.id });
    // Another request's id is never reused.
    expect(new Set(lines().map((l) => l.reqId).filter(Boolean)).size).toBeGreaterThanOrEqual(3);
  });

  it("takes a trusted proxy's X-Request-Id and forwarded address, and an untrusted peer's neither", async () => {
    const behindLoopback = await logged();
    const res = await request(behindLoopback.h.app).get('/healthz').set('X-Request-Id', 'nginx-4f2a9c').set('X-Forwarded-For', '203.0.113.7');
    expect(res.headers['x-request-id']).toBe('nginx-4f2a9c');
    expect(behindLoopback.access('nginx-4f2a9c')).toMatchObject({ ip: '203.0.113.7', path: '/healthz' });
    // An id that could corrupt a log line is replaced.
    const odd = await request(behindLoopback.h.app).get('/healthz').set('X-Request-Id', 'a b"c');
    expect(odd.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);

    const elsewhere = await logged({ LADDER_TRUST_PROXY: '10.0.0.0/8, 192.168.0.1' });
    const direct = await request(elsewhere.h.app).get('/healthz').set('X-Request-Id', 'forged-by-client').set('X-Forwarded-For', '203.0.113.7');
    expect(direct.headers['x-request-id']).not.toBe('forged-by-client');
    expect(elsewhere.access(direct.headers['x-request-id'])).toMatchObject({ ip: expect.stringMatching(/(^|:)127\.0\.0\.1$/) });

    const hops = await logged({ LADDER_TRUST_PROXY: '1' });
    const oneHop = await request(hops.h.app).get('/healthz').set('X-Forwarded-For', '198.51.100.1, 203.0.113.9');
    expect(hops.access(oneHop.headers['x-request-id'])).toMatchObject({ ip: '203.0.113.9' });
  });

  it('reads LADDER_TRUST_PROXY as loopback, a number of hops or addresses, and refuses to trust everyone', () => {
    expect(trustProxyFromEnv(undefined)).toBe('loopback');
    expect(trustProxyFromEnv('2')).toBe(2);
    expect(trustProxyFromEnv('10.0.0.0/8,127.0.0.1')).toBe('10.0.0.0/8,127.0.0.1');
    expect(() => trustProxyFromEnv('true')).toThrow(/LADDER_TRUST_PROXY/);
  });

  it('names the request id in a 500 answer and on the error line logged while serving it', async () => {
    const { h, lines } = await logged();
    h.store.findUserByUsername = async () => {
      throw new Error('the disk caught fire');
    };
    const res = await request(h.app).post('/api/session').send({ username: 'someone', password: 'secret-pass-1' }).expect(500);
    const id = res.headers['x-request-id'];
    expect(res.body.error).toMatchObject({ code: 'internal', requestId: id });
    expect(res.body.error.message).toContain(id);
    expect(JSON.stringify(res.body)).not.toMatch(/fire/);
    const mine = lines().filter((l) => l.reqId === id);
    expect(mine.find((l) => l.level === 'error')).toMatchObject({ msg: expect.stringMatching(/^\[error\] POST \/api\/session: the disk caught fire/), err: { stack: expect.stringContaining('Error') } });
    expect(mine.find((l) => l.status === 500)).toBeTruthy();
  });
});

describe('secrets in the log', () => {
  it('writes no password, code, cookie or credential of any request into any log line', async () => {
    const { h, raw } = await logged();
    const agent = h.agent();
    const fields = registration({ password: 'Pw-register-7781', passwordConfirm: 'Pw-register-7781', mobile: '13800005555' });
    const created = await agent.post('/api/accounts').send(fields).expect(201);
    const cookie = String(created.headers['set-cookie']).split(';')[0];
    const sid = cookie.split('=')[1];
    await request(h.app).post('/api/session').send({ username: fields.username, password: 'Pw-wrong-5512' }).expect(401);
    await request(h.app).get('/api/session').set('Cookie', cookie).set('Authorization', 'Bearer tok-9931-secret').expect(200);
    await request(h.app).post('/api/password-reset/request').send({ username: fields.username, mobile: '13800005555' }).expect(202);
    await h.ctx.background.settled();
    const code = /(\d{6})/.exec(h.sms.sent.at(-1)!.text)![1];
    await request(h.app).post('/api/password-reset/confirm').send({ username: fields.username, code, password: 'Pw-new-4420', passwordConfirm: 'Pw-new-4420' }).expect(204);
    await request(h.app).get(`/api/nowhere?code=${code}&password=Pw-query-1&token=tk-query-2&page=2`).expect(404);
    // A structured caller handing over a whole request is redacted by field name.
    h.ctx.logger.info({ body: { password: 'Pw-struct-1', code: '777123' }, headers: { cookie: 'ladder_sid=struct', authorization: 'Basic c2VjcmV0', 'set-cookie': ['ladder_sid=struct2'] }, deeper: { req: { body: { Password: 'Pw-deep-3' } } }, items: [{ token: 'tk-array-4' }] }, 'a request as received');

    const all = raw.join('\n');
    expect(raw.length).toBeGreaterThan(6);
    for (const secret of ['Pw-register-7781', 'Pw-wrong-5512', 'Pw-new-4420', 'Pw-query-1', 'tk-query-2', 'tok-9931-secret', sid, code, 'Pw-struct-1', '777123', 'ladder_sid=struct', 'c2VjcmV0', 'Pw-deep-3', 'tk-array-4'])
      expect(all, secret).not.toContain(secret);
    expect(all).toContain('/api/nowhere?code=[redacted]&password=[redacted]&token=[redacted]&page=2');
    expect(all).toContain('"password":"[redacted]"');
  });

  it('masks secret-looking query parameters however they are spelled', () => {
    expect(loggedUrl('/a?b=1')).toBe('/a?b=1');
    expect(loggedUrl('/a?pass%77ord=x&Mobile=139&q=ok')).toBe('/a?pass%77ord=[redacted]&Mobile=[redacted]&q=ok');
    expect(loggedUrl('/a?%zz=1')).toBe('/a?%zz=1');
  });

  it('logs JSON lines with time, level and message, and plain ones on a terminal', () => {
    const lines: string[] = [];
    createLogger({ sink: (l) => void lines.push(l) }).warn({ n: 1 }, 'disk nearly full');
    expect(JSON.parse(lines[0])).toMatchObject({ level: 'warn', msg: 'disk nearly full', n: 1, time: expect.any(String) });
    const plain: string[] = [];
    createLogger({ sink: (l) => void plain.push(l), format: 'plain' }).info({ n: 2 }, 'started');
    expect(plain[0]).toMatch(/^\d\d:\d\d:\d\d\.\d{3} INFO {2}started {2}n=2$/);
  });
});
