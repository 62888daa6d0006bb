// Region settings Ladder ships (server/data/regionSettings.json): a province's targets, a
// sub-platform. Each is applied once to a store that lacks it, remembered under `bundled:<key>`,
// so an administrator who later changes or clears it is never overridden by a restart.
import { readFileSync } from 'node:fs';
import type { Context } from './context.ts';
import type { Target } from './dashboard/overview.ts';
import { setTargets, targetsOf } from './dashboard/marks.ts';
import { changeRecords, type SubPlatform } from './regions/records.ts';

interface BundledSettings {
  targets: Record<string, Target[]>;
  subPlatforms: Record<string, Omit<SubPlatform, 'updatedAt'>>;
}

const bundled = (): BundledSettings => JSON.parse(readFileSync(new URL('./data/regionSettings.json', import.meta.url), 'utf8'));

/** Runs `apply` the first time `key` is seen by this store; true when it ran. */
async function once(ctx: Context, key: string, apply: () => Promise<void>): Promise<boolean> {
  const marker = `bundled:${key}`;
  if (await ctx.store.getSetting<boolean>(marker)) return false;
  await apply();
  await ctx.store.putSetting(marker, true);
  return true;
}

/** The bundled region settings this store has not had yet; returns what it applied. Run after the bundled rulesets are published. */
export async function applyBundledSettings(ctx: Context): Promise<string[]> {
  const applied: string[] = [];
  const { targets, subPlatforms } = bundled();
  for (const [code, list] of Object.entries(targets)) {
    const scope = { code, path: ctx.reference.regionPath(code) ?? [code] };
    const ran = await once(ctx, `targets:${code}`, async () => {
      // Targets an administrator already set stay.
      if (!(await targetsOf(ctx.store, scope)).length) await setTargets(ctx.store, scope, list);
    });
    if (ran) applied.push(`targets:${code}`);
  }
  for (const [code, subPlatform] of Object.entries(subPlatforms)) {
    const ran = await once(ctx, `subPlatform:${code}`, () =>
      changeRecords(ctx, (current) => {
        if (current.profiles[code]?.subPlatform) return { next: current, result: undefined };
        const next = { ...current, profiles: { ...current.profiles, [code]: { ...current.profiles[code], subPlatform: { ...subPlatform, updatedAt: ctx.now().toISOString() } } } };
        return { next, result: undefined };
      }),
    );
    if (ran) applied.push(`subPlatform:${code}`);
  }
  return applied;
}
