// SIGTERM to a real server process while requests are in flight and saves keep coming: /readyz
// turns 503 first, then no new connections, every request already received is answered, the
// process exits 0, and every acknowledged save is there after a restart on the same directory.
import { request as httpRequest } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { registration } from './harness.ts';
import { startServerProcess } from './serverProcess.ts';
import { loadRulesetFile } from '../../cli/rulesetFiles.ts';

const questions = loadRulesetFile('rulesets/cmmm/gbt39116-2020.json').questions.filter((q) => q.level === 1);

async function call(url: string, method: string, path: string, options: { body?: unknown; cookie?: string } = {}) {
  const res = await fetch(url + path, {
    method,
    headers: { 'content-type': 'application/json', ...(options.cookie ? { cookie: options.cookie } : {}) },
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, cookie: res.headers.get('set-cookie')?.split(';')[0] };
}

/** A request whose body arrives in two parts: in flight from its headers until `finish()`. */
function slowRequest(url: string, path: string, cookie: string, body: unknown) {
  const { hostname, port } = new URL(url);
  const text = JSON.stringify(body);
  let answered!: Promise<{ status: number; body: string }>;
  const req = httpRequest({ host: hostname, port, path, method: 'PUT', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), cookie } });
  answered = new Promise((resolve, reject) => {
    req.on('response', (res) => {
      let data = '';
      res.on('data', (c: Buffer) => (data += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode!, body: data }));
    });
    req.on('error', reject);
  });
  req.write(text.slice(0, 10));
  req.flushHeaders();
  return { finish: () => req.end(text.slice(10)), answered };
}

describe('graceful shutdown (SIGTERM)', () => {
  it('drains: readyz 503, no new connections, requests in flight answered, acknowledged saves kept, exit 0', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ladder-shutdown-'));
    const env = { LADDER_DATA_DIR: dir, LADDER_BUILD_UI: '0', LADDER_DRAIN_DELAY_MS: '800', LADDER_SHUTDOWN_MS: '8000' };
    const server = await startServerProcess({ env });
    const fields = registration();
    const created = await call(server.url, 'POST', '/api/accounts', { body: fields });
    expect(created.status).toBe(201);
    const cookie = created.cookie!;
    const id = (await call(server.url, 'POST', '/api/diagnoses', { cookie, body: {} })).body.id as string;
    expect((await call(server.url, 'POST', `/api/diagnoses/${id}/tailoring`, { cookie, body: { excluded: [] } })).status).toBe(200);

    const [slowQuestion, ...others] = questions;
    const slow = slowRequest(server.url, `/api/diagnoses/${id}/answers`, cookie, { answers: { [slowQuestion.id]: 'B' } });

    // Four clients saving, each its own questions, until the server stops taking connections.
    const acknowledged = new Map<string, string>();
    let refused = 0;
    let saves = 0;
    let stop = false;
    const clients = [0, 1, 2, 3].map(async (c) => {
      const mine = others.filter((_, i) => i % 4 === c);
      for (let n = 0; !stop; n++) {
        const q = mine[n % mine.length];
        const value = n % 2 ? 'A' : 'B';
        try {
          const res = await call(server.url, 'PUT', `/api/diagnoses/${id}/answers`, { cookie, body: { answers: { [q.id]: value } } });
          if (res.status === 200) {
            acknowledged.set(q.id, value);
            saves += 1;
          }
          else if (res.status !== 503) throw new Error(`save answered ${res.status}: ${JSON.stringify(res.body)}`);
        } catch (e) {
          if (!/fetch failed/.test((e as Error).message)) throw e;
          refused += 1;
          await sleep(20);
        }
      }
    });

    await sleep(400);
    const savedBefore = saves;
    server.child.kill('SIGTERM');
    await sleep(150);
    // Still accepting for the drain delay, but telling balancers to go elsewhere.
    const readiness = await call(server.url, 'GET', '/readyz');
    expect(readiness.status).toBe(503);
    expect(readiness.body.status).toBe('draining');
    expect((await call(server.url, 'GET', '/healthz')).status).toBe(200);

    // After the delay: no new connections, while the request received before SIGTERM is still open.
    await sleep(1200);
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow(/fetch failed/);
    slow.finish();
    const slowAnswer = await slow.answered;
    expect(slowAnswer.status, slowAnswer.body).toBe(200);

    const exit = await server.exited;
    stop = true;
    await Promise.all(clients);
    expect(exit).toEqual({ code: 0, signal: null });
    // Saves went on being answered while draining, then found the door shut.
    expect(saves).toBeGreaterThan(savedBefore);
    expect(refused).toBeGreaterThan(0);
    const messages = server.logLines().map((l) => l.msg);
    expect(messages).toContain('SIGTERM: shutting down (draining)');
    expect(messages.at(-1)).toBe('stopped');

    // Every acknowledged save is there after a restart on the same directory.
    const again = await startServerProcess({ env });
    try {
      const login = await call(again.url, 'POST', '/api/session', { body: { username: fields.username, password: fields.password } });
      const diagnosis = (await call(again.url, 'GET', `/api/diagnoses/${id}`, { cookie: login.cookie })).body;
      expect(diagnosis.answers[slowQuestion.id]).toBe('B');
      const wrong = [...acknowledged].filter(([q, value]) => diagnosis.answers[q] !== value);
      expect(wrong).toEqual([]);
    } finally {
      again.child.kill('SIGTERM');
      expect(await again.exited).toEqual({ code: 0, signal: null });
    }
  }, 90_000);
});
