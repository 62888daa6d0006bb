// An append-only file of JSON lines, fsynced before an append is acknowledged. A torn last line
// (a crash mid-append) was never acknowledged: reading cuts it off. Appends run one after another,
// so lines never interleave; `rewrite` replaces the whole file atomically (compaction).
import { open, readFile } from 'node:fs/promises';
import { writeFileDurably } from './durableFile.ts';

export class JsonLinesFile<T> {
  /** Appends (and rewrites) one after another. */
  private tail: Promise<void> = Promise.resolve();
  private handle?: Promise<Awaited<ReturnType<typeof open>>>;

  constructor(readonly file: string) {}

  /** Every whole line, oldest first; a torn last line is cut off the file. */
  async read(): Promise<T[]> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
    const lines: T[] = [];
    let good = 0;
    for (let start = 0; start < text.length; ) {
      const end = text.indexOf('\n', start);
      if (end < 0) break;
      try {
        lines.push(JSON.parse(text.slice(start, end)) as T);
      } catch {
        break;
      }
      start = end + 1;
      good = start;
    }
    if (good < text.length) {
      const handle = await open(this.file, 'r+');
      try {
        await handle.truncate(Buffer.byteLength(text.slice(0, good)));
        await handle.sync();
      } finally {
        await handle.close();
      }
    }
    return lines;
  }

  private queue(work: () => Promise<void>): Promise<void> {
    const done = this.tail.then(work);
    this.tail = done.catch(() => undefined);
    return done;
  }

  /** Resolves once the lines are on disk; `then` runs in order with other appends, after the write. */
  append(lines: T[], then?: () => void): Promise<void> {
    if (!lines.length) return Promise.resolve();
    const text = lines.map((l) => JSON.stringify(l) + '\n').join('');
    return this.queue(async () => {
      this.handle ??= open(this.file, 'a');
      const handle = await this.handle;
      await handle.write(text);
      await handle.datasync();
      then?.();
    });
  }

  /**
   * Replaces the file with these lines (durably: a crash leaves the old file or the new one). A
   * function is called when the rewrite's turn comes, after every append queued before it, so what
   * it returns includes them.
   */
  rewrite(lines: T[] | (() => T[]), then?: (written: T[]) => void): Promise<void> {
    return this.queue(async () => {
      const written = typeof lines === 'function' ? lines() : lines;
      await this.closeHandle();
      await writeFileDurably(this.file, written.map((l) => JSON.stringify(l) + '\n').join(''));
      then?.(written);
    });
  }

  private async closeHandle() {
    const handle = this.handle;
    this.handle = undefined;
    if (handle) await (await handle).close();
  }

  close(): Promise<void> {
    return this.queue(() => this.closeHandle());
  }
}
