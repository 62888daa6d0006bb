// The PostgreSQL schema, as numbered migrations applied in order, each in its own transaction.
// They run when a store opens (several instances starting together take turns under an advisory
// lock) or by `npx ladder migrate`. A migration, once released, is never edited: add the next one.
//
// Each table keeps the record exactly as the server wrote it (`json`, which keeps its text, so an
// export returns what was imported), beside the columns that queries and constraints need.
import type pg from 'pg';

export const MIGRATIONS: { version: number; name: string; sql: string }[] = [
  {
    version: 1,
    name: 'initial schema',
    sql: `
      CREATE TABLE users (
        seq bigserial NOT NULL,
        id text PRIMARY KEY,
        username_key text NOT NULL CONSTRAINT users_username_unique UNIQUE,
        role text NOT NULL,
        enterprise_id text,
        region text,
        record json NOT NULL
      );
      CREATE INDEX users_enterprise ON users (enterprise_id);
      CREATE INDEX users_role_region ON users (role, region);

      CREATE TABLE enterprises (
        seq bigserial NOT NULL,
        id text PRIMARY KEY,
        credit_code text NOT NULL CONSTRAINT enterprises_credit_code_unique UNIQUE,
        region_path text[] NOT NULL,
        groups text[] NOT NULL DEFAULT '{}',
        record json NOT NULL
      );
      CREATE INDEX enterprises_seq ON enterprises (seq);
      CREATE INDEX enterprises_region_path ON enterprises USING gin (region_path);
      CREATE INDEX enterprises_groups ON enterprises USING gin (groups);

      -- expires_at is the record's ISO text: compared as text, like the embedded store does.
      CREATE TABLE sessions (
        seq bigserial NOT NULL,
        id text PRIMARY KEY,
        user_id text NOT NULL,
        expires_at text NOT NULL,
        record json NOT NULL
      );
      CREATE INDEX sessions_expires ON sessions (expires_at);

      CREATE TABLE reset_codes (
        seq bigserial NOT NULL,
        user_id text PRIMARY KEY,
        expires_at text NOT NULL,
        record json NOT NULL
      );

      CREATE TABLE support_requests (
        seq bigserial NOT NULL,
        id text PRIMARY KEY,
        record json NOT NULL
      );

      CREATE TABLE rulesets (
        seq bigserial NOT NULL,
        id text NOT NULL,
        version text NOT NULL,
        status text NOT NULL,
        meta json NOT NULL,
        document json NOT NULL,
        PRIMARY KEY (id, version)
      );

      CREATE TABLE diagnoses (
        seq bigserial NOT NULL,
        id text PRIMARY KEY,
        enterprise_id text NOT NULL,
        revision integer NOT NULL,
        summary json NOT NULL,
        record json NOT NULL,
        profile json
      );
      CREATE INDEX diagnoses_enterprise ON diagnoses (enterprise_id, seq);

      CREATE TABLE settings (
        seq bigserial NOT NULL,
        key text PRIMARY KEY,
        value json NOT NULL
      );

      CREATE TABLE audit (
        seq bigserial PRIMARY KEY,
        entry json NOT NULL
      );

      -- Transient: counters of login and reset attempts shared by every instance.
      CREATE TABLE rate_limits (
        key text PRIMARY KEY,
        hits integer NOT NULL,
        reset_at timestamptz NOT NULL
      );
      CREATE INDEX rate_limits_reset ON rate_limits (reset_at);
    `,
  },
  {
    version: 2,
    name: 'session activity: idle timeout, sessions per user',
    sql: `
      -- When the session was last seen (ISO text, like expires_at): idle sessions end.
      ALTER TABLE sessions ADD COLUMN last_seen_at text;
      UPDATE sessions SET last_seen_at = COALESCE(record->>'lastSeenAt', record->>'createdAt');
      ALTER TABLE sessions ALTER COLUMN last_seen_at SET NOT NULL;
      CREATE INDEX sessions_user ON sessions (user_id, seq);
    `,
  },
  {
    version: 3,
    name: 'support requests handled, audit log queried',
    sql: `
      -- What administrators filter support requests by; a request kept before it had a status is open.
      ALTER TABLE support_requests ADD COLUMN kind text, ADD COLUMN status text, ADD COLUMN region text, ADD COLUMN created_at text;
      UPDATE support_requests SET kind = record->>'kind', status = COALESCE(record->>'status', 'open'), region = record->>'region', created_at = record->>'createdAt';
      ALTER TABLE support_requests ALTER COLUMN kind SET NOT NULL, ALTER COLUMN status SET NOT NULL, ALTER COLUMN created_at SET NOT NULL;
      CREATE INDEX support_requests_created ON support_requests (created_at DESC, seq DESC);
      CREATE INDEX support_requests_region ON support_requests (region, created_at DESC);

      -- The audit log's query columns (at: the entry's ISO text, compared as text like sessions' times).
      ALTER TABLE audit ADD COLUMN at text, ADD COLUMN actor text, ADD COLUMN action text, ADD COLUMN target text, ADD COLUMN region text;
      UPDATE audit SET at = entry->>'at', actor = entry->>'actor', action = entry->>'action', target = entry->>'target', region = entry->>'region';
      ALTER TABLE audit ALTER COLUMN at SET NOT NULL, ALTER COLUMN action SET NOT NULL;
      CREATE INDEX audit_at ON audit (at DESC, seq DESC);
      CREATE INDEX audit_actor ON audit (actor, at DESC);
      CREATE INDEX audit_target ON audit (target, at DESC);
      CREATE INDEX audit_region ON audit (region, at DESC);
      CREATE INDEX audit_action ON audit (action text_pattern_ops);
    `,
  },
  {
    version: 4,
    name: 'formal assessment: bodies and applications',
    sql: `
      -- Assessment bodies (评估机构) the platform accredits: one per credit code.
      CREATE TABLE assessment_bodies (
        seq bigserial NOT NULL,
        id text PRIMARY KEY,
        credit_code text NOT NULL CONSTRAINT assessment_bodies_credit_code_unique UNIQUE,
        record json NOT NULL
      );

      -- Applications for a formal assessment; regions: the enterprise's region path and groups when it applied.
      CREATE TABLE assessment_applications (
        seq bigserial NOT NULL,
        id text PRIMARY KEY,
        enterprise_id text NOT NULL,
        body_id text NOT NULL,
        status text NOT NULL,
        regions text[] NOT NULL,
        created_at text NOT NULL,
        record json NOT NULL
      );
      -- One open application per enterprise (assessmentRecords.ts CLOSED_APPLICATION_STATUSES), across instances.
      CREATE UNIQUE INDEX assessment_applications_open ON assessment_applications (enterprise_id) WHERE status NOT IN ('declined', 'withdrawn');
      CREATE INDEX assessment_applications_enterprise ON assessment_applications (enterprise_id, created_at DESC);
      CREATE INDEX assessment_applications_body ON assessment_applications (body_id, created_at DESC);
      CREATE INDEX assessment_applications_created ON assessment_applications (created_at DESC, seq DESC);
      CREATE INDEX assessment_applications_regions ON assessment_applications USING gin (regions);

      -- A body's assessors.
      CREATE INDEX users_body ON users ((record->>'bodyId')) WHERE role = 'assessor';
    `,
  },
  {
    version: 5,
    name: 'certificates',
    sql: `
      -- Certificates of conformity: looked up by number (any case), by the whole credit code or by part of the name.
      CREATE TABLE certificates (
        id text PRIMARY KEY,
        number_key text NOT NULL UNIQUE,
        credit_code_key text NOT NULL,
        name text NOT NULL,
        created_at text NOT NULL,
        record json NOT NULL,
        seq bigserial NOT NULL
      );
      CREATE INDEX certificates_credit_code ON certificates (credit_code_key);
      CREATE INDEX certificates_created ON certificates (created_at DESC, seq DESC);
    `,
  },
  {
    version: 6,
    name: 'evidence files',
    sql: `
      -- Evidence content, once per SHA-256, in the database so that every instance serves it.
      CREATE TABLE evidence_content (
        sha256 text PRIMARY KEY,
        content bytea NOT NULL
      );
      CREATE TABLE evidence (
        seq bigserial NOT NULL,
        id text PRIMARY KEY,
        application_id text NOT NULL REFERENCES assessment_applications (id),
        requirement text NOT NULL,
        sha256 text NOT NULL REFERENCES evidence_content (sha256),
        record json NOT NULL
      );
      CREATE INDEX evidence_application ON evidence (application_id, requirement, seq);
      CREATE INDEX evidence_sha256 ON evidence (sha256);
    `,
  },
];

/** Any number will do as long as no other program on the database uses it for an advisory lock. */
const MIGRATION_LOCK = 7_391_204_611;

export class SchemaTooNew extends Error {}

/** Applies the migrations the database lacks; returns the versions applied now. */
export async function migrate(client: pg.ClientBase): Promise<number[]> {
  await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
  try {
    await client.query('CREATE TABLE IF NOT EXISTS ladder_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())');
    const done = new Set((await client.query<{ version: number }>('SELECT version FROM ladder_migrations')).rows.map((r) => r.version));
    const known = new Set(MIGRATIONS.map((m) => m.version));
    const unknown = [...done].filter((v) => !known.has(v));
    // A database migrated by a newer Ladder: an older one must not write to a schema it doesn't know.
    if (unknown.length)
      throw new SchemaTooNew(
        `数据库结构版本 ${Math.max(...unknown)} 比本程序新，请升级 Ladder / the database schema (version ${Math.max(...unknown)}) is newer than this Ladder knows (${Math.max(...known)}): upgrade Ladder`,
      );
    const applied: number[] = [];
    for (const m of MIGRATIONS) {
      if (done.has(m.version)) continue;
      await client.query('BEGIN');
      try {
        await client.query(m.sql);
        await client.query('INSERT INTO ladder_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
        await client.query('COMMIT');
      } catch (e) {
        await client.query('ROLLBACK');
        throw e;
      }
      applied.push(m.version);
    }
    return applied;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
  }
}

/** Whether the database has every migration this Ladder knows. */
export async function pendingMigrations(client: pg.ClientBase): Promise<number[]> {
  const exists = (await client.query("SELECT to_regclass('ladder_migrations') AS t")).rows[0].t;
  const done = exists ? new Set((await client.query<{ version: number }>('SELECT version FROM ladder_migrations')).rows.map((r) => r.version)) : new Set<number>();
  return MIGRATIONS.filter((m) => !done.has(m.version)).map((m) => m.version);
}
