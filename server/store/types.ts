// The store interface: everything the server keeps. lowdb implements it for one process
// (lowdbStore.ts), PostgreSQL for several instances sharing one database (postgres/store.ts).
// Invariants that must hold under concurrency (unique usernames and credit codes, the monthly
// limit, answer revisions) are single store operations here, never check-then-write in a route,
// so they hold across instances too.
import type { AnswerValue, DiagnosisState, IndicatorValue, Overlay, Ruleset, ScoreResult } from '../../engine/index.ts';
import type { AssessmentApplication, AssessmentApplicationFilter, AssessmentBody, AssessmentBodyPatch } from './assessmentRecords.ts';
import type { EvidenceFile, EvidenceLimits } from './evidenceRecords.ts';

export type Role = 'enterprise' | 'regionAdmin' | 'rulesetAuthor' | 'platformAdmin' | 'assessor';

export interface User {
  id: string;
  username: string;
  passwordHash: string;
  role: Role;
  mobile?: string;
  email?: string;
  enterpriseId?: string;
  /** For region administrators: the region code they administer (and everything below it). */
  region?: string;
  createdAt: string;
  /** When an administrator disabled the account: it can't log in and has no session. Absent: active. */
  disabledAt?: string;
  /** For assessors: the assessment body they work for (assessmentRecords.ts). */
  bodyId?: string;
  /** For assessors: their own certificate number (评估师证书编号). */
  assessorCertificate?: string;
  /** For assessors: credit codes of enterprises they declared affiliation with; never on those enterprises' teams. */
  affiliations?: string[];
  /** For assessors: one of the body's staff who accept or decline applications. */
  bodyManager?: boolean;
}

export interface Enterprise {
  id: string;
  name: string;
  creditCode: string;
  enterpriseType: string;
  industry: string;
  industryType: string;
  sizeBand: string;
  revenue: number;
  region: string;
  /** Region codes from the province down to `region`. */
  regionPath: string[];
  /** Enterprise groups (企业集团) it belongs to besides its region; their administrators see it too. */
  groups?: string[];
  createdAt: string;
  /** When an administrator disabled the enterprise: none of its users can log in or keep a session. */
  disabledAt?: string;
}

/** What may change about an enterprise after registration. */
export type EnterprisePatch = Partial<Pick<Enterprise, 'groups' | 'enterpriseType' | 'industry' | 'industryType' | 'sizeBand' | 'revenue' | 'region' | 'regionPath' | 'disabledAt'>>;

export interface Session {
  id: string;
  userId: string;
  createdAt: string;
  /** The absolute end: after this the session is gone whatever happens. */
  expiresAt: string;
  /** The last request seen (recorded at most about once a minute); absent: `createdAt`. Idle sessions end. */
  lastSeenAt?: string;
}

export interface RulesetRecord {
  id: string;
  version: string;
  status: 'draft' | 'published';
  document: Ruleset;
  /** Region codes whose enterprises get this ruleset by default (a province's variant). */
  regions: string[];
  /** For a variant: what it stores, the difference from its base. */
  overlay?: Overlay;
  publishedAt?: string;
  /**
   * Who the id belongs to, every version of it: the region whose administrators created it, or
   * absent for the platform (authors and platform administrators). See server/rulesetAccess.ts.
   */
  owner?: string;
  /**
   * Bumped by every save of a draft, so a save made from an older copy (another author, another
   * tab) is refused rather than overwriting what it never saw. Absent on records saved before
   * revisions: they count as revision 1.
   */
  revision?: number;
}

/** A record's revision as compare-and-set reads it: 0 when there is none, 1 for one saved before revisions. */
export const rulesetRevision = (record: Pick<RulesetRecord, 'revision'> | undefined) => (record ? (record.revision ?? 1) : 0);

export interface LevelOutcome {
  level: number;
  score: number;
  reached: boolean;
  threshold: number;
  submittedAt: string;
}

/** A diagnosis as kept in its own file: saving an answer rewrites this document only. */
export interface Diagnosis {
  id: string;
  enterpriseId: string;
  userId: string;
  rulesetId: string;
  rulesetVersion: string;
  /** discarded: left before anything was answered, kept for the record (counted by limits as the ruleset's counting.discarded says). */
  status: 'inProgress' | 'finished' | 'discarded';
  state: DiagnosisState;
  answers: Record<string, AnswerValue>;
  indicators: Record<string, IndicatorValue>;
  levelResults: LevelOutcome[];
  result?: ScoreResult;
  revision: number;
  startedAt: string;
  finishedAt?: string;
  discardedAt?: string;
  updatedAt: string;
}

/** What lists and limits need about a diagnosis, kept in the main file. */
export interface DiagnosisSummary {
  id: string;
  enterpriseId: string;
  rulesetId: string;
  rulesetVersion: string;
  status: Diagnosis['status'];
  phase: Diagnosis['state']['phase'];
  startedAt: string;
  finishedAt?: string;
  level?: number;
  total?: number;
}

/**
 * What dashboards average about a finished diagnosis: the node scores (rounded) at the level its
 * result's profile describes (engine/resultView.ts: the ruleset's presentation.profile).
 */
export interface DiagnosisProfile {
  level: number;
  nodes: Record<string, number>;
  /** The rule it was made by (server/store/records.ts PROFILE_VERSION); absent in profiles kept before there were versions. */
  v?: number;
}

export interface ResetCode {
  /** The user; `mobile:<user id>` for a code confirming a new mobile (routes/accountSettings.ts), which never replaces a reset code. */
  userId: string;
  codeHash: string;
  expiresAt: string;
  attempts: number;
}

export const SUPPORT_STATUSES = ['open', 'inProgress', 'resolved', 'rejected'] as const;
export type SupportStatus = (typeof SUPPORT_STATUSES)[number];

/** An administrator's answer to a support request; `sentBySms`: also sent to the requester's mobile. */
export interface SupportReply {
  at: string;
  /** The administrator's user id. */
  by: string;
  text: string;
  sentBySms: boolean;
}

export interface SupportRequest {
  id: string;
  kind: 'usernameRecovery';
  enterpriseName: string;
  creditCode: string;
  mobile: string;
  matchedUserId?: string;
  createdAt: string;
  /** Absent in requests recorded before requests were handled: read as open (the store's reads fill it in). */
  status?: SupportStatus;
  /** The matched enterprise's region, or the one the requester gave; absent: the platform administrators' alone. */
  region?: string;
  replies?: SupportReply[];
  updatedAt?: string;
}

/** Which support requests a list gives; every given condition must hold. */
export interface SupportRequestFilter {
  status?: SupportStatus;
  kind?: SupportRequest['kind'];
  /** Requests whose region is one of these (a scope: a region and those below it)… */
  regions?: string[];
  /** …or, with this, also those without a region. Neither given: every request. */
  withoutRegion?: boolean;
  /** Part of the enterprise name, the credit code or the mobile (case-insensitive). */
  text?: string;
}

/** A change to a support request: a new status, a reply added, or both, at `at`. */
export interface SupportRequestChange {
  at: string;
  status?: SupportStatus;
  reply?: SupportReply;
}

export interface AuditEntry {
  at: string;
  actor?: string;
  action: string;
  target?: string;
  detail?: Record<string, unknown>;
  /** The region of the object (or of the actor) when written: administrators of it and the regions above see the entry. */
  region?: string;
}

/** Which audit entries a query gives; every given condition must hold. */
export interface AuditFilter {
  /** The actor's user id. */
  actor?: string;
  /** The action or its start (`region.` for every region change). */
  actionPrefix?: string;
  target?: string;
  /** ISO times: from (inclusive) … to (exclusive). */
  from?: string;
  to?: string;
  /** Entries whose region is one of these (a region administrator's scope); absent: every entry. */
  regions?: string[];
}

/** The most entries or requests one page gives, whatever is asked. */
export const MAX_PAGE_SIZE = 200;

/** A page of a list, newest first: `offset` entries skipped, at most `limit` (≤ MAX_PAGE_SIZE) given, and how many match. */
export interface Paged<T> {
  total: number;
  items: T[];
}

/** Which users administration lists; every given condition must hold. */
export interface UserFilter {
  /**
   * With `groups`, where users are: their own region (administrators) or their enterprise's region
   * path is one of `regions`, or their enterprise belongs to one of `groups`. Both absent: anywhere.
   */
  regions?: string[];
  groups?: string[];
  role?: Role;
  /** Part of the username (any case) or of the mobile number. */
  q?: string;
  disabled?: boolean;
  offset: number;
  limit: number;
}

export class ConflictError extends Error {
  constructor(
    readonly code: string,
    readonly field?: string,
  ) {
    super(code);
  }
}

export class NotFoundError extends Error {}

/** One counter of a fixed window (login and reset attempts). */
export interface RateLimitHit {
  hits: number;
  /** ISO time the window ends. */
  resetAt: string;
}

/**
 * A certificate of conformity (标准符合性证书): issued by a formal assessment, or registered by a
 * platform administrator for one issued before the platform (so the public lookup finds it).
 */
export interface Certificate {
  id: string;
  /** PREFIX-YEAR-SEQUENCE, unique; what the QR code and the public lookup go by. */
  number: string;
  /** The enterprise on the platform, when it is one. */
  enterpriseId?: string;
  enterpriseName: string;
  creditCode: string;
  /** The enterprise's region, for scoping administrators' lists. */
  region?: string;
  level: number;
  /** The level as the standard names it, e.g. 二级（规范级）. */
  levelName: string;
  /** What was assessed (the domains, a site). */
  scope: string;
  /** The standard it certifies conformity with, e.g. GB/T 39116-2020. */
  standard: string;
  /** The ruleset the assessment used, id@version. */
  ruleset?: string;
  body: { id?: string; name: string };
  /** YYYY-MM-DD, in the issuing ruleset's time zone. */
  issuedAt: string;
  /** The last day it is valid on, YYYY-MM-DD. */
  validUntil: string;
  /** The time zone its dates are in (the ruleset's counting.utcOffsetMinutes): when "today" passes validUntil. */
  utcOffsetMinutes: number;
  suspendedAt?: string;
  revokedAt?: string;
  /** Why it was suspended, revoked or reinstated (shown to the public). */
  statusReason?: string;
  source: 'assessment' | 'registered';
  createdAt: string;
}

export interface CertificateQuery {
  /** The whole number, any case. */
  number?: string;
  /** Part of the enterprise's name, or its whole credit code. */
  text?: string;
  limit: number;
}

/**
 * One line of an export (`ladder export`): every record a store keeps, so that a store filled by
 * importing an export exports the same lines. Rate-limit counters are transient and left out.
 */
export type DumpRecord =
  | { kind: 'user'; user: User }
  | { kind: 'enterprise'; enterprise: Enterprise }
  | { kind: 'session'; session: Session }
  | { kind: 'resetCode'; resetCode: ResetCode }
  | { kind: 'supportRequest'; request: SupportRequest }
  | { kind: 'ruleset'; ruleset: RulesetRecord }
  | { kind: 'diagnosis'; diagnosis: Diagnosis; profile?: DiagnosisProfile }
  | { kind: 'setting'; key: string; value: unknown }
  | { kind: 'audit'; entry: AuditEntry }
  | { kind: 'certificate'; certificate: Certificate }
  | { kind: 'assessmentBody'; body: AssessmentBody }
  | { kind: 'assessmentApplication'; application: AssessmentApplication }
  /** An evidence file with its content, base64. */
  | { kind: 'evidence'; evidence: EvidenceFile; content: string };

/** The order an export lists kinds in (records of one kind keep the store's own order). */
export const DUMP_KINDS: DumpRecord['kind'][] = ['user', 'enterprise', 'session', 'resetCode', 'supportRequest', 'ruleset', 'diagnosis', 'setting', 'audit', 'certificate', 'assessmentBody', 'assessmentApplication', 'evidence'];

/** Decides inside the store's lock whether a new diagnosis may start, given the enterprise's history. */
export type AdmitDiagnosis = (history: DiagnosisSummary[]) => Promise<{ ok: true } | { ok: false; reason: unknown }>;

/** A store's answer to a readiness probe. */
export interface StorePing {
  /** Schema migrations this Ladder knows and the database lacks (PostgreSQL; always empty on lowdb). */
  pendingMigrations: number[];
}

export interface Store {
  close(): Promise<void>;
  /** A cheap round trip for /readyz: resolves while the store can serve, rejects once it cannot (closed, or the database unreachable). */
  ping(): Promise<StorePing>;

  createAccount(user: User, enterprise?: Enterprise): Promise<void>;
  getUser(id: string): Promise<User | undefined>;
  findUserByUsername(username: string): Promise<User | undefined>;
  /** `disabledAt: undefined` enables the account again. */
  updateUser(id: string, patch: Partial<Pick<User, 'passwordHash' | 'mobile' | 'email' | 'disabledAt'>>): Promise<void>;
  countUsers(role?: Role): Promise<number>;
  /** A page of users, newest first, with how many match (administration's user list). */
  listUsers(filter: UserFilter): Promise<{ total: number; items: User[] }>;
  getEnterprise(id: string): Promise<Enterprise | undefined>;
  findEnterpriseByCreditCode(creditCode: string): Promise<Enterprise | undefined>;
  findUsersOfEnterprise(enterpriseId: string): Promise<User[]>;
  /** `regionPrefix`: enterprises within any of these regions, or members of any of these groups. */
  listEnterprises(filter?: { regionPrefix?: string[] }): Promise<Enterprise[]>;
  /** Name and credit code never change (they are the enterprise's identity); a new region comes with its path. */
  updateEnterprise(id: string, patch: EnterprisePatch): Promise<void>;
  /** The region administrators of exactly this region. */
  findRegionAdministrators(region: string): Promise<User[]>;

  /**
   * Adds a session. With `keep`, the user's sessions beyond the `keep` newest (this one
   * included) end in the same operation: logging in again and again never piles sessions up.
   */
  createSession(session: Session, keep?: number): Promise<void>;
  /** The session if it has not expired at `now` (ISO time) and, with `idleSince`, was last seen after it. */
  getSession(id: string, now: string, idleSince?: string): Promise<Session | undefined>;
  /** The live session (as getSession) with its user: what every request asks first, in one read. A disabled user, or a user of a disabled enterprise, has none. */
  sessionUser(id: string, now: string, idleSince?: string): Promise<{ session: Session; user: User } | undefined>;
  /** Records a request on the session at `at` (its idle timeout starts again). */
  touchSession(id: string, at: string): Promise<void>;
  deleteSession(id: string): Promise<void>;
  /** Ends every session of the user but `except` (a password changed or reset); returns how many ended. */
  deleteUserSessions(userId: string, except?: string): Promise<number>;

  putResetCode(code: ResetCode): Promise<void>;
  /** Atomically checks a reset code (counting the attempt) and removes it when it matches. */
  consumeResetCode(userId: string, check: (code: ResetCode) => boolean, maxAttempts: number, now: string): Promise<boolean>;
  addSupportRequest(request: SupportRequest): Promise<void>;

  /** Keeps a certificate; a number given before is a ConflictError 'certificate_number_taken' (field 'number'). */
  addCertificate(certificate: Certificate): Promise<void>;
  getCertificate(id: string): Promise<Certificate | undefined>;
  /** Certificates by number, or by part of the enterprise's name or its whole credit code, newest first. */
  findCertificates(query: CertificateQuery): Promise<Certificate[]>;
  /** Changes a certificate under its lock (status); NotFoundError for an unknown id. */
  updateCertificate(id: string, change: (current: Certificate) => Certificate): Promise<Certificate>;
  /** Support requests, newest first, each read with its status (open when absent) and replies. */
  listSupportRequests(filter: SupportRequestFilter, page: { offset: number; limit: number }): Promise<Paged<SupportRequest>>;
  getSupportRequest(id: string): Promise<SupportRequest | undefined>;
  /** Sets the status and/or adds a reply in one operation (updatedAt = change.at); an unknown id is a NotFoundError. */
  updateSupportRequest(id: string, change: SupportRequestChange): Promise<SupportRequest>;

  /**
   * Saves a ruleset (a published version never changes: ConflictError 'ruleset_published'). With
   * `expect`, only while the stored revision (rulesetRevision: 0 for none) is `expect.revision`,
   * else ConflictError 'stale' and nothing changes.
   */
  putRuleset(record: RulesetRecord, expect?: { revision: number }): Promise<void>;
  getRuleset(id: string, version: string): Promise<RulesetRecord | undefined>;
  listRulesets(): Promise<Omit<RulesetRecord, 'document'>[]>;
  /** Discards a draft; a published version never goes (ConflictError), an unknown one is a NotFoundError. */
  deleteRuleset(id: string, version: string): Promise<void>;

  /** Creates the diagnosis only if `admit` allows it, with no other diagnosis of the enterprise created in between. */
  createDiagnosis(diagnosis: Diagnosis, admit: AdmitDiagnosis): Promise<{ ok: true } | { ok: false; reason: unknown }>;
  /** The stored diagnosis; callers read it and never change it in place (updateDiagnosis replaces it). */
  getDiagnosis(id: string): Promise<Diagnosis | undefined>;
  listDiagnoses(enterpriseId: string): Promise<DiagnosisSummary[]>;
  /** listDiagnoses for many enterprises in one call (dashboards); enterprises without any are left out. */
  diagnosisSummaries(enterpriseIds: string[]): Promise<Map<string, DiagnosisSummary[]>>;
  /** The profiles of these finished diagnoses (kept when each finished); ids without one are left out. */
  diagnosisProfiles(ids: string[]): Promise<Map<string, DiagnosisProfile>>;
  /**
   * Read-modify-write of one diagnosis under its lock. `change` returns the new document (its
   * revision is bumped by the store) or throws to change nothing. On PostgreSQL the write is a
   * compare-and-set on the revision, and `change` runs again on the newer document when another
   * writer got in first: it must be a function of what it is given and must not call the store.
   * `seen`, the document the caller read just before, is tried first and saves a read.
   */
  updateDiagnosis(id: string, change: (current: Diagnosis) => Diagnosis | Promise<Diagnosis>, seen?: Diagnosis): Promise<Diagnosis>;

  audit(entry: AuditEntry): Promise<void>;
  /** Audit entries, newest first (by time, then the order written). */
  queryAudit(filter: AuditFilter, page: { offset: number; limit: number }): Promise<Paged<AuditEntry>>;

  /** Adds many records at once (generated populations, imports); refuses duplicates like createAccount. */
  importRecords(records: { users: User[]; enterprises: Enterprise[]; diagnoses: Diagnosis[] }): Promise<void>;

  /**
   * Creates the first platform administrator if none exists and `claim` accepts the stored
   * setting `key` (the setup token's hash), removing that setting in the same operation.
   */
  claimFirstAdministrator(admin: User, key: string, claim: (stored: unknown) => boolean): Promise<boolean>;

  getSetting<T>(key: string): Promise<T | undefined>;
  putSetting<T>(key: string, value: T | undefined): Promise<void>;
  /** Read-modify-write of one setting under the store's lock, for settings several administrators change. */
  updateSetting<T>(key: string, change: (current: T | undefined) => T | undefined): Promise<T | undefined>;
  /**
   * Calls `listener` with the key of each setting changed by anyone sharing this store (another
   * instance too, shortly after its change commits). Returns a function that stops the calls.
   */
  onSettingChanged(listener: (key: string) => void): () => void;

  /**
   * Runs `work` while no other work under the same name runs anywhere that shares this store
   * (every instance on PostgreSQL), for changes that span several store operations.
   */
  exclusive<T>(name: string, work: () => Promise<T>): Promise<T>;

  /** Counts one attempt under `key` in a window of `windowMs` starting at its first attempt. */
  hitRateLimit(key: string, windowMs: number, now: string): Promise<RateLimitHit>;
  /** Takes one attempt back (express-rate-limit's skipped requests). */
  unhitRateLimit(key: string): Promise<void>;
  resetRateLimit(key: string): Promise<void>;

  /** Accredits a body; another body with its credit code is a ConflictError 'body_registered' (field creditCode). */
  createAssessmentBody(body: AssessmentBody): Promise<void>;
  getAssessmentBody(id: string): Promise<AssessmentBody | undefined>;
  /** Every body, in the order accredited. */
  listAssessmentBodies(): Promise<AssessmentBody[]>;
  /** An unknown id is a NotFoundError. */
  updateAssessmentBody(id: string, patch: AssessmentBodyPatch): Promise<AssessmentBody>;
  /** The assessors (role assessor) of a body, in the order registered. */
  findAssessors(bodyId: string): Promise<User[]>;
  /** Adds an application unless the enterprise has an open one (assessmentRecords.ts): ConflictError 'application_open'. */
  createAssessmentApplication(application: AssessmentApplication): Promise<void>;
  getAssessmentApplication(id: string): Promise<AssessmentApplication | undefined>;
  /** Applications, newest first, with how many match. */
  listAssessmentApplications(filter: AssessmentApplicationFilter, page: { offset: number; limit: number }): Promise<Paged<AssessmentApplication>>;
  /**
   * Read-modify-write of one application under its lock: `change` returns the new record or throws
   * to change nothing (it must not call the store). An unknown id is a NotFoundError.
   */
  updateAssessmentApplication(id: string, change: (current: AssessmentApplication) => AssessmentApplication): Promise<AssessmentApplication>;

  /**
   * Keeps an evidence file of an application: the content durably first (once per SHA-256), then
   * the record; when this resolves both survive a crash. An unknown application is a
   * NotFoundError; a requirement holding `limits.maxFiles` already a ConflictError
   * 'too_many_files'; content whose SHA-256 is not `record.sha256` a ConflictError
   * 'content_mismatch'. A refused file leaves nothing behind.
   */
  addEvidence(record: EvidenceFile, content: Buffer, limits: EvidenceLimits): Promise<void>;
  /** An application's files (of one requirement if given), in the order uploaded. */
  listEvidence(applicationId: string, requirement?: string): Promise<EvidenceFile[]>;
  getEvidence(id: string): Promise<EvidenceFile | undefined>;
  /** The content of a file; undefined for an unknown id. */
  evidenceContent(id: string): Promise<Buffer | undefined>;
  /** Removes the record (NotFoundError if unknown); the content goes with the last record naming it. */
  deleteEvidence(id: string): Promise<EvidenceFile>;

  /** Every record, kind by kind in DUMP_KINDS order. */
  exportRecords(): AsyncIterable<DumpRecord>;
  /**
   * Fills an empty store with exported records (refused with a ConflictError `store_not_empty`
   * when it holds any user, enterprise, ruleset or diagnosis). All or nothing on PostgreSQL.
   */
  importDump(records: AsyncIterable<DumpRecord>): Promise<Record<DumpRecord['kind'], number>>;
}
