// PostgreSQL benchmark: answer saves at 20,000 enterprises on the embedded store, on PostgreSQL
// with one server instance, and with two instances sharing the database (the load split between
// them, as a load balancer would). PostgreSQL runs with fsync on, as lowdb's journal does.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freshDatabase, startPostgres } from '../tests/postgresCluster.ts';
import { drive, prepare, type Target } from './server.ts';
import { startServer, stopServer } from './serverProcess.ts';
import { prepareDashboard, timed } from './dashboard.ts';

const ENTERPRISES = 20_000;
const SECONDS = 10;
/** What one instance on PostgreSQL must sustain (the embedded store's own target is 1,500/s). */
const TARGET = { rps: 1000, p99: 100 };
/**
 * The dashboard page's budget (usable within 1 s). A whole country's request reads every
 * enterprise's summaries and profiles over the wire (60,000 rows), where lowdb has them in memory.
 */
const DASHBOARD_MS = 1000;

type Figure = { rps: number; p99: number; non2xx: number; errors: number };

const show = (label: string, r: Figure) =>
  console.log(`  ${label.padEnd(34)} ${Math.round(r.rps).toLocaleString('en').padStart(6)} saves/s, p99 ${String(r.p99).padStart(3)} ms, non-2xx ${r.non2xx}, errors ${r.errors}`);

/** Drives every port at once, the connections shared out; saves/s add up, p99 is the worst instance's. */
async function driveAll(ports: number[], targets: Target[], seconds: number): Promise<Figure> {
  const share = Math.floor(targets.length / ports.length);
  const runs = await Promise.all(
    ports.map((port, i) => {
      // Each instance starts its round at another diagnosis, so the two don't queue on the same rows.
      const rotated = [...targets.slice(i * share), ...targets.slice(0, i * share)];
      return drive(port, rotated, seconds, Math.round(64 / ports.length));
    }),
  );
  return {
    rps: runs.reduce((s, r) => s + r.rps, 0),
    p99: Math.max(...runs.map((r) => r.p99)),
    non2xx: runs.reduce((s, r) => s + r.non2xx, 0),
    errors: runs.reduce((s, r) => s + r.errors, 0),
  };
}

async function measure(ports: number[], targets: Target[]) {
  await driveAll(ports, targets, 3); // warm-up
  return driveAll(ports, targets, SECONDS);
}

export async function benchPostgres(): Promise<string[]> {
  console.log(`\nPostgreSQL — answer saves at ${ENTERPRISES.toLocaleString('en')} enterprises, 64 connections in all, 100 enterprises saving, loopback`);
  const failures: string[] = [];
  const check = (label: string, r: Figure) => {
    if (r.non2xx || r.errors) failures.push(`${label}: ${r.non2xx} non-2xx, ${r.errors} errors`);
  };

  const lowdbDir = mkdtempSync(join(tmpdir(), 'ladder-bench-'));
  try {
    const targets = await prepare(lowdbDir, ENTERPRISES);
    const server = await startServer(lowdbDir, 3911);
    try {
      const r = await measure([3911], targets);
      show('lowdb, one process', r);
      check('lowdb', r);
    } finally {
      await stopServer(server);
    }
  } finally {
    rmSync(lowdbDir, { recursive: true, force: true });
  }

  const cluster = await startPostgres({ durable: true });
  const dir = mkdtempSync(join(tmpdir(), 'ladder-bench-'));
  try {
    const url = await freshDatabase(cluster.url, 'ladder_bench');
    const env = { DATABASE_URL: url };
    const targets = await prepare(dir, ENTERPRISES, url);
    const one = await startServer(dir, 3912, env);
    try {
      const r = await measure([3912], targets);
      show('PostgreSQL, one instance', r);
      check('PostgreSQL, one instance', r);
      if (r.rps < TARGET.rps) failures.push(`PostgreSQL, one instance: ${Math.round(r.rps)} saves/s < ${TARGET.rps}`);
      if (r.p99 > TARGET.p99) failures.push(`PostgreSQL, one instance: p99 ${r.p99} ms > ${TARGET.p99} ms`);
    } finally {
      await stopServer(one);
    }
    const two = await Promise.all([startServer(dir, 3912, env), startServer(dir, 3913, env)]);
    try {
      const r = await measure([3912, 3913], targets);
      show('PostgreSQL, two instances', r);
      check('PostgreSQL, two instances', r);
    } finally {
      await Promise.all(two.map(stopServer));
    }
    console.log(`  (2 cores here: the instances, PostgreSQL and the load generator share them, so a second instance adds headroom against a crash more than speed)`);
    failures.push(...(await dashboardOnPostgres(cluster.url)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await cluster.stop();
  }
  return failures;
}

/** The authorities' dashboard reads every enterprise of a region at once: what that costs over PostgreSQL. */
async function dashboardOnPostgres(serverUrl: string): Promise<string[]> {
  const failures: string[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'ladder-bench-'));
  const url = await freshDatabase(serverUrl, 'ladder_bench_dashboard');
  const { sids, province, inProvince } = await prepareDashboard(dir, url);
  const port = 3914;
  const server = await startServer(dir, port, { DATABASE_URL: url });
  console.log(`\nDashboard API on PostgreSQL — 20,000 enterprises, 60,000 diagnoses, one request at a time (target < ${DASHBOARD_MS} ms p95)`);
  try {
    const base = `http://127.0.0.1:${port}/api`;
    const cases: [string, string, string][] = [
      ['GET /api/dashboard, whole country', `${base}/dashboard`, sids.platform],
      [`GET /api/dashboard, province ${province} (${inProvince.toLocaleString('en')})`, `${base}/dashboard`, sids.province],
      ['enterprises CSV, whole country (20,000 rows)', `${base}/dashboard/enterprises?format=csv`, sids.platform],
    ];
    for (const [label, address, sid] of cases) {
      for (let i = 0; i < 3; i++) await timed(address, sid);
      const times: number[] = [];
      for (let i = 0; i < 15; i++) times.push(await timed(address, sid));
      times.sort((a, b) => a - b);
      const median = times[Math.floor(times.length / 2)];
      const p95 = times[Math.ceil(times.length * 0.95) - 1];
      console.log(`  ${label.padEnd(48)} median ${median.toFixed(0).padStart(4)} ms, p95 ${p95.toFixed(0).padStart(4)} ms`);
      if (p95 >= DASHBOARD_MS) failures.push(`PostgreSQL ${label}: p95 ${p95.toFixed(0)} ms ≥ ${DASHBOARD_MS} ms`);
    }
  } finally {
    await stopServer(server);
    rmSync(dir, { recursive: true, force: true });
  }
  return failures;
}
