// How often people may try what can be guessed or abused: logins, reset codes, username recovery,
// registration. Counters live in the store, so every instance behind a load balancer counts the
// same attempts. Each limit is keyed on the normalised identity the handler itself uses (see
// identity.ts), after the body was validated, so padding a username never makes a new key.
import { ipKeyGenerator } from 'express-rate-limit';
import type { Request } from 'express';
import { text } from '../../engine/index.ts';
import type { Store } from '../store/types.ts';
import { ApiError } from '../http/apiError.ts';

export interface Limit {
  max: number;
  windowMs: number;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** The platform's limits; LADDER_LOGIN_ATTEMPTS sets loginPerAddressAndUser. */
export const DEFAULT_LIMITS = {
  /** Wrong passwords for one account from one address (successful logins are taken back). */
  loginPerAddressAndUser: { max: 10, windowMs: 15 * MINUTE },
  /** Wrong passwords for one account from anywhere: guessing from many addresses. */
  loginPerUser: { max: 30, windowMs: 15 * MINUTE },
  /** Wrong passwords from one address whatever the username: trying many accounts. */
  loginPerAddress: { max: 100, windowMs: 15 * MINUTE },
  /** Reset codes asked for one username, one mobile, one address (each sends a text message). */
  resetCodesPerUser: { max: 5, windowMs: HOUR },
  resetCodesPerMobile: { max: 5, windowMs: HOUR },
  resetCodesPerAddress: { max: 20, windowMs: HOUR },
  /** Wrong reset codes for one account across all its codes, and from one address. */
  resetGuessesPerUser: { max: 10, windowMs: HOUR },
  resetGuessesPerAddress: { max: 50, windowMs: HOUR },
  /** Username recovery (sends a text message, records a support request). */
  recoveriesPerAddress: { max: 10, windowMs: HOUR },
  recoveriesPerCreditCode: { max: 5, windowMs: HOUR },
  /** Registrations from one address. */
  registrationsPerAddress: { max: 20, windowMs: HOUR },
  /** Codes confirming a new mobile, asked by one user and sent to one mobile (each sends a text message). */
  mobileCodesPerUser: { max: 5, windowMs: HOUR },
  mobileCodesPerMobile: { max: 5, windowMs: HOUR },
  /** Wrong codes confirming a new mobile, for one user across its codes. */
  mobileGuessesPerUser: { max: 10, windowMs: HOUR },
  /** Public certificate lookups from one address: a person checks a few, a scraper many. */
  certificateLookupsPerAddress: { max: 30, windowMs: MINUTE },
  /** Wrong current passwords when changing one's password. */
  passwordChangesPerUser: { max: 10, windowMs: 15 * MINUTE },
} satisfies Record<string, Limit>;

export type LimitName = keyof typeof DEFAULT_LIMITS;
export type Limits = Record<LimitName, Limit>;

export function limitsFromEnv(env: NodeJS.ProcessEnv): Limits {
  const limits: Limits = structuredClone(DEFAULT_LIMITS);
  if (env.LADDER_LOGIN_ATTEMPTS) limits.loginPerAddressAndUser.max = Number(env.LADDER_LOGIN_ATTEMPTS);
  return limits;
}

/** Every limit raised to `max` (tests that register and log in many times from one address). */
export const generousLimits = (max: number): Limits => Object.fromEntries(Object.entries(DEFAULT_LIMITS).map(([k, v]) => [k, { ...v, max }])) as Limits;

/** The client's address as limits count it (an IPv6 address by its /56 network). */
export const addressOf = (req: Request) => ipKeyGenerator(req.ip ?? '');

export class Attempts {
  constructor(private readonly ctx: { store: Store; now: () => Date; limits: Limits; refusalDelayMs: number }) {}

  /**
   * Counts one attempt under each key, in order, and refuses with a 429 (and Retry-After) at the
   * first key past its limit, without counting the keys after it: so give the broadest key first
   * (the address), and a flood from a blocked address creates no counters for the usernames it
   * tries. The refusal comes after `refusalDelayMs`, which turns a client retrying in a tight loop
   * into a trickle that costs the server a timer. Resolves to a function that takes the attempt
   * back, for an attempt that succeeded.
   */
  async count(keys: [LimitName, string][]): Promise<() => Promise<void>> {
    const now = this.ctx.now();
    const counted: string[] = [];
    for (const [name, key] of keys) {
      const hit = await this.ctx.store.hitRateLimit(`${name}:${key}`, this.ctx.limits[name].windowMs, now.toISOString());
      counted.push(`${name}:${key}`);
      if (hit.hits <= this.ctx.limits[name].max) continue;
      const wait = Math.max(1, Math.ceil((Date.parse(hit.resetAt) - now.getTime()) / 1000));
      if (this.ctx.refusalDelayMs > 0) await new Promise((r) => setTimeout(r, this.ctx.refusalDelayMs));
      throw new ApiError(429, 'rate_limited', text(`尝试次数过多，请 ${Math.ceil(wait / 60)} 分钟后再试`, `too many attempts; please try again in ${Math.ceil(wait / 60)} min`), undefined, [], { 'Retry-After': String(wait) });
    }
    return async () => {
      await Promise.all(counted.map((key) => this.ctx.store.unhitRateLimit(key)));
    };
  }
}
