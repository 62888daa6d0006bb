// What rules know about an enterprise, from the platform's data: its registration (industry type,
// region, size band, revenue), whether it is 规上 by the platform's threshold, and whether an
// administrator of one of its regions picked it as a benchmark (树标杆).
import type { EnterpriseFacts } from '../engine/index.ts';
import type { Context } from './context.ts';
import type { ReferenceData } from './reference.ts';
import type { Enterprise } from './store/types.ts';
import { benchmarksOf } from './dashboard/marks.ts';

/** The facts of an enterprise whose benchmark mark is already known. */
export function factsOf(reference: ReferenceData, e: Enterprise, benchmark: boolean): EnterpriseFacts {
  return {
    industryType: e.industryType,
    enterpriseType: e.enterpriseType,
    industry: e.industry,
    regionPath: e.regionPath,
    sizeBand: e.sizeBand,
    revenue: e.revenue,
    aboveScale: e.revenue >= reference.aboveScale.minRevenue,
    benchmark,
  };
}

/** Marked by the country's administrators or by those of any region on its path. */
export async function isBenchmark(ctx: Context, e: Enterprise): Promise<boolean> {
  const scopes = [{ code: null, path: [] }, ...e.regionPath.map((code, i) => ({ code, path: e.regionPath.slice(0, i + 1) }))];
  for (const scope of scopes) if ((await benchmarksOf(ctx.store, scope)).has(e.id)) return true;
  return false;
}

export async function enterpriseFacts(ctx: Context, e: Enterprise): Promise<EnterpriseFacts> {
  return factsOf(ctx.reference, e, await isBenchmark(ctx, e));
}
