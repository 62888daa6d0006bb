// The server's log: JSON lines (time, level, msg, and the request's id on every line logged while
// serving it) that a province's log collector can read, secrets redacted by field name. On a
// terminal it reads as plain lines instead. `ctx.log(line)` callers write info lines.
import { AsyncLocalStorage } from 'node:async_hooks';
import { pino, stdTimeFunctions, type DestinationStream, type Logger } from 'pino';

export type { Logger };

/**
 * Fields never written as they are, wherever a caller puts them (a request body, headers, an
 * error's context), whatever their case: passwords, one-time codes and tokens, cookies, credentials.
 */
const SECRET_FIELDS = new Set(['password', 'passwordconfirm', 'currentpassword', 'oldpassword', 'newpassword', 'code', 'token', 'setuptoken', 'cookie', 'set-cookie', 'authorization', 'secret']);
export const REDACTED = '[redacted]';
const MAX_DEPTH = 6;

/**
 * `value` with every secret field's value replaced, copying only what changes. (pino's own
 * `redact` takes ~20 µs a line with wildcards at two depths; this takes well under 1 µs for an
 * access line.) Errors are left to pino's serializer: their code is no secret.
 */
export function redactSecrets<T>(value: T, depth = 0): T {
  if (value === null || typeof value !== 'object' || value instanceof Error || depth > MAX_DEPTH) return value;
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    value.forEach((item, i) => {
      const r = redactSecrets(item, depth + 1);
      if (r !== item) (out ??= [...value])[i] = r;
    });
    return (out ?? value) as T;
  }
  let out: Record<string, unknown> | undefined;
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    const r = SECRET_FIELDS.has(key.toLowerCase()) && item !== undefined ? REDACTED : redactSecrets(item, depth + 1);
    if (r !== item) (out ??= { ...(value as Record<string, unknown>) })[key] = r;
  }
  return (out ?? value) as T;
}

/** The request being served, for every line logged on its behalf (an async context, so callers pass nothing). */
const requestScope = new AsyncLocalStorage<{ reqId: string; userId?: string }>();

export const inRequest = <T>(scope: { reqId: string; userId?: string }, run: () => T): T => requestScope.run(scope, run);
export const currentRequest = () => requestScope.getStore();

export type LogFormat = 'json' | 'plain';

const LEVEL_NAMES: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO ', 40: 'WARN ', 50: 'ERROR', 60: 'FATAL' };
const OMITTED = new Set(['time', 'level', 'msg', 'pid', 'hostname']);
const ACCESS_IN_MESSAGE = new Set(['method', 'path', 'status', 'ms']);

/** One JSON line as a terminal line: the time (UTC), level, message, then the other fields as key=value. */
export function plainLine(json: string): string {
  const o = JSON.parse(json) as Record<string, unknown>;
  const time = typeof o.time === 'string' ? o.time.slice(11, 23) : '';
  const level = LEVEL_NAMES[o.level as number] ?? String(o.level).toUpperCase().padEnd(5);
  const err = o.err as { stack?: string } | undefined;
  // An access line's message already says method, path, status and duration.
  const said = typeof o.status === 'number' ? ACCESS_IN_MESSAGE : new Set<string>();
  const rest = Object.entries(o)
    .filter(([k]) => !OMITTED.has(k) && !said.has(k) && k !== 'err')
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`);
  return `${time} ${level} ${o.msg ?? ''}${rest.length ? `  ${rest.join(' ')}` : ''}${err?.stack ? `\n${err.stack}` : ''}\n`;
}

export interface LoggerOptions {
  level?: string;
  format?: LogFormat;
  /** Where each line goes (without its newline) instead of stdout: tests keep them. */
  sink?: (line: string) => void;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const format = options.format ?? 'json';
  const write = options.sink ? (s: string) => options.sink!(s.replace(/\n$/, '')) : (s: string) => void process.stdout.write(s);
  const destination: DestinationStream | undefined =
    options.sink || format === 'plain' ? { write: (s: string) => write(format === 'plain' ? plainLine(s) : s) } : undefined;
  const logger = pino(
    {
      level: options.level ?? 'info',
      timestamp: stdTimeFunctions.isoTime,
      formatters: { ...(format === 'plain' ? {} : { level: (label: string) => ({ level: label }) }), log: (object: Record<string, unknown>) => redactSecrets(object) },
      mixin: () => requestScope.getStore() ?? {},
    },
    // stdout synchronously: a line is out before the process exits, even on a crash.
    destination ?? pino.destination({ dest: 1, sync: true }),
  );
  return logger;
}

/** LADDER_LOG_LEVEL (default info) and LADDER_LOG_FORMAT (json, or plain on a terminal outside production). */
export function loggerFromEnv(env: NodeJS.ProcessEnv, sink?: (line: string) => void): Logger {
  const format: LogFormat =
    env.LADDER_LOG_FORMAT === 'plain' || env.LADDER_LOG_FORMAT === 'json'
      ? env.LADDER_LOG_FORMAT
      : !sink && process.stdout.isTTY && env.NODE_ENV !== 'production'
        ? 'plain'
        : 'json';
  return createLogger({ level: env.LADDER_LOG_LEVEL || 'info', format, ...(sink ? { sink } : {}) });
}

/** `ctx.log(line)`: an info line, or a warning for the lines existing callers write about a failure. */
export const lineLogger =
  (logger: Logger) =>
  (line: string): void => {
    if (/^\[error\]|\bfailed\b|\blost\b/.test(line)) logger.warn(line);
    else logger.info(line);
  };
