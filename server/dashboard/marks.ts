// What administrators decide about their region, kept as store settings per region: the
// benchmark enterprises they pick (树标杆; a province and a city each keep their own) and the
// shares of enterprises at a level or above they aim for.
import type { Store } from '../store/types.ts';
import type { Target } from './overview.ts';
import { settingKey, type RegionScope } from './regionScope.ts';

const benchmarksKey = (scope: RegionScope) => `benchmarks:${settingKey(scope)}`;
const targetsKey = (scope: RegionScope) => `regionTargets:${settingKey(scope)}`;

export async function benchmarksOf(store: Store, scope: RegionScope): Promise<Set<string>> {
  return new Set((await store.getSetting<string[]>(benchmarksKey(scope))) ?? []);
}

/** Marks or unmarks in one store operation, so two administrators of a region never undo each other's marks. */
export async function markBenchmark(store: Store, scope: RegionScope, enterpriseId: string, benchmark: boolean): Promise<void> {
  await store.updateSetting<string[]>(benchmarksKey(scope), (current = []) => {
    const rest = current.filter((id) => id !== enterpriseId);
    const next = benchmark ? [...rest, enterpriseId] : rest;
    return next.length ? next : undefined;
  });
}

export async function targetsOf(store: Store, scope: RegionScope): Promise<Target[]> {
  return (await store.getSetting<Target[]>(targetsKey(scope))) ?? [];
}

export async function setTargets(store: Store, scope: RegionScope, targets: Target[]): Promise<void> {
  await store.putSetting(targetsKey(scope), targets.length ? [...targets].sort((a, b) => a.level - b.level) : undefined);
}
