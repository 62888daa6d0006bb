// Two server processes on two ports over one PostgreSQL database, as behind a load balancer: what
// a user does on one instance holds on the other, and the invariants hold across both.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { freshDatabase } from '../postgresCluster.ts';
import { startServer } from '../browser/server.ts';
import { registration } from './harness.ts';
import { loadRulesetFile } from '../../cli/rulesetFiles.ts';

const cmmm = loadRulesetFile('rulesets/cmmm/gbt39116-2020.json');
const level1 = cmmm.questions.filter((q) => q.level === 1);

type Instance = Awaited<ReturnType<typeof startServer>>;
let a: Instance;
let b: Instance;

interface Reply {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  cookie?: string;
}

async function call(instance: Instance, method: string, path: string, options: { body?: unknown; cookie?: string } = {}): Promise<Reply> {
  const res = await fetch(instance.url + path, {
    method,
    headers: { 'content-type': 'application/json', ...(options.cookie ? { cookie: options.cookie } : {}) },
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
  });
  const text = await res.text();
  const setCookie = res.headers.get('set-cookie');
  return { status: res.status, body: text ? JSON.parse(text) : undefined, ...(setCookie ? { cookie: setCookie.split(';')[0] } : {}) };
}

/** Registers an enterprise on `instance`; returns its session cookie and fields. */
async function register(instance: Instance, overrides: Record<string, unknown> = {}) {
  const fields = registration(overrides);
  const res = await call(instance, 'POST', '/api/accounts', { body: fields });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { cookie: res.cookie!, fields };
}

beforeAll(async () => {
  const env = {
    DATABASE_URL: await freshDatabase(inject('postgresUrl')),
    LADDER_LOGIN_ATTEMPTS: '5',
    LADDER_ADMIN_USERNAME: 'admin',
    LADDER_ADMIN_PASSWORD: 'admin-pass-1',
  };
  // Started together: the schema, the bundled rulesets and the administrator are created once.
  [a, b] = await Promise.all([startServer(env), startServer(env)]);
}, 120_000);

afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
});

describe('two instances on one PostgreSQL database', () => {
  it('start together without tripping over each other', async () => {
    expect(a.logs.join('') + b.logs.join('')).not.toMatch(/Error|error:/);
    const login = await call(b, 'POST', '/api/session', { body: { username: 'admin', password: 'admin-pass-1' } });
    expect(login.status).toBe(200);
    const rulesets = await call(a, 'GET', '/api/rulesets', { cookie: login.cookie });
    expect(rulesets.status).toBe(200);
    const ids = (rulesets.body as { id: string; version: string }[]).map((r) => `${r.id}@${r.version}`);
    expect(ids).toContain('cmmm-gbt39116@1.1.0');
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('share a session: logged in on one, known on the other, logged out everywhere', async () => {
    const { cookie, fields } = await register(a);
    const onB = await call(b, 'GET', '/api/session', { cookie });
    expect(onB.status).toBe(200);
    expect(onB.body.user.username).toBe(fields.username);
    expect((await call(b, 'DELETE', '/api/session', { cookie })).status).toBeLessThan(300);
    expect((await call(a, 'GET', '/api/session', { cookie })).status).toBe(401);
  });

  it('count login attempts together: the limit is the same whichever instance each attempt reaches', async () => {
    const { fields } = await register(a);
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await call(i % 2 ? a : b, 'POST', '/api/session', { body: { username: fields.username, password: 'wrong-password-1' } })).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429]);
  });

  it('allow 3 diagnoses a month even when 8 are asked for at once on both instances', async () => {
    const { cookie } = await register(a);
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => call(i % 2 ? a : b, 'POST', '/api/diagnoses', { cookie, body: {} })));
    expect(results.map((r) => r.status).sort()).toEqual([201, 201, 201, 409, 409, 409, 409, 409]);
    expect(results.find((r) => r.status === 409)!.body.error.code).toBe('limit');
    expect((await call(b, 'GET', '/api/diagnoses', { cookie })).body.items).toHaveLength(3);
  });

  it('keep every answer saved at once through both, and tell the loser of two tabs with the same revision', async () => {
    const { cookie } = await register(b);
    const id = (await call(a, 'POST', '/api/diagnoses', { cookie, body: {} })).body.id as string;
    const tailored = await call(b, 'POST', `/api/diagnoses/${id}/tailoring`, { cookie, body: { excluded: [] } });
    expect(tailored.status).toBe(200);
    const questions = level1.slice(0, 24);
    const saves = await Promise.all(questions.map((q, i) => call(i % 2 ? a : b, 'PUT', `/api/diagnoses/${id}/answers`, { cookie, body: { answers: { [q.id]: 'A' } } })));
    expect(saves.map((s) => s.status)).toEqual(questions.map(() => 200));
    const after = (await call(a, 'GET', `/api/diagnoses/${id}`, { cookie })).body;
    expect(Object.keys(after.answers).sort()).toEqual(questions.map((q) => q.id).sort());
    expect(after.revision).toBe(tailored.body.revision + questions.length);

    // Two tabs opened at the same revision save at once, one through each instance.
    const revision = after.revision as number;
    const [q1, q2] = [level1[30], level1[31]];
    const tabs = await Promise.all([
      call(a, 'PUT', `/api/diagnoses/${id}/answers`, { cookie, body: { answers: { [q1.id]: 'B' }, revision } }),
      call(b, 'PUT', `/api/diagnoses/${id}/answers`, { cookie, body: { answers: { [q2.id]: 'B' }, revision } }),
    ]);
    expect(tabs.map((t) => t.status).sort()).toEqual([200, 409]);
    const loser = tabs.find((t) => t.status === 409)!;
    expect(loser.body.error.code).toBe('stale');
    expect(loser.body.error.message).toContain('其他窗口');
    const final = (await call(b, 'GET', `/api/diagnoses/${id}`, { cookie })).body;
    const winner = tabs[0].status === 200 ? q1 : q2;
    expect(final.answers[winner.id]).toBe('B');
    expect(final.revision).toBe(revision + 1);
  });

  it('see a park created on one instance on the other, and register enterprises in it there', async () => {
    const admin = (await call(a, 'POST', '/api/session', { body: { username: 'admin', password: 'admin-pass-1' } })).cookie;
    const park = await call(a, 'POST', '/api/regions', { cookie: admin, body: { parent: '320200', kind: 'park', name: { zh: '锡东新城园区' } } });
    expect(park.status, JSON.stringify(park.body)).toBe(201);
    const code = park.body.code as string;
    // The other instance hears of the change through the database (LISTEN/NOTIFY), within moments.
    const deadline = Date.now() + 3000;
    let listed = false;
    while (!listed && Date.now() < deadline) {
      listed = JSON.stringify((await call(b, 'GET', '/api/reference')).body).includes(code);
      if (!listed) await new Promise((r) => setTimeout(r, 50));
    }
    expect(listed).toBe(true);
    await register(b, { region: code });
    // A knows of the enterprise registered through B, so the park can't go.
    const notEmpty = await call(a, 'DELETE', `/api/regions/${code}`, { cookie: admin });
    expect(notEmpty.status).toBe(409);
    expect(notEmpty.body.error.message).toContain('1 家企业');

    // Created on A and removed through B straight away: A refuses it to the next registration at once.
    const other = (await call(a, 'POST', '/api/regions', { cookie: admin, body: { parent: '320200', kind: 'park', name: { zh: '临时园区' } } })).body.code as string;
    expect((await call(b, 'DELETE', `/api/regions/${other}`, { cookie: admin })).status).toBe(204);
    const refused = await call(a, 'POST', '/api/accounts', { body: registration({ region: other }) });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body)).toContain('/region');
  });
});
