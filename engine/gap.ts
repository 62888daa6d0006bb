// What stands between a result and the next level: the sub-domains below the threshold, the
// questions holding the level back, and a smallest set of answer changes that reaches it.
import type { AnswerValue, Question, Ruleset } from './schema/ruleset.ts';
import { compileScoring, questionInfluence, score, EPSILON, type AnswerSet } from './scoring.ts';

export interface AnswerChange {
  questionId: string;
  number: string;
  subDomain: string;
  from: AnswerValue | null;
  to: string;
  /** How much X_n rises with this change. */
  gain: number;
}

export interface Gap {
  /** The level to reach next; null when every level is reached. */
  targetLevel: number | null;
  score: number;
  threshold: number;
  shortfall: number;
  weakSubDomains: { id: string; score: number }[];
  heldBack: { questionId: string; number: string; subDomain: string; answer: AnswerValue | null; score: number | null; potential: number }[];
  changes: AnswerChange[];
  /** Whether changing answers (other than "not applicable" ones) can reach the level at all. */
  reachable: boolean;
}

const bestOption = (q: Question) =>
  (q.options ?? []).reduce<{ id: string; score: number } | undefined>((best, o) => (o.score !== undefined && (!best || o.score > best.score) ? { id: o.id, score: o.score } : best), undefined);

export function gapAnalysis(ruleset: Ruleset, answerSet: AnswerSet): Gap {
  const result = score(ruleset, answerSet, 'nodes');
  const target = result.levels.find((l) => !l.reached);
  if (!target) return { targetLevel: null, score: 0, threshold: 0, shortfall: 0, weakSubDomains: [], heldBack: [], changes: [], reachable: true };
  const plan = compileScoring(ruleset, { industryType: answerSet.industryType, excluded: answerSet.excluded, weightSet: answerSet.weightSet });
  const influence = questionInfluence(plan, target.level, answerSet.answers)!;
  const threshold = target.threshold;
  const x = influence.x;
  const leafIds = new Set(ruleset.questions.filter((q) => q.level === target.level).map((q) => q.subDomain));
  const nodeScores = target.nodes ?? {};
  const weakSubDomains = Object.entries(nodeScores)
    .filter(([id, s]) => leafIds.has(id) && s !== null && s < threshold - EPSILON)
    .map(([id, s]) => ({ id, score: s as number }))
    .sort((a, b) => a.score - b.score);

  // Each change lifts X_n by share × (new score − old score), independently of the others, so
  // taking the largest gains first gives the fewest changes.
  const candidates = influence.items
    .filter((i) => i.share > 0 && i.question.kind === 'single')
    .map((i) => {
      const best = bestOption(i.question);
      return { ...i, best, gain: best ? i.share * (best.score - (i.score ?? 0)) : 0 };
    })
    .filter((c) => c.best && c.gain > EPSILON)
    .sort((a, b) => b.gain - a.gain);
  const heldBack = candidates.map((c) => ({
    questionId: c.question.id,
    number: c.question.number,
    subDomain: c.question.subDomain,
    answer: answerSet.answers[c.question.id] ?? null,
    score: c.score,
    potential: c.gain,
  }));
  const changes: AnswerChange[] = [];
  let reached = x;
  for (const c of candidates) {
    if (reached >= threshold - EPSILON) break;
    const need = threshold - reached;
    // The last change only needs to close the remaining gap: pick the lowest option that does.
    const options = (c.question.options ?? []).filter((o) => o.score !== undefined && o.score > (c.score ?? 0)).sort((a, b) => a.score! - b.score!);
    const enough = options.find((o) => c.share * (o.score! - (c.score ?? 0)) >= need - EPSILON) ?? options[options.length - 1];
    const gain = c.share * (enough.score! - (c.score ?? 0));
    changes.push({ questionId: c.question.id, number: c.question.number, subDomain: c.question.subDomain, from: answerSet.answers[c.question.id] ?? null, to: enough.id, gain });
    reached += gain;
  }
  const reachable = reached >= threshold - EPSILON;
  return {
    targetLevel: target.level,
    score: x,
    threshold,
    shortfall: Math.max(0, threshold - x),
    weakSubDomains,
    heldBack,
    changes: reachable ? changes : [],
    reachable,
  };
}
