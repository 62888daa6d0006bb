// Which store the server and the command line use: PostgreSQL when DATABASE_URL is set (several
// instances may share it), else the embedded lowdb store in LADDER_DATA_DIR (default ./data).
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LowdbStore } from './lowdbStore.ts';
import { PostgresStore } from './postgres/store.ts';
import type { Store } from './types.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface StoreChoice {
  store: Store;
  /** Where the data is, for the start-up line (a PostgreSQL URL without its password). */
  where: string;
}

export function describeDatabase(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'PostgreSQL';
  }
}

export async function openStore(env: NodeJS.ProcessEnv, log: (line: string) => void = () => undefined): Promise<StoreChoice> {
  if (env.DATABASE_URL) {
    const store = await PostgresStore.open(env.DATABASE_URL, {
      log,
      migrate: env.LADDER_MIGRATE !== '0',
      ...(env.LADDER_DB_POOL ? { poolSize: Number(env.LADDER_DB_POOL) } : {}),
    });
    return { store, where: describeDatabase(env.DATABASE_URL) };
  }
  const dir = resolve(env.LADDER_DATA_DIR ?? join(ROOT, 'data'));
  const cacheSize = env.LADDER_DIAGNOSIS_CACHE ? Number(env.LADDER_DIAGNOSIS_CACHE) : undefined;
  return { store: await LowdbStore.open(dir, { log, ...(cacheSize ? { cacheSize } : {}) }), where: dir };
}
