// A write-ahead journal with group commit. Saving an answer appends one line and waits for the
// next fsync; every save that arrives while an fsync is running shares the following one, so
// throughput does not hinge on one fsync per request. Snapshots are written later (checkpoint),
// and entries are replayed on open after a crash.
import { open, readdir, readFile, unlink, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';

export interface JournalEntry {
  /** The record the entry changes. */
  key: string;
  /** Monotonic per key: replay skips what a snapshot already has. */
  revision: number;
  /** A full record, or a patch of some properties (`unset` lists properties of `patch`'s objects to remove). */
  full?: unknown;
  patch?: Record<string, unknown>;
  unset?: Record<string, string[]>;
}

const SEGMENT = /^journal-(\d+)\.jsonl$/;

export class Journal {
  private handle?: FileHandle;
  private segment = 0;
  private pending: { line: string; resolve: () => void; reject: (e: unknown) => void }[] = [];
  private flushing?: Promise<void>;
  /** The batch being written now, and the handle it writes to. */
  private inFlight: Promise<void> = Promise.resolve();

  private constructor(private readonly dir: string) {}

  /** Opens the journal, handing every surviving entry (oldest first) to `replay` before new writes start. */
  static async open(dir: string, replay: (entries: JournalEntry[]) => Promise<void>): Promise<Journal> {
    const journal = new Journal(dir);
    const segments = (await readdir(dir))
      .map((n) => SEGMENT.exec(n))
      .filter((m): m is RegExpExecArray => !!m)
      .map((m) => Number(m[1]))
      .sort((a, b) => a - b);
    const entries: JournalEntry[] = [];
    for (const s of segments) {
      const text = await readFile(join(dir, `journal-${s}.jsonl`), 'utf8');
      for (const line of text.split('\n')) {
        if (!line) continue;
        try {
          entries.push(JSON.parse(line) as JournalEntry);
        } catch {
          // A torn last line was never acknowledged (its fsync did not return): stop there.
          break;
        }
      }
    }
    await replay(entries);
    for (const s of segments) await unlink(join(dir, `journal-${s}.jsonl`));
    journal.segment = (segments.at(-1) ?? 0) + 1;
    journal.handle = await open(join(dir, `journal-${journal.segment}.jsonl`), 'a');
    return journal;
  }

  /** Resolves once the entry is on disk. */
  append(entry: JournalEntry): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ line: JSON.stringify(entry) + '\n', resolve, reject });
      if (!this.flushing) this.flushing = this.flush();
    });
  }

  private async flush(): Promise<void> {
    while (this.pending.length) {
      const batch = this.pending;
      this.pending = [];
      const handle = this.handle!;
      this.inFlight = (async () => {
        await handle.write(batch.map((b) => b.line).join(''));
        await handle.datasync();
      })();
      try {
        await this.inFlight;
        for (const b of batch) b.resolve();
      } catch (e) {
        for (const b of batch) b.reject(e);
      }
    }
    this.flushing = undefined;
  }

  /**
   * Starts a new segment and returns a function that deletes the older ones: call it once every
   * record changed before the rotation has a durable snapshot.
   */
  async rotate(): Promise<() => Promise<void>> {
    const next = await open(join(this.dir, `journal-${this.segment + 1}.jsonl`), 'a');
    // Swap at once: every batch from now on goes to the new segment; only the batch already
    // being written can still use the old handle.
    const old = this.handle!;
    const oldSegment = this.segment;
    this.segment += 1;
    this.handle = next;
    await this.inFlight.catch(() => undefined);
    await old.close();
    return async () => {
      for (const name of await readdir(this.dir)) {
        const m = SEGMENT.exec(name);
        if (m && Number(m[1]) <= oldSegment) await unlink(join(this.dir, name));
      }
    };
  }

  async close(): Promise<void> {
    await this.flushing;
    await this.handle?.close();
    this.handle = undefined;
  }
}

/** Applies a journal entry to a record (or returns the full record it carries). */
export function applyEntry<T extends Record<string, unknown>>(record: T | undefined, entry: JournalEntry): T {
  if (entry.full) return structuredClone(entry.full) as T;
  const next = { ...(record as T) } as Record<string, unknown>;
  for (const [k, v] of Object.entries(entry.patch ?? {})) {
    const base = next[k];
    next[k] = v && typeof v === 'object' && !Array.isArray(v) && base && typeof base === 'object' ? { ...(base as object), ...(v as object) } : v;
  }
  for (const [k, keys] of Object.entries(entry.unset ?? {})) {
    const obj = { ...(next[k] as Record<string, unknown>) };
    for (const key of keys) delete obj[key];
    next[k] = obj;
  }
  return next as T;
}
