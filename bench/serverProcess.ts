// What the server benchmarks share: a store prepared in-process with the engine, then the real
// server started on it in its own process (so the load generator does not share its event loop).
import { spawn, type ChildProcess } from 'node:child_process';
import { LowdbStore } from '../server/store/lowdbStore.ts';
import { PostgresStore } from '../server/store/postgres/store.ts';
import { publishBundled } from '../server/catalog.ts';
import { contextFromEnv, type Context } from '../server/context.ts';

/** A store in `dir` (or on PostgreSQL) with the bundled rulesets published, and a context to generate data with. */
export async function benchContext(dir: string, databaseUrl?: string): Promise<Context> {
  const store = databaseUrl ? await PostgresStore.open(databaseUrl) : await LowdbStore.open(dir);
  const ctx = contextFromEnv({}, { store, log: () => undefined });
  await publishBundled(ctx);
  return ctx;
}

/** The server on the store in `dir`, or on the database `env.DATABASE_URL` names. */
export function startServer(dir: string, port: number, env: Record<string, string> = {}): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...(process.env.BENCH_NODE_FLAGS?.split(' ').filter(Boolean) ?? []), '--import', 'tsx', 'server/main.ts'], {
      env: { ...process.env, PORT: String(port), LADDER_DATA_DIR: dir, LADDER_ADMIN_USERNAME: 'admin', LADDER_ADMIN_PASSWORD: 'bench-admin-1', NODE_ENV: 'production', LADDER_SCRYPT_LOG_N: '12', LADDER_BUILD_UI: '0', UV_THREADPOOL_SIZE: process.env.UV_THREADPOOL_SIZE ?? '4', ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    child.stdout!.on('data', (b: Buffer) => {
      if (process.env.BENCH_SERVER_LOG) process.stderr.write(b);
      if (b.toString().includes('Ladder is running')) resolve(child);
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
}

export function stopServer(server: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    server.removeAllListeners('exit');
    server.once('exit', () => resolve());
    server.kill('SIGTERM');
  });
}
