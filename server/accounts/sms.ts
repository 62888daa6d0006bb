// Text messages to a mobile: reset codes, recovered usernames, codes confirming a new mobile.
// LADDER_SMS chooses the sender (see README, "Running the server"):
// - `log` (the default outside production): the message is logged with its digits masked (a code
//   is a secret, and logs are read by many) and, in development only, written in full to the file
//   LADDER_SMS_OUTBOX names, so that a pilot without a gateway can still hand a code over;
// - `http`: the message is POSTed, signed, to the province's SMS gateway (HttpSmsSender).
// A sender that could not deliver throws SmsDeliveryError; the routes answer 503 and keep nothing.
import { appendFile } from 'node:fs/promises';
import { createHmac, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

export interface SmsSender {
  send(mobile: string, text: string): Promise<void>;
}

/** The message could not be handed to the gateway (after its retries). Says nothing of the text. */
export class SmsDeliveryError extends Error {
  constructor(
    readonly attempts: number,
    readonly reason: string,
  ) {
    super(`the text message could not be sent after ${attempts} attempt(s): ${reason}`);
    this.name = 'SmsDeliveryError';
  }
}

/** "13912345678" → "139****5678"; every run of 4 or more digits in a text → "****". */
export const maskMobile = (mobile: string) => (mobile.length >= 7 ? `${mobile.slice(0, 3)}****${mobile.slice(-4)}` : '****');
export const maskDigits = (text: string) => text.replace(/\d{4,}/g, '****');

export class LogSmsSender implements SmsSender {
  constructor(
    private readonly log: (line: string) => void = (line) => console.log(line),
    private readonly outbox?: string,
  ) {}

  async send(mobile: string, text: string): Promise<void> {
    if (this.outbox) await appendFile(this.outbox, JSON.stringify({ at: new Date().toISOString(), mobile, text }) + '\n', { mode: 0o600 });
    this.log(`[sms] to ${maskMobile(mobile)}: ${maskDigits(text)}${this.outbox ? ` (in full in ${this.outbox})` : ''}`);
  }
}

/** Keeps what was sent, for tests. */
export class MemorySmsSender implements SmsSender {
  readonly sent: { mobile: string; text: string }[] = [];

  async send(mobile: string, text: string): Promise<void> {
    this.sent.push({ mobile, text });
  }
}

export interface HttpSmsOptions {
  url: string;
  /** The HMAC-SHA256 key the gateway shares with the platform. */
  secret: string;
  /** Each attempt is abandoned after this long. */
  timeoutMs?: number;
  /** Attempts after the first, on a timeout, a network error, a 5xx or a 429. */
  retries?: number;
  /** The wait before the first retry; each later one waits twice as long as the one before. */
  backoffMs?: number;
  log: (line: string) => void;
}

/** `sha256=<hex>`: the HMAC-SHA256, keyed by the shared secret, of `<timestamp>.<body>`. */
export const smsSignature = (secret: string, timestamp: string, body: string) => `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;

/**
 * POSTs `{ id, mobile, text, sentAt }` as JSON to the gateway with `X-Ladder-Timestamp` (Unix
 * seconds) and `X-Ladder-Signature: sha256=<hex HMAC of timestamp + "." + body>`, so the gateway
 * can tell the platform's messages from anyone else's and refuse replays. Every attempt carries the
 * same `id` (the gateway can drop a message it already has: an attempt that timed out may have got
 * through). 4xx other than 429 is the gateway refusing this message: retrying would not help.
 */
export class HttpSmsSender implements SmsSender {
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly backoffMs: number;

  constructor(private readonly options: HttpSmsOptions) {
    this.timeoutMs = options.timeoutMs ?? 5000;
    this.retries = options.retries ?? 2;
    this.backoffMs = options.backoffMs ?? 500;
  }

  async send(mobile: string, text: string): Promise<void> {
    const body = JSON.stringify({ id: randomUUID(), mobile, text, sentAt: new Date().toISOString() });
    const to = maskMobile(mobile);
    const attempts = this.retries + 1;
    let reason = '';
    for (let attempt = 1; attempt <= attempts; attempt++) {
      const timestamp = String(Math.floor(Date.now() / 1000));
      let retryable = true;
      try {
        const res = await fetch(this.options.url, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'X-Ladder-Timestamp': timestamp, 'X-Ladder-Signature': smsSignature(this.options.secret, timestamp, body) },
          body,
          redirect: 'error',
          signal: AbortSignal.timeout(this.timeoutMs),
        });
        // The gateway's answer is not read (it could echo the text); draining it frees the connection.
        await res.arrayBuffer().catch(() => undefined);
        if (res.ok) {
          this.options.log(`[sms] to ${to}: accepted by the gateway (status ${res.status}, attempt ${attempt}/${attempts})`);
          return;
        }
        reason = `status ${res.status}`;
        retryable = res.status >= 500 || res.status === 429;
      } catch (e) {
        reason = failureOf(e, this.timeoutMs);
      }
      this.options.log(`[sms] to ${to}: not accepted (${reason}, attempt ${attempt}/${attempts})`);
      if (!retryable) throw new SmsDeliveryError(attempt, reason);
      if (attempt < attempts) await sleep(this.backoffMs * 2 ** (attempt - 1));
    }
    throw new SmsDeliveryError(attempts, reason);
  }
}

/** A failed fetch in a few words: never the message, which the error could carry. */
function failureOf(e: unknown, timeoutMs: number): string {
  const err = e as { name?: string; cause?: { code?: string; name?: string } };
  if (err.name === 'TimeoutError' || err.cause?.name === 'TimeoutError') return `no answer within ${timeoutMs} ms`;
  return `network error${err.cause?.code ? ` ${err.cause.code}` : ''}`;
}

/**
 * The sender LADDER_SMS chooses. Refuses a configuration it cannot use (the server does not start
 * half-configured); in production (NODE_ENV=production) the log sender never writes a message in
 * full anywhere, whatever LADDER_SMS_OUTBOX says.
 */
export function smsSenderFromEnv(env: NodeJS.ProcessEnv, log: (line: string) => void): SmsSender {
  const production = env.NODE_ENV === 'production';
  const kind = env.LADDER_SMS || 'log';
  if (kind === 'http') {
    const url = env.LADDER_SMS_URL ?? '';
    if (!/^https?:\/\/[^\s]+$/.test(url)) throw new Error('LADDER_SMS=http needs LADDER_SMS_URL, the gateway\'s http:// or https:// address');
    if (!env.LADDER_SMS_SECRET) throw new Error('LADDER_SMS=http needs LADDER_SMS_SECRET, the key the gateway checks signatures with');
    const count = (name: string, fallback: number, min: number) => {
      const raw = env[name];
      if (raw === undefined || raw === '') return fallback;
      const n = Number(raw);
      if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be a whole number of at least ${min}`);
      return n;
    };
    return new HttpSmsSender({ url, secret: env.LADDER_SMS_SECRET, timeoutMs: count('LADDER_SMS_TIMEOUT_MS', 5000, 1), retries: count('LADDER_SMS_RETRIES', 2, 0), log });
  }
  if (kind !== 'log') throw new Error(`LADDER_SMS must be "log" or "http", not "${kind}"`);
  let outbox = env.LADDER_SMS_OUTBOX || undefined;
  if (production && outbox) {
    log('[sms] LADDER_SMS_OUTBOX is ignored in production: codes are never written in full outside development');
    outbox = undefined;
  }
  if (production) log('[sms] text messages are only logged, digits masked: reset codes never reach anyone (set LADDER_SMS=http and LADDER_SMS_URL to use the SMS gateway)');
  return new LogSmsSender(log, outbox);
}
