// The first platform administrator: from LADDER_ADMIN_USERNAME / LADDER_ADMIN_PASSWORD, or through
// a one-time setup link printed at start-up while no administrator exists.
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Context } from './context.ts';
import { hashPassword } from './accounts/password.ts';
import type { User } from './store/types.ts';

const SETTING = 'setupTokenHash';
const digest = (s: string) => createHash('sha256').update(s).digest();

/** Returns the setup token to print, or undefined when an administrator exists or was created from the environment. */
export async function ensureAdministrator(ctx: Context, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  if ((await ctx.store.countUsers('platformAdmin')) > 0) return undefined;
  if (env.LADDER_ADMIN_USERNAME && env.LADDER_ADMIN_PASSWORD) {
    const user: User = { id: randomUUID(), username: env.LADDER_ADMIN_USERNAME, passwordHash: await hashPassword(env.LADDER_ADMIN_PASSWORD), role: 'platformAdmin', createdAt: ctx.now().toISOString() };
    await ctx.store.createAccount(user);
    await ctx.store.audit({ at: ctx.now().toISOString(), action: 'setup.adminFromEnvironment', target: user.id });
    return undefined;
  }
  const token = randomBytes(24).toString('base64url');
  // Every instance started before the first administrator prints its own link; each one works.
  await ctx.store.updateSetting<string[]>(SETTING, (current) => [...storedHashes(current), digest(token).toString('hex')].slice(-LINKS_KEPT));
  return token;
}

/** Links printed by the last few starts stay valid until an administrator is created. */
const LINKS_KEPT = 10;

/** A single hash is how stores from before several instances kept it. */
const storedHashes = (stored: unknown): string[] => (typeof stored === 'string' ? [stored] : Array.isArray(stored) ? stored.filter((h): h is string => typeof h === 'string') : []);

const matches = (hash: string, token: string) => {
  const stored = Buffer.from(hash, 'hex');
  const given = digest(token);
  return stored.length === given.length && timingSafeEqual(stored, given);
};

export async function consumeSetupToken(ctx: Context, token: string, admin: User): Promise<boolean> {
  // One store operation: two requests with the same link cannot both create an administrator.
  const claimed = await ctx.store.claimFirstAdministrator(admin, SETTING, (stored) => storedHashes(stored).some((hash) => matches(hash, token)));
  if (claimed) await ctx.store.audit({ at: ctx.now().toISOString(), action: 'setup.adminFromLink', target: admin.id });
  return claimed;
}
