// The two store implementations, for suites that run once per backend (describe.each(backends)).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { LowdbStore } from '../../server/store/lowdbStore.ts';
import { PostgresStore } from '../../server/store/postgres/store.ts';
import type { Store } from '../../server/store/types.ts';
import { freshDatabase } from '../postgresCluster.ts';

export interface Backend {
  name: 'lowdb' | 'postgres';
  /** A new empty store; `open` again on the same place (a restart, or a second instance on PostgreSQL). */
  create(): Promise<{ store: Store; open(): Promise<Store> }>;
}

export const lowdb: Backend = {
  name: 'lowdb',
  async create() {
    const dir = mkdtempSync(join(tmpdir(), 'ladder-store-'));
    return { store: await LowdbStore.open(dir), open: () => LowdbStore.open(dir) };
  },
};

export const postgres: Backend = {
  name: 'postgres',
  async create() {
    const url = await freshDatabase(inject('postgresUrl'));
    return { store: await PostgresStore.open(url), open: () => PostgresStore.open(url) };
  },
};

export const backends = [lowdb, postgres];
