// `ladder migrate`, `ladder export` and `ladder import`: moving a platform's data between the
// embedded store and PostgreSQL. An export is JSON lines: a header, then one record per line in
// the order DUMP_KINDS gives, so that any size streams through.
import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import pg from 'pg';
import { openStore, describeDatabase } from '../server/store/open.ts';
import { migrate } from '../server/store/postgres/migrations.ts';
import { ConflictError, DUMP_KINDS, type DumpRecord, type Store } from '../server/store/types.ts';

export const EXPORT_FORMAT = 'ladder-export';

export class TransferError extends Error {}

/** The environment the server would use, with --data-dir / --database-url taking precedence. */
export function storeEnv(argv: string[], env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const value = (flag: string) => {
    const at = argv.indexOf(flag);
    return at >= 0 ? argv[at + 1] : undefined;
  };
  const dataDir = value('--data-dir');
  const url = value('--database-url');
  if (dataDir && url) throw new TransferError('--data-dir 与 --database-url 只能选一个 / give either --data-dir or --database-url, not both');
  if (url) return { ...env, DATABASE_URL: url };
  if (dataDir) return { ...env, DATABASE_URL: '', LADDER_DATA_DIR: dataDir };
  return env;
}

export async function runMigrations(url: string | undefined, log: (line: string) => void): Promise<number[]> {
  if (!url) throw new TransferError('migrate 需要 DATABASE_URL（或 --database-url）/ migrate needs DATABASE_URL (or --database-url): the embedded store has no schema to migrate');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const applied = await migrate(client);
    log(applied.length ? `${describeDatabase(url)}: 已应用迁移 applied migrations ${applied.join(', ')}` : `${describeDatabase(url)}: 已是最新 up to date`);
    return applied;
  } finally {
    await client.end();
  }
}

/** Writes every record of the store to `out`; returns how many of each kind. */
export async function exportStore(store: Store, out: NodeJS.WritableStream, now: Date): Promise<Record<DumpRecord['kind'], number>> {
  const counts = Object.fromEntries(DUMP_KINDS.map((k) => [k, 0])) as Record<DumpRecord['kind'], number>;
  const write = async (line: unknown) => {
    if (!out.write(JSON.stringify(line) + '\n')) await once(out, 'drain');
  };
  await write({ format: EXPORT_FORMAT, version: 1, exportedAt: now.toISOString() });
  for await (const record of store.exportRecords()) {
    counts[record.kind] += 1;
    await write(record);
  }
  return counts;
}

const FIELD: Record<DumpRecord['kind'], string> = {
  user: 'user',
  enterprise: 'enterprise',
  session: 'session',
  resetCode: 'resetCode',
  supportRequest: 'request',
  ruleset: 'ruleset',
  diagnosis: 'diagnosis',
  setting: 'key',
  audit: 'entry',
  certificate: 'certificate',
  assessmentBody: 'body',
  assessmentApplication: 'application',
  evidence: 'evidence',
};

/** The records of an export file, checked line by line; a bad line stops the import before anything is written on PostgreSQL. */
export async function* readExport(file: string): AsyncIterable<DumpRecord> {
  const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  let n = 0;
  for await (const line of lines) {
    n += 1;
    if (!line.trim()) continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new TransferError(`${file} 第 ${n} 行不是 JSON / line ${n} of ${file} is not JSON`);
    }
    const record = value as Record<string, unknown>;
    if (n === 1) {
      if (record?.format !== EXPORT_FORMAT || record.version !== 1)
        throw new TransferError(`${file} 不是 Ladder 导出文件（第 1 行应为 {"format":"${EXPORT_FORMAT}","version":1}）/ ${file} is not a Ladder export (line 1 should be its header)`);
      continue;
    }
    const kind = record?.kind as DumpRecord['kind'];
    if (!(kind in FIELD)) throw new TransferError(`${file} 第 ${n} 行：未知的记录类型 "${String(kind)}" / line ${n} of ${file}: unknown record kind "${String(kind)}"`);
    const field = FIELD[kind];
    const ok = kind === 'setting' ? typeof record.key === 'string' && 'value' in record : typeof record[field] === 'object' && record[field] !== null;
    if (!ok) throw new TransferError(`${file} 第 ${n} 行：${kind} 记录缺少 ${field} / line ${n} of ${file}: the ${kind} record lacks "${field}"`);
    yield record as unknown as DumpRecord;
  }
  if (n === 0) throw new TransferError(`${file} 是空文件 / ${file} is empty`);
}

export async function importStore(store: Store, file: string) {
  try {
    return await store.importDump(readExport(file));
  } catch (e) {
    if (e instanceof ConflictError && e.code === 'store_not_empty')
      throw new TransferError('目标存储不是空的：只能导入到新的存储中（未做任何更改）/ the target store is not empty: import only into a new store (nothing was changed)');
    if (e instanceof ConflictError) throw new TransferError(`导出文件中有重复记录（${e.code}${e.field ? `，${e.field}` : ''}），未做任何更改 / the export holds duplicate records (${e.code}${e.field ? `, ${e.field}` : ''}); nothing was changed`);
    throw e;
  }
}

export const countsLine = (counts: Record<DumpRecord['kind'], number>) =>
  DUMP_KINDS.filter((k) => counts[k]).map((k) => `${k} ${counts[k]}`).join(', ') || '(none)';

/** `ladder export|import|migrate`: the store chosen like the server's. */
export async function cmdStore(command: 'export' | 'import' | 'migrate', args: string[], argv: string[], log: (line: string) => void): Promise<number> {
  const env = storeEnv(argv, process.env);
  if (command === 'migrate') {
    await runMigrations(env.DATABASE_URL || undefined, log);
    return 0;
  }
  let opened: Awaited<ReturnType<typeof openStore>>;
  try {
    opened = await openStore(env);
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code === 'ECONNREFUSED' ? `无法连接数据库 / cannot connect to ${describeDatabase(env.DATABASE_URL ?? '')}` : (e as Error).message;
    throw new TransferError(reason);
  }
  const { store, where } = opened;
  try {
    if (command === 'export') {
      const at = argv.indexOf('--out');
      const target = at >= 0 ? argv[at + 1] : undefined;
      const out = target ? createWriteStream(target) : process.stdout;
      const counts = await exportStore(store, out, new Date());
      if (target) {
        out.end();
        await once(out, 'finish');
      }
      log(`已导出 exported from ${where}${target ? ` to ${target}` : ''}: ${countsLine(counts)}`);
      return 0;
    }
    const file = args.find((a) => !['--data-dir', '--database-url'].some((f) => argv[argv.indexOf(a) - 1] === f));
    if (!file) throw new TransferError('import 需要导出文件 / import needs an export file: ladder import dump.jsonl');
    const counts = await importStore(store, file);
    log(`已导入 imported into ${where}: ${countsLine(counts)}`);
    return 0;
  } finally {
    await store.close();
  }
}
