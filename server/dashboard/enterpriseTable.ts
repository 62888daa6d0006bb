// The dashboard's table of a region's enterprises: each with its counted result, filtered,
// sorted and paged, or all of it as a CSV file that Excel opens with the Chinese intact.
import { Type, type Static } from '@sinclair/typebox';
import { localized, text, type Ruleset } from '../../engine/index.ts';
import type { Locale } from '../http/apiError.ts';
import type { ReferenceData } from '../reference.ts';
import { CodeName, levelScale } from './overview.ts';
import type { EnterpriseRecord } from './records.ts';

export const SORT_KEYS = ['name', 'level', 'score', 'finishedAt'] as const;
export type SortKey = (typeof SORT_KEYS)[number];

export interface EnterpriseFilter {
  /** A level of the counted result (0: below the first), or 'none' for enterprises not assessed yet. */
  level?: number | 'none';
  /** A GB/T 4754 section (C) or division (C35). */
  industry?: string;
  sizeBand?: string;
  /** Part of the name, or of the credit code. */
  q?: string;
  benchmark?: boolean;
}

const doc = (description: string) => ({ description });

/** One enterprise with its counted result (null fields: not assessed yet). */
export const EnterpriseRowSchema = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    creditCode: Type.String(),
    region: CodeName,
    industry: Type.String(doc('A GB/T 4754 division (C35)')),
    industryName: Type.String(),
    sizeBand: Type.String(),
    sizeBandName: Type.String(),
    level: Type.Union([Type.Integer(), Type.Null()], doc('The counted result\'s level (0: below level 1)')),
    levelLabel: Type.Union([Type.String(), Type.Null()]),
    score: Type.Union([Type.Number(), Type.Null()], doc('The counted result\'s total score')),
    finishedAt: Type.Optional(Type.String(doc('ISO 8601: when the counted diagnosis finished'))),
    diagnosisId: Type.Optional(Type.String(doc('The counted diagnosis: its report is /api/diagnoses/{id}/report'))),
    benchmark: Type.Boolean(doc('Marked as a benchmark (树标杆) by the administrator\'s own region')),
  },
  { additionalProperties: false },
);
export type EnterpriseRow = Static<typeof EnterpriseRowSchema>;

/** One page of the table (GET /api/dashboard/enterprises). */
export const EnterprisePageSchema = Type.Object(
  {
    total: Type.Integer(doc('Matching enterprises, on every page')),
    page: Type.Integer(doc('From 1')),
    pageSize: Type.Integer(),
    items: Type.Array(EnterpriseRowSchema),
  },
  { additionalProperties: false },
);

interface Lookup {
  reference: ReferenceData;
  locale: Locale;
  benchmarks: Set<string>;
}

function matches(r: EnterpriseRecord, f: EnterpriseFilter, lookup: Lookup): boolean {
  const e = r.enterprise;
  if (f.level === 'none' ? r.counted !== undefined : f.level !== undefined && r.counted?.level !== f.level) return false;
  if (f.industry && e.industry !== f.industry && lookup.reference.division(e.industry)?.section.code !== f.industry) return false;
  if (f.sizeBand && e.sizeBand !== f.sizeBand) return false;
  if (f.benchmark !== undefined && lookup.benchmarks.has(e.id) !== f.benchmark) return false;
  if (f.q) {
    const q = f.q.trim().toLowerCase();
    if (q && !e.name.toLowerCase().includes(q) && !e.creditCode.toLowerCase().includes(q)) return false;
  }
  return true;
}

const collator = new Intl.Collator('zh-CN', { numeric: true });

/** Not assessed sorts last whichever the order: the table is about results. */
function compare(sort: SortKey, order: 'asc' | 'desc') {
  const sign = order === 'asc' ? 1 : -1;
  const value = (row: EnterpriseRow): number | string | null => (sort === 'level' ? row.level : sort === 'score' ? row.score : sort === 'finishedAt' ? (row.finishedAt ?? null) : null);
  return (a: EnterpriseRow, b: EnterpriseRow) => {
    if (sort !== 'name') {
      const x = value(a);
      const y = value(b);
      if (x === null || y === null) {
        if (x !== y) return x === null ? 1 : -1;
      } else if (x !== y) return (x < y ? -1 : 1) * sign;
      return collator.compare(a.name, b.name) || a.id.localeCompare(b.id);
    }
    return (collator.compare(a.name, b.name) || a.id.localeCompare(b.id)) * sign;
  };
}

export function enterpriseRows(records: EnterpriseRecord[], filter: EnterpriseFilter, sort: SortKey, order: 'asc' | 'desc', lookup: Lookup): EnterpriseRow[] {
  const { reference, locale } = lookup;
  const labels = new Map<Ruleset, Map<number, string>>();
  const labelOf = (r: Ruleset, level: number) => {
    let m = labels.get(r);
    if (!m) labels.set(r, (m = new Map(levelScale([r], locale).map((l) => [l.level, l.label]))));
    return m.get(level) ?? String(level);
  };
  const name = (t: { zh: string; en?: string } | undefined, fallback: string) => (t ? localized(t, locale) : fallback);
  const rows = records
    .filter((r) => matches(r, filter, lookup))
    .map((r): EnterpriseRow => {
      const e = r.enterprise;
      const c = r.counted;
      return {
        id: e.id,
        name: e.name,
        creditCode: e.creditCode,
        region: { code: e.region, name: name(reference.regionName(e.region), e.region) },
        industry: e.industry,
        industryName: name(reference.division(e.industry)?.division.name, e.industry),
        sizeBand: e.sizeBand,
        sizeBandName: name(reference.sizeBands.find((b) => b.id === e.sizeBand)?.name, e.sizeBand),
        level: c ? c.level : null,
        levelLabel: c ? labelOf(c.ruleset, c.level) : null,
        score: c ? c.total : null,
        ...(c ? { finishedAt: c.finishedAt, diagnosisId: c.id } : {}),
        benchmark: lookup.benchmarks.has(e.id),
      };
    });
  return rows.sort(compare(sort, order));
}

// ---------------------------------------------------------------- CSV

/** A cell Excel would read as a formula (=, +, -, @ first) is prefixed with ', as OWASP advises for exported user input. */
function cell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  let s = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** `YYYY-MM-DD HH:mm` in the platform's time zone: what a reader of the sheet expects to see. */
function localTime(iso: string | undefined, utcOffsetMinutes: number): string {
  if (!iso) return '';
  return new Date(Date.parse(iso) + utcOffsetMinutes * 60_000).toISOString().slice(0, 16).replace('T', ' ');
}

const COLUMNS: [{ zh: string; en: string }, (row: EnterpriseRow, regionPath: string, utcOffsetMinutes: number, locale: Locale) => string | number | null | undefined][] = [
  [text('企业名称', 'Enterprise'), (r) => r.name],
  [text('统一社会信用代码', 'Unified social credit code'), (r) => r.creditCode],
  [text('地区代码', 'Region code'), (r) => r.region.code],
  [text('地区', 'Region'), (_r, path) => path],
  [text('行业代码', 'Industry code'), (r) => r.industry],
  [text('行业', 'Industry'), (r) => r.industryName],
  [text('企业规模', 'Size'), (r) => r.sizeBandName],
  [text('等级', 'Level'), (r) => r.level],
  [text('等级名称', 'Level name'), (r, _p, _o, locale) => r.levelLabel ?? localized(text('未完成自诊断', 'not assessed'), locale)],
  [text('总分', 'Score'), (r) => r.score],
  [text('完成时间', 'Finished at'), (r, _p, offset) => localTime(r.finishedAt, offset)],
  [text('标杆企业', 'Benchmark'), (r, _p, _o, locale) => localized(r.benchmark ? text('是', 'yes') : text('否', 'no'), locale)],
];

/** The rows as CSV: a byte-order mark (without it Excel reads UTF-8 as the local code page), a header in the request's language, CRLF lines. */
export function enterprisesCsv(rows: EnterpriseRow[], reference: ReferenceData, locale: Locale, utcOffsetMinutes: number): string {
  const pathNames = new Map<string, string>();
  const pathOf = (code: string) => {
    let s = pathNames.get(code);
    if (s === undefined) pathNames.set(code, (s = (reference.regionPath(code) ?? [code]).map((c) => localized(reference.regionName(c) ?? { zh: c }, locale)).join(' / ')));
    return s;
  };
  const lines = [COLUMNS.map(([title]) => cell(localized(title, locale))).join(',')];
  for (const row of rows) lines.push(COLUMNS.map(([, value]) => cell(value(row, pathOf(row.region.code), utcOffsetMinutes, locale))).join(','));
  return '\uFEFF' + lines.join('\r\n') + '\r\n';
}
