// The part of a finished diagnosis's result that dashboards average, small enough to keep for
// every diagnosis: reading 60,000 snapshot files per request is out of the question.
import type { ScoreResult } from '../../engine/index.ts';
import type { DiagnosisProfile } from '../store/types.ts';

/** Three decimals: averages are shown with at most two, and the stored line stays short. */
const round = (x: number) => Math.round(x * 1000) / 1000;

/**
 * The node scores at the level the enterprise's report draws its radar for (the highest level
 * reached, else the first assessed), so a region's averages agree with what its enterprises see.
 */
export function profileOf(result: ScoreResult): DiagnosisProfile | undefined {
  const assessed = result.levels.filter((l) => l.assessed);
  const shown = [...assessed].reverse().find((l) => l.reached) ?? assessed[0];
  if (!shown) return undefined;
  const nodes: Record<string, number> = {};
  for (const [id, score] of Object.entries(shown.nodes ?? {})) if (typeof score === 'number') nodes[id] = round(score);
  return { level: shown.level, nodes };
}
