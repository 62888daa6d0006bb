// Passwords: scrypt with a per-password salt; the parameters travel with the hash so they can rise later.
// One hash costs about 128 MiB and 0.4 s of a core, on libuv's thread pool, which file writes and
// fsync share: hashing goes through a bounded queue (PasswordHasher), so that a flood of logins
// waits or is turned away instead of stalling every save.
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { WorkQueue } from '../workQueue.ts';

const scrypt = (password: string, salt: Buffer, keylen: number, options: ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) => scryptCb(password, salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key))));

/** N = 2^17, r = 8, p = 1 by default (about 400 ms here); tests lower it through LADDER_SCRYPT_LOG_N. */
const logN = () => Number(process.env.LADDER_SCRYPT_LOG_N ?? 17);

export async function hashPassword(password: string): Promise<string> {
  const n = 2 ** logN();
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, 32, { N: n, r: 8, p: 1, maxmem: 256 * n * 8 });
  return `scrypt$${n}$8$1$${salt.toString('base64')}$${key.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt') return false;
  const expected = Buffer.from(key, 'base64');
  const N = Number(n);
  const actual = await scrypt(password, Buffer.from(salt, 'base64'), expected.length, { N, r: Number(r), p: Number(p), maxmem: 256 * N * Number(r) });
  return timingSafeEqual(actual, expected);
}

export interface HashingOptions {
  /** Hashes at once (default: one core fewer than the machine has, at least one). */
  concurrency?: number;
  /** Hashes waiting their turn before the next is turned away (503). */
  maxWaiting?: number;
  maxWaitMs?: number;
}

/** Hashing and checking passwords through one bounded queue per process. */
export class PasswordHasher {
  private readonly queue: WorkQueue;
  private dummy?: Promise<string>;

  constructor(options: HashingOptions = {}) {
    this.queue = new WorkQueue({
      what: { zh: '登录与注册请求较多', en: 'many logins and registrations' },
      concurrency: options.concurrency ?? Math.max(1, availableParallelism() - 1),
      maxWaiting: options.maxWaiting ?? 16,
      maxWaitMs: options.maxWaitMs ?? 10_000,
      retryAfterSeconds: 5,
    });
  }

  static fromEnv(env: NodeJS.ProcessEnv): PasswordHasher {
    return new PasswordHasher({
      ...(env.LADDER_HASH_CONCURRENCY ? { concurrency: Number(env.LADDER_HASH_CONCURRENCY) } : {}),
      ...(env.LADDER_HASH_QUEUE ? { maxWaiting: Number(env.LADDER_HASH_QUEUE) } : {}),
    });
  }

  get stats() {
    return this.queue.stats;
  }

  hash(password: string): Promise<string> {
    return this.queue.run(() => hashPassword(password));
  }

  verify(password: string, stored: string): Promise<boolean> {
    return this.queue.run(() => verifyPassword(password, stored));
  }

  /**
   * Checks a password for a username nobody has: against one hash made once, at the same cost as
   * a real check, so the time taken does not tell which usernames exist. Always false.
   */
  async verifyNobody(password: string): Promise<false> {
    this.dummy ??= this.queue.run(() => hashPassword(randomBytes(16).toString('base64')));
    await this.verify(password, await this.dummy);
    return false;
  }
}
