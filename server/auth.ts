// Sessions in an httpOnly, SameSite=Strict cookie, and who may see what. A session ends at its
// absolute expiry, after an idle time without requests, when its user logs in more often than
// the policy keeps, and when the user's password changes.
import { randomBytes } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { Context } from './context.ts';
import type { Enterprise, User } from './store/types.ts';
import { forbidden, unauthenticated } from './http/apiError.ts';

export const SESSION_COOKIE = 'ladder_sid';

function cookie(req: Request, name: string): string | undefined {
  for (const part of (req.get('cookie') ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k !== name) continue;
    try {
      return decodeURIComponent(v.join('='));
    } catch {
      // A cookie that is not valid percent-encoding is no session of ours.
      return undefined;
    }
  }
  return undefined;
}

/** Sessions last seen before this have been idle too long. */
const idleSince = (ctx: Context, now: Date) => new Date(now.getTime() - ctx.sessions.idleMinutes * 60_000).toISOString();

/** Activity is recorded at most this often: often enough for the idle timeout, rarely enough to cost nothing. */
const touchEvery = (ctx: Context) => Math.min(60_000, (ctx.sessions.idleMinutes * 60_000) / 10);

/** Looks up the session, if any; never refuses (routes decide). */
export function authenticate(ctx: Context) {
  return async (req: Request, res: Response, next: NextFunction) => {
    try {
      const id = cookie(req, SESSION_COOKIE);
      const now = ctx.now();
      const found = id ? await ctx.store.sessionUser(id, now.toISOString(), idleSince(ctx, now)) : undefined;
      res.locals.user = found?.user;
      res.locals.sessionId = found ? id : undefined;
      if (found && now.getTime() - Date.parse(found.session.lastSeenAt ?? found.session.createdAt) >= touchEvery(ctx)) await ctx.store.touchSession(found.session.id, now.toISOString());
      next();
    } catch (e) {
      next(e);
    }
  };
}

export const requireUser = (_req: Request, res: Response, next: NextFunction) => (res.locals.user ? next() : next(unauthenticated()));

export const currentUser = (res: Response): User => {
  const user = res.locals.user as User | undefined;
  if (!user) throw unauthenticated();
  return user;
};

export async function startSession(ctx: Context, res: Response, user: User) {
  const id = randomBytes(32).toString('base64url');
  const now = ctx.now();
  const expires = new Date(now.getTime() + ctx.sessions.days * 86_400_000);
  await ctx.store.createSession({ id, userId: user.id, createdAt: now.toISOString(), expiresAt: expires.toISOString() }, ctx.sessions.perUser);
  res.cookie(SESSION_COOKIE, id, { httpOnly: true, sameSite: 'strict', secure: ctx.secureCookies, path: '/', expires });
}

export function requireRole(user: User, ...roles: User['role'][]) {
  if (!roles.includes(user.role)) throw forbidden();
}

/** Reading an enterprise's data: the enterprise itself, an administrator of a region it lies in or of a group it belongs to, a platform administrator. */
export function canRead(user: User, enterprise: Enterprise): boolean {
  if (user.role === 'platformAdmin') return true;
  if (user.role === 'enterprise') return user.enterpriseId === enterprise.id;
  if (user.role === 'regionAdmin') return !!user.region && (enterprise.regionPath.includes(user.region) || !!enterprise.groups?.includes(user.region));
  return false;
}

/** Only the enterprise's own users change its data. */
export const canWrite = (user: User, enterprise: Enterprise) => user.role === 'enterprise' && user.enterpriseId === enterprise.id;

export const publicUser = (u: User) => ({ id: u.id, username: u.username, role: u.role, ...(u.enterpriseId ? { enterpriseId: u.enterpriseId } : {}), ...(u.region ? { region: u.region } : {}) });
