// Which finished diagnosis is an enterprise's result: the platform counts one per enterprise, so
// that a region's figures do not grow with how often its enterprises try.
import type { Ruleset } from '../../engine/index.ts';

export type CountingRule = Ruleset['counting']['result'];

interface Finished {
  finishedAt?: string;
  total?: number;
}

/**
 * The counted one among finished diagnoses ordered by finishedAt (oldest first), looking at the
 * first `upTo` only (the result as of some earlier moment). The rule is the one of the latest
 * diagnosis's ruleset: `last` counts the latest, `best` the highest total (the later on a tie).
 */
export function countedDiagnosis<T extends Finished>(finished: readonly T[], ruleOf: (d: T) => CountingRule, upTo = finished.length): T | undefined {
  if (upTo <= 0) return undefined;
  const last = finished[upTo - 1];
  if (ruleOf(last) !== 'best') return last;
  let best = last;
  for (let i = upTo - 2; i >= 0; i--) if ((finished[i].total ?? 0) > (best.total ?? 0)) best = finished[i];
  return best;
}

export const byFinishedAt = (a: Finished, b: Finished) => (a.finishedAt ?? '').localeCompare(b.finishedAt ?? '');
