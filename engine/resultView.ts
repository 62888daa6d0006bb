// What a result is, and how it is told: the one view every place shows (the result page, the
// report, the dashboard's averages, the command line). Nothing outside the engine decides which
// level to describe, which layer the radar groups by, how a level is named or how a number is
// rounded: they render this.
import type { AnswerValue, I18n, IndicatorField, PolicyRule, Ruleset } from './schema/ruleset.ts';
import { indexRuleset, localized, type IndexedNode } from './model.ts';
import { EPSILON, score, type AnswerSet, type LevelResult, type LevelTrace, type ScoreResult } from './scoring.ts';
import { gapAnalysis } from './gap.ts';
import { applicablePolicies, policyFacts } from './policies.ts';
import type { EnterpriseFacts } from './tailoring.ts';
import { text, type Text } from './problem.ts';
import type { IndicatorValue } from './progression.ts';
import type { ResultView, ShownScore, ViewLevel, ViewNode, ViewTrace } from './schema/resultView.ts';
import { localTime } from './localTime.ts';

export type { ResultView, ShownScore, ViewLeaf, ViewLevel, ViewNode, ViewTrace } from './schema/resultView.ts';

type Locale = 'zh' | 'en';

// ---------------------------------------------------------------- how a ruleset tells results

export interface PresentationRules {
  profile: 'firstNotReached' | 'highestReached';
  shareLevels: number[];
  /** Index of the model layer the radar and averages group by (0 = top). */
  groupDepth: number;
  groupLayer: { id: string; name: I18n };
  decimals: number;
}

/** The ruleset's `presentation`, with its defaults: the first level not reached, the layer above the leaves, 2 decimals. */
export function presentationOf(r: Ruleset): PresentationRules {
  const layers = r.model.layers;
  const declared = r.presentation?.groupBy ? layers.findIndex((l) => l.id === r.presentation!.groupBy) : -1;
  const groupDepth = declared >= 0 ? declared : Math.max(0, layers.length - 2);
  return { profile: r.presentation?.profile ?? 'firstNotReached', shareLevels: r.presentation?.shareLevels ?? [], groupDepth, groupLayer: layers[groupDepth], decimals: r.presentation?.decimals ?? 2 };
}

/**
 * The one name of a level number: the level's title (二级（规范级）) or name (规范级), or below the
 * first level the label of the band the ruleset gives level 0 (一级以下).
 */
export function levelName(r: Ruleset, n: number): I18n {
  const level = r.levels.find((l) => l.number === n);
  if (level) return level.title ?? level.name;
  return r.scoring.bands.find((b) => b.level === n)?.label ?? (n === 0 ? { zh: '未达到一级', en: 'below level 1' } : { zh: String(n), en: String(n) });
}


/**
 * A number as shown, never on the other side of a boundary from its value: with a threshold of
 * 0.8, X = 0.7955 shows 0.79 (not "0.80", beside "not reached"); with a band edge of 1.8, S = 1.7999
 * shows 1.79. A value within EPSILON of a boundary counts as on it, as the engine decides.
 */
export function shown(value: number, decimals: number, boundaries: number[] = []): ShownScore {
  const f = 10 ** decimals;
  let v = Math.round(value * f) / f;
  for (const b of boundaries) {
    const below = value < b - EPSILON;
    if (below && v >= b) v = Math.floor(value * f) / f;
    else if (!below && v < b) v = Math.ceil(value * f - 1e-9) / f;
  }
  return { value, text: v.toFixed(decimals) };
}

/** A boundary just above 0: something positive is never shown as 0. */
const POSITIVE = 1e-6;

/** Every band edge, so S is shown in the band it is in. */
const bandEdges = (r: Ruleset) => [...new Set(r.scoring.bands.flatMap((b) => [b.min, b.max]))];

/** S as every place shows it: the ruleset's decimals, inside its band. */
export const shownTotal = (r: Ruleset, total: number): ShownScore => shown(total, presentationOf(r).decimals, bandEdges(r));

// ---------------------------------------------------------------- the profile

/** The level a result's profile describes, by the ruleset's rule; undefined when nothing was assessed. */
export function profileLevel(r: Ruleset, result: ScoreResult): LevelResult | undefined {
  const assessed = result.levels.filter((l) => l.assessed);
  const highestReached = [...assessed].reverse().find((l) => l.reached);
  if (presentationOf(r).profile === 'highestReached') return highestReached ?? assessed[0];
  return assessed.find((l) => !l.reached) ?? highestReached;
}

/** What dashboards keep about a finished result: its profile level and node scores there (3 decimals). */
export interface ResultProfile {
  level: number;
  nodes: Record<string, number>;
}

export function resultProfile(r: Ruleset, result: ScoreResult): ResultProfile | undefined {
  const level = profileLevel(r, result);
  if (!level) return undefined;
  const nodes: Record<string, number> = {};
  for (const [id, s] of Object.entries(level.nodes ?? {})) if (typeof s === 'number') nodes[id] = Math.round(s * 1000) / 1000;
  return { level: level.level, nodes };
}

/** The nodes the radar and the dashboard's averages group by (the ruleset's `presentation.groupBy` layer). */
export const groupNodes = (r: Ruleset): IndexedNode[] => indexRuleset(r).nodes.filter((n) => n.depth === presentationOf(r).groupDepth);

// ---------------------------------------------------------------- words for the ruleset's choices

const WORDS = {
  totalRule: {
    gatedSum: text('S = X₁ + X₂ + …，累加至第一个未达到的等级（含该级）', 'S = X1 + X2 + …, up to and including the first level not reached'),
    passedPlusNext: text('S = 已连续达到的等级数 k + 第 k+1 级的得分 X(k+1)', 'S = the number k of levels reached in a row + the score X(k+1) of the next level'),
  },
  levelBy: {
    consecutive: text('连续达到的最高等级（每一级都须达到其门槛）', 'the highest level reached with every level below it reached'),
    band: text('S 所在的区间', 'the band S falls in'),
  },
  tailored: {
    renormalize: text('裁剪掉的部分不计分，其余按权重重新归一', 'tailored-out parts do not count; the others are reweighted to make up the whole'),
    zero: text('裁剪掉的部分计 0 分', 'tailored-out parts count as 0'),
    full: text('裁剪掉的部分计满分', 'tailored-out parts count as full marks'),
  },
  notApplicable: {
    renormalize: text('选“企业不涉及此题目”的题不计分，同组其余题重新归一', 'questions answered "not applicable" do not count; the others in their group are reweighted'),
    zero: text('选“企业不涉及此题目”的题计 0 分', 'questions answered "not applicable" count as 0'),
    full: text('选“企业不涉及此题目”的题计满分', 'questions answered "not applicable" count as full marks'),
  },
  aggregation: {
    weighted: text('加权平均', 'weighted average'),
    mean: text('算术平均', 'mean'),
  },
  outcome: {
    reached: text('达到', 'reached'),
    notReached: text('未达到', 'not reached'),
    notAssessed: text('未评估', 'not assessed'),
  },
} satisfies Record<string, Record<string, Text>>;

const word = <K extends keyof typeof WORDS>(kind: K, value: string, locale: Locale) => {
  const t = (WORDS[kind] as Record<string, Text>)[value];
  return t ? localized(t, locale) : value;
};

// ---------------------------------------------------------------- the view

export interface ResultInput extends AnswerSet {
  indicators?: Record<string, IndicatorValue>;
  /** The enterprise's facts, for the policies that apply. */
  facts?: EnterpriseFacts;
  finishedAt?: string;
  /** Include the calculation trace. */
  trace?: boolean;
}

/** The result of these answers under this ruleset, told in `locale`. */
export async function resultView(r: Ruleset, input: ResultInput, locale: Locale = 'zh'): Promise<ResultView> {
  const t = (x: I18n | undefined) => (x ? localized(x, locale) : '');
  const rules = presentationOf(r);
  const d = rules.decimals;
  const index = indexRuleset(r);
  const result = score(r, input, input.trace ? 'trace' : 'nodes');
  const name = (n: number) => t(levelName(r, n));
  const nodeName = (id: string) => t(index.nodeById.get(id)?.node.name);
  const edges = bandEdges(r);

  const levels = result.levels.map((l): ViewLevel => {
    const outcome = !l.assessed ? 'notAssessed' : l.reached ? 'reached' : 'notReached';
    return {
      level: l.level,
      code: l.code,
      name: name(l.level),
      threshold: shown(l.threshold, d),
      assessed: l.assessed,
      score: l.assessed && l.score !== null ? shown(l.score, d, [l.threshold]) : null,
      reached: l.reached,
      outcome,
      outcomeText: word('outcome', outcome, locale),
    };
  });

  const bandRange = (b: Ruleset['scoring']['bands'][number]) => `${b.min} ≤ S ${b.inclusiveMax ? '≤' : '<'} ${b.max}`;
  const band = r.scoring.bands.find((b) => b.level === result.bandLevel);

  const tree = (scores: Record<string, number | null>, thresholdOf: number) => {
    const walk = (nodes: IndexedNode[]): ViewNode[] =>
      nodes
        .filter((n) => n.id in scores)
        .map((n) => ({ id: n.id, layer: n.layerId, name: t(n.node.name), score: typeof scores[n.id] === 'number' ? shown(scores[n.id] as number, d, [thresholdOf]) : null, children: walk(n.children) }));
    return walk(index.roots);
  };
  const profile = profileLevel(r, result);
  const assessed = result.levels.filter((l) => l.assessed);
  const ordered = profile ? [profile, ...assessed.filter((l) => l !== profile)] : assessed;
  const trees = ordered.map((l) => ({ level: l.level, name: name(l.level), nodes: tree(l.nodes ?? {}, l.threshold) }));

  const profileScores = profile?.nodes ?? {};
  const leaves = index.leaves
    .filter((leaf) => typeof profileScores[leaf.id] === 'number')
    .map((leaf) => ({
      id: leaf.id,
      name: t(leaf.node.name),
      path: leaf.path.slice(0, -1).map((p) => nodeName(p)),
      score: shown(profileScores[leaf.id] as number, d, [profile!.threshold]),
    }))
    // Ties in the order of the model, so the same answers always list the same.
    .sort((a, b) => b.score.value - a.score.value);
  const count = Math.min(5, Math.floor(leaves.length / 2));

  const gap = gapAnalysis(r, input);
  const optionText = (qid: string, option: AnswerValue | null | undefined) => {
    const q = index.questionById.get(qid)?.question;
    const o = q?.options?.find((x) => x.id === option);
    return o ? `${o.id}. ${t(o.label)}` : option === null || option === undefined ? (locale === 'en' ? 'unanswered' : '未作答') : String(option);
  };

  const policies = input.facts ? await applicablePolicies(r, policyFacts(result, input.facts)) : [];
  const weightSet = r.scoring.weightSets.find((w) => w.id === result.weightSet);
  const indicator = (f: IndicatorField) => ({ id: f.id, label: t(f.label), unit: t(f.unit), value: input.indicators?.[f.id]?.value ?? null, formula: input.indicators?.[f.id]?.formula ?? '' });

  return {
    ruleset: { id: r.id, version: r.version, title: t(r.title) },
    layers: r.model.layers.map((l) => ({ id: l.id, name: t(l.name) })),
    level: result.level,
    levelName: name(result.level),
    total: shownTotal(r, result.total),
    totalRule: { id: result.totalRule, text: word('totalRule', result.totalRule, locale) },
    band: band ? { level: band.level, label: t(band.label), range: bandRange(band) } : null,
    bands: r.scoring.bands.map((b) => ({ level: b.level, label: t(b.label), range: bandRange(b), current: b.level === result.bandLevel })),
    consistent: result.consistent,
    levels,
    profile: profile
      ? {
          level: profile.level,
          name: name(profile.level),
          basis: rules.profile,
          layer: { id: rules.groupLayer.id, name: t(rules.groupLayer.name) },
          groups: index.nodes
            .filter((n) => n.depth === rules.groupDepth && typeof profileScores[n.id] === 'number')
            .map((n) => ({ id: n.id, name: t(n.node.name), score: shown(profileScores[n.id] as number, d, [profile.threshold]) })),
        }
      : null,
    trees,
    strengths: leaves.slice(0, count),
    weaknesses: leaves.slice(leaves.length - count).reverse(),
    gap:
      gap.targetLevel === null
        ? null
        : {
            targetLevel: gap.targetLevel,
            targetName: name(gap.targetLevel),
            score: shown(gap.score, d, [gap.threshold]),
            threshold: shown(gap.threshold, d),
            // A shortfall there is never shows as nothing: 0.0045 short shows 0.01.
            shortfall: shown(gap.shortfall, d, [POSITIVE]),
            reachable: gap.reachable,
            weakSubDomains: gap.weakSubDomains.map((w) => ({ id: w.id, name: nodeName(w.id), score: shown(w.score, d, [gap.threshold]) })),
            changes: gap.changes.map((c) => ({
              questionId: c.questionId,
              number: c.number,
              text: t(index.questionById.get(c.questionId)?.question.text),
              from: optionText(c.questionId, c.from),
              to: optionText(c.questionId, c.to),
              gain: shown(c.gain, Math.max(d, 3), [POSITIVE]),
            })),
          },
    policies: policies.map(({ policy: p, requirements, status }) => ({
      id: p.id,
      kind: p.kind,
      name: t(p.name),
      text: t(p.text),
      ...(p.amount ? { amount: { value: p.amount.value, ...(p.amount.max !== undefined ? { max: p.amount.max } : {}), unit: t(p.amount.unit), text: amountText(p.amount, locale) } } : {}),
      ...(p.source ? { source: t(p.source) } : {}),
      status,
      statusText: policyStatusText(p.kind, status, requirements.filter((x) => !x.met).map((x) => t(x.name)), locale),
      requirements: requirements.map((x) => ({ id: x.id, name: t(x.name), met: x.met })),
    })),
    indicators: r.flow.indicators.fields.map(indicator),
    indicatorsTitle: t(r.flow.indicators.title),
    excluded: result.excluded.map((id) => ({ id, name: nodeName(id) })),
    finishedAt: input.finishedAt ? localTime(r, input.finishedAt) : null,
    method: {
      scale: r.scoring.scale.map((s) => ({ score: s.score, label: t(s.label) })),
      thresholds: index.levels.map((l) => ({ name: t(l.name), threshold: shown(l.threshold, d) })),
      totalRule: word('totalRule', r.scoring.total.rule, locale),
      levelBy: word('levelBy', r.scoring.levelBy, locale),
      tailored: word('tailored', r.scoring.excluded.tailored, locale),
      notApplicable: word('notApplicable', r.scoring.excluded.notApplicable, locale),
      layers: r.model.layers.map((l) => ({ name: t(l.name), aggregation: word('aggregation', r.scoring.aggregation.layers[l.id] ?? 'weighted', locale) })),
      ...(weightSet ? { weightSet: { name: t(weightSet.name), placeholder: !!weightSet.placeholder, note: t(weightSet.note) } } : {}),
    },
    disclaimer: t(r.report.disclaimer),
    ...(result.trace ? { trace: result.trace.map((l) => traceOf(l, locale, d)) } : {}),
  };
}

/** 200 万元, 50–100 万元; in English the unit as the ruleset words it, after the figures. */
function amountText(amount: { value: number; max?: number; unit: I18n }, locale: Locale): string {
  const figure = (x: number) => x.toLocaleString(locale === 'en' ? 'en' : 'zh-CN');
  const range = amount.max !== undefined && amount.max !== amount.value ? `${figure(amount.value)}–${figure(amount.max)}` : figure(amount.value);
  return `${range} ${localized(amount.unit, locale)}`;
}

/** What a qualifying result means for a policy: a self-diagnosis lets an enterprise apply, it grants nothing. */
function policyStatusText(kind: PolicyRule['kind'], status: 'applies' | 'mayApply', missing: string[], locale: Locale): string {
  if (status === 'mayApply') return locale === 'en' ? `You may apply (requires: ${missing.join('; ')})` : `可申请（需${missing.join('、')}）`;
  if (kind === 'notice') return '';
  return locale === 'en' ? 'The result meets its conditions' : '本次结果符合其条件';
}

/** The formula of a level's trace in the reader's language. */
function traceOf(l: LevelTrace, locale: Locale, decimals: number): ViewTrace {
  const counted = l.nodes.filter((n) => n.score !== null).length;
  const x = l.score === null ? '—' : shown(l.score, Math.max(decimals, 4), [l.threshold]).text;
  const formula =
    locale === 'en'
      ? `X${l.level} = Σ share × score over ${counted} top-level nodes = ${x}; reached when ≥ ${l.threshold}`
      : `X${l.level} = Σ（权重占比 × 得分），共 ${counted} 个顶层节点 = ${x}；≥ ${l.threshold} 即达到`;
  return { level: l.level, formula, nodes: l.nodes };
}
