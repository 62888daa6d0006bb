// Scoring: a ruleset is compiled once (per weight set, industry type and tailoring) into flat
// arrays; scoring a set of answers is then plain arithmetic over them.
//   question → sub-domain (mean or weighted) → … → level score X_n (weighted sum of the roots)
//   → reached when X_n ≥ threshold → total S by the ruleset's rule → band level.
import { NOT_APPLICABLE, type AnswerValue, type Level, type Question, type Ruleset, type WeightSet } from './schema/ruleset.ts';
import { cellKey, indexRuleset, isUnder, type IndexedNode } from './model.ts';
import { EngineError, text } from './problem.ts';
import { isNotApplicable } from './answerValue.ts';
import { checkWeightAdjustment } from './weightAdjustment.ts';

/** An enterprise's answers plus what scoring needs to know about it. */
export interface AnswerSet {
  industryType: string;
  excluded?: string[];
  answers: Record<string, AnswerValue>;
  /** Levels the enterprise submitted; when absent, every level with at least one answer counts as assessed. */
  levels?: number[];
  /** Weight set id; when absent, the one for the industry type (else the ruleset's default). */
  weightSet?: string;
  /** Weights set for this diagnosis (node id → weight), whole sibling groups within the ruleset's adjustableWeights. */
  weights?: Record<string, number>;
}

// Question score sentinels (scores themselves are in [0, 1]).
const SKIP = -1; // not counted: not applicable (renormalised) or unanswered (excluded)
const KIND_SINGLE = 0;
const KIND_MULTIPLE = 1;
const KIND_NUMBER = 2;

/** Numerical slack for comparing sums of decimal weights with thresholds and band edges. */
export const EPSILON = 1e-9;

interface LevelPlan {
  level: Level;
  questions: Question[];
  qIds: string[];
  qKind: Uint8Array;
  qLeaf: Int32Array;
  qWeight: Float64Array;
  qOptionIds: string[][];
  qOptionScores: Float64Array[];
  qAllowNa: Uint8Array;
  /** Nodes that take part at this level, children before parents. */
  nodes: IndexedNode[];
  nParent: Int32Array; // -1: the level itself
  nWeight: Float64Array; // weight in the parent's aggregation (1 where the parent takes a plain mean)
  nConstant: Float64Array; // NaN, or the fixed score of a tailored-out node counted as zero / full
  // Scratch space reused by every evaluation (scoring is synchronous, so never shared mid-use).
  acc: Float64Array;
  wacc: Float64Array;
  nScore: Float64Array;
  qScore: Float64Array;
  rootAcc: number;
  rootWacc: number;
}

export interface ScoringPlan {
  ruleset: Ruleset;
  weightSet: WeightSet | undefined;
  /** The diagnosis's own weights, when it set any. */
  adjusted: Record<string, number> | undefined;
  industryType: string;
  excluded: string[];
  levels: LevelPlan[];
  naScore: number; // SKIP, 0 or 1
  unansweredScore: number; // SKIP or 0
}

const plans = new WeakMap<Ruleset, Map<string, ScoringPlan>>();

export function pickWeightSet(ruleset: Ruleset, industryType: string, id?: string): WeightSet | undefined {
  const sets = ruleset.scoring.weightSets;
  if (id) {
    const chosen = sets.find((w) => w.id === id);
    if (!chosen) throw new EngineError([{ code: 'scoring.weightSet', pointer: '/weightSet', message: text(`不存在的权重集 "${id}"`, `no weight set "${id}"`) }]);
    return chosen;
  }
  return sets.find((w) => w.industryType === industryType) ?? sets.find((w) => w.id === ruleset.scoring.defaultWeightSet);
}

/** Weights of one sibling group: the diagnosis's own, else the level's override, else the set's table, else equal. Missing entries weigh 0. */
export function siblingWeights(weightSet: WeightSet | undefined, level: number, ids: string[], adjusted?: Record<string, number>): number[] {
  const tables = [adjusted, weightSet?.levelWeights?.[String(level)], weightSet?.weights];
  for (const table of tables) {
    if (table && ids.some((id) => table[id] !== undefined)) return ids.map((id) => table[id] ?? 0);
  }
  return ids.map(() => 1);
}

const handlingScore = (h: 'renormalize' | 'zero' | 'full') => (h === 'renormalize' ? SKIP : h === 'zero' ? 0 : 1);

export function compileScoring(ruleset: Ruleset, options: { industryType: string; excluded?: Iterable<string>; weightSet?: string; weights?: Record<string, number> }): ScoringPlan {
  const excluded = [...new Set(options.excluded ?? [])].sort();
  const adjusted = options.weights && Object.keys(options.weights).length ? options.weights : undefined;
  const adjustedKey = adjusted ? JSON.stringify(Object.entries(adjusted).sort(([a], [b]) => a.localeCompare(b))) : '';
  const key = `${options.weightSet ?? ''}|${options.industryType}|${excluded.join(',')}|${adjustedKey}`;
  let byKey = plans.get(ruleset);
  const hit = byKey?.get(key);
  if (hit) return hit;

  const index = indexRuleset(ruleset);
  const weightSet = pickWeightSet(ruleset, options.industryType, options.weightSet);
  if (adjusted) {
    const problems = checkWeightAdjustment(ruleset, weightSet, adjusted);
    if (problems.length) throw new EngineError(problems);
  }
  const excludedSet = new Set(excluded);
  const { aggregation } = ruleset.scoring;
  const tailoredScore = handlingScore(ruleset.scoring.excluded.tailored);
  const aggregationOf = (n: IndexedNode | undefined) => (n ? aggregation.layers[n.layerId] ?? 'weighted' : aggregation.level);

  const levels = index.levels.map((level): LevelPlan => {
    const questions = ruleset.questions.filter(
      (q) => q.level === level.number && q.kind !== 'text' && q.scored !== false && (!q.industryTypes || q.industryTypes.includes(options.industryType)),
    );
    // A node takes part when a question below it is in play, or when it is tailored out but
    // counted as a constant (zero / full) and would have had questions.
    const counted = new Set(questions);
    const hasQuestions = (n: IndexedNode): boolean =>
      n.isLeaf ? (index.cell.get(cellKey(n.id, level.number)) ?? []).some((q) => counted.has(q)) : n.children.some(hasQuestions);
    const participating: IndexedNode[] = [];
    const constant = new Map<IndexedNode, number>();
    const visit = (n: IndexedNode) => {
      if (!hasQuestions(n)) return;
      if (excludedSet.has(n.id) || (n.parent && isUnder(n.parent, excludedSet))) {
        if (tailoredScore !== SKIP && excludedSet.has(n.id)) {
          constant.set(n, tailoredScore);
          participating.push(n);
        }
        return;
      }
      n.children.forEach(visit);
      participating.push(n); // post-order: children first
    };
    index.roots.forEach(visit);
    const slot = new Map(participating.map((n, i) => [n, i]));
    const nParent = new Int32Array(participating.length);
    const nWeight = new Float64Array(participating.length);
    const nConstant = new Float64Array(participating.length).fill(NaN);
    const groups = new Map<IndexedNode | undefined, IndexedNode[]>();
    for (const n of participating) {
      const siblings = groups.get(n.parent);
      if (siblings) siblings.push(n);
      else groups.set(n.parent, [n]);
    }
    for (const [parent, siblings] of groups) {
      const weights = aggregationOf(parent) === 'mean' ? siblings.map(() => 1) : siblingWeights(weightSet, level.number, siblings.map((s) => s.id), adjusted);
      siblings.forEach((s, i) => {
        const at = slot.get(s)!;
        nParent[at] = parent ? slot.get(parent)! : -1;
        nWeight[at] = weights[i];
        if (constant.has(s)) nConstant[at] = constant.get(s)!;
      });
    }
    const inPlay = questions.filter((q) => {
      const leaf = index.nodeById.get(q.subDomain);
      return leaf && slot.has(leaf) && !constant.has(leaf) && !isUnder(leaf, excludedSet);
    });
    const questionWeighted = (leafLayer: string) => aggregation.layers[leafLayer] === 'weighted';
    return {
      level,
      questions: inPlay,
      qIds: inPlay.map((q) => q.id),
      qKind: Uint8Array.from(inPlay, (q) => (q.kind === 'multiple' ? KIND_MULTIPLE : q.kind === 'number' ? KIND_NUMBER : KIND_SINGLE)),
      qLeaf: Int32Array.from(inPlay, (q) => slot.get(index.nodeById.get(q.subDomain)!)!),
      qWeight: Float64Array.from(inPlay, (q) => (questionWeighted(index.nodeById.get(q.subDomain)!.layerId) ? q.weight ?? 1 : 1)),
      qOptionIds: inPlay.map((q) => (q.options ?? []).map((o) => o.id)),
      qOptionScores: inPlay.map((q) => Float64Array.from(q.options ?? [], (o) => o.score ?? 0)),
      qAllowNa: Uint8Array.from(inPlay, (q) => (q.notApplicable ? 1 : 0)),
      nodes: participating,
      nParent,
      nWeight,
      nConstant,
      acc: new Float64Array(participating.length),
      wacc: new Float64Array(participating.length),
      nScore: new Float64Array(participating.length),
      qScore: new Float64Array(inPlay.length),
      rootAcc: 0,
      rootWacc: 0,
    };
  });

  const plan: ScoringPlan = {
    ruleset,
    weightSet,
    adjusted,
    industryType: options.industryType,
    excluded,
    levels,
    naScore: handlingScore(ruleset.scoring.excluded.notApplicable),
    unansweredScore: ruleset.scoring.unanswered === 'zero' ? 0 : SKIP,
  };
  if (!byKey) plans.set(ruleset, (byKey = new Map()));
  byKey.set(key, plan);
  return plan;
}

function numberScore(question: Question, value: number): number {
  for (const band of question.scoreBands ?? []) {
    if (value >= band.min && (band.max === undefined || value < band.max)) return band.score;
  }
  return 0;
}

/** Fills the level's scratch arrays; returns X_n, or NaN when nothing at the level counts. */
function evaluateLevel(plan: ScoringPlan, lp: LevelPlan, answers: Record<string, AnswerValue>): number {
  const { acc, wacc, nScore, qScore, qIds, qKind, qLeaf, qWeight, qOptionIds, qOptionScores, qAllowNa, nParent, nWeight, nConstant } = lp;
  acc.fill(0);
  wacc.fill(0);
  for (let i = 0; i < qIds.length; i++) {
    const answer = answers[qIds[i]];
    let s: number;
    if (answer === undefined || answer === null) s = plan.unansweredScore;
    else if (qAllowNa[i] === 1 && isNotApplicable(answer)) s = plan.naScore;
    else if (qKind[i] === KIND_SINGLE) {
      const at = qOptionIds[i].indexOf(answer as string);
      s = at < 0 ? plan.unansweredScore : qOptionScores[i][at];
    } else if (qKind[i] === KIND_MULTIPLE) {
      s = multipleScore(lp.questions[i], qOptionIds[i], qOptionScores[i], answer);
    } else s = typeof answer === 'number' ? numberScore(lp.questions[i], answer) : plan.unansweredScore;
    qScore[i] = s;
    if (s === SKIP) continue;
    const leaf = qLeaf[i];
    acc[leaf] += qWeight[i] * s;
    wacc[leaf] += qWeight[i];
  }
  let rootAcc = 0;
  let rootWacc = 0;
  for (let n = 0; n < nParent.length; n++) {
    const s = nConstant[n] === nConstant[n] ? nConstant[n] : wacc[n] > 0 ? acc[n] / wacc[n] : NaN;
    nScore[n] = s;
    if (s !== s) continue; // nothing counted below: the node drops out and its siblings renormalise
    const w = nWeight[n];
    const p = nParent[n];
    if (p < 0) {
      rootAcc += w * s;
      rootWacc += w;
    } else {
      acc[p] += w * s;
      wacc[p] += w;
    }
  }
  lp.rootAcc = rootAcc;
  lp.rootWacc = rootWacc;
  return rootWacc > 0 ? rootAcc / rootWacc : NaN;
}

function multipleScore(question: Question, ids: string[], scores: Float64Array, answer: AnswerValue): number {
  if (!Array.isArray(answer)) return SKIP;
  let sum = 0;
  let max = 0;
  for (const id of answer) {
    const at = ids.indexOf(id);
    if (at < 0) continue;
    sum += scores[at];
    if (scores[at] > max) max = scores[at];
  }
  return question.aggregate === 'max' ? max : Math.min(1, sum);
}

export interface LevelResult {
  level: number;
  code: string;
  threshold: number;
  assessed: boolean;
  /** X_n in [0, 1]; null when the level was not assessed. */
  score: number | null;
  reached: boolean | null;
  /** Node id → score at this level (null: no questions counted); present with detail "nodes" or "trace". */
  nodes?: Record<string, number | null>;
}

export interface ScoreResult {
  ruleset: string;
  weightSet: string | null;
  /** The diagnosis's own weights, when it set any (reproducing the result needs them). */
  weights?: Record<string, number>;
  industryType: string;
  excluded: string[];
  levels: LevelResult[];
  /** Highest level reached with every lower level reached too. */
  consecutiveLevel: number;
  /** Total maturity score S. */
  total: number;
  totalRule: Ruleset['scoring']['total']['rule'];
  bandLevel: number;
  /** The result's level, by the ruleset's `levelBy`. */
  level: number;
  /** Whether the band of S and the consecutive rule agree. */
  consistent: boolean;
  trace?: LevelTrace[];
}

export interface QuestionTrace {
  id: string;
  number: string;
  answer: AnswerValue | null;
  status: 'answered' | 'notApplicable' | 'unanswered';
  score: number | null;
  weight: number;
}

export interface NodeTrace {
  id: string;
  layer: string;
  score: number | null;
  weight: number;
  /** Weight after renormalisation among the siblings that counted. */
  share: number | null;
  constant?: 'tailoredZero' | 'tailoredFull';
  children?: NodeTrace[];
  questions?: QuestionTrace[];
}

export interface LevelTrace {
  level: number;
  score: number | null;
  threshold: number;
  reached: boolean | null;
  formula: string;
  nodes: NodeTrace[];
}

export type Detail = 'summary' | 'nodes' | 'trace';

const round = (x: number, decimals: number) => {
  const f = 10 ** decimals;
  return Math.round(x * f) / f;
};

/** Scores an answer set. `detail` trades speed for output: summary < nodes (per-node scores) < trace. */
export function score(ruleset: Ruleset, answerSet: AnswerSet, detail: Detail = 'nodes'): ScoreResult {
  const plan = compileScoring(ruleset, { industryType: answerSet.industryType, excluded: answerSet.excluded, weightSet: answerSet.weightSet, weights: answerSet.weights });
  return scoreWithPlan(plan, answerSet, detail);
}

export function scoreWithPlan(plan: ScoringPlan, answerSet: AnswerSet, detail: Detail = 'nodes'): ScoreResult {
  const { ruleset } = plan;
  const answers = answerSet.answers;
  const submitted = answerSet.levels ? new Set(answerSet.levels) : undefined;
  const levels: LevelResult[] = [];
  const trace: LevelTrace[] | undefined = detail === 'trace' ? [] : undefined;
  for (const lp of plan.levels) {
    const assessed = submitted ? submitted.has(lp.level.number) : lp.qIds.some((id) => answers[id] !== undefined);
    const entry: LevelResult = { level: lp.level.number, code: lp.level.code, threshold: lp.level.threshold, assessed, score: null, reached: null };
    if (assessed) {
      const x = evaluateLevel(plan, lp, answers);
      entry.score = x === x ? x : 0;
      entry.reached = x === x && x >= lp.level.threshold - EPSILON;
      if (detail !== 'summary') {
        const nodes: Record<string, number | null> = {};
        lp.nodes.forEach((n, i) => (nodes[n.id] = lp.nScore[i] === lp.nScore[i] ? lp.nScore[i] : null));
        entry.nodes = nodes;
      }
      if (trace) trace.push(levelTrace(plan, lp, answers, entry));
    }
    levels.push(entry);
  }
  return summarize(plan, levels, trace);
}

function summarize(plan: ScoringPlan, levels: LevelResult[], trace: LevelTrace[] | undefined): ScoreResult {
  const { scoring } = plan.ruleset;
  let consecutive = 0;
  for (const l of levels) {
    if (l.reached) consecutive = l.level;
    else break;
  }
  let total = 0;
  if (scoring.total.rule === 'gatedSum') {
    for (const l of levels) {
      if (!l.assessed) break;
      total += l.score!;
      if (!l.reached) break;
    }
  } else {
    const passed = levels.findIndex((l) => !l.reached);
    const k = passed < 0 ? levels.length : passed;
    const next = levels[k];
    total = k + (next?.assessed ? next.score! : 0);
  }
  const decimals = scoring.total.decimals ?? 4;
  total = round(total, decimals);
  const bandLevel = bandOf(plan.ruleset, total);
  const level = scoring.levelBy === 'band' ? bandLevel : consecutive;
  return {
    ruleset: `${plan.ruleset.id}@${plan.ruleset.version}`,
    weightSet: plan.weightSet?.id ?? null,
    ...(plan.adjusted ? { weights: plan.adjusted } : {}),
    industryType: plan.industryType,
    excluded: plan.excluded,
    levels,
    consecutiveLevel: consecutive,
    total,
    totalRule: scoring.total.rule,
    bandLevel,
    level,
    consistent: bandLevel === consecutive,
    ...(trace ? { trace } : {}),
  };
}

/** The band level of a total score S (0 when it falls in no band). */
export function bandOf(ruleset: Ruleset, total: number): number {
  for (const band of ruleset.scoring.bands) {
    const above = total >= band.min - EPSILON;
    const below = band.inclusiveMax ? total <= band.max + EPSILON : total < band.max - EPSILON;
    if (above && below) return band.level;
  }
  return 0;
}

function levelTrace(plan: ScoringPlan, lp: LevelPlan, answers: Record<string, AnswerValue>, entry: LevelResult): LevelTrace {
  const built = lp.nodes.map((n, i): NodeTrace => {
    const constant = lp.nConstant[i] === lp.nConstant[i];
    return {
      id: n.id,
      layer: n.layerId,
      score: lp.nScore[i] === lp.nScore[i] ? lp.nScore[i] : null,
      weight: lp.nWeight[i],
      share: null,
      ...(constant ? { constant: lp.nConstant[i] === 0 ? ('tailoredZero' as const) : ('tailoredFull' as const) } : {}),
      ...(n.isLeaf && !constant ? { questions: [] } : { children: [] }),
    };
  });
  const roots: NodeTrace[] = [];
  lp.nodes.forEach((_, i) => {
    const t = built[i];
    const p = lp.nParent[i];
    const denominator = p < 0 ? lp.rootWacc : lp.wacc[p];
    if (t.score !== null && denominator > 0) t.share = t.weight / denominator;
    if (p < 0) roots.push(t);
    else built[p].children!.push(t);
  });
  lp.qIds.forEach((id, i) => {
    const answer = answers[id];
    const s = lp.qScore[i];
    const status = answer === undefined || answer === null ? 'unanswered' : lp.qAllowNa[i] && isNotApplicable(answer) ? 'notApplicable' : 'answered';
    built[lp.qLeaf[i]].questions!.push({ id, number: lp.questions[i].number, answer: answer ?? null, status, score: s === SKIP ? null : s, weight: lp.qWeight[i] });
  });
  const formula = `X${lp.level.number} = Σ share × score over ${roots.filter((r) => r.score !== null).length} top-level nodes = ${entry.score?.toFixed(4)}; reached when ≥ ${lp.level.threshold}`;
  return { level: lp.level.number, score: entry.score, threshold: lp.level.threshold, reached: entry.reached, formula, nodes: roots };
}

/**
 * The share of X_n that each question in play carries under the answers given (after
 * renormalisation), with its current score: the basis of gap analysis.
 */
export function questionInfluence(plan: ScoringPlan, levelNumber: number, answers: Record<string, AnswerValue>): { x: number; items: { question: Question; share: number; score: number | null }[] } | undefined {
  const lp = plan.levels.find((l) => l.level.number === levelNumber);
  if (!lp) return undefined;
  const x = evaluateLevel(plan, lp, answers);
  const nodeShare = new Float64Array(lp.nodes.length);
  for (let n = lp.nodes.length - 1; n >= 0; n--) {
    // Parents come after their children, so walk backwards to see each parent first.
    const p = lp.nParent[n];
    const denominator = p < 0 ? lp.rootWacc : lp.wacc[p];
    const parentShare = p < 0 ? 1 : nodeShare[p];
    nodeShare[n] = lp.nScore[n] === lp.nScore[n] && denominator > 0 ? (parentShare * lp.nWeight[n]) / denominator : 0;
  }
  const items = lp.questions.map((question, i) => {
    const leaf = lp.qLeaf[i];
    const s = lp.qScore[i];
    // A question that did not count has no share now; if answered, it would join its leaf's mean.
    const share = s === SKIP ? 0 : lp.wacc[leaf] > 0 ? (nodeShare[leaf] * lp.qWeight[i]) / lp.wacc[leaf] : 0;
    return { question, share, score: s === SKIP ? null : s };
  });
  return { x: x === x ? x : 0, items };
}
