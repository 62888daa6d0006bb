// The embedded store's sessions, in sessions.jsonl rather than ladder.json: a login appends one
// line (fsynced) instead of rewriting the main file, whose size then no longer grows with logins.
// Lines put a session, record that it was seen, or drop sessions; the file is rewritten with only
// the live sessions once it holds many more lines than sessions.
import { join } from 'node:path';
import { JsonLinesFile } from './jsonLines.ts';
import type { Session } from './types.ts';

type Line = { put: Session } | { seen: [id: string, at: string] } | { drop: string[] };

export class SessionLog {
  private readonly byId = new Map<string, Session>();
  private readonly byUser = new Map<string, Set<string>>();
  private lines = 0;

  private constructor(private readonly file: JsonLinesFile<Line>) {}

  static async open(dir: string): Promise<SessionLog> {
    const log = new SessionLog(new JsonLinesFile<Line>(join(dir, 'sessions.jsonl')));
    for (const line of await log.file.read()) log.apply(line);
    return log;
  }

  private apply(line: Line) {
    this.lines += 1;
    if ('put' in line) {
      this.byId.set(line.put.id, line.put);
      const ids = this.byUser.get(line.put.userId) ?? new Set<string>();
      ids.add(line.put.id);
      this.byUser.set(line.put.userId, ids);
    } else if ('seen' in line) {
      const session = this.byId.get(line.seen[0]);
      if (session) this.byId.set(session.id, { ...session, lastSeenAt: line.seen[1] });
    } else {
      for (const id of line.drop) {
        const session = this.byId.get(id);
        if (!session) continue;
        this.byId.delete(id);
        this.byUser.get(session.userId)?.delete(id);
        if (!this.byUser.get(session.userId)?.size) this.byUser.delete(session.userId);
      }
    }
  }

  private async write(lines: Line[], now: string) {
    if (!lines.length) return;
    await this.file.append(lines, () => lines.forEach((l) => this.apply(l)));
    if (this.lines > 2 * this.byId.size + 1000) await this.compact(now);
  }

  /** Rewrites the file with the sessions still alive at `now` (taken when the rewrite's turn comes, so none put meanwhile is lost). */
  private compact(now: string) {
    return this.replaceAll(() => [...this.byId.values()].filter((s) => s.expiresAt > now));
  }

  get(id: string): Session | undefined {
    return this.byId.get(id);
  }

  all(): Session[] {
    return [...this.byId.values()];
  }

  /** Adds a session; with `keep`, the user's older sessions beyond the `keep` newest go in the same append. */
  put(session: Session, keep?: number) {
    const older = [...(this.byUser.get(session.userId) ?? [])].filter((id) => id !== session.id);
    const drop = keep === undefined ? [] : older.slice(0, Math.max(0, older.length - (keep - 1)));
    return this.write([{ put: session }, ...(drop.length ? [{ drop }] : [])], session.createdAt);
  }

  seen(id: string, at: string) {
    const session = this.byId.get(id);
    if (!session || (session.lastSeenAt ?? session.createdAt) >= at) return Promise.resolve();
    return this.write([{ seen: [id, at] }], at);
  }

  drop(ids: string[]) {
    const present = ids.filter((id) => this.byId.has(id));
    // No clock here: compaction then keeps every session it has, expired or not.
    return this.write(present.length ? [{ drop: present }] : [], '');
  }

  /** Drops every session of the user but `except`; resolves to how many. */
  async dropUser(userId: string, except?: string): Promise<number> {
    const ids = [...(this.byUser.get(userId) ?? [])].filter((id) => id !== except);
    await this.drop(ids);
    return ids.length;
  }

  /** Replaces every session (an import, sessions moved out of an older ladder.json, a compaction). */
  replaceAll(sessions: Session[] | (() => Session[])) {
    return this.file.rewrite(
      () => (typeof sessions === 'function' ? sessions() : sessions).map((put) => ({ put })),
      (written) => {
        this.byId.clear();
        this.byUser.clear();
        this.lines = 0;
        for (const line of written) this.apply(line);
      },
    );
  }

  close() {
    return this.file.close();
  }
}
