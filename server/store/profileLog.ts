// Diagnosis profiles (what dashboards average) in an append-only file, profiles.jsonl: one line
// per finished diagnosis, written once when it finishes. Kept out of ladder.json because that
// file is rewritten on every login and level submission, and the profiles would double its size
// (about 29 MiB each with 20,000 enterprises and 40,000 finished diagnoses).
// A torn last line (a crash mid-append) was never acknowledged and is cut off on open; the store
// recomputes any missing profile from its diagnosis's snapshot.
import { join } from 'node:path';
import type { DiagnosisProfile } from './types.ts';
import { JsonLinesFile } from './jsonLines.ts';

interface Line {
  id: string;
  profile: DiagnosisProfile;
}

export class ProfileLog {
  private readonly byId = new Map<string, DiagnosisProfile>();

  private constructor(private readonly lines: JsonLinesFile<Line>) {}

  static async open(dir: string): Promise<ProfileLog> {
    const log = new ProfileLog(new JsonLinesFile<Line>(join(dir, 'profiles.jsonl')));
    for (const line of await log.lines.read()) log.byId.set(line.id, line.profile);
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
    return this.lines.append(lines, () => {
      for (const l of lines) this.byId.set(l.id, l.profile);
    });
  }

  close(): Promise<void> {
    return this.lines.close();
  }
}
