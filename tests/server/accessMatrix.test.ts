// Issue 12: the access-control matrix generated from /api/openapi.json. Every operation, as
// anonymous, two enterprises, two region administrators, an author and a platform administrator,
// each on the others' ids: nothing the actor has no right to succeeds, no answer gives away what
// the actor may not read, and the store is what it was (tests/attacks/accessMatrix.ts holds the
// generator and the permission model).
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { harness, type Harness } from './harness.ts';
import { PROBE_MOBILE, runAccessMatrix, seedWorld, type ActorSpec, type MatrixResult, type OpenApiDocument } from '../attacks/accessMatrix.ts';
import { describeDiff, storeDiff, storeSnapshot } from '../attacks/storeSnapshot.ts';

let h: Harness;
let server: Server;
let baseUrl: string;
let actors: ActorSpec[];

beforeAll(async () => {
  h = await harness();
  server = h.app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  actors = await seedWorld({ baseUrl, store: h.store });
});

afterAll(async () => {
  await new Promise<void>((resolve) => server?.close(() => resolve()));
  server?.closeAllConnections?.();
});

/** The store's export; anyone may file a username recovery request (it always records one): the matrix's carry its own mobile. */
const snapshot = () => storeSnapshot(h.store, { ignore: (r) => r.kind === 'supportRequest' && r.request.mobile === PROBE_MOBILE });

describe('the access-control matrix', () => {
  it('refuses every operation of the API to every actor on the ids of the others, gives nothing away and changes nothing', async () => {
    const openapi = (await (await fetch(`${baseUrl}/api/openapi.json`)).json()) as OpenApiDocument;
    const operations = Object.entries(openapi.paths).flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`));
    const before = await snapshot();
    const smsBefore = h.sms.sent.length;

    const result: MatrixResult = await runAccessMatrix({ baseUrl, openapi, actors });

    const after = await snapshot();
    const byStatus: Record<string, number> = {};
    for (const s of result.sent.filter((x) => x.kind === 'attempt')) byStatus[`${s.status}${s.code ? ` ${s.code}` : ''}`] = (byStatus[`${s.status}${s.code ? ` ${s.code}` : ''}`] ?? 0) + 1;
    console.info(`access matrix: ${operations.length} operations, ${result.attempts} attempts, ${result.probes} probes, ${result.skipped} rights not exercised, ${result.successes.length} successes; refusals ${JSON.stringify(byStatus)}`);

    // Coverage: every operation of the document was tried, so a new route is attacked as soon as it is declared.
    const untried = operations.filter((op) => !result.operations[op] || result.operations[op].attempts + result.operations[op].probes === 0);
    expect(untried, 'operations nobody tried').toEqual([]);
    // Anonymous is refused every operation the document marks as needing a session.
    const secured = Object.entries(openapi.paths).flatMap(([path, methods]) =>
      Object.entries(methods as Record<string, { security?: unknown[] }>)
        .filter(([, op]) => op.security?.length)
        .map(([m]) => `${m.toUpperCase()} ${path}`),
    );
    const anonymous = new Set(result.sent.filter((s) => s.actor === 'anonymous' && s.kind === 'attempt').map((s) => s.operation));
    expect(secured.filter((op) => !anonymous.has(op)), 'secured operations anonymous did not try').toEqual([]);
    // Every actor attacked, and enough requests that every id met every operation that takes one.
    for (const actor of actors) expect(result.sent.filter((s) => s.actor === actor.name && s.kind === 'attempt').length, actor.name).toBeGreaterThan(40);
    expect(result.attempts).toBeGreaterThan(1000);
    // Refused for who asked, not for how: no attempt went to an endpoint that does not exist or was
    // turned away for its body, but for the wrong code or password that is the attack itself.
    const malformed = result.sent.filter(
      (s) => s.kind === 'attempt' && (s.message === 'no such endpoint' || s.status === 413 || s.status === 415 || (s.status === 400 && !['invalid_code', 'wrong_password'].includes(s.code ?? ''))),
    );
    expect(malformed.map((s) => `${s.actor} ${s.method} ${s.path}${s.target ? ` [${s.target}]` : ''} → ${s.status} ${s.code}: ${s.message}`)).toEqual([]);

    expect(result.successes.map((s) => `${s.actor}: ${s.method} ${s.path}${s.target ? ` [${s.target}]` : ''} → ${s.status} (${s.reason})`), 'requests that should have been refused').toEqual([]);

    // The store is what it was.
    const diff = storeDiff(before, after);
    expect(describeDiff(before, after, diff), 'records added, removed or changed').toEqual([]);
    expect(diff.auditRemoved, 'audit entries lost').toEqual([]);
    const refusalsAudited = diff.auditAdded;
    if (refusalsAudited.length) console.info(`access matrix: refused requests wrote ${refusalsAudited.length} audit entries, e.g. ${refusalsAudited.slice(0, 3).join(' ')}`);
    // No text message went out: no reset code, no username.
    expect(h.sms.sent.slice(smsBefore)).toEqual([]);
  });
});
