// Reliability benchmark (issue 12), in one run:
// 1. Acknowledged saves across kill -9, with more open diagnoses than the server's diagnosis cache
//    holds (so diagnoses are evicted and read back from their snapshots all the time): (a) 32
//    clients saving for 30 s, every acknowledged answer read back from the running server, then
//    again after kill -9 and a restart; (b) kill cycles: start, save for 0.5–2.5 s, SIGKILL
//    mid-load, open the data directory in-process (the journal replayed as a restart does) and
//    check every answer acknowledged so far.
// 2. The fuzz of bad requests (tests/attacks/fuzz.ts) and 3. the access-control matrix
//    (tests/attacks/accessMatrix.ts), each against an app over a temporary store on 127.0.0.1.
// 4. A login flood with production password hashing: saves/s without and during a flood of
//    unknown usernames from many addresses (and from one).
//
// Each client owns its questions (question index ≡ client mod 32) and sends one save at a time,
// so the last value it had acknowledged for (diagnosis, question) is the truth. A save that got no
// answer (the server was killed under it) may or may not have been applied: its value is accepted
// too, until a later acknowledged save to the same answer, or a check that saw which it was.
import http from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { applicableQuestions } from '../engine/index.ts';
import { generatePopulation } from '../server/population.ts';
import { LowdbStore } from '../server/store/lowdbStore.ts';
import type { Diagnosis } from '../server/store/types.ts';
import { benchContext, startServer, stopServer } from './serverProcess.ts';
import { drive, type Target } from './server.ts';
import { harness } from '../tests/server/harness.ts';
import { describeFindings, fuzz, seedFuzz } from '../tests/attacks/fuzz.ts';
import { PROBE_MOBILE, runAccessMatrix, seedWorld, type OpenApiDocument } from '../tests/attacks/accessMatrix.ts';
import { describeDiff, recordChanges, storeDiff, storeSnapshot } from '../tests/attacks/storeSnapshot.ts';

const ENTERPRISES = 1000;
/** Open diagnoses per enterprise: the generated one and copies of it. */
const OPEN_PER_ENTERPRISE = 3;
/** The server's diagnosis cache, well below the open diagnoses (server/store/open.ts reads it). */
const CACHE = 1000;
const CLIENTS = 32;
const FULL_RUN_SECONDS = 30;
const CYCLES = Number(process.env.BENCH_KILL_CYCLES ?? 50);
const PORT_SAVES = 3921;
const PORT_FLOOD = 3922;

const fmt = (n: number) => Math.round(n).toLocaleString('en');
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
/** CPU seconds a process has used (user + system), from /proc/<pid>/stat. */
const cpuSeconds = (pid: number) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
};
const rssMiB = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------------------------------------
// HTTP

interface Answer {
  status: number;
  text: string;
}

function send(agent: http.Agent, port: number, method: string, path: string, headers: Record<string, string>, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path, agent, headers: body !== undefined ? { ...headers, 'content-length': Buffer.byteLength(body) } : headers, timeout: 30_000 });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(body);
  });
}

/** Runs `work` over `items`, `parallel` at a time. */
async function each<T>(items: T[], parallel: number, work: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(Array.from({ length: parallel }, async () => {
    while (next < items.length) await work(items[next++]);
  }));
}

// ---------------------------------------------------------------------------------------------
// The server process

/** Server processes started here and not yet gone: killed if a part fails half-way. */
const live = new Set<ChildProcess>();

async function start(dir: string, port: number, env: Record<string, string>): Promise<ChildProcess> {
  const child = await startServer(dir, port, env);
  live.add(child);
  child.once('exit', () => live.delete(child));
  return child;
}

/** Keeps the server's store and error lines (its stdout is otherwise dropped). */
function watchLog(child: ChildProcess, lines: string[]) {
  child.stdout!.on('data', (b: Buffer) => {
    for (const line of b.toString().split('\n')) if (/\[(store|error)\]/.test(line)) lines.push(line);
  });
}

/** SIGKILL, and wait until the process is gone (reaped, so the data directory's lock is stale). */
function kill9(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

// ---------------------------------------------------------------------------------------------
// The population: 1,000 enterprises with 3 diagnoses each being answered at level 1

interface Open {
  id: string;
  cookie: string;
  /** The applicable level-1 questions by owner: `owned[c]` are those whose index ≡ c (mod 32). */
  owned: { id: string; options: string[] }[][];
  questions: string[];
}

async function preparePopulation(dir: string): Promise<Open[]> {
  const ctx = await benchContext(dir);
  const store = ctx.store;
  const t = performance.now();
  const { users, enterprises, diagnoses } = await generatePopulation(ctx, { count: ENTERPRISES, prefix: 'rel', password: 'bench-2026', inProgress: true });
  const generated = diagnoses.filter((d) => d.status === 'inProgress');
  // More diagnoses being answered, in the state the generated ones are in (answering level 1).
  const copies: Diagnosis[] = generated.flatMap((d) => Array.from({ length: OPEN_PER_ENTERPRISE - 1 }, () => ({ ...structuredClone(d), id: randomUUID() })));
  await store.importRecords({ users: [], enterprises: [], diagnoses: copies });
  const cookies = new Map<string, string>();
  await each(users, 16, async (user) => {
    const sid = randomBytes(24).toString('base64url');
    await store.createSession({ id: sid, userId: user.id, createdAt: new Date().toISOString(), expiresAt: new Date(Date.now() + 86_400_000).toISOString() });
    cookies.set(user.id, `ladder_sid=${sid}`);
  });
  const industryType = new Map(enterprises.map((e) => [e.id, e.industryType]));
  const questionsFor = new Map<string, Open['owned'][number]>();
  const open: Open[] = [];
  for (const d of [...generated, ...copies]) {
    if (d.state.phase.phase !== 'answering' || d.state.phase.level !== 1) throw new Error(`diagnosis ${d.id} is not answering level 1`);
    const key = `${d.rulesetId}@${d.rulesetVersion} ${industryType.get(d.enterpriseId)} ${d.state.excluded.join(',')}`;
    let questions = questionsFor.get(key);
    if (!questions) {
      const ruleset = (await store.getRuleset(d.rulesetId, d.rulesetVersion))!.document;
      questions = applicableQuestions(ruleset, { excluded: d.state.excluded, industryType: industryType.get(d.enterpriseId)!, level: 1 })
        .filter((q) => q.kind === 'single' && q.options?.length)
        .map((q) => ({ id: q.id, options: q.options!.map((o) => o.id) }));
      questionsFor.set(key, questions);
    }
    const owned = Array.from({ length: CLIENTS }, (_, c) => questions.filter((_, i) => i % CLIENTS === c));
    if (owned.some((o) => !o.length)) throw new Error(`diagnosis ${d.id}: fewer than ${CLIENTS} level-1 questions`);
    open.push({ id: d.id, cookie: cookies.get(d.userId)!, owned, questions: questions.map((q) => q.id) });
  }
  await store.close();
  console.log(`  generated ${fmt(ENTERPRISES)} enterprises with ${fmt(open.length)} open diagnoses and a session each in ${seconds(performance.now() - t)}`);
  return open;
}

// ---------------------------------------------------------------------------------------------
// What was acknowledged

/** An answer the store does not hold as acknowledged: `answer` names it (diagnosis and question). */
interface Wrong {
  answer: string;
  text: string;
}

interface Expected {
  /** The value the store must hold: the last acknowledged, or what a check saw after an unanswered save. */
  value?: string;
  /** Values of saves that got no answer since: any of them may have been applied. */
  maybe: string[];
}

class Ledger {
  private readonly byDiagnosis = new Map<string, Map<string, Expected>>();
  acknowledged = 0;
  unanswered = 0;
  /** Answers other than 200 (none is expected). */
  refused = 0;
  refusals: string[] = [];

  private entry(diagnosis: string, question: string) {
    let answers = this.byDiagnosis.get(diagnosis);
    if (!answers) this.byDiagnosis.set(diagnosis, (answers = new Map()));
    let e = answers.get(question);
    if (!e) answers.set(question, (e = { maybe: [] }));
    return e;
  }

  ack(diagnosis: string, question: string, value: string) {
    const e = this.entry(diagnosis, question);
    e.value = value;
    e.maybe = [];
    this.acknowledged += 1;
  }

  unsure(diagnosis: string, question: string, value: string) {
    this.entry(diagnosis, question).maybe.push(value);
  }

  get diagnoses() {
    return [...this.byDiagnosis.keys()];
  }

  /** Answers with a value the store must hold. */
  get answers() {
    let n = 0;
    for (const answers of this.byDiagnosis.values()) for (const e of answers.values()) if (e.value !== undefined) n += 1;
    return n;
  }

  /**
   * Compares a diagnosis's stored answers with what was acknowledged: the answers that are wrong.
   * What the store showed for an unanswered save becomes what it must keep.
   */
  check(diagnosis: string, stored: Record<string, unknown> | undefined): Wrong[] {
    const wrong: Wrong[] = [];
    for (const [question, e] of this.byDiagnosis.get(diagnosis) ?? []) {
      const got = stored?.[question];
      if (got === e.value || (typeof got === 'string' && e.maybe.includes(got))) {
        e.value = got as string | undefined;
        e.maybe = [];
      } else wrong.push({ answer: `${diagnosis} ${question}`, text: `${diagnosis} ${question}: stored ${JSON.stringify(got)}, acknowledged ${JSON.stringify(e.value)}${e.maybe.length ? ` (or unanswered ${e.maybe.join(', ')})` : ''}` });
    }
    return wrong;
  }
}

/** `clients` clients saving random answers to random diagnoses until `stop.done`. */
async function saveLoad(port: number, open: Open[], clients: number, ledger: Ledger, stop: { done: boolean }) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
  try {
    await Promise.all(
      Array.from({ length: clients }, async (_, c) => {
        while (!stop.done) {
          const d = open[Math.floor(Math.random() * open.length)];
          const owned = d.owned[c];
          const q = owned[Math.floor(Math.random() * owned.length)];
          const value = q.options[Math.floor(Math.random() * q.options.length)];
          try {
            const r = await send(agent, port, 'PUT', `/api/diagnoses/${d.id}/answers`, { 'content-type': 'application/json', cookie: d.cookie }, JSON.stringify({ answers: { [q.id]: value } }));
            if (r.status === 200) ledger.ack(d.id, q.id, value);
            else {
              ledger.unsure(d.id, q.id, value);
              ledger.refused += 1;
              if (ledger.refusals.length < 5) ledger.refusals.push(`${r.status} ${r.text.slice(0, 200)}`);
            }
          } catch {
            ledger.unsure(d.id, q.id, value);
            ledger.unanswered += 1;
          }
        }
      }),
    );
  } finally {
    agent.destroy();
  }
}

/** Every touched diagnosis read back through the API (GET /api/diagnoses/:id): the wrong answers. */
async function wrongThroughApi(port: number, open: Open[], ledger: Ledger): Promise<Wrong[]> {
  const byId = new Map(open.map((d) => [d.id, d]));
  const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
  const wrong: Wrong[] = [];
  try {
    await each(ledger.diagnoses, 16, async (id) => {
      const r = await send(agent, port, 'GET', `/api/diagnoses/${id}`, { cookie: byId.get(id)!.cookie });
      if (r.status !== 200) wrong.push({ answer: id, text: `${id}: GET answered ${r.status} ${r.text.slice(0, 200)}` });
      else wrong.push(...ledger.check(id, JSON.parse(r.text).answers));
    });
  } finally {
    agent.destroy();
  }
  return wrong;
}

/** The data directory opened in-process (its journal replayed as a restart does): the wrong answers. */
async function wrongInStore(dir: string, ledger: Ledger, log: string[]): Promise<Wrong[]> {
  const store = await LowdbStore.open(dir, { log: (line) => void log.push(line) });
  const wrong: Wrong[] = [];
  try {
    await each(ledger.diagnoses, 16, async (id) => {
      const d = await store.getDiagnosis(id);
      if (!d) wrong.push({ answer: id, text: `${id}: not in the store` });
      else wrong.push(...ledger.check(id, d.answers));
    });
  } finally {
    await store.close();
  }
  return wrong;
}

const examples = (lines: string[]) => (lines.length ? `\n      e.g. ${lines.slice(0, 5).join('\n           ')}` : '');

async function benchDurability(dir: string, open: Open[]): Promise<string[]> {
  const failures: string[] = [];
  const env = { LADDER_DIAGNOSIS_CACHE: String(CACHE) };
  const serverLog: string[] = [];
  const ledger = new Ledger();
  console.log(`  open diagnoses ${fmt(open.length)} (${fmt(ENTERPRISES)} enterprises × ${OPEN_PER_ENTERPRISE}), the server's diagnosis cache ${fmt(CACHE)} (LADDER_DIAGNOSIS_CACHE; target < open diagnoses)`);
  if (CACHE >= open.length) failures.push(`the diagnosis cache (${CACHE}) holds every open diagnosis (${open.length}): nothing is evicted`);

  // (a) The full-size run.
  let server = await start(dir, PORT_SAVES, env);
  watchLog(server, serverLog);
  const stop = { done: false };
  const t = performance.now();
  const load = saveLoad(PORT_SAVES, open, CLIENTS, ledger, stop);
  await sleep(FULL_RUN_SECONDS * 1000);
  stop.done = true;
  await load;
  const ms = performance.now() - t;
  const saves = ledger.acknowledged;
  const running = await wrongThroughApi(PORT_SAVES, open, ledger);
  await kill9(server);
  server = await start(dir, PORT_SAVES, env);
  watchLog(server, serverLog);
  const restarted = await wrongThroughApi(PORT_SAVES, open, ledger);
  await kill9(server);
  console.log(
    `  (a) ${CLIENTS} clients for ${FULL_RUN_SECONDS} s: ${fmt(saves)} acknowledged saves (${fmt(saves / (ms / 1000))}/s) to ${fmt(ledger.diagnoses.length)} diagnoses, ${fmt(ledger.answers)} answers; non-2xx ${ledger.refused} (target 0), unanswered ${ledger.unanswered}`,
  );
  console.log(`      acknowledged answers wrong in the running server        ${String(running.length).padStart(6)} (target 0)${examples(running.map((w) => w.text))}`);
  console.log(`      … after kill -9 and a restart on the same directory      ${String(restarted.length).padStart(6)} (target 0)${examples(restarted.map((w) => w.text))}`);
  if (ledger.refused) failures.push(`(a) ${ledger.refused} saves answered other than 200, e.g. ${ledger.refusals[0]}`);
  if (running.length) failures.push(`(a) ${running.length} acknowledged answers wrong in the running server, e.g. ${running[0].text}`);
  if (restarted.length) failures.push(`(a) ${restarted.length} acknowledged answers wrong after kill -9 and a restart, e.g. ${restarted[0].text}`);

  // (b) Kill cycles.
  const before = { acknowledged: ledger.acknowledged, refused: ledger.refused, unanswered: ledger.unanswered };
  const storeLog: string[] = [];
  /** Each lost answer once, with the first cycle that found it. */
  const lost = new Map<string, string>();
  const started = performance.now();
  let loadMs = 0;
  let startMs = 0;
  let checkMs = 0;
  for (let cycle = 0; cycle < CYCLES; cycle++) {
    let t = performance.now();
    const child = await start(dir, PORT_SAVES, env);
    startMs += performance.now() - t;
    watchLog(child, serverLog);
    const clients = 16 + Math.floor(Math.random() * 17);
    const duration = 500 + Math.random() * 2000;
    const halt = { done: false };
    const running = saveLoad(PORT_SAVES, open, clients, ledger, halt);
    await sleep(duration);
    loadMs += duration;
    // Mid-load: the clients' requests in flight are the ones the kill cuts off.
    halt.done = true;
    await kill9(child);
    await running;
    t = performance.now();
    const wrong = await wrongInStore(dir, ledger, storeLog);
    checkMs += performance.now() - t;
    for (const w of wrong) if (!lost.has(w.answer)) lost.set(w.answer, `cycle ${cycle + 1}: ${w.text}`);
  }
  const took = performance.now() - started;
  const cycleSaves = ledger.acknowledged - before.acknowledged;
  console.log(
    `  (b) ${CYCLES} kill cycles (16–32 clients, SIGKILL after 0.5–2.5 s) in ${seconds(took)}: ${fmt(cycleSaves)} acknowledged saves, ${fmt(ledger.unanswered - before.unanswered)} cut off by the kill, non-2xx ${ledger.refused - before.refused} (target 0)`,
  );
  console.log(`      per cycle: server start ${(startMs / CYCLES / 1000).toFixed(2)} s, load ${(loadMs / CYCLES / 1000).toFixed(2)} s, opening the directory in-process and checking ${(checkMs / CYCLES / 1000).toFixed(2)} s`);
  console.log(`      acknowledged answers lost (all ${fmt(ledger.answers)} checked after every kill) ${String(lost.size).padStart(6)} (target 0)${examples([...lost.values()])}`);
  if (lost.size) failures.push(`(b) ${lost.size} acknowledged answers lost across kill -9, e.g. ${[...lost.values()][0]}`);
  if (ledger.refused > before.refused) failures.push(`(b) ${ledger.refused - before.refused} saves answered other than 200, e.g. ${ledger.refusals[0]}`);
  const logged = [...serverLog, ...storeLog];
  if (logged.length) {
    console.log(`      store and error lines logged: ${logged.length}${examples(logged)}`);
    failures.push(`the server or store logged ${logged.length} store/error lines, e.g. ${logged[0]}`);
  }
  return failures;
}

// ---------------------------------------------------------------------------------------------
// The fuzz and the access-control matrix: an app in-process over a temporary store

/** Cheap hashing for the in-process apps (as the tests have it): the attacks are not about its cost. */
async function withTestHashing<T>(work: () => Promise<T>): Promise<T> {
  const before = process.env.LADDER_SCRYPT_LOG_N;
  process.env.LADDER_SCRYPT_LOG_N = '12';
  try {
    return await work();
  } finally {
    if (before === undefined) delete process.env.LADDER_SCRYPT_LOG_N;
    else process.env.LADDER_SCRYPT_LOG_N = before;
  }
}

async function onLoopback<T>(log: ((line: string) => void) | undefined, work: (h: Awaited<ReturnType<typeof harness>>, baseUrl: string) => Promise<T>): Promise<T> {
  const h = await harness(log ? { log } : {});
  const server = h.app.listen(0, '127.0.0.1');
  try {
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    return await work(h, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await h.ctx.background.settled();
    await h.ctx.pdf.close();
    await h.store.close();
    rmSync(h.dir, { recursive: true, force: true });
  }
}

async function benchFuzz(): Promise<string[]> {
  const failures: string[] = [];
  const serverLog: string[] = [];
  await withTestHashing(() =>
    onLoopback((line) => void serverLog.push(line), async (h, baseUrl) => {
      const world = await seedFuzz({ baseUrl, store: h.store, now: h.clock.now });
      const before = await storeSnapshot(h.store);
      const r = await fuzz({ baseUrl, ...world, requests: 3000, seed: 12, concurrency: 4 });
      const after = await storeSnapshot(h.store);
      const diff = storeDiff(before, after);
      const changes = recordChanges(diff) + diff.auditAdded.length + diff.auditRemoved.length;
      const errors = serverLog.filter((l) => l.startsWith('[error]'));
      console.log(`  fuzz (seed 12): ${fmt(r.requests)} requests in ${seconds(r.ms)}; by status ${JSON.stringify(r.byStatus)}`);
      console.log(`      5xx                                    ${String(r.fiveHundreds.length).padStart(6)} (target 0)`);
      console.log(`      4xx without the error body             ${String(r.badBodies.length).padStart(6)} (target 0)`);
      console.log(`      accepted where a refusal was due       ${String(r.accepted.length).padStart(6)} (target 0)`);
      console.log(`      no answer (closed, timed out)          ${String(r.errors.length).padStart(6)} (target 0)`);
      console.log(`      store changes (records, audit entries) ${String(changes).padStart(6)} (target 0); server up after: ${r.serverUp ? 'yes' : 'NO'}; server errors logged ${errors.length}`);
      if (r.fiveHundreds.length) failures.push(`fuzz: ${r.fiveHundreds.length} 5xx:\n${describeFindings(r.fiveHundreds, 10)}`);
      if (r.badBodies.length) failures.push(`fuzz: ${r.badBodies.length} 4xx without the error body:\n${describeFindings(r.badBodies, 10)}`);
      if (r.accepted.length) failures.push(`fuzz: ${r.accepted.length} accepted:\n${describeFindings(r.accepted, 10)}`);
      if (r.errors.length) failures.push(`fuzz: ${r.errors.length} without an answer:\n${describeFindings(r.errors, 10)}`);
      if (changes) failures.push(`fuzz: the store changed: ${[...describeDiff(before, after, diff), ...diff.auditAdded.map((a) => `+ audit ${a}`), ...diff.auditRemoved.map((a) => `- audit ${a}`)].slice(0, 10).join('; ')}`);
      if (!r.serverUp) failures.push('fuzz: the server no longer answered at the end');
    }),
  );
  return failures;
}

async function benchMatrix(): Promise<string[]> {
  const failures: string[] = [];
  await withTestHashing(() =>
    onLoopback(undefined, async (h, baseUrl) => {
      const t = performance.now();
      const actors = await seedWorld({ baseUrl, store: h.store });
      const openapi = (await (await fetch(`${baseUrl}/api/openapi.json`)).json()) as OpenApiDocument;
      const operations = Object.values(openapi.paths).reduce((n, methods) => n + Object.keys(methods).length, 0);
      const snapshot = () => storeSnapshot(h.store, { ignore: (r) => r.kind === 'supportRequest' && r.request.mobile === PROBE_MOBILE });
      const before = await snapshot();
      const sms = h.sms.sent.length;
      const r = await runAccessMatrix({ baseUrl, openapi, actors });
      const after = await snapshot();
      const diff = storeDiff(before, after);
      const texts = h.sms.sent.length - sms;
      console.log(`  access matrix: ${operations} operations × ${actors.length} actors in ${seconds(performance.now() - t)}: ${fmt(r.attempts)} attempts, ${fmt(r.probes)} probes, ${fmt(r.skipped)} rights not exercised`);
      console.log(`      successes (a refusal was due, or others' ids given away) ${String(r.successes.length).padStart(6)} (target 0)`);
      console.log(`      store records changed ${recordChanges(diff)} (target 0), audit entries lost ${diff.auditRemoved.length} (target 0), refusals audited ${diff.auditAdded.length}, text messages sent ${texts} (target 0)`);
      if (r.successes.length)
        failures.push(`access matrix: ${r.successes.length} successes, e.g. ${r.successes.slice(0, 10).map((s) => `${s.actor}: ${s.method} ${s.path}${s.target ? ` [${s.target}]` : ''} → ${s.status} (${s.reason})`).join('; ')}`);
      if (recordChanges(diff)) failures.push(`access matrix: the store changed: ${describeDiff(before, after, diff).slice(0, 10).join('; ')}`);
      if (diff.auditRemoved.length) failures.push(`access matrix: ${diff.auditRemoved.length} audit entries lost`);
      if (texts) failures.push(`access matrix: ${texts} text messages sent`);
    }),
  );
  return failures;
}

// ---------------------------------------------------------------------------------------------
// The login flood

interface FloodResult {
  rps: number;
  p99: number;
  non2xx: number;
  /** The flood's answers by status: all of them, and those while the saves were measured. */
  statuses: Record<string, number>;
  measured: Record<string, number>;
  /** How long the flood ran before the saves were measured (ms). */
  underWay: number;
  peakRss: number;
  /** Cores busy while the saves were measured: the server process, and this one (autocannon and the flood's clients). */
  serverCpu: number;
  clientCpu: number;
}

/**
 * Saves/s (autocannon, 10 s) while `flooders` clients post logins of unknown users, each from
 * `address()`; the saves are measured once the flood is under way (a second), or once `ready` says so.
 */
async function savesDuringFlood(server: ChildProcess, port: number, targets: Target[], flooders: number, address: () => string, ready?: (statuses: Record<string, number>) => boolean): Promise<FloodResult> {
  const statuses: Record<string, number> = {};
  const stop = { done: false };
  const agent = new http.Agent({ keepAlive: true, maxSockets: Math.max(flooders, 1) });
  const flood = Promise.all(
    Array.from({ length: flooders }, async () => {
      while (!stop.done) {
        const body = JSON.stringify({ username: `flood_${randomBytes(6).toString('hex')}`, password: randomBytes(9).toString('base64url') });
        let key: string;
        try {
          key = String((await send(agent, port, 'POST', '/api/session', { 'content-type': 'application/json', 'x-forwarded-for': address() }, body)).status);
        } catch (e) {
          key = `error ${(e as Error).message}`;
        }
        statuses[key] = (statuses[key] ?? 0) + 1;
      }
    }),
  );
  let peakRss = rssMiB(server.pid!);
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssMiB(server.pid!))), 100);
  try {
    const t = performance.now();
    if (flooders) await sleep(1000);
    while (ready && !ready(statuses) && performance.now() - t < 60_000) await sleep(100);
    const underWay = performance.now() - t;
    const during = { ...statuses };
    const cpu = { server: cpuSeconds(server.pid!), bench: process.cpuUsage(), at: performance.now() };
    const r = await drive(port, targets, 10);
    const wall = (performance.now() - cpu.at) / 1000;
    const benchCpu = process.cpuUsage(cpu.bench);
    const serverCpu = (cpuSeconds(server.pid!) - cpu.server) / wall;
    const clientCpu = (benchCpu.user + benchCpu.system) / 1e6 / wall;
    const measured = Object.fromEntries(Object.entries(statuses).map(([k, n]) => [k, n - (during[k] ?? 0)]));
    return { rps: r.rps, p99: r.p99, non2xx: r.non2xx + r.errors, statuses, measured, underWay, peakRss, serverCpu, clientCpu };
  } finally {
    clearInterval(sampler);
    stop.done = true;
    // Until the last login of the flood was answered, so the next measurement starts with an empty hashing queue.
    await flood;
    agent.destroy();
  }
}

const randomAddress = () => `${1 + Math.floor(Math.random() * 223)}.${Math.floor(Math.random() * 256)}.${Math.floor(Math.random() * 256)}.${1 + Math.floor(Math.random() * 254)}`;

async function benchLoginFlood(dir: string, open: Open[]): Promise<string[]> {
  const failures: string[] = [];
  // 100 enterprises saving, each to its own diagnosis, as bench/server.ts drives them.
  const seen = new Set<string>();
  const targets: Target[] = [];
  for (const d of open) {
    if (targets.length === 100 || seen.has(d.cookie)) continue;
    seen.add(d.cookie);
    targets.push({ diagnosis: d.id, sid: d.cookie.slice('ladder_sid='.length), questions: d.questions });
  }
  const server = await start(dir, PORT_FLOOD, { LADDER_SCRYPT_LOG_N: '17' });
  try {
    await drive(PORT_FLOOD, targets, 3); // warm-up
    const quiet = await savesDuringFlood(server, PORT_FLOOD, targets, 0, () => '');
    const many = await savesDuringFlood(server, PORT_FLOOD, targets, 16, randomAddress);
    // From one address: measured once the per-address limit answers 429 (after its first 100 attempts).
    const one = await savesDuringFlood(server, PORT_FLOOD, targets, 16, () => '198.51.100.7', (s) => (s['429'] ?? 0) > 0);
    const ratio = many.rps / quiet.rps;
    const oneRatio = one.rps / quiet.rps;
    const statuses = (s: Record<string, number>) => ['401', '429', '503', ...Object.keys(s).filter((k) => !['401', '429', '503'].includes(k))].map((k) => `${k}: ${fmt(s[k] ?? 0)}`).join(', ');
    const cores = (r: FloodResult) => `cores busy: server ${r.serverCpu.toFixed(2)}, load generators ${r.clientCpu.toFixed(2)}`;
    console.log(`  saves/s without a flood                                   ${fmt(quiet.rps).padStart(6)} (p99 ${quiet.p99} ms, ${cores(quiet)}), server RSS peak ${quiet.peakRss.toFixed(0)} MiB`);
    console.log(`  saves/s during a flood of 16 clients from many addresses  ${fmt(many.rps).padStart(6)} (p99 ${many.p99} ms, non-2xx ${many.non2xx}, ${cores(many)})`);
    console.log(`      with / without                                        ${ratio.toFixed(2).padStart(6)} (target ≥ 0.5)`);
    console.log(`      the flood's logins while measured: ${statuses(many.measured)}; server RSS peak during the flood ${many.peakRss.toFixed(0)} MiB`);
    console.log(`  saves/s during a flood of 16 clients from one address     ${fmt(one.rps).padStart(6)} (p99 ${one.p99} ms, non-2xx ${one.non2xx}, ${cores(one)}), measured once it got 429s (after ${seconds(one.underWay)})`);
    console.log(`      with / without                                        ${oneRatio.toFixed(2).padStart(6)} (target ≥ 0.5)`);
    console.log(`      the flood's logins while measured: ${statuses(one.measured)} (before: ${statuses(Object.fromEntries(Object.entries(one.statuses).map(([k, n]) => [k, n - (one.measured[k] ?? 0)])))}); server RSS peak during the flood ${one.peakRss.toFixed(0)} MiB`);
    if (ratio < 0.5) failures.push(`login flood from many addresses: saves/s ${fmt(many.rps)} against ${fmt(quiet.rps)} without (${ratio.toFixed(2)} < 0.5)`);
    if (oneRatio < 0.5) failures.push(`login flood from one address: saves/s ${fmt(one.rps)} against ${fmt(quiet.rps)} without (${oneRatio.toFixed(2)} < 0.5)`);
    for (const [what, r] of [['without a flood', quiet], ['during the flood from many addresses', many], ['during the flood from one address', one]] as const)
      if (r.non2xx) failures.push(`saves ${what}: ${r.non2xx} non-2xx or errors`);
  } finally {
    await stopServer(server);
  }
  return failures;
}

// ---------------------------------------------------------------------------------------------

export async function benchReliability(): Promise<string[]> {
  const failures: string[] = [];
  const started = performance.now();
  const dir = mkdtempSync(join(tmpdir(), 'ladder-bench-reliability-'));
  // A part that fails half-way is a missed target; the other parts still run.
  const part = async (what: string, run: () => Promise<string[]>) => {
    try {
      failures.push(...(await run()));
    } catch (e) {
      console.log(`  ${what} failed: ${(e as Error).stack ?? e}`);
      failures.push(`${what} failed: ${(e as Error).message}`);
    } finally {
      await Promise.all([...live].map(kill9));
    }
  };
  try {
    console.log('\nReliability — acknowledged saves across kill -9 (lowdb, diagnosis cache smaller than the open diagnoses)');
    const open = await preparePopulation(dir);
    await part('durability', () => benchDurability(dir, open));
    console.log('\nReliability — fuzz of bad requests (tests/attacks/fuzz.ts), app on 127.0.0.1 over a temporary store');
    await part('fuzz', benchFuzz);
    console.log('\nReliability — access-control matrix (tests/attacks/accessMatrix.ts), app on 127.0.0.1 over a temporary store');
    await part('access matrix', benchMatrix);
    console.log('\nReliability — login flood, production password hashing (scrypt N = 2^17), answer saves with 64 connections, 100 enterprises saving');
    await part('login flood', () => benchLoginFlood(dir, open));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`  the reliability part took ${seconds(performance.now() - started)}`);
  return failures;
}
