// express-rate-limit's counters kept in the store, so that every instance behind a load balancer
// counts the same attempts: ten wrong passwords are ten whichever instances they reach.
import type { Options, Store as RateLimitStore, ClientRateLimitInfo } from 'express-rate-limit';
import type { Context } from '../context.ts';

export class StoredAttempts implements RateLimitStore {
  /** Counters are shared, not per instance: express-rate-limit's double-count check relies on this. */
  readonly localKeys = false;
  private windowMs = 60_000;

  constructor(
    private readonly ctx: Pick<Context, 'store' | 'now'>,
    readonly prefix: string,
  ) {}

  init(options: Options) {
    this.windowMs = options.windowMs;
  }

  async increment(key: string): Promise<ClientRateLimitInfo> {
    const hit = await this.ctx.store.hitRateLimit(this.prefix + key, this.windowMs, this.ctx.now().toISOString());
    return { totalHits: hit.hits, resetTime: new Date(hit.resetAt) };
  }

  decrement(key: string) {
    return this.ctx.store.unhitRateLimit(this.prefix + key);
  }

  resetKey(key: string) {
    return this.ctx.store.resetRateLimit(this.prefix + key);
  }
}
