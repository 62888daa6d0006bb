// Dashboard benchmark: 20,000 enterprises with 60,000 diagnoses (two finished and one in
// progress each) in a fresh store, the server in its own process, and one administrator at a
// time asking for the figures of the whole country, a province and a city, a page of the
// enterprise table and the whole country's CSV. Median and p95 beside the target.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import { generatePopulation } from '../server/population.ts';
import type { Role } from '../server/store/types.ts';
import { benchContext, startServer, stopServer } from './serverProcess.ts';

const ENTERPRISES = 20_000;
const TARGET_MS = 300;
const RUNS = 30;

async function prepare(dir: string) {
  const ctx = await benchContext(dir);
  const { store } = ctx;
  const t = performance.now();
  const { enterprises, diagnoses } = await generatePopulation(ctx, { count: ENTERPRISES, prefix: 'dash', password: 'bench-2026', finished: 2, inProgress: true });
  console.log(`  generated ${enterprises.length.toLocaleString('en')} enterprises with ${diagnoses.length.toLocaleString('en')} diagnoses in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  // The busiest province and, within it, its busiest city: the largest region of each kind.
  const busiest = (codes: string[]) => [...codes.reduce((m, c) => m.set(c, (m.get(c) ?? 0) + 1), new Map<string, number>())].sort((a, b) => b[1] - a[1])[0];
  const [province, inProvince] = busiest(enterprises.map((e) => e.regionPath[0]));
  const [city, inCity] = busiest(enterprises.filter((e) => e.regionPath[0] === province).map((e) => e.regionPath[1]));
  const session = async (role: Role, region?: string) => {
    const id = randomUUID();
    await store.createAccount({ id, username: `bench-${role}-${region ?? 'all'}`, passwordHash: 'x', role, ...(region ? { region } : {}), createdAt: new Date().toISOString() });
    const sid = randomBytes(24).toString('base64url');
    await store.createSession({ id: sid, userId: id, createdAt: new Date().toISOString(), expiresAt: new Date(Date.now() + 86_400_000).toISOString() });
    return sid;
  };
  const sids = { platform: await session('platformAdmin'), province: await session('regionAdmin', province), city: await session('regionAdmin', city) };
  await store.close();
  return { sids, province, inProvince, city, inCity };
}

async function timed(url: string, sid: string): Promise<number> {
  const t = performance.now();
  const res = await fetch(url, { headers: { cookie: `ladder_sid=${sid}` } });
  const body = await res.text();
  const ms = performance.now() - t;
  if (res.status !== 200 || body.length < 100) throw new Error(`${url}: ${res.status} ${body.slice(0, 200)}`);
  return ms;
}

export async function benchDashboard(): Promise<string[]> {
  console.log(`\nDashboard API — ${ENTERPRISES.toLocaleString('en')} enterprises, 60,000 diagnoses, one request at a time, loopback`);
  const dir = mkdtempSync(join(tmpdir(), 'ladder-bench-dashboard-'));
  const port = 3905;
  const failures: string[] = [];
  try {
    const { sids, province, inProvince, city, inCity } = await prepare(dir);
    const mib = (file: string) => (statSync(join(dir, file)).size / 2 ** 20).toFixed(1);
    console.log(`  store: ladder.json ${mib('ladder.json')} MiB, profiles.jsonl ${mib('profiles.jsonl')} MiB`);
    const server = await startServer(dir, port);
    const base = `http://127.0.0.1:${port}/api`;
    const cases: [string, string, string][] = [
      ['GET /api/dashboard, whole country', `${base}/dashboard`, sids.platform],
      [`GET /api/dashboard, province ${province} (${inProvince.toLocaleString('en')})`, `${base}/dashboard`, sids.province],
      [`GET /api/dashboard, city ${city} (${inCity.toLocaleString('en')})`, `${base}/dashboard`, sids.city],
      ['enterprises, whole country, page 1 by score', `${base}/dashboard/enterprises?sort=score&order=desc&page=1&pageSize=20`, sids.platform],
      ['enterprises, whole country, by name', `${base}/dashboard/enterprises?sort=name&page=3&pageSize=50`, sids.platform],
      [`enterprises, province, level 2, search`, `${base}/dashboard/enterprises?level=2&q=${encodeURIComponent('示例')}`, sids.province],
      ['enterprises CSV, whole country (20,000 rows)', `${base}/dashboard/enterprises?format=csv`, sids.platform],
      ['enterprises CSV, city', `${base}/dashboard/enterprises?format=csv`, sids.city],
    ];
    try {
      for (const [label, url, sid] of cases) {
        for (let i = 0; i < 3; i++) await timed(url, sid); // warm the JIT and the ruleset cache
        const times: number[] = [];
        for (let i = 0; i < RUNS; i++) times.push(await timed(url, sid));
        times.sort((a, b) => a - b);
        const median = times[Math.floor(RUNS / 2)];
        const p95 = times[Math.ceil(RUNS * 0.95) - 1];
        console.log(`  ${label.padEnd(48)} median ${median.toFixed(0).padStart(4)} ms, p95 ${p95.toFixed(0).padStart(4)} ms (target < ${TARGET_MS})`);
        if (p95 >= TARGET_MS) failures.push(`${label}: p95 ${p95.toFixed(0)} ms ≥ ${TARGET_MS} ms`);
      }
    } finally {
      await stopServer(server);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return failures;
}
