// A throwaway PostgreSQL server on loopback for tests and benchmarks, from Debian's packages
// (`apt-get install -y postgresql`, which .ci/run does). LADDER_TEST_DATABASE_URL points at an
// existing server instead (any database on it; fresh databases are created beside it).
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from './browser/server.ts';

export interface PostgresCluster {
  /** URL of the server's maintenance database. */
  url: string;
  stop(): Promise<void>;
}

function binDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))) : [];
  if (!versions.length)
    throw new Error('PostgreSQL is not installed: run `apt-get install -y postgresql` (what .ci/run does), or set LADDER_TEST_DATABASE_URL to a server the tests may create databases on');
  return join(root, versions.sort((a, b) => Number(b) - Number(a))[0], 'bin');
}

/** PostgreSQL refuses to run as root: as root, the cluster belongs to the `postgres` user the package creates. */
function owner(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  return { uid: Number(execFileSync('id', ['-u', 'postgres']).toString()), gid: Number(execFileSync('id', ['-g', 'postgres']).toString()) };
}

/** `durable`: fsync as in production (benchmarks); tests leave it off. */
export async function startPostgres(options: { durable?: boolean } = {}): Promise<PostgresCluster> {
  if (process.env.LADDER_TEST_DATABASE_URL) return { url: process.env.LADDER_TEST_DATABASE_URL, stop: async () => undefined };
  const bin = binDir();
  const dir = mkdtempSync(join(tmpdir(), 'ladder-pg-'));
  const user = owner();
  if (user) chownSync(dir, user.uid, user.gid);
  chmodSync(dir, 0o700);
  const data = join(dir, 'data');
  execFileSync(join(bin, 'initdb'), ['-D', data, '-U', 'ladder', '--auth=trust', '--encoding=UTF8', '--locale=C.UTF-8', '--no-sync'], { stdio: 'pipe', cwd: dir, ...user });
  const port = await freePort();
  // Durability is not what tests check; fsync off keeps a test run's many databases quick.
  const quick = options.durable ? [] : ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'];
  const args = ['-D', data, '-h', '127.0.0.1', '-p', String(port), '-k', dir, ...quick, '-c', 'max_connections=300'];
  const child = spawn(join(bin, 'postgres'), args, { stdio: ['ignore', 'ignore', 'pipe'], cwd: dir, ...user });
  let log = '';
  child.stderr!.on('data', (chunk: Buffer) => (log = (log + chunk.toString()).slice(-4000)));
  const url = `postgres://ladder@127.0.0.1:${port}/postgres`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`PostgreSQL did not start:\n${log}`);
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      await client.end();
      break;
    } catch {
      await client.end().catch(() => undefined);
      if (Date.now() > deadline) throw new Error(`PostgreSQL did not accept connections within 30 s:\n${log}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => {
          rmSync(dir, { recursive: true, force: true });
          resolve();
        });
        child.kill('SIGINT');
      }),
  };
}

let sequence = 0;

/** A new empty database on the server at `serverUrl`; returns its URL. */
export async function freshDatabase(serverUrl: string, prefix = 'ladder_test'): Promise<string> {
  const name = `${prefix}_${process.pid}_${Date.now().toString(36)}_${(sequence += 1)}`;
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)} TEMPLATE template0 ENCODING 'UTF8'`);
  } finally {
    await client.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
