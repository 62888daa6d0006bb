// Server benchmark: a generated population in a fresh store, the server in its own process, and
// autocannon driving the answer-save endpoint over loopback with many enterprises saving at once.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import autocannon from 'autocannon';
import { generatePopulation } from '../server/population.ts';
import { benchContext, startServer, stopServer } from './serverProcess.ts';
import { nginxBinary, NGINX_MISSING, startNginx } from '../tests/nginx.ts';

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

type Figures = Awaited<ReturnType<typeof drive>>;

/** Rounds measured alternately (direct, proxied, direct, proxied…), so both see the same store and machine state. */
function combine(rounds: Figures[]): Figures {
  const sum = (f: (r: Figures) => number) => rounds.reduce((n, r) => n + f(r), 0);
  return { rps: sum((r) => r.rps) / rounds.length, p99: Math.max(...rounds.map((r) => r.p99)), non2xx: sum((r) => r.non2xx), errors: sum((r) => r.errors) };
}

export async function benchServer(): Promise<string[]> {
  console.log('\nServer — answer saves (PUT /api/diagnoses/:id/answers), 64 connections, 100 enterprises saving, loopback;');
  console.log('  the same saves through nginx (deploy/nginx/ladder.conf) beside them, measured in alternating 5 s rounds');
  const failures: string[] = [];
  const nginxPresent = !!nginxBinary();
  if (!nginxPresent) failures.push(NGINX_MISSING);
  const figures: Record<number, { rps: number; p99: number }> = {};
  for (const [enterprises, port] of [
    [100, 3901],
    [10_000, 3902],
  ] as const) {
    const dir = mkdtempSync(join(tmpdir(), 'ladder-bench-'));
    try {
      const targets = await prepare(dir, enterprises);
      const server = await startServer(dir, port);
      // One instance behind the shipped site configuration over plain HTTP (TLS is not what is compared).
      const nginx = nginxPresent ? await startNginx({ instances: [port], workers: 2 }) : undefined;
      const nginxPort = nginx ? Number(new URL(nginx.url).port) : 0;
      try {
        await drive(port, targets, 3); // warm-up
        if (nginx) await drive(nginxPort, targets, 2);
        const direct: Figures[] = [];
        const proxied: Figures[] = [];
        for (let round = 0; round < 2; round++) {
          direct.push(await drive(port, targets, 5));
          if (nginx) proxied.push(await drive(nginxPort, targets, 5));
        }
        const r = combine(direct);
        figures[enterprises] = r;
        const line = (label: string, f: Figures) =>
          `  ${enterprises.toLocaleString('en').padStart(6)} enterprises, ${label}: ${Math.round(f.rps).toLocaleString('en').padStart(6)} saves/s, p99 ${f.p99} ms, non-2xx ${f.non2xx}, errors ${f.errors}`;
        console.log(line('direct       ', r));
        if (r.non2xx || r.errors) failures.push(`${enterprises} enterprises: ${r.non2xx} non-2xx, ${r.errors} errors`);
        if (r.rps < 1500) failures.push(`${enterprises} enterprises: ${Math.round(r.rps)} saves/s < 1,500`);
        if (r.p99 > 50) failures.push(`${enterprises} enterprises: p99 ${r.p99} ms > 50 ms`);
        if (nginx) {
          const p = combine(proxied);
          const ratio = p.rps / r.rps;
          console.log(`${line('through nginx', p)} = ${ratio.toFixed(2)} × direct (target ≥ 0.8)`);
          if (p.non2xx || p.errors) failures.push(`${enterprises} enterprises through nginx: ${p.non2xx} non-2xx, ${p.errors} errors`);
          if (ratio < 0.8) failures.push(`${enterprises} enterprises: saves through nginx ${ratio.toFixed(2)} × direct < 0.8`);
        }
      } finally {
        await nginx?.stop();
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
