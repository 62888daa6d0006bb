// Two Ladder instances on one PostgreSQL database behind a real nginx running the shipped site
// configuration (deploy/nginx/ladder.conf, rendered by tests/nginx.ts): a whole self-diagnosis goes
// through the balancer, one instance is killed (SIGKILL) while an answer is on its way to it, the user
// carries on with the same session through the other, and every answer the API acknowledged is in
// the finished diagnosis, whose result is the one the answers give.
import { request as httpsRequest } from 'node:https';
import { readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { freshDatabase } from '../postgresCluster.ts';
import { startServer } from '../browser/server.ts';
import { NGINX_MISSING, TEST_CERTIFICATE, checkShippedConfig, nginxBinary, startNginx, type Nginx } from '../nginx.ts';
import { registration } from './harness.ts';
import { loadRulesetFile } from '../../cli/rulesetFiles.ts';

const cmmm = loadRulesetFile('rulesets/cmmm/gbt39116-2020.json');
/** Every question a discrete firm answers at a level, leaving out logistics (tailored away below). */
const levelQuestions = (level: number) =>
  cmmm.questions.filter((q) => q.level === level && q.subDomain !== 'logistics' && (!q.industryTypes || q.industryTypes.includes('discrete'))).map((q) => q.id);

const installed = nginxBinary();
if (!installed) console.warn(`skipping tests/server/loadBalancer.test.ts: ${NGINX_MISSING}`);

type Instance = Awaited<ReturnType<typeof startServer>>;
let a: Instance;
let b: Instance;
let nginx: Nginx;
const INSTANCE_HEADER = 'x-ladder-instance';

interface Reply {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  cookie?: string;
  /** Which instance answered, as nginx tells it (a diagnostic header only this test adds). */
  instance?: string;
  requestId?: string;
}

/** A request through nginx as the browser page sends it (same-origin headers on writes). */
async function call(method: string, path: string, options: { body?: unknown; cookie?: string; headers?: Record<string, string>; via?: Nginx } = {}): Promise<Reply> {
  const write = method !== 'GET';
  const base = (options.via ?? nginx).url;
  const res = await fetch(base + path, {
    method,
    headers: {
      'content-type': 'application/json',
      ...(write ? { origin: base, 'sec-fetch-site': 'same-origin' } : {}),
      ...(options.cookie ? { cookie: options.cookie } : {}),
      ...options.headers,
    },
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
  });
  const text = await res.text();
  const setCookie = res.headers.get('set-cookie');
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // nginx's own error pages are HTML
  }
  return {
    status: res.status,
    body,
    instance: res.headers.get(INSTANCE_HEADER) ?? undefined,
    requestId: res.headers.get('x-request-id') ?? undefined,
    ...(setCookie ? { cookie: setCookie.split(';')[0] } : {}),
  };
}

/** The access line an instance logged for a request id (its log lines are JSON); waits a moment for it. */
async function accessLine(requestId: string): Promise<Record<string, unknown> | undefined> {
  for (let i = 0; i < 40; i++) {
    for (const line of [...a.logs, ...b.logs].join('').split('\n')) {
      if (!line.includes(requestId)) continue;
      let entry: Record<string, unknown> = {};
      try {
        entry = JSON.parse(line) as Record<string, unknown>;
      } catch {
        continue; // the line's end has not arrived yet
      }
      if (entry.reqId === requestId && entry.status !== undefined) return entry;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return undefined;
}

describe.skipIf(!installed)('two instances behind nginx (deploy/nginx/ladder.conf)', () => {
  beforeAll(async () => {
    const env = {
      DATABASE_URL: await freshDatabase(inject('postgresUrl')),
      LADDER_HOST: '127.0.0.1',
      LADDER_TRUST_PROXY: 'loopback',
      LADDER_LOGIN_ATTEMPTS: '3',
      LADDER_REFUSAL_DELAY_MS: '0',
      LADDER_LOG_FORMAT: 'json',
    };
    [a, b] = await Promise.all([startServer(env), startServer(env)]);
    nginx = await startNginx({ instances: [a.port, b.port], extra: [`add_header X-Ladder-Instance $upstream_addr always;`] });
  }, 120_000);

  afterAll(async () => {
    await Promise.all([nginx?.stop(), a?.stop(), b?.stop()]);
  });

  it('accept the shipped file as it is (nginx -t), warnings included', () => {
    const output = checkShippedConfig();
    expect(output).toContain('test is successful');
    expect(output).not.toMatch(/\[(warn|emerg|alert|crit)\]/);
  });

  it('serve the shipped TLS site and redirect plain HTTP to it', async () => {
    const tls = await startNginx({ instances: [a.port, b.port], tls: true });
    try {
      const redirect = await fetch(`${tls.redirectUrl}/runtime/?x=1`, { redirect: 'manual' });
      expect(redirect.status).toBe(301);
      expect(redirect.headers.get('location')).toBe('https://127.0.0.1/runtime/?x=1');
      const reply = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = httpsRequest(`${tls.url}/api/reference`, { ca: readFileSync(TEST_CERTIFICATE) }, (res) => {
          let body = '';
          res.on('data', (c: Buffer) => (body += c.toString()));
          res.on('end', () => resolve({ status: res.statusCode!, body }));
        });
        req.on('error', reject);
        req.end();
      });
      expect(reply.status).toBe(200);
      expect(JSON.parse(reply.body)).toHaveProperty('regions');
    } finally {
      await tls.stop();
    }
  });

  it("key the login limit on the client's address the proxy forwards", async () => {
    const fields = registration({ region: '350100' });
    expect((await call('POST', '/api/accounts', { body: fields })).status).toBe(201);
    const wrong = (address?: string) =>
      call('POST', '/api/session', { body: { username: fields.username, password: 'wrong-password-1' }, headers: address ? { 'x-forwarded-for': address } : {} });
    // The client is on the proxy's host (loopback, trusted), so the address it forwards counts.
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await wrong('198.51.100.7')).status);
    expect(statuses).toEqual([401, 401, 401, 429]);
    // Another address, and the client's own (127.0.0.1), still have their attempts, whichever instance they reach.
    expect((await wrong('198.51.100.8')).status).toBe(401);
    expect((await wrong()).status).toBe(401);

    // The instance logs the forwarded address under nginx's request id (nginx's access log names it too).
    const traced = await wrong('198.51.100.9');
    expect(traced.requestId).toMatch(/^[0-9a-f]{32}$/); // nginx's $request_id, not one the app made up
    expect(nginx.log()).toContain(`rid=${traced.requestId}`);
    expect(await accessLine(traced.requestId!)).toMatchObject({ method: 'POST', path: '/api/session', status: 401, ip: '198.51.100.9' });
  });

  it("re-send a PUT that reached an instance which then failed, never a POST, nor a full report queue's 503", async () => {
    // A stand-in for an instance that dies with the request in hand: it answers GETs (closing the
    // connection, so each request is a new one) and drops the connection of any other request unanswered.
    const seen: string[] = [];
    const dying = createServer((socket) =>
      socket.on('data', (chunk: Buffer) => {
        const line = chunk.toString().split('\r\n')[0];
        if (!/^[A-Z]+ /.test(line)) return;
        seen.push(line);
        const answer = (status: string, headers = '') => socket.end(`HTTP/1.1 ${status}\r\ncontent-type: application/json\r\ncontent-length: 2\r\n${headers}connection: close\r\n\r\n{}`);
        if (line.startsWith('GET /api/diagnoses/') && line.includes('/report')) answer('503 Service Unavailable', 'retry-after: 5\r\n'); // its report queue is full
        else if (line.startsWith('GET ')) answer('200 OK');
        else socket.destroy();
      }),
    );
    const port = await new Promise<number>((resolve) => dying.listen(0, '127.0.0.1', () => resolve((dying.address() as AddressInfo).port)));
    const pair = await startNginx({ instances: [port, b.port], extra: [`add_header X-Ladder-Instance $upstream_addr always;`] });
    try {
      const fields = registration({ region: '350100' });
      const cookie = (await call('POST', '/api/accounts', { body: fields })).cookie!;
      const via = (method: string, path: string, body?: unknown) => call(method, path, { cookie, body, via: pair });
      /** Round robin: once a GET was answered by B, the next request goes to the dying one. */
      const nextToDying = async () => {
        for (let i = 0; i < 3; i++) if ((await via('GET', '/api/session')).instance === `127.0.0.1:${b.port}`) return;
        throw new Error('round robin never reached B');
      };

      // A full report queue's 503 reaches the client as it is (a 503 passed on would count against the instance).
      await nextToDying();
      const busy = await via('GET', '/api/diagnoses/d1/report.pdf');
      expect([busy.status, busy.instance]).toEqual([503, `127.0.0.1:${port}`]);

      await nextToDying();
      const started = await via('POST', '/api/diagnoses', {});
      expect(started.status).toBe(502); // the client decides: here, it looks at its list
      expect(seen).toContain('POST /api/diagnoses HTTP/1.1');
      expect((await call('GET', '/api/diagnoses', { cookie })).body.items).toEqual([]); // not re-sent to B

      const id = (await call('POST', '/api/diagnoses', { cookie, body: {} })).body.id as string;
      const { revision } = (await call('POST', `/api/diagnoses/${id}/tailoring`, { cookie, body: { excluded: [] } })).body;
      const question = levelQuestions(1)[0];
      await nextToDying();
      const saved = await via('PUT', `/api/diagnoses/${id}/answers`, { answers: { [question]: 'C' }, revision });
      expect(seen).toContain(`PUT /api/diagnoses/${id}/answers HTTP/1.1`);
      expect(saved.status).toBe(200); // re-sent to B, which stored it
      expect(saved.instance).toBe(`127.0.0.1:${port}, 127.0.0.1:${b.port}`);
      const stored = (await call('GET', `/api/diagnoses/${id}`, { cookie })).body;
      expect(stored.answers[question]).toBe('C');
      expect(stored.revision).toBe(revision + 1);
    } finally {
      await pair.stop();
      await new Promise((r) => dying.close(r));
    }
  });

  it('carry a whole self-diagnosis across an instance killed midway, losing nothing acknowledged', async () => {
    const fields = registration({ region: '350100' }); // 福州: no provincial variant
    expect((await call('POST', '/api/accounts', { body: fields })).status).toBe(201);
    const login = await call('POST', '/api/session', { body: { username: fields.username, password: fields.password } });
    expect(login.status).toBe(200);
    const cookie = login.cookie!;
    const served = { before: new Set<string>(), after: new Set<string>() };
    let killed = false;
    const statuses: number[] = [];
    /** Every request of the user, with the same session cookie throughout. */
    const user = async (method: string, path: string, body?: unknown) => {
      const r = await call(method, path, { cookie, body });
      statuses.push(r.status);
      if (r.instance) (killed ? served.after : served.before).add(r.instance);
      return r;
    };

    expect((await user('GET', '/api/diagnoses/eligibility')).body.allowed).toBe(true);
    const created = await user('POST', '/api/diagnoses', {});
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const outline = (await user('GET', `/api/diagnoses/${id}/outline`)).body;
    const tailored = await user('POST', `/api/diagnoses/${id}/tailoring`, { excluded: ['d.logistics'] });
    expect(tailored.status).toBe(200);

    // Answers are saved one question at a time with the revision they build on, as the runtime's
    // autosave does; a stale revision makes the page reload the diagnosis (and the answer, if it
    // is not there, is saved again).
    let revision = tailored.body.revision as number;
    const acknowledged: Record<string, string> = {};
    let staleReloads = 0;
    const save = async (question: string, option: string) => {
      for (let attempt = 0; attempt < 3; attempt++) {
        const r = await user('PUT', `/api/diagnoses/${id}/answers`, { answers: { [question]: option }, revision });
        if (r.status === 200) {
          revision = r.body.revision;
          acknowledged[question] = option;
          return;
        }
        expect(r.status, JSON.stringify(r.body)).toBe(409);
        expect(r.body.error.code).toBe('stale');
        staleReloads += 1;
        const reloaded = (await user('GET', `/api/diagnoses/${id}`)).body;
        revision = reloaded.revision;
        if (reloaded.answers[question] === option) return; // the dying instance had stored it
      }
      throw new Error(`${question} could not be saved`);
    };

    const level1 = levelQuestions(1);
    const killAt = Math.floor(level1.length / 3);
    for (const [i, question] of level1.entries()) {
      if (i !== killAt) {
        await save(question, 'D');
        continue;
      }
      // Round robin: after an answer from B, the next request goes to A. It is killed while this
      // answer is on its way to it or being stored by it.
      for (let i = 0; i < 3 && !(await user('GET', `/api/diagnoses/${id}`)).instance?.endsWith(`:${b.port}`); i++);
      const inFlight = save(question, 'D');
      await new Promise((r) => setTimeout(r, 2));
      await a.kill('SIGKILL');
      killed = true;
      await inFlight;
    }
    const l1 = await user('POST', `/api/diagnoses/${id}/levels/1/submit`);
    expect(l1.status, JSON.stringify(l1.body)).toBe(200);
    expect(l1.body.level).toMatchObject({ level: 1, score: 1, reached: true });
    revision = l1.body.diagnosis.revision; // as the page does, answering the next level

    for (const question of levelQuestions(2)) await save(question, 'B');
    const l2 = await user('POST', `/api/diagnoses/${id}/levels/2/submit`);
    expect(l2.status, JSON.stringify(l2.body)).toBe(200);
    expect(l2.body.level).toMatchObject({ level: 2, reached: false });

    const values = Object.fromEntries(outline.indicators.fields.map((f: { id: string }) => [f.id, { value: 0, formula: '无' }]));
    const yieldValue = { value: 5, formula: '本年合格率 − 上年合格率' };
    expect((await user('PUT', `/api/diagnoses/${id}/indicators`, { values: { yield: yieldValue } })).status).toBe(200);
    const done = await user('POST', `/api/diagnoses/${id}/indicators/submit`, { values: { ...values, yield: yieldValue } });
    expect(done.status).toBe(200);
    expect(done.body.diagnosis.status).toBe('finished');

    // Nothing acknowledged is lost: every answer the API said it saved is in the finished diagnosis.
    const final = (await user('GET', `/api/diagnoses/${id}`)).body;
    const expected = { ...Object.fromEntries(level1.map((q) => [q, 'D'])), ...Object.fromEntries(levelQuestions(2).map((q) => [q, 'B'])) };
    expect(Object.keys(acknowledged).length).toBeGreaterThanOrEqual(Object.keys(expected).length - 1);
    for (const [question, option] of Object.entries(acknowledged)) expect(final.answers[question], question).toBe(option);
    expect(final.answers).toEqual(expected);
    const result = (await user('GET', `/api/diagnoses/${id}/result`)).body;
    expect(result).toMatchObject({ level: 1, levelName: '一级（规划级）', total: { value: 1.5, text: '1.50' } });
    expect(result.excluded).toEqual([{ id: 'd.logistics', name: '物流' }]);
    expect(result.indicators.find((i: { id: string }) => i.id === 'yield')).toMatchObject(yieldValue);

    // Both instances served the user before the kill, only the survivor after it, and the user never saw
    // the failure: no 5xx, at most the one stale answer the killed instance had stored.
    expect([...served.before].sort()).toEqual([`127.0.0.1:${a.port}`, `127.0.0.1:${b.port}`].sort());
    expect([...served.after].every((s) => s.split(', ').pop() === `127.0.0.1:${b.port}`), [...served.after].join(' | ')).toBe(true);
    expect(statuses.filter((s) => s >= 500), nginx.log()).toEqual([]);
    expect(staleReloads).toBeLessThanOrEqual(1);
    // …though nginx did meet the dead instance, and passed the request on.
    expect(nginx.log()).toMatch(new RegExp(`\\[error\\].*(Connection refused|prematurely closed|reset by peer).*upstream: "http://127\\.0\\.0\\.1:${a.port}/`));
  });
});
