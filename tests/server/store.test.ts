import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LowdbStore } from '../../server/store/lowdbStore.ts';
import { ConflictError, NotFoundError } from '../../server/store/types.ts';
import { smallRuleset } from '../fixtures/small.ts';

/** Starts the writer, lets it run, kills it with SIGKILL mid-write; returns what it acknowledged. */
function runAndKill(dir: string, afterMs: number): Promise<{ answers: number; users: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'tests/server/fixtures/writer.ts', dir], { stdio: ['ignore', 'pipe', 'inherit'] });
    const acked = { answers: 0, users: 0 };
    let buffer = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop()!;
      for (const line of lines) {
        const [kind, n] = line.split(' ');
        if (kind === 'ready') setTimeout(() => child.kill('SIGKILL'), afterMs);
        if (kind === 'answer') acked.answers = Number(n);
        if (kind === 'user') acked.users = Number(n);
      }
    });
    child.on('error', reject);
    child.on('exit', () => resolve(acked));
  });
}

describe('the lowdb store under a crash', () => {
  it.each([150, 400, 900])('keeps the files intact and every acknowledged write when killed after %i ms', async (afterMs) => {
    const dir = mkdtempSync(join(tmpdir(), 'ladder-crash-'));
    const acked = await runAndKill(dir, afterMs);
    expect(acked.answers).toBeGreaterThan(5);
    expect(acked.users).toBeGreaterThan(5);
    // Both files still parse as JSON.
    expect(() => JSON.parse(readFileSync(join(dir, 'ladder.json'), 'utf8'))).not.toThrow();
    expect(() => JSON.parse(readFileSync(join(dir, 'diagnoses', 'crash.json'), 'utf8'))).not.toThrow();
    const store = await LowdbStore.open(dir);
    const diagnosis = (await store.getDiagnosis('crash'))!;
    for (let i = 1; i <= acked.answers; i++) expect(diagnosis.answers[`q${i}`], `answer q${i}`).toBe('D');
    for (let i = 1; i <= acked.users; i++) expect(await store.findUserByUsername(`user${i}`), `user${i}`).toBeDefined();
    // Leftover temporary files of the interrupted write are gone after reopening.
    expect(readdirSync(join(dir, 'diagnoses')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});

describe('checkpoints while answers are being saved', () => {
  it('lose no acknowledged answer when the process stops right after', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ladder-checkpoint-'));
    const store = await LowdbStore.open(dir);
    const now = new Date().toISOString();
    const state = { phase: { phase: 'answering' as const, level: 1 }, excluded: [], submitted: [] };
    const ids = ['a', 'b', 'c', 'd'];
    for (const id of ids)
      await store.createDiagnosis({ id, enterpriseId: 'e', userId: 'u', rulesetId: 'r', rulesetVersion: '1.0.0', status: 'inProgress', state, answers: {}, indicators: {}, levelResults: [], revision: 1, startedAt: now, updatedAt: now }, async () => ({ ok: true }));
    const acked: string[] = [];
    let saving = true;
    const checkpoints = (async () => {
      while (saving) {
        await store.checkpoint();
        await new Promise((r) => setTimeout(r, 2));
      }
    })();
    await Promise.all(
      ids.map(async (id) => {
        for (let i = 0; i < 150; i++) {
          await store.updateDiagnosis(id, (d) => ({ ...d, answers: { ...d.answers, [`q${i}`]: 'C' } }));
          acked.push(`${id}/q${i}`);
        }
      }),
    );
    saving = false;
    await checkpoints;
    // No close(): the process "stops" here; a new store reads what is on disk.
    const reopened = await LowdbStore.open(dir);
    for (const key of acked) {
      const [id, q] = key.split('/');
      expect((await reopened.getDiagnosis(id))!.answers[q], key).toBe('C');
    }
    expect(acked).toHaveLength(600);
  });
});

describe('discarding a draft ruleset', () => {
  it('is gone after a restart, leaves its version free for a new draft, and never touches a published version', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ladder-discard-'));
    const document = smallRuleset();
    let store = await LowdbStore.open(dir);
    await store.putRuleset({ id: 'small', version: '1.0.0', status: 'draft', document, regions: [] });
    await store.putRuleset({ id: 'small', version: '0.9.0', status: 'published', document: { ...document, version: '0.9.0', status: 'published' }, regions: [] });
    await store.deleteRuleset('small', '1.0.0');
    await expect(store.deleteRuleset('small', '0.9.0')).rejects.toBeInstanceOf(ConflictError);
    await expect(store.deleteRuleset('small', '1.0.0')).rejects.toBeInstanceOf(NotFoundError);
    await store.close();

    store = await LowdbStore.open(dir);
    expect(await store.getRuleset('small', '1.0.0')).toBeUndefined();
    expect((await store.listRulesets()).map((r) => `${r.version} ${r.status}`)).toEqual(['0.9.0 published']);
    expect(readdirSync(join(dir, 'rulesets'))).toEqual(['small@0.9.0.json']);
    await store.putRuleset({ id: 'small', version: '1.0.0', status: 'draft', document: { ...document, title: { zh: '重来', en: 'Again' } }, regions: [] });
    expect((await store.getRuleset('small', '1.0.0'))!.document.title.zh).toBe('重来');
    await store.close();
  });
});

describe('more open diagnoses than the cache holds', () => {
  // Issue 12 §1: with more diagnoses being answered than the cache keeps, a checkpoint could find
  // an evicted diagnosis gone from the cache, skip its snapshot and drop the journal segment that
  // held its change. Here a cache of 5 serves 50 diagnoses, with checkpoints running all along.
  it('keeps every acknowledged answer, in the running store and after a crash', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ladder-evict-'));
    const now = new Date().toISOString();
    const state = { phase: { phase: 'answering' as const, level: 1 }, excluded: [], submitted: [] };
    const ids = Array.from({ length: 50 }, (_, i) => `d${i}`);
    const setup = await LowdbStore.open(dir);
    for (const id of ids)
      await setup.createDiagnosis({ id, enterpriseId: `e${id}`, userId: 'u', rulesetId: 'r', rulesetVersion: '1.0.0', status: 'inProgress', state, answers: {}, indicators: {}, levelResults: [], revision: 1, startedAt: now, updatedAt: now }, async () => ({ ok: true }));
    await setup.close();
    // A server started on them, as after a restart: the cache starts empty. Checkpoints run only
    // when the test runs them, so none is left running when it "crashes".
    const store = await LowdbStore.open(dir, { cacheSize: 5, checkpointDirty: 1e9, checkpointMs: 3_600_000 });
    // Each client owns its questions, so the last value it had acknowledged is the one to find.
    const expected = new Map<string, string>();
    let seed = 12;
    // mulberry32: a small seeded generator, so a failure can be replayed.
    const random = (n: number) => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
    };
    let saving = true;
    const checkpoints = (async () => {
      while (saving) {
        await store.checkpoint();
        await new Promise((r) => setTimeout(r, 2));
      }
    })();
    await Promise.all(
      Array.from({ length: 16 }, async (_, client) => {
        for (let i = 0; i < 100; i++) {
          const id = ids[random(ids.length)];
          const q = `c${client}q${random(5)}`;
          const value = 'ABCD'[random(4)];
          // Reads interleave with saves, as pages load while others answer.
          await store.getDiagnosis(ids[random(ids.length)]);
          await store.updateDiagnosis(id, (d) => ({ ...d, answers: { ...d.answers, [q]: value } }));
          expected.set(`${id}/${q}`, value);
        }
      }),
    );
    saving = false;
    await checkpoints;
    const wrong = async (s: LowdbStore) => {
      const bad: string[] = [];
      for (const [key, value] of expected) {
        const [id, q] = key.split('/');
        const got = (await s.getDiagnosis(id))!.answers[q];
        if (got !== value) bad.push(`${key}: ${String(got)} ≠ ${value}`);
      }
      return bad;
    };
    expect(await wrong(store)).toEqual([]);
    // No close(): a new store reads only what is on disk, as after kill -9.
    const reopened = await LowdbStore.open(dir, { cacheSize: 5 });
    expect(await wrong(reopened)).toEqual([]);
    expect(expected.size).toBeGreaterThan(300);
  });
});

describe('sessions of the embedded store', () => {
  it('keep 6,000 logins to one account out of the main file, and their own file small', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ladder-sessions-'));
    const store = await LowdbStore.open(dir);
    await store.createAccount({ id: 'u', username: 'busy', passwordHash: 'x', role: 'enterprise', createdAt: new Date().toISOString() });
    const main = readFileSync(join(dir, 'ladder.json'), 'utf8');
    const start = Date.UTC(2026, 10, 1);
    for (let i = 0; i < 6000; i++) {
      const at = new Date(start + i * 1000).toISOString();
      await store.createSession({ id: `s${i}`, userId: 'u', createdAt: at, expiresAt: new Date(start + 86_400_000).toISOString() }, 10);
    }
    expect(readFileSync(join(dir, 'ladder.json'), 'utf8')).toBe(main);
    const lines = readFileSync(join(dir, 'sessions.jsonl'), 'utf8').trim().split('\n');
    expect(lines.length).toBeLessThan(2 * 1020 + 1);
    await store.close();
    const reopened = await LowdbStore.open(dir);
    const now = new Date(start + 6000 * 1000).toISOString();
    expect(await reopened.getSession('s5999', now)).toBeDefined();
    expect(await reopened.getSession('s5990', now)).toBeDefined();
    expect(await reopened.getSession('s5989', now)).toBeUndefined();
    await reopened.close();
  });

  it('lose no login that arrives while the file is being compacted', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ladder-sessions-compact-'));
    const store = await LowdbStore.open(dir);
    const at = (i: number) => new Date(Date.UTC(2026, 10, 1) + i * 1000).toISOString();
    const expiresAt = new Date(Date.UTC(2026, 11, 1)).toISOString();
    // One user logging in again and again (each login ends the one before) grows the file past
    // its compaction point several times, while other users' logins arrive at the same moments.
    for (let i = 0; i < 1500; i++)
      await Promise.all([
        store.createSession({ id: `churn${i}`, userId: 'busy', createdAt: at(i), expiresAt }, 1),
        store.createSession({ id: `other${i}`, userId: `user${i}`, createdAt: at(i), expiresAt }),
      ]);
    const missing = async (s: LowdbStore) => {
      const gone: string[] = [];
      for (let i = 0; i < 1500; i++) if (!(await s.getSession(`other${i}`, at(2000)))) gone.push(`other${i}`);
      return gone;
    };
    expect(await missing(store)).toEqual([]);
    await store.close();
    const reopened = await LowdbStore.open(dir);
    expect(await missing(reopened)).toEqual([]);
    expect(await reopened.getSession('churn1499', at(2000))).toBeDefined();
    expect(await reopened.getSession('churn1498', at(2000))).toBeUndefined();
    await reopened.close();
  });

  it('moves the sessions of a ladder.json from before sessions.jsonl into it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ladder-sessions-old-'));
    const session = { id: 'old', userId: 'u', createdAt: '2026-11-01T00:00:00.000Z', expiresAt: '2026-12-01T00:00:00.000Z' };
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(dir, 'ladder.json'), JSON.stringify({ users: [{ id: 'u', username: 'old', passwordHash: 'x', role: 'enterprise', createdAt: session.createdAt }], enterprises: [], sessions: [session], resetCodes: [], supportRequests: [], rulesets: [], diagnoses: [], settings: {} }));
    const store = await LowdbStore.open(dir);
    expect(await store.sessionUser('old', '2026-11-02T00:00:00.000Z')).toMatchObject({ session, user: { username: 'old' } });
    expect(JSON.parse(readFileSync(join(dir, 'ladder.json'), 'utf8')).sessions).toBeUndefined();
    await store.close();
  });
});
