// A real app over a real lowdb store in a temporary directory, with a settable clock and an SMS outbox.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { createApp } from '../../server/app.ts';
import { LowdbStore } from '../../server/store/lowdbStore.ts';
import { MemorySmsSender, type SmsSender } from '../../server/accounts/sms.ts';
import { publishBundled } from '../../server/catalog.ts';
import { applyBundledSettings } from '../../server/bundledSettings.ts';
import { contextFromEnv, type Context, type SessionPolicy } from '../../server/context.ts';
import { generousLimits, type Limits } from '../../server/accounts/attemptLimits.ts';
import type { PasswordHasher } from '../../server/accounts/password.ts';
import type { Store } from '../../server/store/types.ts';
import { creditCodeFor } from '../../server/population.ts';

export const VALID_CODE = '91350100M000100Y43';

export async function harness(options: { limits?: Limits; refusalDelayMs?: number; sessions?: Partial<SessionPolicy>; passwords?: PasswordHasher; log?: (line: string) => void; store?: Store; sms?: SmsSender; env?: NodeJS.ProcessEnv } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'ladder-api-'));
  // Another backend's store when given (suites run once per backend), else lowdb in `dir`.
  const store = options.store ?? (await LowdbStore.open(dir));
  const sms = new MemorySmsSender();
  const clock = { now: new Date('2026-11-23T10:00:00+08:00') };
  // Each line of the server log (JSON, server/log.ts) goes to `log`; `env` as the server's environment.
  const log = options.log ?? (process.env.LADDER_TEST_LOG ? (line: string) => console.error(line) : () => undefined);
  const ctx: Context = {
    ...contextFromEnv(options.env ?? {}, { store, log, sms: options.sms ?? sms }),
    now: () => clock.now,
    // Tests register and log in many times from one address; tests of the limits pass their own.
    limits: options.limits ?? generousLimits(1000),
    refusalDelayMs: options.refusalDelayMs ?? 0,
    ...(options.passwords ? { passwords: options.passwords } : {}),
    // Long enough for tests that move the clock a month on within one session.
    sessions: { days: 60, idleMinutes: 60 * 24 * 60, perUser: 10, ...options.sessions },
  };
  await publishBundled(ctx);
  await applyBundledSettings(ctx);
  const { app, openapi, lifecycle } = createApp(ctx);
  return { dir, store, sms, clock, ctx, app, openapi, lifecycle, agent: () => request.agent(app) };
}

export type Harness = Awaited<ReturnType<typeof harness>>;

let counter = 0;

/** Registration fields that pass, with a fresh username and credit code each call. */
export function registration(overrides: Record<string, unknown> = {}) {
  counter += 1;
  return {
    username: `firm${counter}_${Date.now() % 100000}`,
    password: 'secret123',
    passwordConfirm: 'secret123',
    mobile: '13912345678',
    email: 'contact@example.com',
    enterpriseName: `测试制造有限公司${counter}`,
    creditCode: creditCodeFor(counter * 7919 + (Date.now() % 100000) * 100000),
    enterpriseType: 'production',
    industry: 'C35',
    sizeBand: '100-200',
    revenue: 5000,
    region: '320200',
    ...overrides,
  };
}

/** Registers and returns a logged-in agent. */
export async function enterpriseAgent(h: Harness, overrides: Record<string, unknown> = {}) {
  const agent = h.agent();
  const fields = registration(overrides);
  const res = await agent.post('/api/accounts').send(fields);
  if (res.status !== 201) throw new Error(`registration failed: ${JSON.stringify(res.body)}`);
  return { agent, fields, user: res.body.user, enterprise: res.body.enterprise };
}
