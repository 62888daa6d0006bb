// A region's figures from its enterprises' records: counts, the level distribution, shares
// beside targets, breakdowns, domain averages and the quarterly trend. Pure, so what is counted
// can be tested without HTTP or a store.
import { Type, type Static } from '@sinclair/typebox';
import { groupNodes, indexRuleset, levelName, localized, presentationOf, text, type IndexedNode, type Ruleset } from '../../engine/index.ts';
import type { Locale } from '../http/apiError.ts';
import type { ReferenceData } from '../reference.ts';
import { countedDiagnosis } from './counting.ts';
import { quarterEnd, quarterOf, quartersFrom } from './quarters.ts';
import { ruleOf, type EnterpriseRecord, type FinishedDiagnosis } from './records.ts';

// ---------------------------------------------------------------- what GET /api/dashboard answers, declared once

const doc = (description: string) => ({ description });
const closed = { additionalProperties: false } as const;

/** A region, industry, size band… by its code, with its name in the request's language. */
export const CodeName = Type.Object({ code: Type.String(), name: Type.String() }, closed);

/**
 * An administrator's aim for enterprises at a level or above: a share of the region's assessed
 * enterprises, a number of them (陕西: 200 firms at level 2 by 2025), or both (also what PUT
 * /dashboard/targets takes; a target without either is refused).
 */
export const TargetSchema = Type.Object(
  {
    level: Type.Integer({ minimum: 1, maximum: 20 }),
    share: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1, description: 'Of the assessed enterprises' })),
    count: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000_000, description: 'Enterprises' })),
  },
  closed,
);
export type Target = Static<typeof TargetSchema>;

export const RegionView = Type.Object(
  {
    code: Type.Union([Type.String(), Type.Null()], doc('null: the whole country')),
    name: Type.String(),
    path: Type.Array(CodeName, doc('From the province down to the region itself; empty for the whole country')),
  },
  closed,
);

/** Level (0: below the first) → a count; every level of the scale is present. */
const LevelCounts = Type.Record(Type.Integer(), Type.Integer(), { ...closed, ...doc('Level (0: below level 1) → enterprises whose counted result has it; every level of the scale is present') });

const breakdownFields = {
  code: Type.String(),
  name: Type.String(),
  registered: Type.Integer(),
  assessed: Type.Integer(),
  averageScore: Type.Union([Type.Number(), Type.Null()], doc('Of the counted total scores; null when none is assessed')),
  levels: LevelCounts,
};
export const BreakdownSchema = Type.Object(breakdownFields, closed);
export type Breakdown = Static<typeof BreakdownSchema>;

const NodeAverage = Type.Object(
  { id: Type.String(), name: Type.String(), average: Type.Number(doc('Over the scores each counted result\'s profile has for the node')), count: Type.Integer(doc('Enterprises averaged')) },
  closed,
);

export const OverviewSchema = Type.Object(
  {
    region: RegionView,
    counts: Type.Object(
      {
        registered: Type.Integer(),
        assessed: Type.Integer(doc('Enterprises with a finished diagnosis')),
        diagnoses: Type.Integer(doc('Finished diagnoses')),
        inProgress: Type.Integer(doc('Diagnoses in progress')),
      },
      closed,
    ),
    averageScore: Type.Union([Type.Number(), Type.Null()], doc('Of the counted total scores; null when none is assessed')),
    levels: Type.Array(Type.Object({ level: Type.Integer(), label: Type.String(), count: Type.Integer() }, closed), doc('The scale, 0 (below level 1) first')),
    shares: Type.Array(
      Type.Object(
        {
          level: Type.Integer(),
          share: Type.Number(doc('Of the assessed enterprises, at this level or above')),
          count: Type.Integer(doc('Assessed enterprises at this level or above')),
          target: Type.Optional(Type.Number(doc('The region\'s target share, if one'))),
          targetCount: Type.Optional(Type.Integer(doc('The region\'s target number of enterprises, if one'))),
        },
        closed,
      ),
    ),
    byIndustry: Type.Array(
      Type.Object({ ...breakdownFields, section: Type.Union([CodeName, Type.Null()], doc('The GB/T 4754 section of the division; null for a code the reference lacks')) }, closed),
      doc('GB/T 4754 divisions, most registered first'),
    ),
    bySizeBand: Type.Array(BreakdownSchema),
    bySubRegion: Type.Array(BreakdownSchema, doc('The regions directly below (a group counts its members)')),
    domains: Type.Array(NodeAverage, doc('The groups the radar shows, weakest first')),
    subDomains: Type.Array(NodeAverage, doc('The leaves, weakest first')),
    layers: Type.Union([Type.Object({ groups: Type.String(), leaves: Type.String() }, closed), Type.Null()], doc('What the ruleset calls the groups and the leaves averaged above')),
    mark: Type.Union([Type.Number(), Type.Null()], doc('The threshold every level shares (a chart\'s mark); null when they differ')),
    trend: Type.Array(
      Type.Object(
        {
          quarter: Type.String(doc('2026Q3')),
          assessed: Type.Integer(doc('Enterprises assessed by the quarter\'s end')),
          averageScore: Type.Union([Type.Number(), Type.Null()]),
          levels: LevelCounts,
          diagnoses: Type.Integer(doc('Diagnoses finished within the quarter')),
        },
        closed,
      ),
      doc('Each quarter from the first finished diagnosis to now, each enterprise counted as it stood at the quarter\'s end'),
    ),
  },
  closed,
);
export type Overview = Static<typeof OverviewSchema>;

export interface OverviewInput {
  region: Static<typeof RegionView>;
  subRegions: Static<typeof CodeName>[];
  /** The region's enterprises, each once. */
  records: EnterpriseRecord[];
  reference: ReferenceData;
  locale: Locale;
  targets: Target[];
  /** Labels, levels and the time zone of quarters before anything is assessed: the platform's default ruleset. */
  defaultRuleset?: Ruleset;
  now: Date;
}

/** The shares every dashboard shows, as in the policy targets (level 2 and above, level 3 and above). */

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

/** The levels results can have (0 = below the first level) with their labels, from the rulesets the results used. */
export function levelScale(rulesets: Ruleset[], locale: Locale): { level: number; label: string }[] {
  const numbers = new Set([0]);
  for (const r of rulesets) {
    for (const l of r.levels) numbers.add(l.number);
    for (const b of r.scoring.bands) numbers.add(b.level);
  }
  // The engine's one naming rule (a level's name; below the first level, its band's label), from the most used ruleset.
  const label = (n: number) => localized(rulesets.length ? levelName(rulesets[0], n) : n === 0 ? text('未达到一级', 'below level 1') : text(`${n} 级`, `level ${n}`), locale);
  return [...numbers].sort((a, b) => a - b).map((level) => ({ level, label: label(level) }));
}

class Tally {
  registered = 0;
  assessed = 0;
  private sum = 0;
  /** Index: level. */
  private readonly counts: number[];

  constructor(private readonly scale: number[]) {
    this.counts = new Array<number>((scale.at(-1) ?? 0) + 1).fill(0);
  }

  add(level: number | undefined, total: number | undefined) {
    this.registered += 1;
    if (level === undefined || total === undefined) return;
    this.assessed += 1;
    this.sum += total;
    this.counts[level] = (this.counts[level] ?? 0) + 1;
  }

  get averageScore() {
    return this.assessed ? round(this.sum / this.assessed, 3) : null;
  }

  count(level: number) {
    return this.counts[level] ?? 0;
  }

  atLeast(level: number) {
    return this.counts.reduce((n, count, l) => (l >= level ? n + count : n), 0);
  }

  get levels(): Record<string, number> {
    return Object.fromEntries(this.scale.map((l) => [l, this.count(l)]));
  }

  view(code: string, name: string): Breakdown {
    return { code, name, registered: this.registered, assessed: this.assessed, averageScore: this.averageScore, levels: this.levels };
  }
}

/** Tallies keyed by code, created on first use. */
class Tallies {
  private readonly byCode = new Map<string, Tally>();
  constructor(private readonly scale: number[]) {}
  get(code: string) {
    let t = this.byCode.get(code);
    if (!t) this.byCode.set(code, (t = new Tally(this.scale)));
    return t;
  }
  has(code: string) {
    return this.byCode.has(code);
  }
  entries() {
    return [...this.byCode];
  }
}

/** The groups a ruleset's radar shows (its `presentation.groupBy` layer) and its leaves, as the engine says. */
const kindsCache = new WeakMap<Ruleset, { domains: IndexedNode[]; subDomains: IndexedNode[] }>();
function nodeKinds(r: Ruleset) {
  let kinds = kindsCache.get(r);
  if (!kinds) {
    kinds = { domains: groupNodes(r), subDomains: indexRuleset(r).leaves };
    kindsCache.set(r, kinds);
  }
  return kinds;
}

/** Averages per node id over the profiles; variants keep their base's ids, so they add up. */
class NodeAverages {
  private readonly byId = new Map<string, { name: { zh: string; en?: string }; sum: number; count: number }>();
  add(nodes: IndexedNode[], scores: Record<string, number>) {
    for (const n of nodes) {
      const s = scores[n.id];
      if (typeof s !== 'number') continue;
      const a = this.byId.get(n.id);
      if (a) {
        a.sum += s;
        a.count += 1;
      } else this.byId.set(n.id, { name: n.node.name, sum: s, count: 1 });
    }
  }
  /** Weakest first. */
  view(locale: Locale) {
    return [...this.byId]
      .map(([id, a]) => ({ id, name: localized(a.name, locale), average: round(a.sum / a.count, 3), count: a.count }))
      .sort((a, b) => a.average - b.average);
  }
}

export function overview(input: OverviewInput): Overview {
  const { records, reference, locale } = input;
  const used = new Map<Ruleset, number>();
  for (const r of records) if (r.counted) used.set(r.counted.ruleset, (used.get(r.counted.ruleset) ?? 0) + 1);
  const rulesets = [...used].sort((a, b) => b[1] - a[1]).map(([r]) => r);
  if (input.defaultRuleset && !used.has(input.defaultRuleset)) rulesets.push(input.defaultRuleset);
  const scale = levelScale(rulesets, locale);
  const levelNumbers = scale.map((l) => l.level);

  const all = new Tally(levelNumbers);
  const industries = new Tallies(levelNumbers);
  const sizes = new Tallies(levelNumbers);
  const regions = new Tallies(levelNumbers);
  for (const s of input.subRegions) regions.get(s.code);
  const domains = new NodeAverages();
  const subDomains = new NodeAverages();
  let diagnoses = 0;
  let inProgress = 0;
  for (const r of records) {
    const e = r.enterprise;
    const level = r.counted?.level;
    const total = r.counted?.total;
    all.add(level, total);
    industries.get(e.industry).add(level, total);
    sizes.get(e.sizeBand).add(level, total);
    // A group below the region counts its members, wherever they are: its row may overlap others.
    for (const code of e.regionPath) if (regions.has(code)) regions.get(code).add(level, total);
    for (const code of e.groups ?? []) if (regions.has(code) && !e.regionPath.includes(code)) regions.get(code).add(level, total);
    diagnoses += r.finished.length;
    inProgress += r.inProgress;
    if (r.counted && r.profile) {
      const kinds = nodeKinds(r.counted.ruleset);
      domains.add(kinds.domains, r.profile.nodes);
      subDomains.add(kinds.subDomains, r.profile.nodes);
    }
  }

  const name = (t: { zh: string; en?: string } | undefined, fallback: string) => (t ? localized(t, locale) : fallback);
  const byIndustry = industries
    .entries()
    .map(([code, t]) => {
      const found = reference.division(code);
      return { ...t.view(code, name(found?.division.name, code)), section: found ? { code: found.section.code, name: name(found.section.name, found.section.code) } : null };
    })
    .sort((a, b) => b.registered - a.registered || a.code.localeCompare(b.code));
  const bandIds = [...reference.sizeBands.map((b) => b.id), ...sizes.entries().map(([id]) => id).filter((id) => !reference.sizeBands.some((b) => b.id === id))];
  const bySizeBand = bandIds.map((id) => sizes.get(id).view(id, name(reference.sizeBands.find((b) => b.id === id)?.name, id)));
  const bySubRegion = input.subRegions.map((s) => regions.get(s.code).view(s.code, s.name));

  const target = (level: number) => input.targets.find((t) => t.level === level);
  const maxLevel = levelNumbers.at(-1) ?? 0;
  // What the most used ruleset tells: the levels whose share to show, its layers' names, its threshold.
  const main = rulesets[0] ?? input.defaultRuleset;
  const rules = main && presentationOf(main);
  const shareLevels = [...new Set([...(rules?.shareLevels ?? []), ...input.targets.map((t) => t.level)])].filter((l) => l <= maxLevel).sort((a, b) => a - b);
  const thresholds = new Set(main?.levels.map((l) => l.threshold));

  return {
    region: input.region,
    counts: { registered: all.registered, assessed: all.assessed, diagnoses, inProgress },
    averageScore: all.averageScore,
    levels: scale.map((l) => ({ ...l, count: all.count(l.level) })),
    shares: shareLevels.map((level) => {
      const t = target(level);
      const count = all.atLeast(level);
      return {
        level,
        share: all.assessed ? round(count / all.assessed, 4) : 0,
        count,
        ...(t?.share !== undefined ? { target: t.share } : {}),
        ...(t?.count !== undefined ? { targetCount: t.count } : {}),
      };
    }),
    byIndustry,
    bySizeBand,
    bySubRegion,
    domains: domains.view(locale),
    subDomains: subDomains.view(locale),
    /** What the ruleset calls the groups and the leaves averaged above, and the threshold every level shares (a chart's mark), if one. */
    layers: main && rules ? { groups: localized(rules.groupLayer.name, locale), leaves: localized(main.model.layers[main.model.layers.length - 1].name, locale) } : null,
    mark: thresholds.size === 1 ? [...thresholds][0] : null,
    trend: trend(records, levelNumbers, (rulesets[0] ?? input.defaultRuleset)?.counting.utcOffsetMinutes ?? 0, input.now),
  };
}

/**
 * Per quarter from the first finished diagnosis to now: each enterprise's counted result as of
 * the quarter's end (so an enterprise assessed once keeps counting in later quarters), and how
 * many diagnoses finished within it. An enterprise's counted result changes only in quarters
 * where it finished a diagnosis, so each change is added there and carried forward: the work
 * grows with the diagnoses, not with enterprises times quarters.
 */
function trend(records: EnterpriseRecord[], scale: number[], utcOffsetMinutes: number, now: Date) {
  // Times are compared as the ISO strings the store keeps (toISOString, UTC): parsing 60,000 dates would cost more than the rest.
  let first: string | undefined;
  let last = now.toISOString();
  for (const r of records) {
    if (!r.finished.length) continue;
    if (!first || r.finished[0].finishedAt < first) first = r.finished[0].finishedAt;
    if (r.finished[r.finished.length - 1].finishedAt > last) last = r.finished[r.finished.length - 1].finishedAt;
  }
  if (!first) return [];
  const quarters = quartersFrom(quarterOf(first, utcOffsetMinutes), quarterOf(last, utcOffsetMinutes));
  const ends = quarters.map((q) => new Date(quarterEnd(q, utcOffsetMinutes)).toISOString());
  const change = quarters.map(() => ({ assessed: 0, sum: 0, levels: new Map<number, number>(), finished: 0 }));
  const move = (at: number, level: number, total: number, sign: 1 | -1) => {
    const c = change[at];
    c.assessed += sign;
    c.sum += sign * total;
    c.levels.set(level, (c.levels.get(level) ?? 0) + sign);
  };
  for (const r of records) {
    let q = 0;
    let previous: FinishedDiagnosis | undefined;
    for (let i = 0; i < r.finished.length; i++) {
      const at = r.finished[i].finishedAt;
      while (at >= ends[q]) q += 1;
      change[q].finished += 1;
      // Several diagnoses in one quarter: only the counted one at its end matters.
      if (i + 1 < r.finished.length && r.finished[i + 1].finishedAt < ends[q]) continue;
      const counted = countedDiagnosis(r.finished, ruleOf, i + 1)!;
      if (counted === previous) continue;
      if (previous) move(q, previous.level, previous.total, -1);
      move(q, counted.level, counted.total, 1);
      previous = counted;
    }
  }
  const levels = new Map(scale.map((l) => [l, 0]));
  let assessed = 0;
  let sum = 0;
  return quarters.map((quarter, i) => {
    const c = change[i];
    assessed += c.assessed;
    sum += c.sum;
    for (const [level, n] of c.levels) levels.set(level, (levels.get(level) ?? 0) + n);
    return { quarter, assessed, averageScore: assessed ? round(sum / assessed, 3) : null, levels: Object.fromEntries(levels), diagnoses: c.finished };
  });
}
