// Whom an administrator manages, scoped like the dashboard: a platform administrator everyone, a
// region administrator the region administrators of its region and those below it and the users
// of the enterprises it may read (its region and below, its group's members). Authors and platform
// administrators belong to no region, so only a platform administrator manages them. Anything
// outside is a 404 (ids and codes are not to be probed).
import { text } from '../../engine/index.ts';
import { canRead } from '../auth.ts';
import { forbidden, notFound } from '../http/apiError.ts';
import type { ReferenceData } from '../reference.ts';
import type { Enterprise, Store, User } from '../store/types.ts';

export function requireAdministrator(user: User) {
  if (user.role === 'platformAdmin') return;
  if (user.role !== 'regionAdmin' || !user.region) throw forbidden();
}

/** `code` and every region below it (districts, parks and groups the platform created included). */
export function regionsWithin(reference: ReferenceData, code: string): string[] {
  const out: string[] = [];
  const walk = (c: string) => {
    out.push(c);
    for (const r of reference.regionTree.children(c)) walk(r.code);
  };
  walk(code);
  return out;
}

/** Whether `region` is the administrator's own or lies below it (a platform administrator: any known region). */
export const regionInScope = (admin: User, region: string, reference: ReferenceData) => {
  const path = reference.regionPath(region);
  return !!path && (admin.role === 'platformAdmin' || (admin.role === 'regionAdmin' && !!admin.region && path.includes(admin.region)));
};

export const regionOutside = (code: string) => notFound(text(`地区 "${code}" 不存在或不在您的管辖范围内`, `no region "${code}" within yours`));

/**
 * What the list of users is narrowed to: the administrator's scope, or the region asked for
 * within it. A region outside is a 404, like the dashboard's.
 */
export function userRegionFilter(admin: User, requested: string | undefined, reference: ReferenceData): { regions?: string[]; groups?: string[] } {
  const code = requested ?? (admin.role === 'regionAdmin' ? admin.region! : undefined);
  if (code === undefined) return {};
  if (!regionInScope(admin, code, reference)) throw regionOutside(code);
  // Enterprises count by where they are and by the very group asked for, as canRead does: a group's
  // members elsewhere are its own administrators' business, not the business of a region above it.
  return { regions: regionsWithin(reference, code), groups: [code] };
}

export function managesUser(admin: User, target: User, enterprise: Enterprise | undefined, reference: ReferenceData): boolean {
  if (admin.role === 'platformAdmin') return true;
  if (admin.role !== 'regionAdmin' || !admin.region) return false;
  if (target.role === 'regionAdmin') return !!target.region && regionInScope(admin, target.region, reference);
  if (target.role === 'enterprise') return !!enterprise && canRead(admin, enterprise);
  return false;
}

/** The user if the administrator manages it, else the same 404 as for an unknown id. */
export async function managedUser(store: Store, admin: User, id: string, reference: ReferenceData) {
  requireAdministrator(admin);
  const user = await store.getUser(id);
  const enterprise = user?.enterpriseId ? await store.getEnterprise(user.enterpriseId) : undefined;
  if (!user || !managesUser(admin, user, enterprise, reference)) throw notFound(text('用户不存在', 'no such user'));
  return { user, enterprise };
}

export async function managedEnterprise(store: Store, admin: User, id: string) {
  requireAdministrator(admin);
  const enterprise = await store.getEnterprise(id);
  if (!enterprise || !canRead(admin, enterprise)) throw notFound(text('企业不存在', 'no such enterprise'));
  return enterprise;
}
