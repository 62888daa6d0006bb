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

type Scope = Pick<RulesetRecord, 'regions' | 'overlay'>;

/** Authors and platform administrators edit any ruleset; a region administrator only variants for regions within its own. */
export function mayEditRuleset(user: User | undefined, regions: string[], isVariant: boolean, reference: ReferenceData): boolean {
  if (!user) return false;
  if (user.role === 'platformAdmin' || user.role === 'rulesetAuthor') return true;
  return user.role === 'regionAdmin' && isVariant && regions.length > 0 && regions.every((r) => reference.regionPath(r)?.includes(user.region!));
}

export const mayEditRecord = (user: User | undefined, r: Scope, reference: ReferenceData) => mayEditRuleset(user, r.regions, !!r.overlay, reference);

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
