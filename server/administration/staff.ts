// Creating staff accounts (region administrators, ruleset authors, platform administrators) and
// giving a user a password an administrator chose or the platform made up. A platform
// administrator creates any of them; a region administrator only region administrators for its
// own region or one below it.
import { randomInt, randomUUID } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import { text, type Problem } from '../../engine/index.ts';
import type { Context } from '../context.ts';
import { ApiError, forbidden } from '../http/apiError.ts';
import { passwordProblems } from '../routes/accounts.ts';
import { holdingRegions } from '../regions/records.ts';
import { ConflictError, type Role, type User } from '../store/types.ts';
import { regionInScope, regionOutside, requireAdministrator } from './scope.ts';

export const STAFF_ROLES: Role[] = ['regionAdmin', 'rulesetAuthor', 'platformAdmin'];

export const StaffBody = Type.Object(
  {
    username: Type.String({ pattern: '^[A-Za-z0-9_.-]{3,32}$' }),
    password: Type.String({ maxLength: 128 }),
    passwordConfirm: Type.String({ maxLength: 128 }),
    role: Type.Union(STAFF_ROLES.map((r) => Type.Literal(r))),
    region: Type.Optional(Type.String({ maxLength: 12 })),
    mobile: Type.Optional(Type.String({ pattern: '^1[3-9]\\d{9}$' })),
  },
  { additionalProperties: false },
);
export type StaffBody = typeof StaffBody.static;

const regionProblem = (): Problem => ({ code: 'region', pointer: '/region', message: text('地区管理员须指定地区列表中的地区', 'a region administrator needs a region from the list') });

export async function createStaff(ctx: Context, actor: User, b: StaffBody): Promise<User> {
  const { store, reference } = ctx;
  requireAdministrator(actor);
  // A region administrator hands out no power it lacks: no authors, no platform administrators.
  if (actor.role !== 'platformAdmin' && b.role !== 'regionAdmin') throw forbidden();
  const problems = passwordProblems(b.password, b.passwordConfirm);
  const checkRegion = () => {
    if (b.role !== 'regionAdmin') return;
    if (actor.role === 'regionAdmin' && b.region && !regionInScope(actor, b.region, reference)) throw regionOutside(b.region);
    if (!(b.region && reference.regionPath(b.region))) return regionProblem();
  };
  const wrongRegion = checkRegion();
  if (wrongRegion) problems.push(wrongRegion);
  if (problems.length) throw ApiError.fromProblems(problems);
  const user: User = {
    id: randomUUID(),
    username: b.username,
    passwordHash: await ctx.passwords.hash(b.password),
    role: b.role,
    ...(b.role === 'regionAdmin' ? { region: b.region } : {}),
    ...(b.mobile ? { mobile: b.mobile } : {}),
    createdAt: ctx.now().toISOString(),
  };
  try {
    // Checked again with region changes held off, so an administrator is never created for a region just removed.
    await holdingRegions(ctx, async () => {
      const problem = checkRegion();
      if (problem) throw ApiError.fromProblems([problem]);
      await store.createAccount(user);
    });
  } catch (e) {
    if (e instanceof ConflictError) throw new ApiError(409, e.code, text(`用户名 "${b.username}" 已被注册`, `the username "${b.username}" is taken`), '/username');
    throw e;
  }
  await store.audit({ at: ctx.now().toISOString(), actor: actor.id, action: 'user.create', target: user.id, detail: { role: user.role, ...(user.region ? { region: user.region } : {}) }, ...(user.region ? { region: user.region } : {}) });
  return user;
}

// No 0/O, 1/l/I: a temporary password is read out over the phone.
const LETTERS = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ';
const DIGITS = '23456789';

/** A temporary password: 12 characters, letters and digits (so it passes the password rules). */
export function temporaryPassword(): string {
  const all = LETTERS + DIGITS;
  const chars = Array.from({ length: 12 }, (_, i) => (i === 0 ? LETTERS : i === 1 ? DIGITS : all)[randomInt(0, (i === 0 ? LETTERS : i === 1 ? DIGITS : all).length)]);
  // The guaranteed letter and digit go to random places.
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(0, i + 1);
    [chars[i], chars[j]] = [chars[j], chars[i]];
  }
  return chars.join('');
}
