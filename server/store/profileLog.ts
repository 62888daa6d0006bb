// Diagnosis profiles (what dashboards average) in an append-only file, profiles.jsonl: one line
// per finished diagnosis, written once when it finishes. Kept out of ladder.json because that
// file is rewritten on every login and level submission, and the profiles would double its size
// (about 29 MiB each with 20,000 enterprises and 40,000 finished diagnoses).
// A torn last line (a crash mid-append) was never acknowledged and is cut off on open; the store
// recomputes any missing profile from its diagnosis's snapshot.
import { open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DiagnosisProfile } from './types.ts';

interface Line {
  id: string;
  profile: DiagnosisProfile;
}

export class ProfileLog {
  private readonly byId = new Map<string, DiagnosisProfile>();
  /** Appends one after another, so lines never interleave. */
  private tail: Promise<void> = Promise.resolve();

  private constructor(private readonly file: string) {}

  static async open(dir: string): Promise<ProfileLog> {
    const log = new ProfileLog(join(dir, 'profiles.jsonl'));
    let text: string;
    try {
      text = await readFile(log.file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return log;
      throw e;
    }
    let good = 0;
    for (let start = 0; start < text.length; ) {
      const end = text.indexOf('\n', start);
      if (end < 0) break;
      try {
        const line = JSON.parse(text.slice(start, end)) as Line;
        log.byId.set(line.id, line.profile);
      } catch {
        break;
      }
      start = end + 1;
      good = start;
    }
    if (good < text.length) {
      const handle = await open(log.file, 'r+');
      try {
        await handle.truncate(Buffer.byteLength(text.slice(0, good)));
        await handle.sync();
      } finally {
        await handle.close();
      }
    }
    return log;
  }

  get(id: string): DiagnosisProfile | undefined {
    return this.byId.get(id);
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  /** Resolves once the lines are on disk. */
  append(lines: Line[]): Promise<void> {
    if (!lines.length) return Promise.resolve();
    const text = lines.map((l) => JSON.stringify(l) + '\n').join('');
    const write = this.tail.then(async () => {
      const handle = await open(this.file, 'a');
      try {
        await handle.writeFile(text);
        await handle.sync();
      } finally {
        await handle.close();
      }
      for (const l of lines) this.byId.set(l.id, l.profile);
    });
    this.tail = write.catch(() => undefined);
    return write;
  }
}
