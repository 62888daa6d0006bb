// Rulesets on the platform: the bundled ones are stored on first start (published, unless the file
// is a draft); an enterprise gets its province's variant when one is published for its region (the
// one its sub-platform chose, if it chose), else the platform's default.
import { compareVersions, type Ruleset } from '../engine/index.ts';
import { bundledRulesetFiles, loadRulesetFile } from '../cli/rulesetFiles.ts';
import type { Context } from './context.ts';
import type { Enterprise, RulesetRecord } from './store/types.ts';
import { chosenRuleset } from './regions/subPlatform.ts';
import { ownerOf, PLATFORM } from './rulesetAccess.ts';

export async function publishBundled(ctx: Context): Promise<string[]> {
  const stored: string[] = [];
  const existing = new Set((await ctx.store.listRulesets()).map((r) => `${r.id}@${r.version}`));
  for (const file of bundledRulesetFiles()) {
    const document = loadRulesetFile(file);
    const key = `${document.id}@${document.version}`;
    if (existing.has(key)) continue;
    // A bundled draft (a standard's revision draft) stays a draft: authors can open it, no enterprise is given it.
    const published = document.status === 'published';
    await ctx.store.putRuleset({ id: document.id, version: document.version, status: document.status, document, regions: document.regions ?? [], ...(published ? { publishedAt: ctx.now().toISOString() } : {}), owner: PLATFORM });
    stored.push(key);
  }
  return stored;
}

/** The most recently published (a region that publishes a new ruleset means it), then the highest version. */
const newest = <T extends { version: string; publishedAt?: string }>(list: T[]) =>
  [...list].sort((a, b) => (b.publishedAt ?? '').localeCompare(a.publishedAt ?? '') || compareVersions(b.version, a.version))[0];

/**
 * The ruleset a new diagnosis of this enterprise uses: the most specific regional one (among
 * equals the one the region's sub-platform chose, else the latest published), else the newest
 * national version of the default.
 */
export async function rulesetForEnterprise(ctx: Context, enterprise: Enterprise): Promise<RulesetRecord | undefined> {
  const published = (await ctx.store.listRulesets()).filter((r) => r.status === 'published');
  for (const code of [...enterprise.regionPath].reverse()) {
    const regional = published.filter((r) => r.regions.includes(code));
    if (!regional.length) continue;
    const chosen = await chosenRuleset(ctx, code);
    const pick = regional.find((r) => `${r.id}@${r.version}` === chosen) ?? newest(regional);
    return ctx.store.getRuleset(pick.id, pick.version);
  }
  // Only a national ruleset serves the whole country: one published for some regions never does.
  const base = published.filter((r) => r.id === ctx.reference.defaultRuleset && !r.regions.length && ownerOf(r, ctx.reference) === PLATFORM);
  const chosen = base.length ? newest(base) : undefined;
  return chosen && ctx.store.getRuleset(chosen.id, chosen.version);
}

export async function pinnedRuleset(ctx: Context, id: string, version: string): Promise<Ruleset> {
  const record = await ctx.store.getRuleset(id, version);
  if (!record) throw new Error(`ruleset ${id}@${version} is missing from the store`);
  return record.document;
}
