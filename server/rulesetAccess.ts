// Who may see and change which ruleset. Published versions are public; a draft is work in
// progress, so to anyone who may not edit it the draft does not exist (404, never 403, which
// would tell enterprises and other regions' administrators what is being prepared).
import { text } from '../engine/index.ts';
import type { Context } from './context.ts';
import type { ReferenceData } from './reference.ts';
import { forbidden, notFound } from './http/apiError.ts';
import type { Role, RulesetRecord, User } from './store/types.ts';

/** The roles that work on rulesets at all (a region administrator on its region's variants). */
export const AUTHORING_ROLES: Role[] = ['rulesetAuthor', 'platformAdmin', 'regionAdmin'];

type Scope = Pick<RulesetRecord, 'regions' | 'overlay' | 'owner'>;

/** The owner of the platform's own rulesets (the national ones, and what authors make for regions). */
export const PLATFORM = 'platform';

const PLATFORM_ROLES: Role[] = ['rulesetAuthor', 'platformAdmin'];

/** Who a new id belongs to when `user` creates it. */
export const ownerFor = (user: User): string => (user.role === 'regionAdmin' ? user.region! : PLATFORM);

/**
 * Who a stored record belongs to. Records from before owners were kept: a variant belongs to the
 * narrowest region holding all its regions (its administrators, or those above, made it), anything
 * else to the platform.
 */
export function ownerOf(r: Scope, reference: ReferenceData): string {
  if (r.owner) return r.owner;
  if (!r.overlay || !r.regions.length) return PLATFORM;
  const paths = r.regions.map((code) => reference.regionPath(code) ?? []);
  const common = paths[0].filter((code, i) => paths.every((p) => p[i] === code));
  return common.at(-1) ?? PLATFORM;
}

/** Platform roles act for every owner; a region administrator for its own region and those below it. */
export function actsFor(user: User | undefined, owner: string, reference: ReferenceData): boolean {
  if (!user) return false;
  if (PLATFORM_ROLES.includes(user.role)) return true;
  return user.role === 'regionAdmin' && owner !== PLATFORM && !!reference.regionPath(owner)?.includes(user.region!);
}

/** Authors and platform administrators edit any ruleset; a region administrator only variants for regions within its own. */
export function mayEditRuleset(user: User | undefined, regions: string[], isVariant: boolean, reference: ReferenceData): boolean {
  if (!user) return false;
  if (PLATFORM_ROLES.includes(user.role)) return true;
  return user.role === 'regionAdmin' && isVariant && regions.length > 0 && regions.every((r) => reference.regionPath(r)?.includes(user.region!));
}

/** A stored record: its regions and kind as above, and it must belong to someone the user acts for. */
export const mayEditRecord = (user: User | undefined, r: Scope, reference: ReferenceData) =>
  mayEditRuleset(user, r.regions, !!r.overlay, reference) && actsFor(user, ownerOf(r, reference), reference);

/**
 * The owner a new version of `id` gets when `user` writes it, or why it may not: an id belongs to
 * whoever created it, so only those acting for that owner write any version of it, and a
 * national ruleset (`variant` false) is the platform's.
 */
export async function claimId(ctx: Context, user: User, id: string, variant: boolean): Promise<{ ok: true; owner: string } | { ok: false; owner: string }> {
  const owners = new Set((await ctx.store.listRulesets()).filter((r) => r.id === id).map((r) => ownerOf(r, ctx.reference)));
  if (!owners.size) return { ok: true, owner: ownerFor(user) };
  const [owner] = owners;
  const ok = owners.size === 1 && actsFor(user, owner, ctx.reference) && (variant || owner === PLATFORM);
  return { ok, owner };
}

/** Whether the ruleset is listed to `user` and its document readable. */
export const mayReadRuleset = (user: User | undefined, r: Scope & Pick<RulesetRecord, 'status'>, reference: ReferenceData) =>
  r.status === 'published' || mayEditRecord(user, r, reference);

/**
 * The record at id@version as `user` may have it. A draft only for those who may edit it (so an
 * editing route only has to refuse published versions, with a 409). `inspect` asks for what a
 * ruleset is made of (the stored overlay, lint findings, the question bank as a workbook):
 * authoring material, so a published version then only for the authoring roles.
 */
export async function rulesetFor(ctx: Context, user: User | undefined, id: string, version: string, need: 'read' | 'inspect'): Promise<RulesetRecord> {
  // getRuleset refuses ids that could not be file names; to the caller that is "no such ruleset".
  const record = await ctx.store.getRuleset(id, version).catch(() => undefined);
  const missing = () => notFound(text(`规则集 ${id}@${version} 不存在`, `no ruleset ${id}@${version}`));
  if (!record) throw missing();
  if (record.status === 'draft') {
    if (!mayEditRecord(user, record, ctx.reference)) throw missing();
    return record;
  }
  if (need === 'inspect' && !(user && AUTHORING_ROLES.includes(user.role))) throw forbidden();
  return record;
}
