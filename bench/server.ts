// Server benchmark: a generated population in a fresh store, the server in its own process, and
// autocannon driving the answer-save endpoint over loopback with many enterprises saving at once.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import autocannon from 'autocannon';
import { generatePopulation } from '../server/population.ts';
import { benchContext, startServer, stopServer } from './serverProcess.ts';

export interface Target {
  diagnosis: string;
  sid: string;
  questions: string[];
}

export async function prepare(dir: string, enterprises: number, databaseUrl?: string): Promise<Target[]> {
  const ctx = await benchContext(dir, databaseUrl);
  const store = ctx.store;
  const t = performance.now();
  const { users, diagnoses } = await generatePopulation(ctx, { count: enterprises, prefix: 'bench', password: 'bench-2026', inProgress: true });
  console.log(`  generated ${enterprises.toLocaleString('en')} enterprises with ${diagnoses.length.toLocaleString('en')} diagnoses in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  // 100 enterprises save at once, each to its own diagnosis, as in a deadline rush.
  const targets: Target[] = [];
  for (const user of users.slice(0, 100)) {
    const diagnosis = diagnoses.find((d) => d.userId === user.id && d.status === 'inProgress')!;
    const rules = (await store.getRuleset(diagnosis.rulesetId, diagnosis.rulesetVersion))!.document;
    const sid = randomBytes(24).toString('base64url');
    await store.createSession({ id: sid, userId: user.id, createdAt: new Date().toISOString(), expiresAt: new Date(Date.now() + 86_400_000).toISOString() });
    targets.push({ diagnosis: diagnosis.id, sid, questions: rules.questions.filter((q) => q.level === 1).map((q) => q.id) });
  }
  await store.close();
  return targets;
}

export async function drive(port: number, targets: Target[], seconds: number, connections = 64) {
  let i = 0;
  const options = ['A', 'B', 'C', 'D'];
  const result = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections,
    duration: seconds,
    requests: [
      {
        method: 'PUT',
        setupRequest: (req) => {
          const t = targets[i % targets.length];
          const q = t.questions[Math.floor(i / targets.length) % t.questions.length];
          i++;
          return { ...req, path: `/api/diagnoses/${t.diagnosis}/answers`, headers: { 'content-type': 'application/json', cookie: `ladder_sid=${t.sid}` }, body: JSON.stringify({ answers: { [q]: options[i % 4] } }) };
        },
      },
    ],
  });
  return { rps: result.requests.average, p99: result.latency.p99, non2xx: result.non2xx, errors: result.errors };
}

export async function benchServer(): Promise<string[]> {
  console.log('\nServer — answer saves (PUT /api/diagnoses/:id/answers), 64 connections, 100 enterprises saving, loopback');
  const failures: string[] = [];
  const figures: Record<number, { rps: number; p99: number }> = {};
  for (const [enterprises, port] of [
    [100, 3901],
    [10_000, 3902],
  ] as const) {
    const dir = mkdtempSync(join(tmpdir(), 'ladder-bench-'));
    try {
      const targets = await prepare(dir, enterprises);
      const server = await startServer(dir, port);
      try {
        await drive(port, targets, 3); // warm-up
        const r = await drive(port, targets, 10);
        figures[enterprises] = r;
        console.log(`  ${enterprises.toLocaleString('en').padStart(6)} enterprises: ${Math.round(r.rps).toLocaleString('en').padStart(6)} saves/s, p99 ${r.p99} ms, non-2xx ${r.non2xx}, errors ${r.errors}`);
        if (r.non2xx || r.errors) failures.push(`${enterprises} enterprises: ${r.non2xx} non-2xx, ${r.errors} errors`);
        if (r.rps < 1500) failures.push(`${enterprises} enterprises: ${Math.round(r.rps)} saves/s < 1,500`);
        if (r.p99 > 50) failures.push(`${enterprises} enterprises: p99 ${r.p99} ms > 50 ms`);
      } finally {
        await stopServer(server);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const ratio = figures[100].rps / figures[10_000].rps;
  console.log(`  throughput at 100 / at 10,000 enterprises = ${ratio.toFixed(2)} (target ≤ 1.5)`);
  if (ratio > 1.5) failures.push(`10,000-enterprise throughput ${ratio.toFixed(2)}× slower than at 100`);
  return failures;
}
