// The data a report template receives: the engine's view of the result (what it means and how it
// is shown, the same as on the result page), and around it only what a report adds: the cover,
// the report number, the radar drawn as SVG, the level × sub-domain table and the past results.
// Nothing here decides a level, a profile or how a number is rounded.
import { levelName, localized, localTime, presentationOf, shown, type ResultView, type Ruleset } from '../../engine/index.ts';
import type { Enterprise } from '../store/types.ts';
import type { ReferenceData } from '../reference.ts';
import { radarSvg } from './radar.ts';

type Locale = 'zh' | 'en';

/** What the cover says about the enterprise, already in the report's language. */
export interface ReportCover {
  name: string;
  creditCode: string;
  industry: string;
  region: string;
  sizeBand: string;
  industryType: string;
}

/** A past finished result of the enterprise, for the trend. */
export interface PastResult {
  id: string;
  finishedAt: string;
  level: number;
  total: number;
}

export interface ReportInput {
  ruleset: Ruleset;
  /** The engine's view of the result, in the report's language (with its finish time). */
  view: ResultView;
  cover: ReportCover;
  /** Names the report (its number); the diagnosis's id. */
  id: string;
  history: PastResult[];
  locale: Locale;
  generatedAt: Date;
}

/** The cover of an enterprise registered on the platform. */
export function coverOf(e: Enterprise, ruleset: Ruleset, reference: ReferenceData, locale: Locale): ReportCover {
  const t = (x?: { zh: string; en?: string }) => (x ? localized(x, locale) : '');
  const division = reference.division(e.industry);
  return {
    name: e.name,
    creditCode: e.creditCode,
    industry: division ? `${division.division.code} ${t(division.division.name)}` : e.industry,
    region: e.regionPath.map((c) => t(reference.regionName(c))).join(' '),
    sizeBand: t(reference.sizeBands.find((s) => s.id === e.sizeBand)?.name),
    industryType: t(ruleset.industryTypes.find((x) => x.id === e.industryType)?.name),
  };
}

export function reportModel(input: ReportInput) {
  const { ruleset: r, view, locale } = input;
  const t = (x?: { zh: string; en?: string }) => (x ? localized(x, locale) : '');
  const { decimals } = presentationOf(r);
  const edges = [...new Set(r.scoring.bands.flatMap((b) => [b.min, b.max]))];
  const profile = view.profile;
  const threshold = r.levels.find((l) => l.number === profile?.level)?.threshold;
  const finished = view.finishedAt ?? localTime(r, input.generatedAt.toISOString());

  // Each leaf of the model with its score at every level, from the view's trees.
  const leafLayer = view.layers[view.layers.length - 1];
  const rows = new Map<string, { name: string; path: string; cells: Map<number, { text: string; band: string }> }>();
  for (const tree of view.trees) {
    const limit = r.levels.find((l) => l.number === tree.level)?.threshold ?? 0;
    const walk = (nodes: ResultView['trees'][number]['nodes'], path: string[]) => {
      for (const n of nodes) {
        if (n.children.length) walk(n.children, [...path, n.name]);
        else {
          const row = rows.get(n.id) ?? { name: n.name, path: path.join(' / '), cells: new Map() };
          const v = n.score?.value;
          row.cells.set(tree.level, { text: n.score?.text ?? '', band: v === undefined ? 'none' : v >= limit ? 'high' : v >= limit / 2 ? 'mid' : 'low' });
          rows.set(n.id, row);
        }
      }
    };
    walk(tree.nodes, []);
  }
  const levels = [...r.levels].sort((a, b) => a.number - b.number);

  return {
    locale,
    lang: locale === 'en' ? 'en' : 'zh-CN',
    title: t(r.report.title ?? r.title),
    sections: Object.fromEntries(r.report.sections.map((s) => [s, true])),
    // Dated in the ruleset's time zone: a result finished at 03:20 Beijing time carries that day.
    reportNumber: `${r.id.toUpperCase()}-${finished.date.replace(/-/g, '')}-${input.id.slice(0, 8).toUpperCase()}`,
    generatedAt: localTime(r, input.generatedAt.toISOString()).dateTime,
    ruleset: { id: r.id, version: r.version, title: t(r.title), description: t(r.description), ...(r.standard ? { standard: { code: r.standard.code, name: t(r.standard.name) } } : {}) },
    enterprise: input.cover,
    result: view,
    radar: profile && profile.groups.length >= 3 ? radarSvg(profile.groups.map((g) => ({ label: g.name, value: g.score.value, text: g.score.text })), 360, threshold) : '',
    heatmap: {
      leafLayer: leafLayer?.name ?? '',
      levels: levels.map((l) => ({ number: l.number, name: t(l.name) })),
      rows: [...rows.values()].map((row) => ({ name: row.name, path: row.path, cells: levels.map((l) => row.cells.get(l.number) ?? { text: '', band: 'none' }) })),
    },
    trend: [...input.history]
      .sort((a, b) => a.finishedAt.localeCompare(b.finishedAt))
      .map((h) => ({ date: localTime(r, h.finishedAt).date, levelName: t(levelName(r, h.level)), total: shown(h.total, decimals, edges).text, current: h.id === input.id })),
  };
}

export type ReportModel = ReturnType<typeof reportModel>;
