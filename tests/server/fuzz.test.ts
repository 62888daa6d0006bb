// Issue 12: a fuzz run of generated bad requests over every write operation of the API (and the
// GET operations' parameters), against a real server on a port: every one answered with a 4xx and
// the error body, none with a 5xx, the store exactly as it was, the server still up.
// The requests come from tests/attacks/fuzz.ts (seeded, so a failure reproduces).
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { harness, type Harness } from './harness.ts';
import { describeFindings, fuzz, seedFuzz, type Actor, type FuzzResult, type OpenApiDocument } from '../attacks/fuzz.ts';
import { describeDiff, storeDiff, storeSnapshot, type StoreSnapshot } from '../attacks/storeSnapshot.ts';

// Another seed or size for a longer hunt: LADDER_FUZZ_SEED=7 LADDER_FUZZ_REQUESTS=20000 npx vitest run tests/server/fuzz.test.ts
const REQUESTS = Number(process.env.LADDER_FUZZ_REQUESTS ?? 3000);
const SEED = Number(process.env.LADDER_FUZZ_SEED ?? 12);
/** Each write operation of the OpenAPI document gets at least this many. */
const PER_OPERATION = 20;

let h: Harness;
let server: Server;
let baseUrl: string;
let sessions: Record<Actor, string>;
let openapi: OpenApiDocument;
let before: StoreSnapshot;
let after: StoreSnapshot;
let result: FuzzResult;
const serverLog: string[] = [];

beforeAll(async () => {
  h = await harness({ log: (line) => void serverLog.push(line) });
  server = h.app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  // The actors (an enterprise, a region administrator of its province, an author, a platform administrator) and their ids.
  const world = await seedFuzz({ baseUrl, store: h.store, now: h.clock.now });
  ({ sessions, openapi } = world);

  before = await storeSnapshot(h.store);
  result = await fuzz({ baseUrl, openapi, sessions, ids: world.ids, requests: REQUESTS, seed: SEED, concurrency: 4 });
  after = await storeSnapshot(h.store);
}, 120_000);

afterAll(async () => {
  if (result) {
    console.log(`fuzz: ${result.requests} requests in ${result.ms} ms; by status ${JSON.stringify(result.byStatus)}`);
    console.log(`slowest: ${result.slowest.slice(0, 3).map((s) => `${s.ms} ms ${s.op} (${s.kind.slice(0, 60)}) → ${s.status}`).join('; ')}`);
    const logged = serverLog.map((l) => JSON.parse(l) as { level: string; msg: string; err?: { stack?: string } });
    const errors = [...new Set(logged.filter((l) => l.level === 'error').map((l) => [l.msg, ...(l.err?.stack ?? '').split('\n').slice(1, 3)].join(' | ').slice(0, 400)))];
    if (errors.length) console.log(`server log, distinct errors (${errors.length}):\n  ${errors.slice(0, 60).join('\n  ')}`);
  }
  await new Promise((resolve) => server?.close(resolve));
});

const writeOperations = () =>
  Object.entries(openapi.paths).flatMap(([path, ops]) => Object.keys(ops).filter((m) => ['post', 'put', 'patch', 'delete'].includes(m)).map((m) => `${m.toUpperCase()} ${path}`));

describe('a fuzz run of bad requests (issue 12)', () => {
  it(`sends at least 1,000 requests, ${PER_OPERATION} or more to each write operation of the OpenAPI document`, () => {
    expect(result.requests).toBeGreaterThanOrEqual(1000);
    const writes = writeOperations();
    expect(writes.length).toBeGreaterThan(20);
    const short = writes.filter((op) => (result.byOperation[op] ?? 0) < PER_OPERATION).map((op) => `${op}: ${result.byOperation[op] ?? 0}`);
    expect(short, 'write operations the fuzz barely reached').toEqual([]);
  });

  it('answers none with a 5xx', () => {
    expect(result.fiveHundreds.length, `5xx answers:\n${describeFindings(result.fiveHundreds)}`).toBe(0);
  });

  it('answers every refusal with the error body { error: { code, message, field?, details? } }', () => {
    expect(result.badBodies.length, `4xx answers without the error body:\n${describeFindings(result.badBodies)}`).toBe(0);
  });

  it('refuses every one of them (no success where a refusal was due)', () => {
    expect(result.accepted.length, `accepted:\n${describeFindings(result.accepted)}`).toBe(0);
  });

  it('answers every one (no closed connection, no timeout)', () => {
    expect(result.errors.length, `no answer:\n${describeFindings(result.errors)}`).toBe(0);
  });

  it('leaves the store as it was: no record added, removed or changed, and no audit entry for a refused request', () => {
    const diff = storeDiff(before, after);
    expect(describeDiff(before, after, diff), 'records added, removed or changed').toEqual([]);
    expect(diff.auditAdded, 'audit entries written').toEqual([]);
    expect(diff.auditRemoved, 'audit entries lost').toEqual([]);
  });

  it('is still up: the enterprise session still answers GET /api/session', async () => {
    expect(result.serverUp).toBe(true);
    const res = await fetch(`${baseUrl}/api/session`, { headers: { cookie: sessions.enterprise } });
    expect(res.status).toBe(200);
    expect((await res.json()).user.role).toBe('enterprise');
  });
});
