// The store on PostgreSQL, for several server instances sharing one database (DATABASE_URL).
// Every invariant is one transaction: unique usernames and credit codes by constraints, the
// monthly limit under a per-enterprise advisory lock, a diagnosis's read-modify-write as a
// compare-and-set on its revision, settings several administrators change under a per-key advisory lock. Instances hear
// of each other's setting changes through LISTEN/NOTIFY.
import { certificateNumberKey, creditCodeKey } from '../certificateQueries.ts';
import { createHash } from 'node:crypto';
import { isSha256, type EvidenceFile, type EvidenceLimits } from '../evidenceRecords.ts';
import { CLOSED_APPLICATION_STATUSES, isOpenApplication, type AssessmentApplication, type AssessmentApplicationFilter, type AssessmentBody, type AssessmentBodyPatch } from '../assessmentRecords.ts';
import pg from 'pg';
import { KeyedMutex } from '../mutex.ts';
import { finishedProfile, PROFILE_VERSION, summaryOf } from '../records.ts';
import { migrate, pendingMigrations } from './migrations.ts';
import { usernameKey } from '../../accounts/identity.ts';
import { SizedCache, rulesetCacheSize } from '../sizedCache.ts';
import {
  ConflictError,
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
  rulesetRevision,
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
} from '../types.ts';
import { changedSupportRequest, pageBounds, readSupportRequest } from '../adminQueries.ts';

type Queryable = pg.Pool | pg.PoolClient;
type Kind = DumpRecord['kind'];

const SETTINGS_CHANNEL = 'ladder_settings';
/** Rows per statement when many records go in at once (imports, generated populations). */
const BATCH = 500;

const json = (value: unknown) => JSON.stringify(value);

/** A unique constraint's violation as the same ConflictError the embedded store throws. */
function conflictOf(e: unknown): unknown {
  const err = e as { code?: string; constraint?: string };
  if (err.code !== '23505') return e;
  if (err.constraint === 'users_username_unique') return new ConflictError('username_taken', 'username');
  if (err.constraint === 'enterprises_credit_code_unique') return new ConflictError('credit_code_registered', 'creditCode');
  if (err.constraint === 'assessment_bodies_credit_code_unique') return new ConflictError('body_registered', 'creditCode');
  if (err.constraint === 'assessment_applications_open') return new ConflictError('application_open');
  return new ConflictError('duplicate_id');
}

const userRow = (u: User) => [u.id, usernameKey(u.username), u.role, u.enterpriseId ?? null, u.region ?? null, json(u)];
const enterpriseRow = (e: Enterprise) => [e.id, e.creditCode, e.regionPath, e.groups ?? [], json(e)];
const diagnosisRow = (d: Diagnosis, profile?: DiagnosisProfile) => [d.id, d.enterpriseId, d.revision, json(summaryOf(d)), json(d), profile ? json(profile) : null];

const assessmentBodyRow = (b: AssessmentBody) => [b.id, b.creditCode, json(b)];
const assessmentApplicationRow = (a: AssessmentApplication) => [a.id, a.enterpriseId, a.bodyId, a.status, json(a.regions), a.createdAt, json(a)];
const certificateRow = (c: Certificate) => [c.id, certificateNumberKey(c.number), creditCodeKey(c.creditCode), c.enterpriseName, c.createdAt, json(c)];
const supportRequestRow = (r: SupportRequest) => [r.id, r.kind, r.status ?? 'open', r.region ?? null, r.createdAt, json(r)];
const auditRow = (e: AuditEntry) => [e.at, e.actor ?? null, e.action, e.target ?? null, e.region ?? null, json(e)];

/** `LIKE` matches the text as given: its wildcards are escaped. */
const likeEscaped = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** A WHERE clause from conditions, each with its parameters numbered from `params.length + 1`. */
function where(conditions: [string, ...unknown[]][], params: unknown[]): string {
  const parts = conditions.map(([sql, ...values]) => {
    let text = sql;
    for (const v of values) {
      params.push(v);
      text = text.replace('?', `$${params.length}`);
    }
    return `(${text})`;
  });
  return parts.length ? `WHERE ${parts.join(' AND ')}` : '';
}

/** Each kind's table: how its rows are written in batches and read back as dump records. */
const TABLES: Record<Kind, { table: string; columns: string[]; types: string[]; row: (r: never) => unknown[]; select: string; record: (row: never) => DumpRecord; batch?: number }> = {
  user: {
    table: 'users',
    columns: ['id', 'username_key', 'role', 'enterprise_id', 'region', 'record'],
    types: ['text', 'text', 'text', 'text', 'text', 'json'],
    row: (r: Extract<DumpRecord, { kind: 'user' }>) => userRow(r.user),
    select: 'record',
    record: (row: { record: User }) => ({ kind: 'user', user: row.record }),
  },
  enterprise: {
    table: 'enterprises',
    columns: ['id', 'credit_code', 'region_path', 'groups', 'record'],
    // Arrays of arrays can't go through unnest: paths are passed as JSON and turned back into text[].
    types: ['text', 'text', 'json', 'json', 'json'],
    row: (r: Extract<DumpRecord, { kind: 'enterprise' }>) => [r.enterprise.id, r.enterprise.creditCode, json(r.enterprise.regionPath), json(r.enterprise.groups ?? []), json(r.enterprise)],
    select: 'record',
    record: (row: { record: Enterprise }) => ({ kind: 'enterprise', enterprise: row.record }),
  },
  session: {
    table: 'sessions',
    columns: ['id', 'user_id', 'expires_at', 'last_seen_at', 'record'],
    types: ['text', 'text', 'text', 'text', 'json'],
    row: (r: Extract<DumpRecord, { kind: 'session' }>) => [r.session.id, r.session.userId, r.session.expiresAt, r.session.lastSeenAt ?? r.session.createdAt, json(r.session)],
    select: 'record',
    record: (row: { record: Session }) => ({ kind: 'session', session: row.record }),
  },
  resetCode: {
    table: 'reset_codes',
    columns: ['user_id', 'expires_at', 'record'],
    types: ['text', 'text', 'json'],
    row: (r: Extract<DumpRecord, { kind: 'resetCode' }>) => [r.resetCode.userId, r.resetCode.expiresAt, json(r.resetCode)],
    select: 'record',
    record: (row: { record: ResetCode }) => ({ kind: 'resetCode', resetCode: row.record }),
  },
  supportRequest: {
    table: 'support_requests',
    columns: ['id', 'kind', 'status', 'region', 'created_at', 'record'],
    types: ['text', 'text', 'text', 'text', 'text', 'json'],
    row: (r: Extract<DumpRecord, { kind: 'supportRequest' }>) => supportRequestRow(r.request),
    select: 'record',
    record: (row: { record: SupportRequest }) => ({ kind: 'supportRequest', request: row.record }),
  },
  ruleset: {
    table: 'rulesets',
    columns: ['id', 'version', 'status', 'meta', 'document'],
    types: ['text', 'text', 'text', 'json', 'json'],
    row: (r: Extract<DumpRecord, { kind: 'ruleset' }>) => {
      const { document, ...meta } = r.ruleset;
      return [meta.id, meta.version, meta.status, json(meta), json(document)];
    },
    select: 'meta, document',
    record: (row: { meta: Omit<RulesetRecord, 'document'>; document: RulesetRecord['document'] }) => ({ kind: 'ruleset', ruleset: { ...row.meta, document: row.document } }),
  },
  diagnosis: {
    table: 'diagnoses',
    columns: ['id', 'enterprise_id', 'revision', 'summary', 'record', 'profile'],
    types: ['text', 'text', 'integer', 'json', 'json', 'json'],
    row: (r: Extract<DumpRecord, { kind: 'diagnosis' }>) => diagnosisRow(r.diagnosis, r.profile),
    select: 'record, profile',
    record: (row: { record: Diagnosis; profile: DiagnosisProfile | null }) => ({ kind: 'diagnosis', diagnosis: row.record, ...(row.profile ? { profile: row.profile } : {}) }),
  },
  setting: {
    table: 'settings',
    columns: ['key', 'value'],
    types: ['text', 'json'],
    row: (r: Extract<DumpRecord, { kind: 'setting' }>) => [r.key, json(r.value)],
    select: 'key, value',
    record: (row: { key: string; value: unknown }) => ({ kind: 'setting', key: row.key, value: row.value }),
  },
  assessmentBody: {
    table: 'assessment_bodies',
    columns: ['id', 'credit_code', 'record'],
    types: ['text', 'text', 'json'],
    row: (r: Extract<DumpRecord, { kind: 'assessmentBody' }>) => assessmentBodyRow(r.body),
    select: 'record',
    record: (row: { record: AssessmentBody }) => ({ kind: 'assessmentBody', body: row.record }),
  },
  assessmentApplication: {
    table: 'assessment_applications',
    columns: ['id', 'enterprise_id', 'body_id', 'status', 'regions', 'created_at', 'record'],
    // regions travel as JSON like an enterprise's region path (see insertBatch).
    types: ['text', 'text', 'text', 'text', 'json', 'text', 'json'],
    row: (r: Extract<DumpRecord, { kind: 'assessmentApplication' }>) => assessmentApplicationRow(r.application),
    select: 'record',
    record: (row: { record: AssessmentApplication }) => ({ kind: 'assessmentApplication', application: row.record }),
  },
  evidence: {
    table: 'evidence',
    columns: ['id', 'application_id', 'requirement', 'sha256', 'record'],
    types: ['text', 'text', 'text', 'text', 'json'],
    row: (r: Extract<DumpRecord, { kind: 'evidence' }>) => [r.evidence.id, r.evidence.applicationId, r.evidence.requirement, r.evidence.sha256, json(r.evidence)],
    select: 'record, (SELECT content FROM evidence_content c WHERE c.sha256 = evidence.sha256) AS content',
    record: (row: { record: EvidenceFile; content: Buffer }) => ({ kind: 'evidence', evidence: row.record, content: row.content.toString('base64') }),
    // Each row carries a file: a page of them must fit in memory.
    batch: 8,
  },
  certificate: {
    table: 'certificates',
    columns: ['id', 'number_key', 'credit_code_key', 'name', 'created_at', 'record'],
    types: ['text', 'text', 'text', 'text', 'text', 'json'],
    row: (r: Extract<DumpRecord, { kind: 'certificate' }>) => certificateRow(r.certificate),
    select: 'record',
    record: (row: { record: Certificate }) => ({ kind: 'certificate', certificate: row.record }),
  },
  audit: {
    table: 'audit',
    columns: ['at', 'actor', 'action', 'target', 'region', 'entry'],
    types: ['text', 'text', 'text', 'text', 'text', 'json'],
    row: (r: Extract<DumpRecord, { kind: 'audit' }>) => auditRow(r.entry),
    select: 'entry',
    record: (row: { entry: AuditEntry }) => ({ kind: 'audit', entry: row.entry }),
  },
};

/** Many rows in one statement: one array parameter per column, unnested side by side. */
async function insertBatch(db: Queryable, kind: Kind, rows: unknown[][]) {
  if (!rows.length) return;
  const { table, columns, types } = TABLES[kind];
  // JSON travels as text[] (there is no json[] unnest worth having) and is cast back per column.
  const values = types.map((type, i) => `$${i + 1}::${type === 'json' ? 'text' : type}[]`);
  const selected = columns.map((column, i) => {
    if ((kind === 'enterprise' && (column === 'region_path' || column === 'groups')) || (kind === 'assessmentApplication' && column === 'regions')) return `ARRAY(SELECT json_array_elements_text(${column}::json))`;
    return types[i] === 'json' ? `${column}::json` : column;
  });
  await db.query(
    `INSERT INTO ${table} (${columns.join(', ')}) SELECT ${selected.join(', ')} FROM unnest(${values.join(', ')}) WITH ORDINALITY AS t(${columns.join(', ')}, n) ORDER BY n`,
    columns.map((_, i) => rows.map((r) => r[i])),
  );
}

export interface PostgresOptions {
  /** Apply pending migrations on open (the default); otherwise refuse to open with any pending. */
  migrate?: boolean;
  /** Connections per instance. */
  poolSize?: number;
  log?: (line: string) => void;
}

export class PostgresStore implements Store {
  private readonly locks = new KeyedMutex();
  private readonly listeners = new Set<(key: string) => void>();
  private listener?: pg.Client;
  private closed = false;
  /** Published rulesets never change, so every instance may keep them (as many as fit the bound). */
  private readonly published = new SizedCache<RulesetRecord>(rulesetCacheSize());
  private hitsSinceSweep = 0;

  private constructor(
    private readonly pool: pg.Pool,
    private readonly url: string,
    private readonly log: (line: string) => void,
  ) {}

  static async open(url: string, options: PostgresOptions = {}): Promise<PostgresStore> {
    const log = options.log ?? (() => undefined);
    const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 10 });
    // An idle connection the server dropped must not bring the process down; the next query reconnects.
    pool.on('error', (e) => log(`PostgreSQL connection lost: ${e.message}`));
    try {
      const client = await pool.connect();
      try {
        if (options.migrate === false) {
          const pending = await pendingMigrations(client);
          if (pending.length) throw new Error(`数据库结构需要迁移，请运行 npx ladder migrate / the database needs migrations ${pending.join(', ')}: run npx ladder migrate`);
        } else {
          const applied = await migrate(client);
          if (applied.length) log(`PostgreSQL: applied migrations ${applied.join(', ')}`);
        }
      } finally {
        client.release();
      }
      const store = new PostgresStore(pool, url, log);
      await store.listen();
      await store.completeProfiles();
      return store;
    } catch (e) {
      await pool.end();
      throw e;
    }
  }

  /** The connection that hears other instances' setting changes; reconnects when it drops. */
  private async listen() {
    const client = new pg.Client({ connectionString: this.url });
    const retry = () => {
      if (this.closed || this.listener !== client) return;
      this.listener = undefined;
      setTimeout(() => void this.listen().catch((e: Error) => this.log(`PostgreSQL: listening for changes failed: ${e.message}`)), 1000).unref();
    };
    client.on('error', (e) => {
      this.log(`PostgreSQL: the change listener's connection failed: ${e.message}`);
      retry();
    });
    client.on('end', retry);
    client.on('notification', (n) => {
      if (n.channel !== SETTINGS_CHANNEL || n.payload === undefined) return;
      for (const listener of this.listeners) listener(n.payload);
    });
    await client.connect();
    await client.query(`LISTEN ${SETTINGS_CHANNEL}`);
    this.listener = client;
    // Changes made while the listener was away are unknown: tell everyone to reread what they keep.
    if (this.reconnected) for (const listener of this.listeners) listener('*');
    this.reconnected = true;
  }

  private reconnected = false;

  async ping(): Promise<StorePing> {
    if (this.closed) throw new Error('the store is closed');
    const client = await this.pool.connect();
    try {
      return { pendingMigrations: await pendingMigrations(client) };
    } finally {
      client.release();
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const listener = this.listener;
    this.listener = undefined;
    await listener?.end().catch(() => undefined);
    await this.pool.end();
  }

  private async tx<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (e) {
      await client.query('ROLLBACK').catch((rollback: Error) => (broken = rollback));
      throw conflictOf(e);
    } finally {
      client.release(broken);
    }
  }

  private async one<T>(sql: string, params: unknown[]): Promise<T | undefined> {
    return (await this.pool.query(sql, params)).rows[0] as T | undefined;
  }

  private async records<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    return (await this.pool.query<{ record: T }>(sql, params)).rows.map((r) => r.record);
  }

  private async lockKey(client: pg.PoolClient, key: string) {
    await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [key]);
  }

  // ---- accounts

  async createAccount(user: User, enterprise?: Enterprise): Promise<void> {
    await this.tx(async (c) => {
      await insertBatch(c, 'user', [userRow(user)]);
      if (enterprise) await insertBatch(c, 'enterprise', [TABLES.enterprise.row({ kind: 'enterprise', enterprise } as never)]);
    });
  }

  async getUser(id: string) {
    return (await this.one<{ record: User }>('SELECT record FROM users WHERE id = $1', [id]))?.record;
  }

  async findUserByUsername(username: string) {
    return (await this.one<{ record: User }>('SELECT record FROM users WHERE username_key = $1', [usernameKey(username)]))?.record;
  }

  async updateUser(id: string, patch: Partial<Pick<User, 'passwordHash' | 'mobile' | 'email' | 'disabledAt'>>) {
    await this.tx(async (c) => {
      const row = (await c.query<{ record: User }>('SELECT record FROM users WHERE id = $1 FOR UPDATE', [id])).rows[0];
      if (!row) throw new NotFoundError(id);
      await c.query('UPDATE users SET record = $2::json WHERE id = $1', [id, json({ ...row.record, ...patch })]);
    });
  }

  async countUsers(role?: Role) {
    return (await this.one<{ n: number }>('SELECT count(*)::int AS n FROM users WHERE $1::text IS NULL OR role = $1', [role ?? null]))!.n;
  }

  async listUsers(filter: UserFilter) {
    const where = `($1::text IS NULL OR u.role = $1)
      AND ($2::boolean IS NULL OR (u.record->>'disabledAt' IS NOT NULL) = $2)
      AND ($3::text IS NULL OR strpos(u.username_key, $3) > 0 OR strpos(coalesce(u.record->>'mobile', ''), $3) > 0)
      AND (($4::text[] IS NULL AND $5::text[] IS NULL) OR u.region = ANY($4) OR e.region_path && $4 OR e.groups && $5)`;
    const scoped = filter.regions || filter.groups;
    const params = [filter.role ?? null, filter.disabled ?? null, filter.q?.toLowerCase() || null, scoped ? (filter.regions ?? []) : null, scoped ? (filter.groups ?? []) : null];
    const from = 'FROM users u LEFT JOIN enterprises e ON e.id = u.enterprise_id';
    const total = (await this.one<{ n: number }>(`SELECT count(*)::int AS n ${from} WHERE ${where}`, params))!.n;
    const items = await this.records<User>(`SELECT u.record ${from} WHERE ${where} ORDER BY u.seq DESC LIMIT $6 OFFSET $7`, [...params, filter.limit, filter.offset]);
    return { total, items };
  }

  async getEnterprise(id: string) {
    return (await this.one<{ record: Enterprise }>('SELECT record FROM enterprises WHERE id = $1', [id]))?.record;
  }

  async findEnterpriseByCreditCode(creditCode: string) {
    return (await this.one<{ record: Enterprise }>('SELECT record FROM enterprises WHERE credit_code = $1', [creditCode]))?.record;
  }

  async findUsersOfEnterprise(enterpriseId: string) {
    return this.records<User>('SELECT record FROM users WHERE enterprise_id = $1 ORDER BY seq', [enterpriseId]);
  }

  async listEnterprises(filter?: { regionPrefix?: string[] }) {
    const within = filter?.regionPrefix;
    if (!within) return this.records<Enterprise>('SELECT record FROM enterprises ORDER BY seq');
    return this.records<Enterprise>('SELECT record FROM enterprises WHERE region_path && $1::text[] OR groups && $1::text[] ORDER BY seq', [within]);
  }

  async updateEnterprise(id: string, patch: EnterprisePatch) {
    await this.tx(async (c) => {
      const row = (await c.query<{ record: Enterprise }>('SELECT record FROM enterprises WHERE id = $1 FOR UPDATE', [id])).rows[0];
      if (!row) throw new NotFoundError(id);
      const next: Enterprise = JSON.parse(json({ ...row.record, ...patch }));
      await c.query('UPDATE enterprises SET record = $2::json, groups = $3::text[], region_path = $4::text[] WHERE id = $1', [id, json(next), next.groups ?? [], next.regionPath]);
    });
  }

  async findRegionAdministrators(region: string) {
    return this.records<User>("SELECT record FROM users WHERE role = 'regionAdmin' AND region = $1 ORDER BY seq", [region]);
  }

  // ---- sessions, reset codes, support requests

  async createSession(session: Session, keep?: number) {
    await this.tx(async (c) => {
      await c.query('DELETE FROM sessions WHERE expires_at <= $1', [session.createdAt]);
      await insertBatch(c, 'session', [TABLES.session.row({ kind: 'session', session } as never)]);
      // The user's sessions beyond the newest `keep` end with this login (by creation order).
      if (keep !== undefined)
        await c.query('DELETE FROM sessions WHERE user_id = $1 AND id NOT IN (SELECT id FROM sessions WHERE user_id = $1 ORDER BY seq DESC LIMIT $2)', [session.userId, keep]);
    });
  }

  async getSession(id: string, now: string, idleSince = '') {
    return (await this.one<{ record: Session }>('SELECT record FROM sessions WHERE id = $1 AND expires_at > $2 AND last_seen_at > $3', [id, now, idleSince]))?.record;
  }

  async sessionUser(id: string, now: string, idleSince = '') {
    const row = await this.one<{ session: Session; user: User }>(
      // A disabled account, or one of a disabled enterprise, has no session.
      `SELECT s.record AS session, u.record AS user FROM sessions s JOIN users u ON u.id = s.user_id LEFT JOIN enterprises e ON e.id = u.enterprise_id
       WHERE s.id = $1 AND s.expires_at > $2 AND s.last_seen_at > $3 AND u.record->>'disabledAt' IS NULL AND (e.record IS NULL OR e.record->>'disabledAt' IS NULL)`,
      [id, now, idleSince],
    );
    return row && { session: row.session, user: row.user };
  }

  async touchSession(id: string, at: string) {
    await this.pool.query("UPDATE sessions SET last_seen_at = $2, record = (record::jsonb || jsonb_build_object('lastSeenAt', $2::text))::json WHERE id = $1 AND last_seen_at < $2", [id, at]);
  }

  async deleteSession(id: string) {
    await this.pool.query('DELETE FROM sessions WHERE id = $1', [id]);
  }

  async deleteUserSessions(userId: string, except?: string) {
    return (await this.pool.query('DELETE FROM sessions WHERE user_id = $1 AND id <> $2', [userId, except ?? ''])).rowCount ?? 0;
  }

  async putResetCode(code: ResetCode) {
    // A replaced code goes to the end, as a new one would.
    await this.pool.query(
      'INSERT INTO reset_codes (user_id, expires_at, record) VALUES ($1, $2, $3::json) ON CONFLICT (user_id) DO UPDATE SET expires_at = EXCLUDED.expires_at, record = EXCLUDED.record, seq = DEFAULT',
      [code.userId, code.expiresAt, json(code)],
    );
  }

  async consumeResetCode(userId: string, check: (code: ResetCode) => boolean, maxAttempts: number, now: string) {
    return this.tx(async (c) => {
      await c.query('DELETE FROM reset_codes WHERE expires_at <= $1', [now]);
      const code = (await c.query<{ record: ResetCode }>('SELECT record FROM reset_codes WHERE user_id = $1 FOR UPDATE', [userId])).rows[0]?.record;
      if (!code || code.attempts >= maxAttempts) return false;
      code.attempts += 1;
      const ok = check(code);
      if (ok) await c.query('DELETE FROM reset_codes WHERE user_id = $1', [userId]);
      else await c.query('UPDATE reset_codes SET record = $2::json WHERE user_id = $1', [userId, json(code)]);
      return ok;
    });
  }

  async addSupportRequest(request: SupportRequest) {
    await insertBatch(this.pool, 'supportRequest', [supportRequestRow(request)]);
  }

  async listSupportRequests(filter: SupportRequestFilter, page: { offset: number; limit: number }) {
    const { offset, limit } = pageBounds(page);
    const conditions: [string, ...unknown[]][] = [];
    if (filter.status) conditions.push(['status = ?', filter.status]);
    if (filter.kind) conditions.push(['kind = ?', filter.kind]);
    if (filter.regions || filter.withoutRegion) conditions.push(['region = ANY(?::text[])' + (filter.withoutRegion ? ' OR region IS NULL' : ''), filter.regions ?? []]);
    if (filter.text)
      conditions.push([
        "strpos(lower(record->>'enterpriseName'), ?) > 0 OR strpos(lower(record->>'creditCode'), ?) > 0 OR strpos(lower(record->>'mobile'), ?) > 0",
        ...Array(3).fill(filter.text.toLowerCase()),
      ]);
    const params: unknown[] = [];
    const clause = where(conditions, params);
    const total = (await this.one<{ n: number }>(`SELECT count(*)::int AS n FROM support_requests ${clause}`, params))!.n;
    const rows = await this.records<SupportRequest>(`SELECT record FROM support_requests ${clause} ORDER BY created_at DESC, seq DESC LIMIT ${limit} OFFSET ${offset}`, params);
    return { total, items: rows.map(readSupportRequest) };
  }

  async getSupportRequest(id: string) {
    const found = (await this.one<{ record: SupportRequest }>('SELECT record FROM support_requests WHERE id = $1', [id]))?.record;
    return found && readSupportRequest(found);
  }

  async updateSupportRequest(id: string, change: SupportRequestChange) {
    return this.tx(async (c) => {
      const row = (await c.query<{ record: SupportRequest }>('SELECT record FROM support_requests WHERE id = $1 FOR UPDATE', [id])).rows[0];
      if (!row) throw new NotFoundError(id);
      const next = changedSupportRequest(row.record, change);
      await c.query('UPDATE support_requests SET status = $2, record = $3::json WHERE id = $1', [id, next.status, json(next)]);
      return readSupportRequest(next);
    });
  }

  // ---- formal assessment: bodies, assessors, applications

  async createAssessmentBody(body: AssessmentBody) {
    try {
      await insertBatch(this.pool, 'assessmentBody', [assessmentBodyRow(body)]);
    } catch (e) {
      throw conflictOf(e);
    }
  }

  async getAssessmentBody(id: string) {
    return (await this.one<{ record: AssessmentBody }>('SELECT record FROM assessment_bodies WHERE id = $1', [id]))?.record;
  }

  async listAssessmentBodies() {
    return this.records<AssessmentBody>('SELECT record FROM assessment_bodies ORDER BY seq');
  }

  async updateAssessmentBody(id: string, patch: AssessmentBodyPatch) {
    return this.tx(async (c) => {
      const row = (await c.query<{ record: AssessmentBody }>('SELECT record FROM assessment_bodies WHERE id = $1 FOR UPDATE', [id])).rows[0];
      if (!row) throw new NotFoundError(id);
      const next: AssessmentBody = { ...row.record, ...patch, id, creditCode: row.record.creditCode };
      await c.query('UPDATE assessment_bodies SET record = $2::json WHERE id = $1', [id, json(next)]);
      return next;
    });
  }

  async findAssessors(bodyId: string) {
    return this.records<User>("SELECT record FROM users WHERE role = 'assessor' AND record->>'bodyId' = $1 ORDER BY seq", [bodyId]);
  }

  async createAssessmentApplication(application: AssessmentApplication) {
    try {
      await insertBatch(this.pool, 'assessmentApplication', [assessmentApplicationRow(application)]);
    } catch (e) {
      throw conflictOf(e);
    }
  }

  async getAssessmentApplication(id: string) {
    return (await this.one<{ record: AssessmentApplication }>('SELECT record FROM assessment_applications WHERE id = $1', [id]))?.record;
  }

  async listAssessmentApplications(filter: AssessmentApplicationFilter, page: { offset: number; limit: number }) {
    const { offset, limit } = pageBounds(page);
    const conditions: [string, ...unknown[]][] = [];
    if (filter.enterpriseId !== undefined) conditions.push(['enterprise_id = ?', filter.enterpriseId]);
    if (filter.bodyId !== undefined) conditions.push(['body_id = ?', filter.bodyId]);
    if (filter.status !== undefined) conditions.push(['status = ?', filter.status]);
    if (filter.regions) conditions.push(['regions && ?::text[]', filter.regions]);
    const params: unknown[] = [];
    const clause = where(conditions, params);
    const total = (await this.one<{ n: number }>(`SELECT count(*)::int AS n FROM assessment_applications ${clause}`, params))!.n;
    const items = await this.records<AssessmentApplication>(`SELECT record FROM assessment_applications ${clause} ORDER BY created_at DESC, seq DESC LIMIT ${limit} OFFSET ${offset}`, params);
    return { total, items };
  }

  async updateAssessmentApplication(id: string, change: (current: AssessmentApplication) => AssessmentApplication) {
    return this.tx(async (c) => {
      const row = (await c.query<{ record: AssessmentApplication }>('SELECT record FROM assessment_applications WHERE id = $1 FOR UPDATE', [id])).rows[0];
      if (!row) throw new NotFoundError(id);
      const next: AssessmentApplication = { ...change(row.record), id, enterpriseId: row.record.enterpriseId };
      // Reopening would break "one open application per enterprise".
      if (isOpenApplication(next) && CLOSED_APPLICATION_STATUSES.includes(row.record.status)) throw new ConflictError('application_closed');
      await c.query('UPDATE assessment_applications SET status = $2, body_id = $3, record = $4::json WHERE id = $1', [id, next.status, next.bodyId, json(next)]);
      return next;
    });
  }

  // ---- certificates

  async addCertificate(certificate: Certificate) {
    const result = await this.pool.query(
      'INSERT INTO certificates (id, number_key, credit_code_key, name, created_at, record) VALUES ($1, $2, $3, $4, $5, $6::json) ON CONFLICT (number_key) DO NOTHING RETURNING id',
      certificateRow(certificate),
    );
    if (!result.rowCount) throw new ConflictError('certificate_number_taken', 'number');
  }

  async getCertificate(id: string) {
    return (await this.one<{ record: Certificate }>('SELECT record FROM certificates WHERE id = $1', [id]))?.record;
  }

  async findCertificates(query: CertificateQuery) {
    const where: string[] = [];
    const params: unknown[] = [];
    if (query.number !== undefined) where.push(`number_key = $${params.push(certificateNumberKey(query.number))}`);
    if (query.text !== undefined) {
      const text = query.text.normalize('NFKC').trim();
      if (!text) return [];
      where.push(`(credit_code_key = $${params.push(creditCodeKey(text))} OR strpos(name, $${params.push(text)}) > 0)`);
    }
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    return this.records<Certificate>(`SELECT record FROM certificates ${clause} ORDER BY created_at DESC, seq DESC LIMIT $${params.push(Math.max(0, Math.floor(query.limit)))}`, params);
  }

  async updateCertificate(id: string, change: (current: Certificate) => Certificate) {
    return this.tx(async (c) => {
      const row = (await c.query<{ record: Certificate }>('SELECT record FROM certificates WHERE id = $1 FOR UPDATE', [id])).rows[0];
      if (!row) throw new NotFoundError(id);
      const next = { ...change(row.record), id, number: row.record.number };
      await c.query('UPDATE certificates SET record = $2::json, name = $3, credit_code_key = $4 WHERE id = $1', [id, json(next), next.enterpriseName, creditCodeKey(next.creditCode)]);
      return next;
    });
  }

  // ---- rulesets

  async putRuleset(record: RulesetRecord, expect?: { revision: number }) {
    const [id, version, status, meta, document] = TABLES.ruleset.row({ kind: 'ruleset', ruleset: record } as never);
    if (expect) return this.putRulesetAt(record, [id, version, status, meta, document], expect.revision);
    // Only a draft is replaced; a published version stays as it is (no row comes back).
    const result = await this.pool.query(
      `INSERT INTO rulesets (id, version, status, meta, document) VALUES ($1, $2, $3, $4::json, $5::json)
       ON CONFLICT (id, version) DO UPDATE SET status = EXCLUDED.status, meta = EXCLUDED.meta, document = EXCLUDED.document, seq = DEFAULT
       WHERE rulesets.status <> 'published' RETURNING id`,
      [id, version, status, meta, document],
    );
    if (!result.rowCount) throw new ConflictError('ruleset_published');
    if (record.status === 'published') this.published.set(`${record.id}@${record.version}`, JSON.parse(json(record)), (document as string).length);
  }

  /** Compare-and-set on the stored revision: the row is locked while it is read and replaced. */
  private async putRulesetAt(record: RulesetRecord, row: unknown[], revision: number) {
    await this.tx(async (c) => {
      if (revision === 0) {
        // Nothing to lock when nothing is there: the insert itself decides between racing creators.
        const created = await c.query('INSERT INTO rulesets (id, version, status, meta, document) VALUES ($1, $2, $3, $4::json, $5::json) ON CONFLICT (id, version) DO NOTHING RETURNING id', row);
        if (created.rowCount) return;
      }
      const stored = (await c.query<{ status: string; meta: Pick<RulesetRecord, 'revision'> }>('SELECT status, meta FROM rulesets WHERE id = $1 AND version = $2 FOR UPDATE', [record.id, record.version])).rows[0];
      if (stored?.status === 'published') throw new ConflictError('ruleset_published');
      if (rulesetRevision(stored?.meta) !== revision || !stored) throw new ConflictError('stale');
      await c.query('UPDATE rulesets SET status = $3, meta = $4::json, document = $5::json, seq = DEFAULT WHERE id = $1 AND version = $2', row);
    });
    if (record.status === 'published') this.published.set(`${record.id}@${record.version}`, JSON.parse(json(record)), (row[4] as string).length);
  }

  async getRuleset(id: string, version: string) {
    const hit = this.published.get(`${id}@${version}`);
    if (hit) return hit;
    const row = await this.one<{ meta: Omit<RulesetRecord, 'document'>; document: string }>('SELECT meta, document::text AS document FROM rulesets WHERE id = $1 AND version = $2', [id, version]);
    if (!row) return undefined;
    const record: RulesetRecord = { ...row.meta, document: JSON.parse(row.document) };
    if (record.status === 'published') this.published.set(`${id}@${version}`, record, row.document.length);
    return record;
  }

  async listRulesets() {
    return (await this.pool.query<{ meta: Omit<RulesetRecord, 'document'> }>('SELECT meta FROM rulesets ORDER BY seq')).rows.map((r) => r.meta);
  }

  async deleteRuleset(id: string, version: string) {
    await this.tx(async (c) => {
      const row = (await c.query<{ status: string }>('SELECT status FROM rulesets WHERE id = $1 AND version = $2 FOR UPDATE', [id, version])).rows[0];
      if (!row) throw new NotFoundError(`${id}@${version}`);
      if (row.status === 'published') throw new ConflictError('ruleset_published');
      await c.query('DELETE FROM rulesets WHERE id = $1 AND version = $2', [id, version]);
    });
  }

  // ---- diagnoses

  /** The profile to keep for a diagnosis written finished, under its pinned ruleset. */
  private async profileFor(d: Diagnosis) {
    return d.status === 'finished' ? finishedProfile(d, (await this.getRuleset(d.rulesetId, d.rulesetVersion))?.document) : undefined;
  }

  /**
   * Finished diagnoses without a current profile (before profiles had versions, or made by an
   * older rule) get one, page by page; every instance may run this, with the same outcome.
   */
  private async completeProfiles() {
    let announced = false;
    for (let after = 0; ; ) {
      const rows = (
        await this.pool.query<{ seq: string; id: string; record: Diagnosis }>(
          "SELECT seq, id, record FROM diagnoses WHERE seq > $1 AND summary->>'status' = 'finished' AND (profile IS NULL OR (profile->>'v') IS DISTINCT FROM $2) ORDER BY seq LIMIT 500",
          [after, String(PROFILE_VERSION)],
        )
      ).rows;
      if (!rows.length) return;
      if (!announced) this.log('PostgreSQL: making the dashboard profiles of finished diagnoses made by an older rule…');
      announced = true;
      for (const row of rows) {
        const profile = await this.profileFor(row.record);
        if (profile) await this.pool.query('UPDATE diagnoses SET profile = $2::json WHERE id = $1', [row.id, json(profile)]);
      }
      after = Number(rows[rows.length - 1].seq);
    }
  }

  async createDiagnosis(diagnosis: Diagnosis, admit: AdmitDiagnosis) {
    const profile = await this.profileFor(diagnosis);
    return this.tx(async (c) => {
      // Every instance creating a diagnosis for this enterprise waits here: the limit sees them all.
      await this.lockKey(c, `diagnoses:${diagnosis.enterpriseId}`);
      const history = (await c.query<{ summary: DiagnosisSummary }>('SELECT summary FROM diagnoses WHERE enterprise_id = $1 ORDER BY seq', [diagnosis.enterpriseId])).rows.map((r) => r.summary);
      const decision = await admit(history);
      if (!decision.ok) return decision;
      await insertBatch(c, 'diagnosis', [diagnosisRow(diagnosis, profile)]);
      return { ok: true as const };
    });
  }

  async getDiagnosis(id: string) {
    return (await this.one<{ record: Diagnosis }>('SELECT record FROM diagnoses WHERE id = $1', [id]))?.record;
  }

  async listDiagnoses(enterpriseId: string) {
    return (await this.pool.query<{ summary: DiagnosisSummary }>('SELECT summary FROM diagnoses WHERE enterprise_id = $1 ORDER BY seq', [enterpriseId])).rows.map((r) => r.summary);
  }

  async diagnosisSummaries(enterpriseIds: string[]) {
    const found = new Map<string, DiagnosisSummary[]>();
    const rows = (await this.pool.query<{ enterprise_id: string; summary: DiagnosisSummary }>('SELECT enterprise_id, summary FROM diagnoses WHERE enterprise_id = ANY($1::text[]) ORDER BY seq', [enterpriseIds])).rows;
    for (const r of rows) {
      const list = found.get(r.enterprise_id);
      if (list) list.push(r.summary);
      else found.set(r.enterprise_id, [r.summary]);
    }
    return found;
  }

  async diagnosisProfiles(ids: string[]) {
    const rows = (await this.pool.query<{ id: string; profile: DiagnosisProfile }>('SELECT id, profile FROM diagnoses WHERE id = ANY($1::text[]) AND profile IS NOT NULL', [ids])).rows;
    return new Map(rows.map((r) => [r.id, r.profile]));
  }

  async updateDiagnosis(id: string, change: (current: Diagnosis) => Diagnosis | Promise<Diagnosis>, seen?: Diagnosis) {
    // Compare-and-set on the revision: one statement (two without `seen`), no transaction or lock
    // held while `change` runs. A writer that lost the race (another tab, another instance) reads
    // again and re-applies its change to what won, so nothing is lost; each round one writer wins.
    for (let first = seen?.id === id ? seen : undefined; ; first = undefined) {
      const current = first ?? (await this.pool.query<{ record: Diagnosis }>('SELECT record FROM diagnoses WHERE id = $1', [id])).rows[0]?.record;
      if (!current) throw new NotFoundError(id);
      const next: Diagnosis = { ...(await change(structuredClone(current))), revision: current.revision + 1, updatedAt: new Date().toISOString() };
      // The profile is kept when the diagnosis finishes, like the embedded store's profile log.
      const profile = current.status !== 'finished' ? await this.profileFor(next) : undefined;
      const written = await this.pool.query('UPDATE diagnoses SET revision = $2, summary = $3::json, record = $4::json, profile = COALESCE($5::json, profile) WHERE id = $1 AND revision = $6', [
        id,
        next.revision,
        json(summaryOf(next)),
        json(next),
        profile ? json(profile) : null,
        current.revision,
      ]);
      if (written.rowCount) return next;
    }
  }

  async audit(entry: AuditEntry) {
    await insertBatch(this.pool, 'audit', [auditRow(entry)]);
  }

  async queryAudit(filter: AuditFilter, page: { offset: number; limit: number }) {
    const { offset, limit } = pageBounds(page);
    const conditions: [string, ...unknown[]][] = [];
    if (filter.actor !== undefined) conditions.push(['actor = ?', filter.actor]);
    if (filter.actionPrefix !== undefined) conditions.push(["action LIKE ? || '%'", likeEscaped(filter.actionPrefix)]);
    if (filter.target !== undefined) conditions.push(['target = ?', filter.target]);
    if (filter.from !== undefined) conditions.push(['at >= ?', filter.from]);
    if (filter.to !== undefined) conditions.push(['at < ?', filter.to]);
    if (filter.regions) conditions.push(['region = ANY(?::text[])', filter.regions]);
    const params: unknown[] = [];
    const clause = where(conditions, params);
    const total = (await this.one<{ n: number }>(`SELECT count(*)::int AS n FROM audit ${clause}`, params))!.n;
    const rows = (await this.pool.query<{ entry: AuditEntry }>(`SELECT entry FROM audit ${clause} ORDER BY at DESC, seq DESC LIMIT ${limit} OFFSET ${offset}`, params)).rows;
    return { total, items: rows.map((r) => r.entry) };
  }

  async importRecords(records: { users: User[]; enterprises: Enterprise[]; diagnoses: Diagnosis[] }) {
    const profiles = new Map<string, DiagnosisProfile | undefined>();
    for (const d of records.diagnoses) profiles.set(d.id, await this.profileFor(d));
    await this.tx(async (c) => {
      for (let i = 0; i < records.users.length; i += BATCH) await insertBatch(c, 'user', records.users.slice(i, i + BATCH).map(userRow));
      for (let i = 0; i < records.enterprises.length; i += BATCH)
        await insertBatch(c, 'enterprise', records.enterprises.slice(i, i + BATCH).map((enterprise) => TABLES.enterprise.row({ kind: 'enterprise', enterprise } as never)));
      for (let i = 0; i < records.diagnoses.length; i += BATCH)
        await insertBatch(c, 'diagnosis', records.diagnoses.slice(i, i + BATCH).map((d) => diagnosisRow(d, profiles.get(d.id))));
    });
  }

  async claimFirstAdministrator(admin: User, key: string, claim: (stored: unknown) => boolean) {
    return this.tx(async (c) => {
      await this.lockKey(c, 'first-administrator');
      const admins = (await c.query<{ n: number }>("SELECT count(*)::int AS n FROM users WHERE role = 'platformAdmin'")).rows[0].n;
      const stored = (await c.query<{ value: unknown }>('SELECT value FROM settings WHERE key = $1 FOR UPDATE', [key])).rows[0]?.value;
      if (admins > 0 || !claim(stored)) return false;
      await insertBatch(c, 'user', [userRow(admin)]);
      await this.writeSetting(c, key, undefined);
      return true;
    });
  }

  // ---- settings

  private async writeSetting(c: pg.PoolClient, key: string, value: unknown) {
    if (value === undefined) await c.query('DELETE FROM settings WHERE key = $1', [key]);
    else await c.query('INSERT INTO settings (key, value) VALUES ($1, $2::json) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value', [key, json(value)]);
    // Delivered when the transaction commits, to every instance (this one included).
    await c.query('SELECT pg_notify($1, $2)', [SETTINGS_CHANNEL, key]);
  }

  async getSetting<T>(key: string) {
    return (await this.one<{ value: T }>('SELECT value FROM settings WHERE key = $1', [key]))?.value;
  }

  async putSetting<T>(key: string, value: T | undefined) {
    await this.tx((c) => this.writeSetting(c, key, value));
  }

  async updateSetting<T>(key: string, change: (current: T | undefined) => T | undefined) {
    return this.tx(async (c) => {
      // An advisory lock rather than FOR UPDATE: the row may not exist yet.
      await this.lockKey(c, `setting:${key}`);
      const current = (await c.query<{ value: T }>('SELECT value FROM settings WHERE key = $1', [key])).rows[0]?.value;
      const next = change(current);
      await this.writeSetting(c, key, next);
      return next;
    });
  }

  onSettingChanged(listener: (key: string) => void) {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  // ---- coordination between instances

  exclusive<T>(name: string, work: () => Promise<T>): Promise<T> {
    // Waiters of this instance queue here, so each name holds at most one connection per instance.
    return this.locks.run(name, async () => {
      const client = await this.pool.connect();
      const key = `exclusive:${name}`;
      let broken: Error | undefined;
      try {
        await client.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [key]);
        try {
          return await work();
        } finally {
          await client.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [key]).catch((e: Error) => (broken = e));
        }
      } finally {
        // A connection whose unlock failed is closed, which releases its lock.
        client.release(broken);
      }
    });
  }

  async hitRateLimit(key: string, windowMs: number, now: string): Promise<RateLimitHit> {
    const row = (
      await this.pool.query<{ hits: number; reset_at: Date }>(
        `INSERT INTO rate_limits AS r (key, hits, reset_at) VALUES ($1, 1, $2::timestamptz + make_interval(secs => $3::double precision / 1000))
         ON CONFLICT (key) DO UPDATE SET
           hits = CASE WHEN r.reset_at <= $2::timestamptz THEN 1 ELSE r.hits + 1 END,
           reset_at = CASE WHEN r.reset_at <= $2::timestamptz THEN EXCLUDED.reset_at ELSE r.reset_at END
         RETURNING hits, reset_at`,
        [key, now, windowMs],
      )
    ).rows[0];
    // Windows that ended are swept now and then, not on every attempt.
    if ((this.hitsSinceSweep += 1) >= 100) {
      this.hitsSinceSweep = 0;
      await this.pool.query('DELETE FROM rate_limits WHERE reset_at <= $1::timestamptz', [now]);
    }
    return { hits: row.hits, resetAt: row.reset_at.toISOString() };
  }

  async unhitRateLimit(key: string) {
    await this.pool.query('UPDATE rate_limits SET hits = greatest(hits - 1, 0) WHERE key = $1', [key]);
  }

  async resetRateLimit(key: string) {
    await this.pool.query('DELETE FROM rate_limits WHERE key = $1', [key]);
  }

  // ---- evidence files

  async addEvidence(record: EvidenceFile, content: Buffer, limits: EvidenceLimits) {
    if (createHash('sha256').update(content).digest('hex') !== record.sha256) throw new ConflictError('content_mismatch', 'sha256');
    await this.tx(async (c) => {
      // The application's row lock serialises its uploads, so the count below holds at every instance.
      const application = (await c.query('SELECT id FROM assessment_applications WHERE id = $1 FOR UPDATE', [record.applicationId])).rows[0];
      if (!application) throw new NotFoundError(record.applicationId);
      const held = (await c.query<{ n: number }>('SELECT count(*)::int AS n FROM evidence WHERE application_id = $1 AND requirement = $2', [record.applicationId, record.requirement])).rows[0].n;
      if (held >= limits.maxFiles) throw new ConflictError('too_many_files', 'requirement');
      // The upsert locks the content row, so a deletion of the last file naming it waits for this record.
      await c.query('INSERT INTO evidence_content (sha256, content) VALUES ($1, $2) ON CONFLICT (sha256) DO UPDATE SET sha256 = EXCLUDED.sha256', [record.sha256, content]);
      await insertBatch(c, 'evidence', [TABLES.evidence.row({ kind: 'evidence', evidence: record, content: '' } as never)]);
    });
  }

  async listEvidence(applicationId: string, requirement?: string) {
    const params: unknown[] = [];
    const clause = where([['application_id = ?', applicationId], ...(requirement !== undefined ? [['requirement = ?', requirement] as [string, string]] : [])], params);
    return this.records<EvidenceFile>(`SELECT record FROM evidence ${clause} ORDER BY seq`, params);
  }

  async getEvidence(id: string) {
    return (await this.one<{ record: EvidenceFile }>('SELECT record FROM evidence WHERE id = $1', [id]))?.record;
  }

  async evidenceContent(id: string) {
    return (await this.one<{ content: Buffer }>('SELECT c.content FROM evidence e JOIN evidence_content c ON c.sha256 = e.sha256 WHERE e.id = $1', [id]))?.content;
  }

  async deleteEvidence(id: string) {
    return this.tx(async (c) => {
      const row = (await c.query<{ record: EvidenceFile }>('DELETE FROM evidence WHERE id = $1 RETURNING record', [id])).rows[0];
      if (!row) throw new NotFoundError(id);
      const sha = row.record.sha256;
      // Locked first, so that an upload of the same content either went in before (and keeps it) or waits and writes it again.
      await c.query('SELECT 1 FROM evidence_content WHERE sha256 = $1 FOR UPDATE', [sha]);
      await c.query('DELETE FROM evidence_content WHERE sha256 = $1 AND NOT EXISTS (SELECT 1 FROM evidence WHERE sha256 = $1)', [sha]);
      return row.record;
    });
  }

  // ---- export and import

  async *exportRecords(): AsyncIterable<DumpRecord> {
    // One snapshot for the whole export, so instances may go on serving while it runs.
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      for (const kind of DUMP_KINDS) {
        const { table, select, record } = TABLES[kind];
        const batch = TABLES[kind].batch ?? BATCH;
        // Keyset pages in the store's order, so an export of any size never sits in memory whole.
        let after = 0;
        for (;;) {
          const rows = (await client.query(`SELECT seq, ${select} FROM ${table} WHERE seq > $1 ORDER BY seq LIMIT ${batch}`, [after])).rows as { seq: string }[];
          for (const row of rows) yield record(row as never);
          if (rows.length < batch) break;
          after = Number(rows[rows.length - 1].seq);
        }
      }
    } finally {
      await client.query('ROLLBACK').catch(() => undefined);
      client.release();
    }
  }

  async importDump(records: AsyncIterable<DumpRecord>) {
    const counts = Object.fromEntries(DUMP_KINDS.map((k) => [k, 0])) as Record<Kind, number>;
    await this.tx(async (c) => {
      // Held to the end: no instance writes while the store is being filled.
      await c.query('LOCK TABLE users, enterprises, rulesets, diagnoses IN EXCLUSIVE MODE');
      const held = (await c.query<{ n: number }>('SELECT (SELECT count(*) FROM users) + (SELECT count(*) FROM enterprises) + (SELECT count(*) FROM rulesets) + (SELECT count(*) FROM diagnoses) AS n')).rows[0];
      if (Number(held.n) > 0) throw new ConflictError('store_not_empty');
      const pending = new Map<Kind, unknown[][]>();
      const flush = async (kind: Kind) => {
        const rows = pending.get(kind);
        if (!rows?.length) return;
        pending.set(kind, []);
        // A setting the empty store already has (a setup link's token) gives way to the imported one.
        if (kind === 'setting') await c.query('DELETE FROM settings WHERE key = ANY($1::text[])', [rows.map((r) => r[0])]);
        await insertBatch(c, kind, rows);
      };
      for await (const r of records) {
        if (r.kind === 'evidence') {
          // The content now (it may be large), the record with its batch, after the applications it names.
          await flush('assessmentApplication');
          const content = Buffer.from(r.content, 'base64');
          if (!isSha256(r.evidence.sha256) || createHash('sha256').update(content).digest('hex') !== r.evidence.sha256) throw new ConflictError('content_mismatch', 'sha256');
          await c.query('INSERT INTO evidence_content (sha256, content) VALUES ($1, $2) ON CONFLICT (sha256) DO NOTHING', [r.evidence.sha256, content]);
        }
        const rows = pending.get(r.kind) ?? [];
        rows.push(TABLES[r.kind].row(r as never));
        pending.set(r.kind, rows);
        counts[r.kind] += 1;
        if (rows.length >= BATCH) await flush(r.kind);
      }
      for (const kind of DUMP_KINDS) await flush(kind);
      await c.query('SELECT pg_notify($1, $2)', [SETTINGS_CHANNEL, '*']);
    });
    // An export from before profile versions carries profiles of the old rule.
    await this.completeProfiles();
    return counts;
  }
}
