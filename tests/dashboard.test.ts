// The dashboard's figures from hand-made records: which diagnosis counts, shares beside targets,
// breakdowns, domain averages and the quarterly trend, without HTTP or a store.
import { describe, expect, it } from 'vitest';
import { loadRulesetFile } from '../cli/rulesetFiles.ts';
import { loadReference } from '../server/reference.ts';
import { overview, type OverviewInput } from '../server/dashboard/overview.ts';
import { recordOf, type FinishedDiagnosis } from '../server/dashboard/records.ts';
import { enterpriseRows, enterprisesCsv } from '../server/dashboard/enterpriseTable.ts';
import { quarterOf } from '../server/dashboard/quarters.ts';
import type { DiagnosisProfile, Enterprise } from '../server/store/types.ts';

const reference = loadReference();
const cmmm = loadRulesetFile('rulesets/cmmm/gbt39116-2020.json');
const best = { ...cmmm, id: 'cmmm-best', counting: { ...cmmm.counting, result: 'best' as const } };
const guizhou = loadRulesetFile('rulesets/cmmm/variants/guizhou.json');

let n = 0;
function enterprise(regionPath: string[], extra: Partial<Enterprise> = {}): Enterprise {
  n += 1;
  return { id: `e${n}`, name: `企业${n}`, creditCode: `91320200MA${String(n).padStart(8, '0')}`, enterpriseType: 'production', industry: 'C35', industryType: 'discrete', sizeBand: '100-200', revenue: 1, region: regionPath.at(-1)!, regionPath, createdAt: '2025-01-01T00:00:00Z', ...extra };
}

const finished = (id: string, finishedAt: string, level: number, total: number, ruleset = cmmm): FinishedDiagnosis => ({ id, finishedAt, level, total, ruleset });

function figures(input: Partial<OverviewInput> & Pick<OverviewInput, 'records'>) {
  return overview({
    region: { code: '320000', name: '江苏省', path: [{ code: '320000', name: '江苏省' }] },
    subRegions: [
      { code: '320100', name: '南京市' },
      { code: '320200', name: '无锡市' },
    ],
    reference,
    locale: 'zh',
    targets: [],
    defaultRuleset: cmmm,
    now: new Date('2026-08-10T00:00:00Z'),
    ...input,
  });
}

describe('which diagnosis counts', () => {
  const newerLower = enterprise(['320000', '320200']);
  const bestKept = enterprise(['320000', '320200']);
  const notYet = enterprise(['320000', '320100']);
  const records = [
    recordOf(newerLower, [finished('a2', '2026-05-02T00:00:00Z', 1, 1.1), finished('a1', '2026-01-10T00:00:00Z', 3, 3.2)]),
    recordOf(bestKept, [finished('b1', '2026-01-12T00:00:00Z', 3, 3.4, best), finished('b2', '2026-05-03T00:00:00Z', 1, 1.3, best)]),
    recordOf(notYet, [], 1),
  ];
  const d = figures({ records });

  it("counts the last finished diagnosis, or the best when the ruleset says so; one in progress counts as registered only", () => {
    expect(d.counts).toEqual({ registered: 3, assessed: 2, diagnoses: 4, inProgress: 1 });
    expect(d.levels.map((l) => [l.level, l.label, l.count])).toEqual([
      [0, '一级以下', 0],
      [1, '一级（规划级）', 1],
      [2, '二级（规范级）', 0],
      [3, '三级（集成级）', 1],
      [4, '四级（优化级）', 0],
      [5, '五级（引领级）', 0],
    ]);
    expect(d.averageScore).toBeCloseTo((1.1 + 3.4) / 2, 3);
  });

  it('shows the shares at level 2 and 3 and above beside the targets set', () => {
    expect(figures({ records, targets: [{ level: 3, share: 0.6 }] }).shares).toEqual([
      { level: 2, share: 0.5, count: 1 },
      { level: 3, share: 0.5, count: 1, target: 0.6 },
    ]);
  });

  it('shows a target given as a number of enterprises (陕西: 200 at level 2, 50 at level 3 and above) beside the count', () => {
    expect(figures({ records, targets: [{ level: 2, count: 200 }, { level: 3, share: 0.4, count: 50 }] }).shares).toEqual([
      { level: 2, share: 0.5, count: 1, targetCount: 200 },
      { level: 3, share: 0.5, count: 1, target: 0.4, targetCount: 50 },
    ]);
  });

  it('breaks the counted results down by sub-region, industry division and size band', () => {
    expect(d.bySubRegion.map((r) => [r.code, r.name, r.registered, r.assessed, r.levels['1'], r.levels['3']])).toEqual([
      ['320100', '南京市', 1, 0, 0, 0],
      ['320200', '无锡市', 2, 2, 1, 1],
    ]);
    expect(d.byIndustry).toEqual([{ code: 'C35', name: '专用设备制造业', section: { code: 'C', name: '制造业' }, registered: 3, assessed: 2, averageScore: 2.25, levels: { 0: 0, 1: 1, 2: 0, 3: 1, 4: 0, 5: 0 } }]);
    expect(d.bySizeBand.find((b) => b.code === '100-200')).toMatchObject({ name: '100-200人', registered: 3, assessed: 2 });
    expect(d.bySizeBand.find((b) => b.code === 'lt20')).toMatchObject({ registered: 0, averageScore: null });
  });

  it('labels levels in the request language', () => {
    expect(figures({ records, locale: 'en' }).levels[0].label).toBe('Below level 1');
  });
});

describe('domain and sub-domain averages', () => {
  const profile = (scores: Record<string, number>): DiagnosisProfile => ({ level: 1, nodes: scores });
  const a = enterprise(['320000', '320200']);
  const b = enterprise(['520000', '520100']);
  const c = enterprise(['320000', '320100']);
  const records = [
    recordOf(a, [finished('x1', '2026-02-01T00:00:00Z', 1, 1.2)], 0, new Map([['x1', profile({ 'd.infosec': 0.4, infosec: 0.4, 'd.data': 0.9, data: 0.9, 'e.technology': 0.6 })]])),
    // A province's variant keeps its base's node ids, so its enterprises add to the same averages.
    recordOf(b, [finished('y1', '2026-02-01T00:00:00Z', 1, 1.4, guizhou)], 0, new Map([['y1', profile({ 'd.infosec': 0.6, infosec: 0.6, 'd.data': 0.7, data: 0.7 })]])),
    // Assessed earlier without a profile (nothing to average): counted, but not in the averages.
    recordOf(c, [finished('z1', '2026-02-01T00:00:00Z', 0, 0.5)]),
  ];
  const d = figures({ records, region: { code: null, name: '全国', path: [] } });

  it('averages domains and sub-domains over the counted results, weakest first', () => {
    expect(d.domains).toEqual([
      { id: 'd.infosec', name: '信息安全', average: 0.5, count: 2 },
      { id: 'd.data', name: '数据', average: 0.8, count: 2 },
    ]);
    expect(d.subDomains.map((s) => [s.id, s.average, s.count])).toEqual([
      ['infosec', 0.5, 2],
      ['data', 0.8, 2],
    ]);
  });

  it('leaves elements out: they are neither domains nor sub-domains', () => {
    expect([...d.domains, ...d.subDomains].map((x) => x.id)).not.toContain('e.technology');
  });
});

describe('the trend by quarter', () => {
  const a = enterprise(['320000', '320200']);
  const b = enterprise(['320000', '320200']);
  const records = [
    // 2026-03-31 17:00 UTC is 1 April in China: the second quarter there.
    recordOf(a, [finished('a1', '2026-01-15T00:00:00Z', 2, 2.1), finished('a2', '2026-03-31T17:00:00Z', 1, 1.5)]),
    recordOf(b, [finished('b1', '2026-02-20T00:00:00Z', 3, 3.1, best), finished('b2', '2026-05-20T00:00:00Z', 1, 1.9, best)]),
  ];
  const d = figures({ records });

  it('counts each enterprise as of the end of each quarter, up to the current one', () => {
    expect(quarterOf('2026-03-31T17:00:00Z', 480)).toBe('2026Q2');
    expect(d.trend).toEqual([
      { quarter: '2026Q1', assessed: 2, averageScore: 2.6, levels: { 0: 0, 1: 0, 2: 1, 3: 1, 4: 0, 5: 0 }, diagnoses: 2 },
      { quarter: '2026Q2', assessed: 2, averageScore: 2.3, levels: { 0: 0, 1: 1, 2: 0, 3: 1, 4: 0, 5: 0 }, diagnoses: 2 },
      { quarter: '2026Q3', assessed: 2, averageScore: 2.3, levels: { 0: 0, 1: 1, 2: 0, 3: 1, 4: 0, 5: 0 }, diagnoses: 0 },
    ]);
  });

  it('is empty before anything is assessed, with the default ruleset\'s levels', () => {
    const empty = figures({ records: [recordOf(enterprise(['320000', '320200']), [], 1)] });
    expect(empty.trend).toEqual([]);
    expect(empty.levels).toHaveLength(6);
    expect(empty.shares).toEqual([
      { level: 2, share: 0, count: 0 },
      { level: 3, share: 0, count: 0 },
    ]);
  });
});

describe('the enterprise table', () => {
  const high = enterprise(['320000', '320200'], { name: '甲公司', sizeBand: 'gt200' });
  const low = enterprise(['320000', '320200'], { name: '乙公司', industry: 'C14' });
  const none = enterprise(['320000', '320100'], { name: '=HYPERLINK("http://x"),"丙"' });
  const records = [recordOf(high, [finished('h', '2026-03-01T00:00:00Z', 3, 3.3)]), recordOf(low, [finished('l', '2026-04-01T00:00:00Z', 1, 1.2)]), recordOf(none, [], 1)];
  const lookup = { reference, locale: 'zh' as const, benchmarks: new Set([low.id]) };

  it('sorts by score with the not assessed last in either order, and filters', () => {
    expect(enterpriseRows(records, {}, 'score', 'desc', lookup).map((r) => r.name)).toEqual(['甲公司', '乙公司', none.name]);
    expect(enterpriseRows(records, {}, 'score', 'asc', lookup).map((r) => r.name)).toEqual(['乙公司', '甲公司', none.name]);
    expect(enterpriseRows(records, { level: 'none' }, 'name', 'asc', lookup).map((r) => r.id)).toEqual([none.id]);
    expect(enterpriseRows(records, { level: 3 }, 'name', 'asc', lookup).map((r) => r.id)).toEqual([high.id]);
    expect(enterpriseRows(records, { industry: 'C' }, 'name', 'asc', lookup)).toHaveLength(3);
    expect(enterpriseRows(records, { industry: 'C14' }, 'name', 'asc', lookup).map((r) => r.id)).toEqual([low.id]);
    expect(enterpriseRows(records, { benchmark: true }, 'name', 'asc', lookup).map((r) => r.id)).toEqual([low.id]);
    expect(enterpriseRows(records, { q: high.creditCode.slice(-6) }, 'name', 'asc', lookup).map((r) => r.id)).toEqual([high.id]);
    expect(enterpriseRows(records, {}, 'name', 'asc', lookup).map((r) => r.name)).toEqual([none.name, '甲公司', '乙公司']);
    expect(enterpriseRows(records, {}, 'name', 'asc', lookup)[1]).toMatchObject({ name: '甲公司', level: 3, levelLabel: '三级（集成级）', score: 3.3, diagnosisId: 'h', industryName: '专用设备制造业', sizeBandName: '200人以上', region: { code: '320200', name: '无锡市' } });
  });

  it('exports CSV that Excel opens: BOM, header, quoted cells, no formulas from enterprise names', () => {
    const csv = enterprisesCsv(enterpriseRows(records, {}, 'score', 'desc', lookup), reference, 'zh', 480);
    expect(csv.startsWith('\uFEFF企业名称,统一社会信用代码,')).toBe(true);
    const lines = csv.slice(1).trimEnd().split('\r\n');
    expect(lines).toHaveLength(4);
    expect(lines[1]).toBe(`甲公司,${high.creditCode},320200,江苏省 / 无锡市,C35,专用设备制造业,200人以上,3,三级（集成级）,3.3,2026-03-01 08:00,否`);
    expect(lines[2].endsWith(',是')).toBe(true);
    expect(lines[3].startsWith(`"'=HYPERLINK(""http://x""),""丙""",`)).toBe(true);
    expect(lines[3]).toContain(',未完成自诊断,');
  });
});
