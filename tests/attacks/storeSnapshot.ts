// What an attack must leave as it was: the store's export, each record under its identity, without
// what merely using a session changes (its last-seen time, which the idle timeout moves on); the
// audit log apart, as a list, since a refused request may be audited.
//
// No test framework here: the fuzz and access-matrix tests (tests/server/fuzz.test.ts,
// accessMatrix.test.ts) and the reliability benchmark (bench/reliability.ts) compare with it.
import type { DumpRecord, Store } from '../../server/store/types.ts';

/** Session fields a request moves on without changing anything. */
const TRANSIENT = /^(lastSeenAt|lastActiveAt|lastUsedAt|activityAt|touchedAt)$/;

export interface StoreSnapshot {
  /** Each record's JSON (transient fields left out) by its identity: `user <id>`, `session <id…>`, `diagnosis <id>`… */
  records: Map<string, string>;
  /** The audit entries' JSON, in order. */
  audit: string[];
}

export interface StoreDiff {
  /** Identities of records only in the later snapshot, only in the earlier one, and in both but different. */
  added: string[];
  removed: string[];
  changed: string[];
  /** Audit entries only in the later snapshot, and only in the earlier one (as multisets). */
  auditAdded: string[];
  auditRemoved: string[];
}

function identity(r: DumpRecord): string {
  switch (r.kind) {
    case 'user':
      return `user ${r.user.id}`;
    case 'enterprise':
      return `enterprise ${r.enterprise.id}`;
    // A session id is a credential: its start names it well enough.
    case 'session':
      return `session ${r.session.id.slice(0, 8)}…`;
    case 'resetCode':
      return `resetCode ${r.resetCode.userId}`;
    case 'supportRequest':
      return `supportRequest ${r.request.id}`;
    case 'ruleset':
      return `ruleset ${r.ruleset.id}@${r.ruleset.version}`;
    case 'diagnosis':
      return `diagnosis ${r.diagnosis.id}`;
    case 'setting':
      return `setting ${r.key}`;
    default:
      return `${(r as { kind: string }).kind} ${JSON.stringify(r).slice(0, 80)}`;
  }
}

/** The store's export as a snapshot; `ignore` leaves records out (e.g. what the attack itself may legitimately file). */
export async function storeSnapshot(store: Pick<Store, 'exportRecords'>, options: { ignore?: (r: DumpRecord) => boolean } = {}): Promise<StoreSnapshot> {
  const records = new Map<string, string>();
  const audit: string[] = [];
  for await (const r of store.exportRecords()) {
    if (options.ignore?.(r)) continue;
    if (r.kind === 'audit') {
      audit.push(JSON.stringify(r.entry));
      continue;
    }
    const value = r.kind === 'session' ? { ...r, session: Object.fromEntries(Object.entries(r.session).filter(([k]) => !TRANSIENT.test(k))) } : r;
    // Several records of one identity (reset codes of one user) keep apart by their order.
    const base = identity(r);
    let key = base;
    for (let n = 2; records.has(key); n++) key = `${base} #${n}`;
    records.set(key, JSON.stringify(value));
  }
  return { records, audit };
}

/** Items of `a` not in `b`, counted as multisets. */
function missingFrom(a: string[], b: string[]) {
  const left = new Map<string, number>();
  for (const x of b) left.set(x, (left.get(x) ?? 0) + 1);
  return a.filter((x) => {
    const n = left.get(x) ?? 0;
    if (n) left.set(x, n - 1);
    return !n;
  });
}

export function storeDiff(before: StoreSnapshot, after: StoreSnapshot): StoreDiff {
  const x = before.records;
  const y = after.records;
  return {
    added: [...y.keys()].filter((k) => !x.has(k)),
    removed: [...x.keys()].filter((k) => !y.has(k)),
    changed: [...x.keys()].filter((k) => y.has(k) && x.get(k) !== y.get(k)),
    auditAdded: missingFrom(after.audit, before.audit),
    auditRemoved: missingFrom(before.audit, after.audit),
  };
}

/** How many records were added, removed or changed (the audit log apart). */
export const recordChanges = (d: StoreDiff) => d.added.length + d.removed.length + d.changed.length;

const short = (s: string | undefined, n = 400) => (s && s.length > n ? `${s.slice(0, n)}…` : String(s));

/** The record changes, readable: `+ key: record`, `- key: record`, `~ key: before → after`. */
export function describeDiff(before: StoreSnapshot, after: StoreSnapshot, d: StoreDiff = storeDiff(before, after)): string[] {
  return [
    ...d.added.map((k) => `+ ${k}: ${short(after.records.get(k))}`),
    ...d.removed.map((k) => `- ${k}: ${short(before.records.get(k))}`),
    ...d.changed.map((k) => `~ ${k}: ${short(before.records.get(k), 200)} → ${short(after.records.get(k), 200)}`),
  ];
}
