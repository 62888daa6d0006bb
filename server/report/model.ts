// The data a report template receives: everything already computed and localised, so that a
// template only lays it out. Built from the engine's result over the diagnosis's pinned ruleset.
import { applicablePolicies, gapAnalysis, indexRuleset, localized, policyFacts, type Ruleset, type ScoreResult } from '../../engine/index.ts';
import type { Diagnosis, DiagnosisSummary, Enterprise } from '../store/types.ts';
import type { ReferenceData } from '../reference.ts';
import { radarSvg } from './radar.ts';

type Locale = 'zh' | 'en';

export interface ReportInput {
  ruleset: Ruleset;
  diagnosis: Diagnosis;
  enterprise: Enterprise;
  history: DiagnosisSummary[];
  reference: ReferenceData;
  locale: Locale;
  generatedAt: Date;
}

export async function reportModel(input: ReportInput) {
  const { ruleset: r, diagnosis: d, enterprise: e, locale } = input;
  const result = d.result as ScoreResult;
  const index = indexRuleset(r);
  const t = (x?: { zh: string; en?: string }) => (x ? localized(x, locale) : '');
  const levelName = (n: number) => {
    const l = index.levelByNumber.get(n)?.level;
    return l ? t(l.name) : t(r.scoring.bands.find((b) => b.level === n)?.label);
  };
  const assessed = result.levels.filter((l) => l.assessed);
  const profile = [...assessed].reverse().find((l) => l.reached) ?? assessed[0];
  const profileScores = profile?.nodes ?? {};
  const domainLayer = index.roots.some((n) => n.children.length) ? 1 : 0;
  const domains = index.nodes.filter((n) => n.depth === domainLayer && n.id in profileScores).map((n) => ({ id: n.id, name: t(n.node.name), score: profileScores[n.id] ?? 0 }));
  const leaves = index.leaves.map((leaf) => ({
    id: leaf.id,
    name: t(leaf.node.name),
    path: leaf.path.slice(0, -1).map((p) => t(index.nodeById.get(p)!.node.name)).join(' / '),
    cells: index.levels.map((l) => {
      const lr = result.levels.find((x) => x.level === l.number);
      const s = lr?.nodes?.[leaf.id];
      return { level: l.number, score: s ?? null, assessed: !!lr?.assessed, band: s === undefined || s === null ? 'none' : s >= l.threshold ? 'high' : s >= l.threshold / 2 ? 'mid' : 'low' };
    }),
  }));
  const profileLeaves = leaves.map((l) => ({ ...l, score: profileScores[l.id] })).filter((l) => typeof l.score === 'number') as { name: string; path: string; score: number }[];
  const sorted = [...profileLeaves].sort((a, b) => b.score - a.score);
  const gap = gapAnalysis(r, { industryType: e.industryType, excluded: d.state.excluded, answers: d.answers, levels: d.state.submitted });
  const questionText = (id: string) => {
    const q = index.questionById.get(id)?.question;
    return q ? t(q.text) : id;
  };
  const optionLabel = (qid: string, option: unknown) => {
    const q = index.questionById.get(qid)?.question;
    const o = q?.options?.find((x) => x.id === option);
    return o ? `${o.id}. ${t(o.label)}` : option === null || option === undefined ? (locale === 'en' ? 'unanswered' : '未作答') : String(option);
  };
  const policies = await applicablePolicies(r, policyFacts(result, { industryType: e.industryType, enterpriseType: e.enterpriseType, industry: e.industry, regionPath: e.regionPath, sizeBand: e.sizeBand }));
  const division = input.reference.division(e.industry);
  const weightSet = r.scoring.weightSets.find((w) => w.id === result.weightSet);
  return {
    locale,
    lang: locale === 'en' ? 'en' : 'zh-CN',
    title: t(r.title),
    sections: Object.fromEntries(r.report.sections.map((s) => [s, true])),
    reportNumber: `${r.id.toUpperCase()}-${d.finishedAt?.slice(0, 10).replace(/-/g, '')}-${d.id.slice(0, 8).toUpperCase()}`,
    generatedAt: input.generatedAt.toISOString(),
    finishedAt: d.finishedAt,
    ruleset: { id: r.id, version: r.version, title: t(r.title), description: t(r.description), standard: r.standard ? { code: r.standard.code, name: t(r.standard.name) } : undefined },
    enterprise: {
      name: e.name,
      creditCode: e.creditCode,
      industry: division ? `${division.division.code} ${t(division.division.name)}` : e.industry,
      region: e.regionPath.map((c) => t(input.reference.regionName(c))).join(' '),
      sizeBand: t(input.reference.sizeBands.find((s) => s.id === e.sizeBand)?.name),
      industryType: t(r.industryTypes.find((x) => x.id === e.industryType)?.name),
    },
    result: { level: result.level, levelName: levelName(result.level), total: result.total, bandLevel: result.bandLevel, consistent: result.consistent, totalRule: result.totalRule },
    bands: r.scoring.bands.map((b) => ({ ...b, label: t(b.label), current: b.level === result.bandLevel })),
    levels: result.levels.map((l) => ({ level: l.level, code: l.code, name: levelName(l.level), score: l.score, threshold: l.threshold, reached: l.reached, assessed: l.assessed })),
    profileLevel: profile ? levelName(profile.level) : '',
    radar: domains.length >= 3 ? radarSvg(domains.map((x) => ({ label: x.name, value: x.score }))) : '',
    domains,
    heatmap: { levels: index.levels.map((l) => ({ number: l.number, name: t(l.name) })), rows: leaves.filter((l) => l.cells.some((c) => c.score !== null)) },
    strengths: sorted.slice(0, 5),
    weaknesses: sorted.slice(-5).reverse(),
    gap: {
      targetLevel: gap.targetLevel,
      targetName: gap.targetLevel ? levelName(gap.targetLevel) : '',
      score: gap.score,
      threshold: gap.threshold,
      shortfall: gap.shortfall,
      reachable: gap.reachable,
      weakSubDomains: gap.weakSubDomains.map((w) => ({ name: t(index.nodeById.get(w.id)?.node.name), score: w.score })),
      changes: gap.changes.map((c) => ({ number: c.number, text: questionText(c.questionId), from: optionLabel(c.questionId, c.from), to: optionLabel(c.questionId, c.to), gain: c.gain })),
    },
    excluded: d.state.excluded.map((id) => t(index.nodeById.get(id)?.node.name)),
    indicators: r.flow.indicators.fields.map((f) => ({ label: t(f.label), unit: t(f.unit), value: d.indicators[f.id]?.value ?? null, formula: d.indicators[f.id]?.formula ?? '' })),
    indicatorsTitle: t(r.flow.indicators.title),
    policies: policies.map((p) => ({ kind: p.kind, name: t(p.name), text: t(p.text), amount: p.amount ? `${p.amount.value} ${t(p.amount.unit)}` : '', source: t(p.source) })),
    trend: input.history
      .filter((h) => h.status === 'finished' && h.finishedAt)
      .sort((a, b) => a.finishedAt!.localeCompare(b.finishedAt!))
      .map((h) => ({ date: h.finishedAt, level: h.level ?? 0, levelName: levelName(h.level ?? 0), total: h.total ?? 0, current: h.id === d.id })),
    method: {
      scale: r.scoring.scale.map((s) => ({ score: s.score, label: t(s.label) })),
      thresholds: index.levels.map((l) => ({ name: t(l.name), threshold: l.threshold })),
      totalRule: result.totalRule,
      levelBy: r.scoring.levelBy,
      weightSet: weightSet ? { name: t(weightSet.name), placeholder: !!weightSet.placeholder, note: t(weightSet.note) } : undefined,
      excluded: r.scoring.excluded,
      layers: r.model.layers.map((l) => ({ name: t(l.name), aggregation: r.scoring.aggregation.layers[l.id] ?? 'weighted' })),
    },
  };
}

export type ReportModel = Awaited<ReturnType<typeof reportModel>>;
