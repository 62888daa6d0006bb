// Report benchmark: the server in its own process renders one finished diagnosis's PDF again and
// again: warm median, PDFs per minute with 4 requests at a time, and the server's memory
// (RSS of the Node process) after 50 and after 500 reports.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { generatePopulation } from '../server/population.ts';
import { benchContext, startServer, stopServer } from './serverProcess.ts';

const rssMiB = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

async function prepare(dir: string) {
  const ctx = await benchContext(dir);
  const store = ctx.store;
  const { users, diagnoses } = await generatePopulation(ctx, { count: 1, prefix: 'rep', password: 'bench-2026', strength: 0.85 });
  const sid = randomBytes(24).toString('base64url');
  await store.createSession({ id: sid, userId: users[0].id, createdAt: new Date().toISOString(), expiresAt: new Date(Date.now() + 86_400_000).toISOString() });
  await store.close();
  return { sid, diagnosis: diagnoses[0].id };
}

export async function benchReports(): Promise<string[]> {
  console.log('\nReports — GET /api/diagnoses/:id/report.pdf, one server, Debian Chromium');
  const dir = mkdtempSync(join(tmpdir(), 'ladder-bench-reports-'));
  const port = 3903;
  const { sid, diagnosis } = await prepare(dir);
  const server = await startServer(dir, port);
  const failures: string[] = [];
  let done = 0;
  const one = async () => {
    const res = await fetch(`http://127.0.0.1:${port}/api/diagnoses/${diagnosis}/report.pdf`, { headers: { cookie: `ladder_sid=${sid}` } });
    const body = new Uint8Array(await res.arrayBuffer());
    if (res.status !== 200 || body.length < 1000) throw new Error(`report failed: ${res.status}`);
    done++;
  };
  const concurrently = async (count: number, parallel: number) => {
    let left = count;
    await Promise.all(Array.from({ length: parallel }, async () => {
      while (left-- > 0) await one();
    }));
  };
  try {
    for (let i = 0; i < 3; i++) await one(); // launch Chromium, warm the JIT
    const times: number[] = [];
    for (let i = 0; i < 20; i++) {
      const t = performance.now();
      await one();
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    const median = times[10];
    const t = performance.now();
    await concurrently(60, 4);
    const perMinute = 60 / ((performance.now() - t) / 60_000);
    await concurrently(50 - done, 4);
    const at50 = rssMiB(server.pid!);
    await concurrently(500 - done, 4);
    const at500 = rssMiB(server.pid!);
    console.log(`  median warm PDF                      ${median.toFixed(0).padStart(6)} ms (target ≤ 400)`);
    console.log(`  with 4 requests at a time            ${perMinute.toFixed(0).padStart(6)} PDFs/min (target ≥ 120)`);
    console.log(`  server RSS after 50 / 500 reports    ${at50.toFixed(0)} / ${at500.toFixed(0)} MiB (${(((at500 - at50) / at50) * 100).toFixed(1)}%, target within 20%)`);
    if (median > 400) failures.push(`median PDF ${median.toFixed(0)} ms > 400 ms`);
    if (perMinute < 120) failures.push(`${perMinute.toFixed(0)} PDFs/min < 120`);
    if (at500 > at50 * 1.2) failures.push(`memory grew ${(((at500 - at50) / at50) * 100).toFixed(1)}% from 50 to 500 reports`);
  } finally {
    await stopServer(server);
    rmSync(dir, { recursive: true, force: true });
  }
  return failures;
}
