// The embedded store: lowdb over durable JSON files.
// Layout (under the data directory), chosen so that saving an answer costs the same whatever the
// number of enterprises: lowdb rewrites a whole file on every write.
//   ladder.json            users, enterprises, diagnosis summaries, settings (small records)
//   sessions.jsonl         sessions, one appended line per login (see sessionLog.ts)
//   rulesets/<id>@<v>.json  one ruleset document per file (large, written once when published)
//   diagnoses/<id>.json     one diagnosis with its answers per file (a snapshot)
//   journal-<n>.jsonl      changes to diagnoses since their snapshots (the hot path: one
//                          appended line per save, fsynced in groups; see journal.ts)
//   audit.jsonl            append-only audit log
//   profiles.jsonl         what dashboards average about each finished diagnosis (see profileLog.ts)
import { access, appendFile, mkdir, readdir, readFile, stat, truncate, unlink } from 'node:fs/promises';
import { constants as fsConstants } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { Low } from 'lowdb';
import { DurableJSONFile, writeFileDurably } from './durableFile.ts';
import { SizedCache, rulesetCacheSize } from './sizedCache.ts';
import { KeyedMutex } from './mutex.ts';
import { applyEntry, Journal, type JournalEntry } from './journal.ts';
import { ProfileLog } from './profileLog.ts';
import { SessionLog } from './sessionLog.ts';
import { usernameKey } from '../accounts/identity.ts';
import { DataDirectoryLock } from './directoryLock.ts';
import { currentProfile, finishedProfile, summaryOf } from './records.ts';
import {
  ConflictError,
  rulesetRevision,
  DUMP_KINDS,
  NotFoundError,
  type AdmitDiagnosis,
  type AuditEntry,
  type Diagnosis,
  type DiagnosisProfile,
  type DiagnosisSummary,
  type DumpRecord,
  type Enterprise,
  type EnterprisePatch,
  type RateLimitHit,
  type ResetCode,
  type Role,
  type RulesetRecord,
  type Session,
  type Store,
  type SupportRequest,
  type Certificate,
  type CertificateQuery,
  type SupportRequestChange,
  type SupportRequestFilter,
  type AuditFilter,
  type User,
  type UserFilter,
  type StorePing,
} from './types.ts';
import { auditEntryMatches, changedSupportRequest, newestFirst, pageBounds, readSupportRequest, supportRequestMatches } from './adminQueries.ts';
import { certificateMatches, certificateNumberKey } from './certificateQueries.ts';
import { EvidenceContent } from './evidenceContent.ts';
import { isSha256, type EvidenceFile, type EvidenceLimits } from './evidenceRecords.ts';
import { applicationMatches, isOpenApplication, type AssessmentApplication, type AssessmentApplicationFilter, type AssessmentBody, type AssessmentBodyPatch } from './assessmentRecords.ts';

interface MainData {
  users: User[];
  enterprises: Enterprise[];
  /** Only in files from before sessions.jsonl: moved there on open. */
  sessions?: Session[];
  resetCodes: ResetCode[];
  supportRequests: SupportRequest[];
  /** Absent in files from before certificates. */
  certificates?: Certificate[];
  /** Absent in files from before formal assessments. */
  assessmentBodies?: AssessmentBody[];
  assessmentApplications?: AssessmentApplication[];
  /** Evidence files' records (their content is under evidence/, see evidenceContent.ts). */
  evidence?: EvidenceFile[];
  rulesets: Omit<RulesetRecord, 'document'>[];
  diagnoses: DiagnosisSummary[];
  settings: Record<string, unknown>;
}

const empty = (): MainData => ({ users: [], enterprises: [], resetCodes: [], supportRequests: [], rulesets: [], diagnoses: [], settings: {} });

const SAFE_ID = /^[A-Za-z0-9_.@-]+$/;

/** The journal line for one change: only the answers that changed when that is all, else the whole record. */
function entryFor(current: Diagnosis, next: Diagnosis): JournalEntry {
  const rest = (d: Diagnosis) => JSON.stringify({ ...d, answers: undefined, revision: undefined, updatedAt: undefined });
  if (rest(current) !== rest(next)) return { key: next.id, revision: next.revision, full: next };
  const changed: Record<string, unknown> = {};
  const same = (a: unknown, b: unknown) => a === b || (Array.isArray(a) && Array.isArray(b) && JSON.stringify(a) === JSON.stringify(b));
  for (const [k, v] of Object.entries(next.answers)) if (!same(current.answers[k], v)) changed[k] = v;
  const removed = Object.keys(current.answers).filter((k) => !(k in next.answers));
  return { key: next.id, revision: next.revision, patch: { answers: changed, revision: next.revision, updatedAt: next.updatedAt }, ...(removed.length ? { unset: { answers: removed } } : {}) };
}

export interface LowdbOptions {
  /** Diagnoses kept in memory, the ones being answered right now (default 2,000); more stay while their snapshots are pending. */
  cacheSize?: number;
  /** Snapshots are written this long after a diagnosis changes (default 2 s)… */
  checkpointMs?: number;
  /** …or sooner, once this many diagnoses wait for theirs (default 500). */
  checkpointDirty?: number;
  /** Where a failed checkpoint is reported (its journal segments are kept, and it is tried again). */
  log?: (line: string) => void;
  /** Ruleset documents kept in memory, in characters of JSON (default 32 MiB, or LADDER_RULESET_CACHE_MB). */
  rulesetCacheSize?: number;
}

export class LowdbStore implements Store {
  private readonly main: Low<MainData>;
  private readonly lock = new KeyedMutex();
  private readonly diagnosisCache = new Map<string, Low<Diagnosis>>();
  // Indexes over the main file, rebuilt on open and kept in step with each write.
  private usersByName = new Map<string, User>();
  private usersById = new Map<string, User>();
  private enterprisesById = new Map<string, Enterprise>();
  private enterprisesByCode = new Map<string, Enterprise>();
  private diagnosesByEnterprise = new Map<string, DiagnosisSummary[]>();
  private diagnosisIds = new Set<string>();
  private journal!: Journal;
  private profiles!: ProfileLog;
  private sessions!: SessionLog;
  /**
   * Diagnoses whose cached state is newer than their snapshot (it is in the journal). The
   * durability invariant rests on this set: an id leaves it only under its lock, right after its
   * snapshot was written with that state; until then it is never evicted from the cache, and the
   * journal segments holding its changes are never dropped.
   */
  private dirty = new Set<string>();
  /** Diagnoses a change holds right now: not evicted under it. */
  private busy = new Set<string>();
  /** Snapshot reads in flight, shared so that two readers of one diagnosis get one copy. */
  private loading = new Map<string, Promise<Low<Diagnosis> | undefined>>();
  private checkpointTimer?: NodeJS.Timeout;
  private closed = false;
  private checkpointing?: Promise<void>;
  private readonly settingListeners = new Set<(key: string) => void>();
  /** Attempt counters live only as long as the process: one process is all this store serves. */
  private readonly rateLimits = new Map<string, RateLimitHit>();
  private newRateLimitKeys = 0;
  private directoryLock!: DataDirectoryLock;
  private readonly evidenceFiles: EvidenceContent;

  private readonly cacheSize: number;
  private readonly checkpointMs: number;
  private readonly checkpointDirty: number;
  private readonly log: (line: string) => void;

  private constructor(
    private readonly dir: string,
    options: LowdbOptions,
  ) {
    this.cacheSize = options.cacheSize ?? 2000;
    this.checkpointMs = options.checkpointMs ?? 2000;
    this.checkpointDirty = options.checkpointDirty ?? 500;
    this.log = options.log ?? ((line) => console.error(line));
    this.rulesetCache = new SizedCache(options.rulesetCacheSize ?? rulesetCacheSize());
    this.main = new Low(new DurableJSONFile<MainData>(join(dir, 'ladder.json')), empty());
    this.evidenceFiles = new EvidenceContent(dir);
  }

  static async open(dir: string, options: LowdbOptions = {}): Promise<LowdbStore> {
    await mkdir(join(dir, 'diagnoses'), { recursive: true });
    await mkdir(join(dir, 'rulesets'), { recursive: true });
    const directoryLock = await DataDirectoryLock.take(dir);
    await LowdbStore.removeLeftovers(dir);
    const store = new LowdbStore(dir, options);
    store.directoryLock = directoryLock;
    await store.main.read();
    store.main.data = { ...empty(), ...store.main.data };
    store.reindex();
    await store.evidenceFiles.sweep(new Set((store.main.data.evidence ?? []).map((e) => e.sha256)));
    store.journal = await Journal.open(dir, (entries) => store.replay(entries));
    store.profiles = await ProfileLog.open(dir);
    store.sessions = await SessionLog.open(dir);
    await store.moveSessionsOut();
    await store.completeProfiles();
    return store;
  }

  /** A ladder.json from before sessions.jsonl keeps its sessions: they move to the log (log first, so a crash in between loses none). */
  private async moveSessionsOut() {
    const legacy = this.main.data.sessions;
    if (!legacy?.length) return;
    await this.sessions.replaceAll([...this.sessions.all(), ...legacy.filter((s) => !this.sessions.get(s.id))]);
    await this.mutateMain((d) => void delete d.sessions);
  }

  /**
   * Stores from before profiles were kept, a crash between a diagnosis finishing and its profile's
   * line, and profiles made by an older rule leave finished diagnoses without a current one:
   * make those from their snapshots and pinned rulesets (once; the lines then are current).
   */
  private async completeProfiles() {
    const missing = this.main.data.diagnoses.filter((s) => s.status === 'finished' && !currentProfile(this.profiles.get(s.id)));
    if (missing.length > 100) this.log(`[store] making the dashboard profiles of ${missing.length} finished diagnoses…`);
    const lines: { id: string; profile: DiagnosisProfile }[] = [];
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        for (let s = missing.pop(); s; s = missing.pop()) {
          const d = await new DurableJSONFile<Diagnosis>(this.diagnosisFile(s.id)).read();
          const profile = d && finishedProfile(d, (await this.getRuleset(d.rulesetId, d.rulesetVersion).catch(() => undefined))?.document);
          if (profile) lines.push({ id: s.id, profile });
        }
      }),
    );
    await this.profiles.append(lines);
  }

  /** After a crash: bring each snapshot up to its journal entries, and the summaries with them. */
  private async replay(entries: JournalEntry[]) {
    const byKey = new Map<string, JournalEntry[]>();
    for (const e of entries) byKey.set(e.key, [...(byKey.get(e.key) ?? []), e]);
    const summaries: DiagnosisSummary[] = [];
    for (const [id, list] of byKey) {
      const file = new DurableJSONFile<Diagnosis>(this.diagnosisFile(id));
      let d = (await file.read()) ?? undefined;
      for (const e of list) if (!d || e.revision > d.revision) d = applyEntry(d as unknown as Record<string, unknown>, e) as unknown as Diagnosis;
      if (!d) continue;
      await file.write(d);
      summaries.push(summaryOf(d));
    }
    if (summaries.length) {
      await this.mutateMain((data) => {
        for (const s of summaries) {
          const at = data.diagnoses.findIndex((x) => x.id === s.id);
          if (at >= 0) data.diagnoses[at] = s;
          else data.diagnoses.push(s);
        }
      });
    }
  }

  private diagnosisFile(id: string) {
    return join(this.dir, 'diagnoses', `${id}.json`);
  }

  /** Temporary files of writes that a crash interrupted were never acknowledged: drop them. */
  private static async removeLeftovers(dir: string) {
    for (const sub of ['', 'diagnoses', 'rulesets']) {
      for (const name of await readdir(join(dir, sub))) {
        if (name.startsWith('.') && name.endsWith('.tmp')) await unlink(join(dir, sub, name)).catch(() => undefined);
      }
    }
  }

  private reindex() {
    const d = this.main.data;
    this.usersByName = new Map(d.users.map((u) => [usernameKey(u.username), u]));
    this.usersById = new Map(d.users.map((u) => [u.id, u]));
    this.enterprisesById = new Map(d.enterprises.map((e) => [e.id, e]));
    this.enterprisesByCode = new Map(d.enterprises.map((e) => [e.creditCode, e]));
    this.diagnosisIds = new Set(d.diagnoses.map((x) => x.id));
    this.diagnosesByEnterprise = new Map();
    for (const s of d.diagnoses) this.diagnosesByEnterprise.set(s.enterpriseId, [...(this.diagnosesByEnterprise.get(s.enterpriseId) ?? []), s]);
  }

  /** One change to the main file under its lock; on a failed write the in-memory data is restored. */
  private mutateMain<T>(change: (data: MainData) => T): Promise<T> {
    return this.lock.run('main', async () => {
      const before = structuredClone(this.main.data);
      let result: T;
      try {
        result = change(this.main.data);
        await this.main.write();
      } catch (e) {
        this.main.data = before;
        this.reindex();
        throw e;
      }
      this.reindex();
      return result;
    });
  }

  /** Open and its directory still there and writable (a removed or read-only volume fails every save). */
  async ping(): Promise<StorePing> {
    if (this.closed) throw new Error('the store is closed');
    await access(this.dir, fsConstants.W_OK);
    return { pendingMigrations: [] };
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.checkpointTimer);
    await this.checkpoint();
    await this.journal.close();
    await this.profiles.close();
    await this.sessions.close();
    await this.lock.run('main', async () => undefined);
    await this.directoryLock.release();
  }

  private scheduleCheckpoint() {
    if (this.dirty.size >= this.checkpointDirty) void this.checkpoint();
    else if (!this.checkpointTimer) this.checkpointTimer = setTimeout(() => void this.checkpoint(), this.checkpointMs).unref();
  }

  /**
   * Writes the snapshots of changed diagnoses, then drops the journal segments they cover: only
   * when every one was written, so a change is always in a durable snapshot or in a kept segment.
   * Never rejects: a failure is logged, and what it left is tried again at the next checkpoint.
   */
  checkpoint(): Promise<void> {
    if (this.checkpointing) return this.checkpointing;
    clearTimeout(this.checkpointTimer);
    this.checkpointTimer = undefined;
    this.checkpointing = (async () => {
      if (!this.dirty.size) return;
      const dropOldSegments = await this.journal.rotate();
      // Every change in the old segments belongs to a diagnosis in `dirty` now (it was added
      // before its line was written, and leaves only once a snapshot has that change).
      const queue = [...this.dirty];
      let complete = true;
      await Promise.all(
        Array.from({ length: 16 }, async () => {
          for (let id = queue.pop(); id; id = queue.pop()) {
            const key = id;
            await this.lock.run(`diagnosis:${key}`, async () => {
              const db = this.diagnosisCache.get(key);
              if (!db?.data?.id) {
                // Dirty diagnoses stay cached, so this is a bug; the segments keep the change.
                complete = false;
                this.log(`[store] checkpoint: diagnosis ${key} has unsaved changes but is not in memory; journal kept`);
                return;
              }
              try {
                await db.write();
                this.dirty.delete(key);
              } catch (e) {
                complete = false;
                this.log(`[store] checkpoint: writing the snapshot of ${key} failed (journal kept, will retry): ${(e as Error).message}`);
              }
            });
          }
        }),
      );
      if (complete) await dropOldSegments();
      this.trimCache();
    })()
      .catch((e: Error) => this.log(`[store] checkpoint failed (journal kept, will retry): ${e.message}`))
      .finally(() => {
      this.checkpointing = undefined;
      if (this.dirty.size) this.scheduleCheckpoint();
    });
    return this.checkpointing;
  }

  async createAccount(user: User, enterprise?: Enterprise): Promise<void> {
    await this.mutateMain((d) => {
      if (this.usersByName.has(usernameKey(user.username))) throw new ConflictError('username_taken', 'username');
      if (enterprise && this.enterprisesByCode.has(enterprise.creditCode)) throw new ConflictError('credit_code_registered', 'creditCode');
      d.users.push(user);
      if (enterprise) d.enterprises.push(enterprise);
    });
  }

  async getUser(id: string) {
    return this.usersById.get(id);
  }

  async findUserByUsername(username: string) {
    return this.usersByName.get(usernameKey(username));
  }

  async updateUser(id: string, patch: Partial<Pick<User, 'passwordHash' | 'mobile' | 'email' | 'disabledAt'>>) {
    await this.mutateMain((d) => {
      const user = d.users.find((u) => u.id === id);
      if (!user) throw new NotFoundError(id);
      Object.assign(user, patch);
    });
  }

  async countUsers(role?: Role) {
    return this.main.data.users.filter((u) => !role || u.role === role).length;
  }

  async listUsers(filter: UserFilter) {
    const scoped = !!(filter.regions || filter.groups);
    const regions = new Set(filter.regions);
    const groups = new Set(filter.groups);
    const q = filter.q?.toLowerCase();
    const inRegions = (u: User) => {
      if (u.region && regions.has(u.region)) return true;
      const e = u.enterpriseId ? this.enterprisesById.get(u.enterpriseId) : undefined;
      return !!e && (e.regionPath.some((r) => regions.has(r)) || !!e.groups?.some((g) => groups.has(g)));
    };
    const found = this.main.data.users.filter(
      (u) =>
        (!filter.role || u.role === filter.role) &&
        (filter.disabled === undefined || !!u.disabledAt === filter.disabled) &&
        (!q || usernameKey(u.username).includes(q) || !!u.mobile?.includes(q)) &&
        (!scoped || inRegions(u)),
    );
    found.reverse();
    return { total: found.length, items: found.slice(filter.offset, filter.offset + filter.limit) };
  }

  async getEnterprise(id: string) {
    return this.enterprisesById.get(id);
  }

  async findEnterpriseByCreditCode(creditCode: string) {
    return this.enterprisesByCode.get(creditCode);
  }

  async findUsersOfEnterprise(enterpriseId: string) {
    return this.main.data.users.filter((u) => u.enterpriseId === enterpriseId);
  }

  async listEnterprises(filter?: { regionPrefix?: string[] }) {
    const within = filter?.regionPrefix;
    return this.main.data.enterprises.filter((e) => !within || within.some((r) => e.regionPath.includes(r) || e.groups?.includes(r)));
  }

  async updateEnterprise(id: string, patch: EnterprisePatch) {
    await this.mutateMain((d) => {
      const enterprise = d.enterprises.find((e) => e.id === id);
      if (!enterprise) throw new NotFoundError(id);
      Object.assign(enterprise, patch);
    });
  }

  async findRegionAdministrators(region: string) {
    return this.main.data.users.filter((u) => u.role === 'regionAdmin' && u.region === region);
  }

  async createSession(session: Session, keep?: number) {
    await this.sessions.put(session, keep);
  }

  async getSession(id: string, now: string, idleSince = '') {
    const s = this.sessions.get(id);
    return s && s.expiresAt > now && (s.lastSeenAt ?? s.createdAt) > idleSince ? s : undefined;
  }

  async sessionUser(id: string, now: string, idleSince?: string) {
    const session = await this.getSession(id, now, idleSince);
    const user = session && this.usersById.get(session.userId);
    if (!session || !user || user.disabledAt) return undefined;
    if (user.enterpriseId && this.enterprisesById.get(user.enterpriseId)?.disabledAt) return undefined;
    return { session, user };
  }

  async touchSession(id: string, at: string) {
    await this.sessions.seen(id, at);
  }

  async deleteSession(id: string) {
    await this.sessions.drop([id]);
  }

  async deleteUserSessions(userId: string, except?: string) {
    return this.sessions.dropUser(userId, except);
  }

  async putResetCode(code: ResetCode) {
    await this.mutateMain((d) => {
      d.resetCodes = d.resetCodes.filter((c) => c.userId !== code.userId);
      d.resetCodes.push(code);
    });
  }

  async consumeResetCode(userId: string, check: (code: ResetCode) => boolean, maxAttempts: number, now: string) {
    return this.mutateMain((d) => {
      d.resetCodes = d.resetCodes.filter((c) => c.expiresAt > now);
      const code = d.resetCodes.find((c) => c.userId === userId);
      if (!code || code.attempts >= maxAttempts) return false;
      code.attempts += 1;
      const ok = check(code);
      if (ok) d.resetCodes = d.resetCodes.filter((c) => c !== code);
      return ok;
    });
  }

  async addSupportRequest(request: SupportRequest) {
    await this.mutateMain((d) => void d.supportRequests.push(request));
  }

  async listSupportRequests(filter: SupportRequestFilter, page: { offset: number; limit: number }) {
    const { offset, limit } = pageBounds(page);
    const matching = newestFirst(
      this.main.data.supportRequests.filter((r) => supportRequestMatches(r, filter)),
      (r) => r.createdAt,
    );
    return { total: matching.length, items: matching.slice(offset, offset + limit).map((r) => readSupportRequest(structuredClone(r))) };
  }

  async getSupportRequest(id: string) {
    const found = this.main.data.supportRequests.find((r) => r.id === id);
    return found && readSupportRequest(structuredClone(found));
  }

  async updateSupportRequest(id: string, change: SupportRequestChange) {
    return this.mutateMain((d) => {
      const at = d.supportRequests.findIndex((r) => r.id === id);
      if (at < 0) throw new NotFoundError(id);
      d.supportRequests[at] = changedSupportRequest(d.supportRequests[at], change);
      return readSupportRequest(structuredClone(d.supportRequests[at]));
    });
  }

  async addCertificate(certificate: Certificate) {
    await this.mutateMain((d) => {
      const kept = (d.certificates ??= []);
      if (kept.some((c) => certificateNumberKey(c.number) === certificateNumberKey(certificate.number))) throw new ConflictError('certificate_number_taken', 'number');
      kept.push(certificate);
    });
  }

  async getCertificate(id: string) {
    const found = this.main.data.certificates?.find((c) => c.id === id);
    return found && structuredClone(found);
  }

  async findCertificates(query: CertificateQuery) {
    return newestFirst((this.main.data.certificates ?? []).filter((c) => certificateMatches(c, query)), (c) => c.createdAt)
      .slice(0, query.limit)
      .map((c) => structuredClone(c));
  }

  async updateCertificate(id: string, change: (current: Certificate) => Certificate) {
    return this.mutateMain((d) => {
      const kept = d.certificates ?? [];
      const at = kept.findIndex((c) => c.id === id);
      if (at < 0) throw new NotFoundError(id);
      kept[at] = { ...change(structuredClone(kept[at])), id, number: kept[at].number };
      return structuredClone(kept[at]);
    });
  }

  async createAssessmentBody(body: AssessmentBody) {
    await this.mutateMain((d) => {
      const kept = (d.assessmentBodies ??= []);
      if (kept.some((b) => b.creditCode === body.creditCode)) throw new ConflictError('body_registered', 'creditCode');
      if (kept.some((b) => b.id === body.id)) throw new ConflictError('duplicate_id', 'id');
      kept.push(body);
    });
  }

  async getAssessmentBody(id: string) {
    const found = this.main.data.assessmentBodies?.find((b) => b.id === id);
    return found && structuredClone(found);
  }

  async listAssessmentBodies() {
    return structuredClone(this.main.data.assessmentBodies ?? []);
  }

  async updateAssessmentBody(id: string, patch: AssessmentBodyPatch) {
    return this.mutateMain((d) => {
      const kept = d.assessmentBodies ?? [];
      const at = kept.findIndex((b) => b.id === id);
      if (at < 0) throw new NotFoundError(id);
      kept[at] = { ...kept[at], ...patch, id, creditCode: kept[at].creditCode };
      return structuredClone(kept[at]);
    });
  }

  async findAssessors(bodyId: string) {
    return this.main.data.users.filter((u) => u.role === 'assessor' && u.bodyId === bodyId).map((u) => structuredClone(u));
  }

  async createAssessmentApplication(application: AssessmentApplication) {
    await this.mutateMain((d) => {
      const kept = (d.assessmentApplications ??= []);
      if (kept.some((a) => a.enterpriseId === application.enterpriseId && isOpenApplication(a))) throw new ConflictError('application_open');
      if (kept.some((a) => a.id === application.id)) throw new ConflictError('duplicate_id', 'id');
      kept.push(application);
    });
  }

  async getAssessmentApplication(id: string) {
    const found = this.main.data.assessmentApplications?.find((a) => a.id === id);
    return found && structuredClone(found);
  }

  async listAssessmentApplications(filter: AssessmentApplicationFilter, page: { offset: number; limit: number }) {
    const { offset, limit } = pageBounds(page);
    const matching = newestFirst((this.main.data.assessmentApplications ?? []).filter((a) => applicationMatches(a, filter)), (a) => a.createdAt);
    return { total: matching.length, items: matching.slice(offset, offset + limit).map((a) => structuredClone(a)) };
  }

  async updateAssessmentApplication(id: string, change: (current: AssessmentApplication) => AssessmentApplication) {
    return this.mutateMain((d) => {
      const kept = d.assessmentApplications ?? [];
      const at = kept.findIndex((a) => a.id === id);
      if (at < 0) throw new NotFoundError(id);
      const next = { ...change(structuredClone(kept[at])), id, enterpriseId: kept[at].enterpriseId };
      // Reopening would break "one open application per enterprise".
      if (isOpenApplication(next) && !isOpenApplication(kept[at])) throw new ConflictError('application_closed');
      kept[at] = next;
      return structuredClone(next);
    });
  }

  async addEvidence(record: EvidenceFile, content: Buffer, limits: EvidenceLimits) {
    if (createHash('sha256').update(content).digest('hex') !== record.sha256) throw new ConflictError('content_mismatch', 'sha256');
    // Under the content's lock, so that a deletion never removes content a new record is about to name.
    await this.lock.run(`evidence:${record.sha256}`, async () => {
      const wrote = await this.evidenceFiles.put(record.sha256, content);
      try {
        await this.mutateMain((d) => {
          if (!d.assessmentApplications?.some((a) => a.id === record.applicationId)) throw new NotFoundError(record.applicationId);
          const kept = (d.evidence ??= []);
          if (kept.some((e) => e.id === record.id)) throw new ConflictError('duplicate_id', 'id');
          if (kept.filter((e) => e.applicationId === record.applicationId && e.requirement === record.requirement).length >= limits.maxFiles) throw new ConflictError('too_many_files', 'requirement');
          kept.push(record);
        });
      } catch (e) {
        // A refused file leaves nothing behind.
        if (wrote && !this.main.data.evidence?.some((x) => x.sha256 === record.sha256)) await this.evidenceFiles.remove(record.sha256);
        throw e;
      }
    });
  }

  async listEvidence(applicationId: string, requirement?: string) {
    return structuredClone((this.main.data.evidence ?? []).filter((e) => e.applicationId === applicationId && (requirement === undefined || e.requirement === requirement)));
  }

  async getEvidence(id: string) {
    const found = this.main.data.evidence?.find((e) => e.id === id);
    return found && structuredClone(found);
  }

  async evidenceContent(id: string) {
    const found = this.main.data.evidence?.find((e) => e.id === id);
    return found && this.evidenceFiles.read(found.sha256);
  }

  async deleteEvidence(id: string) {
    const found = this.main.data.evidence?.find((e) => e.id === id);
    if (!found) throw new NotFoundError(id);
    return this.lock.run(`evidence:${found.sha256}`, async () => {
      const removed = await this.mutateMain((d) => {
        const kept = d.evidence ?? [];
        const at = kept.findIndex((e) => e.id === id);
        if (at < 0) throw new NotFoundError(id);
        return kept.splice(at, 1)[0];
      });
      // The record is gone first: a crash before the content goes leaves content that the next open sweeps.
      if (!this.main.data.evidence?.some((e) => e.sha256 === removed.sha256)) await this.evidenceFiles.remove(removed.sha256);
      return structuredClone(removed);
    });
  }

  private rulesetFile(id: string, version: string) {
    if (!SAFE_ID.test(id) || !SAFE_ID.test(version)) throw new NotFoundError(`${id}@${version}`);
    return join(this.dir, 'rulesets', `${id}@${version}.json`);
  }

  private readonly rulesetCache: SizedCache<RulesetRecord>;

  async putRuleset(record: RulesetRecord, expect?: { revision: number }) {
    const { document, ...meta } = record;
    await this.lock.run('main', async () => {
      const existing = this.main.data.rulesets.find((r) => r.id === meta.id && r.version === meta.version);
      if (existing?.status === 'published') throw new ConflictError('ruleset_published');
      if (expect && rulesetRevision(existing) !== expect.revision) throw new ConflictError('stale');
      const text = JSON.stringify(document);
      await writeFileDurably(this.rulesetFile(meta.id, meta.version), text);
      const before = this.main.data.rulesets;
      this.main.data.rulesets = [...before.filter((r) => r !== existing), meta];
      try {
        await this.main.write();
      } catch (e) {
        this.main.data.rulesets = before;
        throw e;
      }
      this.rulesetCache.set(`${meta.id}@${meta.version}`, record, text.length);
    });
  }

  async getRuleset(id: string, version: string) {
    const key = `${id}@${version}`;
    const cached = this.rulesetCache.get(key);
    if (cached) return cached;
    const meta = this.main.data.rulesets.find((r) => r.id === id && r.version === version);
    if (!meta) return undefined;
    const text = await readFile(this.rulesetFile(id, version), 'utf8').catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return undefined;
      throw e;
    });
    if (!text) return undefined;
    const record = { ...meta, document: JSON.parse(text) as RulesetRecord['document'] };
    this.rulesetCache.set(key, record, text.length);
    return record;
  }

  async listRulesets() {
    return [...this.main.data.rulesets];
  }

  async deleteRuleset(id: string, version: string) {
    const file = this.rulesetFile(id, version);
    await this.lock.run('main', async () => {
      const existing = this.main.data.rulesets.find((r) => r.id === id && r.version === version);
      if (!existing) throw new NotFoundError(`${id}@${version}`);
      if (existing.status === 'published') throw new ConflictError('ruleset_published');
      // The main file is what says a ruleset exists, so it changes first: a crash or a failed
      // unlink then leaves an unlisted file that the next save of that version overwrites, whereas
      // the other order could leave a listed ruleset without its document.
      const before = this.main.data.rulesets;
      this.main.data.rulesets = before.filter((r) => r !== existing);
      try {
        await this.main.write();
      } catch (e) {
        this.main.data.rulesets = before;
        throw e;
      }
      this.rulesetCache.delete(`${id}@${version}`);
      await unlink(file).catch(() => undefined);
    });
  }

  /** The cached diagnosis, read from its snapshot when not cached (which is then its latest state). */
  private async diagnosisDb(id: string): Promise<Low<Diagnosis> | undefined> {
    const hit = this.diagnosisCache.get(id);
    if (hit) {
      this.diagnosisCache.delete(id);
      this.diagnosisCache.set(id, hit);
      return hit;
    }
    if (!SAFE_ID.test(id) || !this.diagnosisIds.has(id)) return undefined;
    let loading = this.loading.get(id);
    if (!loading) {
      const read = (async () => {
        const db = new Low<Diagnosis>(new DurableJSONFile(this.diagnosisFile(id)), {} as Diagnosis);
        await db.read();
        return db.data?.id ? db : undefined;
      })();
      loading = read.finally(() => this.loading.delete(id));
      this.loading.set(id, loading);
    }
    const db = await loading;
    if (!db) return undefined;
    // Another reader of the same load may have cached it already (and a change may have followed).
    const cached = this.diagnosisCache.get(id);
    if (cached) return cached;
    this.diagnosisCache.set(id, db);
    this.trimCache();
    return db;
  }

  /** Evicts the least recently used diagnoses whose state is in their snapshots, down to the cache's size. */
  private trimCache() {
    for (const key of this.diagnosisCache.keys()) {
      if (this.diagnosisCache.size <= this.cacheSize) return;
      if (!this.dirty.has(key) && !this.busy.has(key)) this.diagnosisCache.delete(key);
    }
  }

  async createDiagnosis(diagnosis: Diagnosis, admit: AdmitDiagnosis) {
    return this.lock.run('main', async () => {
      const decision = await admit(this.diagnosesByEnterprise.get(diagnosis.enterpriseId) ?? []);
      if (!decision.ok) return decision;
      const db = new Low<Diagnosis>(new DurableJSONFile(this.diagnosisFile(diagnosis.id)), diagnosis);
      await db.write();
      this.main.data.diagnoses.push(summaryOf(diagnosis));
      try {
        await this.main.write();
      } catch (e) {
        this.main.data.diagnoses.pop();
        throw e;
      }
      this.reindex();
      this.diagnosisCache.set(diagnosis.id, db);
      this.trimCache();
      return { ok: true as const };
    });
  }

  async getDiagnosis(id: string) {
    const db = await this.diagnosisDb(id);
    // The stored object is replaced, never changed in place, so it can be shared with callers (who must not mutate it).
    return db?.data;
  }

  async listDiagnoses(enterpriseId: string) {
    return [...(this.diagnosesByEnterprise.get(enterpriseId) ?? [])];
  }

  async diagnosisSummaries(enterpriseIds: string[]) {
    const found = new Map<string, DiagnosisSummary[]>();
    for (const id of enterpriseIds) {
      const list = this.diagnosesByEnterprise.get(id);
      if (list) found.set(id, [...list]);
    }
    return found;
  }

  async diagnosisProfiles(ids: string[]) {
    const found = new Map<string, DiagnosisProfile>();
    for (const id of ids) {
      const profile = this.profiles.get(id);
      if (profile) found.set(id, profile);
    }
    return found;
  }

  async updateDiagnosis(id: string, change: (current: Diagnosis) => Diagnosis | Promise<Diagnosis>) {
    return this.lock.run(`diagnosis:${id}`, async () => {
      this.busy.add(id);
      try {
        return await this.changeDiagnosis(id, change);
      } finally {
        this.busy.delete(id);
      }
    });
  }

  private async changeDiagnosis(id: string, change: (current: Diagnosis) => Diagnosis | Promise<Diagnosis>) {
    const db = await this.diagnosisDb(id);
    if (!db?.data) throw new NotFoundError(id);
    const current = db.data;
    const next: Diagnosis = { ...(await change(structuredClone(current))), revision: current.revision + 1, updatedAt: new Date().toISOString() };
    // Dirty before the journal line is written: a checkpoint that rotates the journal meanwhile
    // then snapshots this diagnosis (under this lock, so with the change) before dropping the line.
    this.dirty.add(id);
    await this.journal.append(entryFor(current, next));
    db.data = next;
    this.scheduleCheckpoint();
    // Before the summary says finished, so dashboards never count it without its profile; a crash
    // in between is mended on open (completeProfiles). Only finishing writes here, never a save.
    const profile = current.status !== 'finished' && next.status === 'finished' ? finishedProfile(next, (await this.getRuleset(next.rulesetId, next.rulesetVersion))?.document) : undefined;
    if (profile) await this.profiles.append([{ id, profile }]);
    // Only a change that lists or limits see (status, result) touches the main file.
    const after = summaryOf(next);
    if (JSON.stringify(after) !== JSON.stringify(summaryOf(current))) {
      await this.mutateMain((d) => {
        const at = d.diagnoses.findIndex((s) => s.id === id);
        d.diagnoses[at] = after;
      });
    }
    return next;
  }

  async audit(entry: AuditEntry) {
    await this.lock.run('audit', () => appendFile(join(this.dir, 'audit.jsonl'), JSON.stringify(entry) + '\n'));
  }

  /** Reads the whole log: the embedded store serves a pilot, a park or a city, whose log stays small enough. */
  async queryAudit(filter: AuditFilter, page: { offset: number; limit: number }) {
    const { offset, limit } = pageBounds(page);
    const matching = newestFirst(
      (await this.auditEntries()).filter((e) => auditEntryMatches(e, filter)),
      (e) => e.at,
    );
    return { total: matching.length, items: matching.slice(offset, offset + limit) };
  }

  async importRecords(records: { users: User[]; enterprises: Enterprise[]; diagnoses: Diagnosis[] }) {
    const names = new Set(this.usersByName.keys());
    const codes = new Set(this.enterprisesByCode.keys());
    for (const u of records.users) {
      if (names.has(usernameKey(u.username))) throw new ConflictError('username_taken', 'username');
      names.add(usernameKey(u.username));
    }
    for (const e of records.enterprises) {
      if (codes.has(e.creditCode)) throw new ConflictError('credit_code_registered', 'creditCode');
      codes.add(e.creditCode);
    }
    // Diagnosis files first: the main file only ever lists diagnoses whose file exists.
    const queue = [...records.diagnoses];
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        for (let d = queue.pop(); d; d = queue.pop()) await new DurableJSONFile<Diagnosis>(this.diagnosisFile(d.id)).write(d);
      }),
    );
    const profiles: { id: string; profile: DiagnosisProfile }[] = [];
    for (const d of records.diagnoses) {
      const profile = d.status === 'finished' ? finishedProfile(d, (await this.getRuleset(d.rulesetId, d.rulesetVersion))?.document) : undefined;
      if (profile) profiles.push({ id: d.id, profile });
    }
    await this.profiles.append(profiles);
    await this.mutateMain((data) => {
      data.users.push(...records.users);
      data.enterprises.push(...records.enterprises);
      data.diagnoses.push(...records.diagnoses.map(summaryOf));
    });
  }

  async claimFirstAdministrator(admin: User, key: string, claim: (stored: unknown) => boolean) {
    return this.mutateMain((d) => {
      if (d.users.some((u) => u.role === 'platformAdmin') || !claim(d.settings[key])) return false;
      if (this.usersByName.has(usernameKey(admin.username))) throw new ConflictError('username_taken', 'username');
      d.users.push(admin);
      delete d.settings[key];
      return true;
    });
  }

  async getSetting<T>(key: string) {
    return this.main.data.settings[key] as T | undefined;
  }

  async putSetting<T>(key: string, value: T | undefined) {
    await this.mutateMain((d) => {
      if (value === undefined) delete d.settings[key];
      else d.settings[key] = value;
    });
    this.settingChanged(key);
  }

  async updateSetting<T>(key: string, change: (current: T | undefined) => T | undefined) {
    const next = await this.mutateMain((d) => {
      const next = change(structuredClone(d.settings[key]) as T | undefined);
      if (next === undefined) delete d.settings[key];
      else d.settings[key] = next;
      return next;
    });
    this.settingChanged(key);
    return next;
  }

  private settingChanged(key: string) {
    for (const listener of this.settingListeners) listener(key);
  }

  onSettingChanged(listener: (key: string) => void) {
    this.settingListeners.add(listener);
    return () => void this.settingListeners.delete(listener);
  }

  exclusive<T>(name: string, work: () => Promise<T>): Promise<T> {
    return this.lock.run(`exclusive:${name}`, work);
  }

  async hitRateLimit(key: string, windowMs: number, now: string): Promise<RateLimitHit> {
    const current = this.rateLimits.get(key);
    const next = current && current.resetAt > now ? { ...current, hits: current.hits + 1 } : { hits: 1, resetAt: new Date(Date.parse(now) + windowMs).toISOString() };
    this.rateLimits.set(key, next);
    // Ended windows are swept once every thousand new keys, not on each: a flood of new usernames
    // would otherwise make every attempt walk every counter.
    if (!current && ++this.newRateLimitKeys >= 1000) {
      this.newRateLimitKeys = 0;
      for (const [k, v] of this.rateLimits) if (v.resetAt <= now) this.rateLimits.delete(k);
    }
    return next;
  }

  async unhitRateLimit(key: string) {
    const current = this.rateLimits.get(key);
    if (current) this.rateLimits.set(key, { ...current, hits: Math.max(current.hits - 1, 0) });
  }

  async resetRateLimit(key: string) {
    this.rateLimits.delete(key);
  }

  async *exportRecords(): AsyncIterable<DumpRecord> {
    // Snapshots first, so every diagnosis is read from one place.
    await this.checkpoint();
    const d = this.main.data;
    for (const kind of DUMP_KINDS) {
      switch (kind) {
        case 'user':
          for (const user of d.users) yield { kind, user: structuredClone(user) };
          break;
        case 'enterprise':
          for (const enterprise of d.enterprises) yield { kind, enterprise: structuredClone(enterprise) };
          break;
        case 'session':
          for (const session of this.sessions.all()) yield { kind, session: structuredClone(session) };
          break;
        case 'resetCode':
          for (const resetCode of d.resetCodes) yield { kind, resetCode: structuredClone(resetCode) };
          break;
        case 'supportRequest':
          for (const request of d.supportRequests) yield { kind, request: structuredClone(request) };
          break;
        case 'ruleset':
          for (const meta of [...d.rulesets]) {
            const record = await this.getRuleset(meta.id, meta.version);
            if (record) yield { kind, ruleset: structuredClone(record) };
          }
          break;
        case 'diagnosis':
          for (const summary of [...d.diagnoses]) {
            const cached = this.diagnosisCache.get(summary.id)?.data;
            const diagnosis = cached ?? (await new DurableJSONFile<Diagnosis>(this.diagnosisFile(summary.id)).read());
            if (!diagnosis) continue;
            const profile = this.profiles.get(summary.id);
            yield { kind, diagnosis: structuredClone(diagnosis), ...(profile ? { profile } : {}) };
          }
          break;
        case 'setting':
          for (const [key, value] of Object.entries(d.settings)) yield { kind, key, value: structuredClone(value) };
          break;
        case 'audit':
          for (const entry of await this.auditEntries()) yield { kind, entry };
          break;
        case 'certificate':
          for (const certificate of d.certificates ?? []) yield { kind, certificate: structuredClone(certificate) };
          break;
        case 'assessmentBody':
          for (const body of d.assessmentBodies ?? []) yield { kind, body: structuredClone(body) };
          break;
        case 'assessmentApplication':
          for (const application of d.assessmentApplications ?? []) yield { kind, application: structuredClone(application) };
          break;
        case 'evidence':
          for (const evidence of [...(d.evidence ?? [])]) yield { kind, evidence: structuredClone(evidence), content: (await this.evidenceFiles.read(evidence.sha256)).toString('base64') };
          break;
      }
    }
  }

  private async auditEntries(): Promise<AuditEntry[]> {
    await this.lock.run('audit', async () => undefined);
    let text = '';
    try {
      text = await readFile(join(this.dir, 'audit.jsonl'), 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    return text
      .split('\n')
      .filter((line) => line.trim())
      .map((line) => JSON.parse(line) as AuditEntry);
  }

  async importDump(records: AsyncIterable<DumpRecord>) {
    const written: string[] = [];
    try {
      return await this.importDumpWriting(records, written);
    } catch (e) {
      // Content an import wrote is gone again with the import it belonged to.
      for (const sha of written) if (!this.main.data.evidence?.some((x) => x.sha256 === sha)) await this.evidenceFiles.remove(sha);
      throw e;
    }
  }

  private async importDumpWriting(records: AsyncIterable<DumpRecord>, written: string[]) {
    const counts = Object.fromEntries(DUMP_KINDS.map((k) => [k, 0])) as Record<DumpRecord['kind'], number>;
    const next = empty();
    const sessions: Session[] = [];
    const rulesets: RulesetRecord[] = [];
    const diagnoses: Diagnosis[] = [];
    const profiles: { id: string; profile: DiagnosisProfile }[] = [];
    const audit: AuditEntry[] = [];
    for await (const r of records) {
      counts[r.kind] += 1;
      if (r.kind === 'user') next.users.push(r.user);
      else if (r.kind === 'enterprise') next.enterprises.push(r.enterprise);
      else if (r.kind === 'session') sessions.push(r.session);
      else if (r.kind === 'resetCode') next.resetCodes.push(r.resetCode);
      else if (r.kind === 'supportRequest') next.supportRequests.push(r.request);
      else if (r.kind === 'ruleset') rulesets.push(r.ruleset);
      else if (r.kind === 'diagnosis') {
        diagnoses.push(r.diagnosis);
        if (r.profile) profiles.push({ id: r.diagnosis.id, profile: r.profile });
      } else if (r.kind === 'setting') next.settings[r.key] = r.value;
      else if (r.kind === 'audit') audit.push(r.entry);
      else if (r.kind === 'certificate') (next.certificates ??= []).push(r.certificate);
      else if (r.kind === 'assessmentBody') (next.assessmentBodies ??= []).push(r.body);
      else if (r.kind === 'assessmentApplication') (next.assessmentApplications ??= []).push(r.application);
      else if (r.kind === 'evidence') {
        // Content goes to its file now (it may be large); the main file, written last, names it.
        const content = Buffer.from(r.content, 'base64');
        if (!isSha256(r.evidence.sha256) || createHash('sha256').update(content).digest('hex') !== r.evidence.sha256) throw new ConflictError('content_mismatch', 'sha256');
        if (await this.evidenceFiles.put(r.evidence.sha256, content)) written.push(r.evidence.sha256);
        (next.evidence ??= []).push(r.evidence);
      }
    }
    const unique = (values: string[], code: string, field: string) => {
      if (new Set(values).size !== values.length) throw new ConflictError(code, field);
    };
    unique(next.users.map((u) => usernameKey(u.username)), 'username_taken', 'username');
    unique(next.enterprises.map((e) => e.creditCode), 'credit_code_registered', 'creditCode');
    unique(diagnoses.map((d) => d.id), 'duplicate_id', 'id');
    unique((next.certificates ?? []).map((c) => certificateNumberKey(c.number)), 'certificate_number_taken', 'number');
    unique((next.assessmentBodies ?? []).map((b) => b.creditCode), 'body_registered', 'creditCode');
    for (const id of [...rulesets.map((r) => r.id), ...rulesets.map((r) => r.version), ...diagnoses.map((d) => d.id)]) if (!SAFE_ID.test(id)) throw new ConflictError('unsafe_id', id);
    await this.lock.run('main', async () => {
      const d = this.main.data;
      if (d.users.length || d.enterprises.length || d.rulesets.length || d.diagnoses.length) throw new ConflictError('store_not_empty');
      // Documents and logs first: the main file, written last, is what makes them part of the store.
      for (const r of rulesets) await new DurableJSONFile<RulesetRecord['document']>(this.rulesetFile(r.id, r.version)).write(r.document);
      const queue = [...diagnoses];
      await Promise.all(
        Array.from({ length: 16 }, async () => {
          for (let x = queue.pop(); x; x = queue.pop()) await new DurableJSONFile<Diagnosis>(this.diagnosisFile(x.id)).write(x);
        }),
      );
      await this.profiles.append(profiles);
      const sessionsBefore = this.sessions.all();
      await this.sessions.replaceAll(sessions);
      const auditFile = join(this.dir, 'audit.jsonl');
      const auditSize = (await stat(auditFile).catch(() => undefined))?.size ?? 0;
      if (audit.length) await this.lock.run('audit', () => appendFile(auditFile, audit.map((e) => JSON.stringify(e) + '\n').join('')));
      const before = this.main.data;
      this.main.data = { ...next, settings: { ...d.settings, ...next.settings }, rulesets: rulesets.map(({ document: _, ...meta }) => meta), diagnoses: diagnoses.map(summaryOf) };
      try {
        await this.main.write();
      } catch (e) {
        this.main.data = before;
        // The store stays as it was, audit log and sessions included, so the import can be run again.
        await truncate(auditFile, auditSize).catch(() => undefined);
        await this.sessions.replaceAll(sessionsBefore).catch(() => undefined);
        throw e;
      }
      this.reindex();
      this.rulesetCache.clear();
      this.diagnosisCache.clear();
    });
    for (const key of Object.keys(this.main.data.settings)) this.settingChanged(key);
    // An export from before profile versions carries profiles of the old rule.
    await this.completeProfiles();
    return counts;
  }
}
