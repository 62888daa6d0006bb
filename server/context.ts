// What every route needs, passed in so tests can run the app with their own store, clock and SMS.
import type { Store } from './store/types.ts';
import { smsSenderFromEnv, type SmsSender } from './accounts/sms.ts';
import { loadReference, type ReferenceData } from './reference.ts';
import { PdfRenderer } from './report/pdf.ts';
import { limitsFromEnv, type Limits } from './accounts/attemptLimits.ts';
import { PasswordHasher } from './accounts/password.ts';
import { Background } from './background.ts';
import { WorkQueue } from './workQueue.ts';
import { lineLogger, loggerFromEnv, type Logger } from './log.ts';

export interface SessionPolicy {
  /** A session ends this long after login, whatever happens (absolute timeout). */
  days: number;
  /** …or after this long without a request (idle timeout). */
  idleMinutes: number;
  /** Sessions one user keeps at most; a new login ends the oldest. */
  perUser: number;
}

export interface Context {
  store: Store;
  sms: SmsSender;
  reference: ReferenceData;
  /** Renders report PDFs (launches Chromium on first use), with its own bounded queue. */
  pdf: PdfRenderer;
  /** Report HTML is rendered through this bounded queue, so a burst of reports cannot stall other requests. */
  reports: WorkQueue;
  /** An info line in the server log (server/log.ts); `logger` for structured lines and other levels. */
  log: (line: string) => void;
  logger: Logger;
  /** An access line per request (LADDER_ACCESS_LOG=0 turns them off). */
  accessLog: boolean;
  /** Express's `trust proxy`: which peers' X-Forwarded-For and X-Request-Id are believed (LADDER_TRUST_PROXY). */
  trustProxy: TrustProxy;
  now: () => Date;
  /** How many attempts at logins, reset codes, recovery and registration (accounts/attemptLimits.ts). */
  limits: Limits;
  /** How long a refusal for too many attempts is held before it is sent (a client looping on 429s slows down). */
  refusalDelayMs: number;
  /** Password hashing with bounded concurrency. */
  passwords: PasswordHasher;
  sessions: SessionPolicy;
  /** Whether cookies get `Secure` and responses HSTS (behind HTTPS). */
  secureCookies: boolean;
  /** Origins besides the request's own host that may send state-changing requests (a front end on another host). */
  allowedOrigins: string[];
  background: Background;
}

export const reportQueue = (options: { concurrency?: number; maxWaiting?: number } = {}) =>
  new WorkQueue({ what: { zh: '报告生成请求较多', en: 'many reports being generated' }, concurrency: options.concurrency ?? 2, maxWaiting: options.maxWaiting ?? 32, maxWaitMs: 30_000, retryAfterSeconds: 5 });

/**
 * The context of a server process, from its environment (see README, "Running the server").
 * `logger`: the process's logger; else one from LADDER_LOG_LEVEL/LADDER_LOG_FORMAT writing each
 * JSON line to `log` (tests keep them), or to stdout.
 */
export function contextFromEnv(env: NodeJS.ProcessEnv, parts: { store: Store; log?: (line: string) => void; logger?: Logger; sms?: SmsSender }): Context {
  const logger = parts.logger ?? loggerFromEnv(env, parts.log);
  const log = lineLogger(logger);
  const number = (name: string, fallback: number) => (env[name] !== undefined && env[name] !== '' ? Number(env[name]) : fallback);
  return {
    store: parts.store,
    sms: parts.sms ?? smsSenderFromEnv(env, log),
    reference: loadReference(),
    pdf: new PdfRenderer({ maxWaiting: number('LADDER_PDF_QUEUE', 8) }),
    reports: reportQueue({ maxWaiting: number('LADDER_REPORT_QUEUE', 32) }),
    log,
    logger,
    accessLog: env.LADDER_ACCESS_LOG !== '0',
    trustProxy: trustProxyFromEnv(env.LADDER_TRUST_PROXY),
    now: () => new Date(),
    limits: limitsFromEnv(env),
    refusalDelayMs: number('LADDER_REFUSAL_DELAY_MS', 1000),
    passwords: PasswordHasher.fromEnv(env),
    sessions: { days: number('LADDER_SESSION_DAYS', 7), idleMinutes: number('LADDER_SESSION_IDLE_MINUTES', 120), perUser: number('LADDER_SESSIONS_PER_USER', 10) },
    secureCookies: env.LADDER_SECURE_COOKIES === '1',
    allowedOrigins: (env.LADDER_ALLOWED_ORIGINS ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    background: new Background(log),
  };
}

export type TrustProxy = string | number;

/**
 * LADDER_TRUST_PROXY: `loopback` (the default: a proxy on this machine), a number of proxy hops, or
 * comma-separated addresses and CIDR ranges (`10.0.0.0/8, 192.168.1.5`), as Express takes them.
 */
export function trustProxyFromEnv(value: string | undefined): TrustProxy {
  const v = (value ?? '').trim();
  if (!v) return 'loopback';
  if (/^\d+$/.test(v)) return Number(v);
  if (/^(true|false)$/i.test(v))
    throw new Error(`LADDER_TRUST_PROXY=${v}: name the proxies (loopback, a number of hops, or addresses/CIDR ranges); trusting every peer lets any client forge its address`);
  return v;
}
