// The authorities' dashboard over HTTP, on a generated population in Jiangsu and Guizhou: what is
// counted, who sees which region, the enterprise table and its CSV, benchmarks, targets, trend.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import type { Agent } from 'supertest';
import { harness, enterpriseAgent, type Harness } from './harness.ts';
import { loadRulesetFile } from '../../cli/rulesetFiles.ts';
import { hashPassword } from '../../server/accounts/password.ts';
import { generatePopulation } from '../../server/population.ts';
import { quarterOf } from '../../server/dashboard/quarters.ts';
import { LowdbStore } from '../../server/store/lowdbStore.ts';
import type { Diagnosis, Enterprise, Role } from '../../server/store/types.ts';

const cmmm = loadRulesetFile('rulesets/cmmm/gbt39116-2020.json');
const WUXI = '320200';
const SUZHOU = '320500';

let h: Harness;
let enterprises: Enterprise[];
let diagnoses: Diagnosis[];
let platform: Agent;
let wuxi: Agent;
let jiangsu: Agent;
let guizhou: Agent;

async function admin(username: string, role: Role, region?: string): Promise<Agent> {
  await h.store.createAccount({ id: `u-${username}`, username, passwordHash: await hashPassword('admin1234'), role, ...(region ? { region } : {}), createdAt: h.clock.now.toISOString() });
  const agent = h.agent();
  await agent.post('/api/session').send({ username, password: 'admin1234' }).expect(200);
  return agent;
}

/** What the dashboard should count for an enterprise, worked out from the generated diagnoses. */
function expectedCounted(enterpriseId: string): Diagnosis | undefined {
  const finished = diagnoses.filter((d) => d.enterpriseId === enterpriseId && d.status === 'finished').sort((a, b) => a.finishedAt!.localeCompare(b.finishedAt!));
  const last = finished.at(-1);
  if (!last || last.rulesetId !== 'cmmm-best') return last;
  return finished.reduce((a, b) => (b.result!.total >= a.result!.total ? b : a));
}

const histogram = (list: Enterprise[]) => {
  const counts: Record<number, number> = {};
  for (const e of list) {
    const level = expectedCounted(e.id)?.result?.level;
    if (level !== undefined) counts[level] = (counts[level] ?? 0) + 1;
  }
  return counts;
};

const levelsOf = (body: { levels: { level: number; count: number }[] }) => Object.fromEntries(body.levels.filter((l) => l.count).map((l) => [l.level, l.count]));

beforeAll(async () => {
  h = await harness();
  // Suzhou's enterprises get a ruleset that counts each enterprise's best result.
  await h.store.putRuleset({ id: 'cmmm-best', version: cmmm.version, status: 'published', document: { ...cmmm, id: 'cmmm-best', regions: [SUZHOU], counting: { ...cmmm.counting, result: 'best' } }, regions: [SUZHOU], publishedAt: h.clock.now.toISOString() });
  const spread = await generatePopulation(h.ctx, { count: 60, prefix: 'dash', password: 'dash-2026-x', seed: 11, regions: ['320000', '520000'], finished: 3, inProgress: true });
  const suzhou = await generatePopulation(h.ctx, { count: 8, prefix: 'sz', password: 'dash-2026-x', seed: 12, regions: [SUZHOU], finished: 3 });
  enterprises = [...spread.enterprises, ...suzhou.enterprises];
  diagnoses = [...spread.diagnoses, ...suzhou.diagnoses];
  platform = await admin('boss', 'platformAdmin');
  wuxi = await admin('wuxi-admin', 'regionAdmin', WUXI);
  jiangsu = await admin('js-admin', 'regionAdmin', '320000');
  guizhou = await admin('gz-admin', 'regionAdmin', '520000');
});

describe('what the dashboard counts', () => {
  it("counts each enterprise's last finished diagnosis (its best under a 'best' ruleset), never one in progress", async () => {
    // The population has both cases the rule decides: a last result lower than an earlier one, under 'last' and under 'best'.
    const lastLower = enterprises.filter((e) => {
      const finished = diagnoses.filter((d) => d.enterpriseId === e.id && d.status === 'finished').sort((a, b) => a.finishedAt!.localeCompare(b.finishedAt!));
      return finished.some((d) => d.result!.total > finished.at(-1)!.result!.total);
    });
    expect(lastLower.some((e) => e.regionPath.includes(SUZHOU))).toBe(true);
    expect(lastLower.some((e) => !e.regionPath.includes(SUZHOU))).toBe(true);

    const d = (await platform.get('/api/dashboard').expect(200)).body;
    expect(d.region).toEqual({ code: null, name: '全国', path: [] });
    expect(d.counts).toEqual({ registered: 68, assessed: 68, diagnoses: 204, inProgress: 60 });
    expect(levelsOf(d)).toEqual(histogram(enterprises));
    const rows = (await platform.get('/api/dashboard/enterprises?pageSize=200').expect(200)).body.items;
    for (const row of rows) expect(row.diagnosisId, row.name).toBe(expectedCounted(row.id)!.id);
  });

  it('counts a diagnosis finished through the API, and one in progress as registered only', async () => {
    const before = (await wuxi.get('/api/dashboard').expect(200)).body;
    const { agent, enterprise } = await enterpriseAgent(h, { region: WUXI });
    const id = (await agent.post('/api/diagnoses').send({}).expect(201)).body.id;
    await agent.post(`/api/diagnoses/${id}/tailoring`).send({ excluded: [] }).expect(200);
    const started = (await wuxi.get('/api/dashboard').expect(200)).body;
    expect(started.counts).toEqual({ ...before.counts, registered: before.counts.registered + 1, inProgress: before.counts.inProgress + 1 });
    expect((await wuxi.get('/api/dashboard/enterprises?level=none').expect(200)).body.items.map((e: { id: string }) => e.id)).toEqual([enterprise.id]);

    const answers = (level: number, option: string) => Object.fromEntries(cmmm.questions.filter((q) => q.level === level).map((q) => [q.id, option]));
    await agent.put(`/api/diagnoses/${id}/answers`).send({ answers: answers(1, 'D') }).expect(200);
    await agent.post(`/api/diagnoses/${id}/levels/1/submit`).expect(200);
    await agent.put(`/api/diagnoses/${id}/answers`).send({ answers: answers(2, 'A') }).expect(200);
    await agent.post(`/api/diagnoses/${id}/levels/2/submit`).expect(200);
    const values = Object.fromEntries(cmmm.flow.indicators.fields.map((f) => [f.id, { value: 0, formula: '无' }]));
    await agent.post(`/api/diagnoses/${id}/indicators/submit`).send({ values }).expect(200);

    const after = (await wuxi.get('/api/dashboard').expect(200)).body;
    expect(after.counts.assessed).toBe(before.counts.assessed + 1);
    expect(after.levels.find((l: { level: number }) => l.level === 1).count).toBe(before.levels.find((l: { level: number }) => l.level === 1).count + 1);
    // Its sub-domain scores (all 1 at level 1) are kept when it finished and join the averages.
    const orgStrategy = (body: typeof after) => body.subDomains.find((s: { id: string }) => s.id === 'org_strategy');
    expect(orgStrategy(after).count).toBe(orgStrategy(before).count + 1);
    const row = (await wuxi.get(`/api/dashboard/enterprises?q=${encodeURIComponent(enterprise.name)}`).expect(200)).body.items[0];
    expect(row).toMatchObject({ id: enterprise.id, level: 1, diagnosisId: id, region: { code: WUXI, name: '无锡市' } });
  });
});

describe('who sees which region', () => {
  it('shows a city administrator its city only, and a platform administrator everything', async () => {
    const inWuxi = enterprises.filter((e) => e.regionPath.includes(WUXI));
    expect(inWuxi.length).toBeGreaterThan(0);
    const d = (await wuxi.get('/api/dashboard').expect(200)).body;
    expect(d.region).toEqual({ code: WUXI, name: '无锡市', path: [{ code: '320000', name: '江苏省' }, { code: WUXI, name: '无锡市' }] });
    // One more registered through the API in the test above.
    expect(d.counts.registered).toBe(inWuxi.length + 1);
    const list = (await wuxi.get('/api/dashboard/enterprises?pageSize=200').expect(200)).body;
    expect(list.total).toBe(inWuxi.length + 1);
    expect(list.items.every((e: { region: { code: string } }) => e.region.code === WUXI)).toBe(true);

    const js = (await jiangsu.get('/api/dashboard').expect(200)).body;
    expect(js.bySubRegion.find((r: { code: string }) => r.code === WUXI)).toMatchObject({ name: '无锡市', registered: inWuxi.length + 1 });
    expect(js.bySubRegion.map((r: { code: string }) => r.code)).not.toContain('520100');

    const all = (await platform.get('/api/dashboard').expect(200)).body;
    const provinces = Object.fromEntries(all.bySubRegion.filter((r: { registered: number }) => r.registered).map((r: { code: string; registered: number }) => [r.code, r.registered]));
    expect(provinces).toEqual({ '320000': js.counts.registered, '520000': enterprises.filter((e) => e.regionPath[0] === '520000').length });
    const gz = (await platform.get('/api/dashboard?region=520000').expect(200)).body;
    expect(gz.counts.registered).toBe(provinces['520000']);
  });

  it('answers 404 for a region outside the administrator\'s (its own province included), 403 to others, 401 without a login', async () => {
    for (const path of ['/api/dashboard?region=520000', '/api/dashboard?region=320000', '/api/dashboard?region=999999', '/api/dashboard/enterprises?region=520100']) {
      const res = await wuxi.get(path);
      expect(res.status, path).toBe(404);
    }
    expect((await wuxi.put('/api/dashboard/targets?region=520000').send({ targets: [] })).status).toBe(404);
    const en = await wuxi.get('/api/dashboard?region=520000').set('Accept-Language', 'en');
    expect(en.body.error.message).toBe('no region "520000" within yours');
    const { agent } = await enterpriseAgent(h, { region: WUXI });
    expect((await agent.get('/api/dashboard')).status).toBe(403);
    expect((await agent.get('/api/dashboard/enterprises')).status).toBe(403);
    expect((await request(h.app).get('/api/dashboard')).status).toBe(401);
  });

  it("counts a group's members for its administrators, and for those above it only the members in their region", async () => {
    const group = (await platform.post('/api/regions').send({ parent: '320000', kind: 'group', name: { zh: '测试装备集团' } }).expect(201)).body.code;
    const inJiangsu = enterprises.find((e) => e.regionPath.includes(WUXI))!;
    const inGuizhou = enterprises.find((e) => e.regionPath[0] === '520000')!;
    for (const e of [inJiangsu, inGuizhou]) await platform.post(`/api/regions/${group}/members`).send({ creditCode: e.creditCode }).expect(201);
    const own = await admin('group-admin', 'regionAdmin', group);
    expect((await own.get('/api/dashboard').expect(200)).body.counts.registered).toBe(2);
    expect((await platform.get(`/api/dashboard?region=${group}`).expect(200)).body.counts.registered).toBe(2);
    expect((await jiangsu.get(`/api/dashboard?region=${group}`).expect(200)).body.counts.registered).toBe(1);
    expect((await jiangsu.get(`/api/dashboard/enterprises?region=${group}`).expect(200)).body.items.map((e: { id: string }) => e.id)).toEqual([inJiangsu.id]);
    expect((await jiangsu.get('/api/dashboard').expect(200)).body.bySubRegion.find((r: { code: string }) => r.code === group)).toMatchObject({ name: '测试装备集团', registered: 1 });
  });

  it("lets a region administrator open the reports of its enterprises, not another region's", async () => {
    const row = (await wuxi.get('/api/dashboard/enterprises?sort=score').expect(200)).body.items[0];
    const report = await wuxi.get(`/api/diagnoses/${row.diagnosisId}/report`).expect(200);
    expect(report.type).toBe('text/html');
    expect(report.text).toContain(row.name);
    expect((await guizhou.get(`/api/diagnoses/${row.diagnosisId}/report`)).status).toBe(404);
  });
});

describe('the enterprise table', () => {
  it('filters, sorts and pages', async () => {
    const all = (await platform.get('/api/dashboard/enterprises?sort=score&order=desc&pageSize=200').expect(200)).body.items;
    const scores = all.map((e: { score: number | null }) => e.score);
    expect(scores).toEqual([...scores].sort((a, b) => (b ?? -1) - (a ?? -1)));
    const page2 = (await platform.get('/api/dashboard/enterprises?sort=score&order=desc&page=2&pageSize=10').expect(200)).body;
    expect(page2.items.map((e: { id: string }) => e.id)).toEqual(all.slice(10, 20).map((e: { id: string }) => e.id));
    const level2 = (await platform.get('/api/dashboard/enterprises?level=2&pageSize=200').expect(200)).body;
    expect(level2.total).toBe(all.filter((e: { level: number }) => e.level === 2).length);
    const big = (await platform.get('/api/dashboard/enterprises?sizeBand=gt200&industry=C&pageSize=200').expect(200)).body;
    expect(big.items.every((e: { sizeBand: string; industry: string }) => e.sizeBand === 'gt200' && e.industry.startsWith('C'))).toBe(true);
    const bad = await platform.get('/api/dashboard/enterprises?sort=revenue');
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'invalid_query', field: '/sort' });
  });

  it('downloads as CSV: a BOM, the header in the request language, one row per enterprise, every page', async () => {
    const total = (await wuxi.get('/api/dashboard').expect(200)).body.counts.registered;
    const res = await wuxi.get('/api/dashboard/enterprises?format=csv&pageSize=1').expect(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="enterprises-320200.csv"/);
    expect(res.text.charCodeAt(0)).toBe(0xfeff);
    const lines = res.text.slice(1).trimEnd().split('\r\n');
    expect(lines[0]).toBe('企业名称,统一社会信用代码,地区代码,地区,行业代码,行业,企业规模,等级,等级名称,总分,完成时间,标杆企业');
    expect(lines).toHaveLength(total + 1);
    expect(lines.slice(1).every((l) => l.includes(',320200,江苏省 / 无锡市,'))).toBe(true);
    const en = await wuxi.get('/api/dashboard/enterprises?format=csv').set('Accept-Language', 'en').expect(200);
    expect(en.text.slice(1).split('\r\n')[0]).toBe('Enterprise,Unified social credit code,Region code,Region,Industry code,Industry,Size,Level,Level name,Score,Finished at,Benchmark');
  });

  it("marks benchmark enterprises per region: the city's and the province's marks are their own", async () => {
    const [first, second] = (await wuxi.get('/api/dashboard/enterprises?sort=score').expect(200)).body.items;
    expect((await wuxi.put(`/api/dashboard/enterprises/${first.id}/benchmark`).send({ benchmark: true }).expect(200)).body).toEqual({ id: first.id, benchmark: true, region: WUXI });
    await jiangsu.put(`/api/dashboard/enterprises/${second.id}/benchmark`).send({ benchmark: true }).expect(200);

    const marked = (await wuxi.get('/api/dashboard/enterprises?benchmark=true').expect(200)).body;
    expect(marked.items.map((e: { id: string; benchmark: boolean }) => [e.id, e.benchmark])).toEqual([[first.id, true]]);
    const provinceView = (await jiangsu.get(`/api/dashboard/enterprises?region=${WUXI}&benchmark=true`).expect(200)).body.items;
    expect(provinceView.map((e: { id: string }) => e.id)).toEqual([second.id]);
    const unmarked = (await wuxi.get('/api/dashboard/enterprises?benchmark=false&pageSize=200').expect(200)).body.items.map((e: { id: string }) => e.id);
    expect(unmarked).toContain(second.id);
    expect(unmarked).not.toContain(first.id);

    const elsewhere = enterprises.find((e) => e.regionPath[0] === '520000')!;
    expect((await wuxi.put(`/api/dashboard/enterprises/${elsewhere.id}/benchmark`).send({ benchmark: true })).status).toBe(404);
    expect((await wuxi.put(`/api/dashboard/enterprises/${first.id}/benchmark`).send({ benchmark: 'yes' })).status).toBe(400);
    await wuxi.put(`/api/dashboard/enterprises/${first.id}/benchmark`).send({ benchmark: false }).expect(200);
    expect((await wuxi.get('/api/dashboard/enterprises?benchmark=true').expect(200)).body.total).toBe(0);
  });
});

describe('targets and trend', () => {
  it("shows the region's targets beside its shares, and no one else's", async () => {
    const saved = await wuxi.put('/api/dashboard/targets').send({ targets: [{ level: 3, share: 0.2 }, { level: 2, share: 0.45 }] }).expect(200);
    expect(saved.body).toEqual({ region: WUXI, targets: [{ level: 2, share: 0.45 }, { level: 3, share: 0.2 }] });
    const d = (await wuxi.get('/api/dashboard').expect(200)).body;
    const assessed = d.counts.assessed;
    const atLeast = (level: number) => d.levels.filter((l: { level: number }) => l.level >= level).reduce((n: number, l: { count: number }) => n + l.count, 0);
    expect(d.shares).toEqual([
      { level: 2, share: Math.round((atLeast(2) / assessed) * 10000) / 10000, count: atLeast(2), target: 0.45 },
      { level: 3, share: Math.round((atLeast(3) / assessed) * 10000) / 10000, count: atLeast(3), target: 0.2 },
    ]);
    expect((await jiangsu.get('/api/dashboard').expect(200)).body.shares.every((s: { target?: number }) => s.target === undefined)).toBe(true);
    // A province administrator may set a city's targets too; a city administrator not its province's.
    await jiangsu.put(`/api/dashboard/targets?region=${SUZHOU}`).send({ targets: [{ level: 2, share: 0.5 }] }).expect(200);
    expect((await wuxi.put('/api/dashboard/targets?region=320000').send({ targets: [] })).status).toBe(404);
  });

  it('refuses a share out of range, a level twice and a level no ruleset has, pointing at the field', async () => {
    const zero = await wuxi.put('/api/dashboard/targets').send({ targets: [{ level: 2, share: 0 }] });
    expect(zero.status).toBe(400);
    expect(zero.body.error.field).toBe('/targets/0/share');
    const twice = await wuxi.put('/api/dashboard/targets').set('Accept-Language', 'en').send({ targets: [{ level: 2, share: 0.5 }, { level: 2, share: 0.6 }] });
    expect(twice.body.error).toMatchObject({ code: 'invalid', field: '/targets/1/level', message: 'level 2 has two targets' });
    const nine = await wuxi.put('/api/dashboard/targets').send({ targets: [{ level: 9, share: 0.5 }] });
    expect(nine.body.error).toMatchObject({ field: '/targets/0/level', message: '没有规则集包含等级 9' });
    const empty = await wuxi.put('/api/dashboard/targets').send({ targets: [{ level: 2 }] });
    expect(empty.body.error).toMatchObject({ field: '/targets/0', message: '等级 2 的目标须给出占比或企业数' });
    // Nothing was changed by the refused requests.
    expect((await wuxi.get('/api/dashboard').expect(200)).body.shares.map((s: { target?: number }) => s.target)).toEqual([0.45, 0.2]);
  });

  it('takes a target as a number of enterprises, or both, and shows it beside the count', async () => {
    await wuxi.put('/api/dashboard/targets').send({ targets: [{ level: 2, count: 30 }, { level: 3, share: 0.2, count: 5 }] }).expect(200);
    const d = (await wuxi.get('/api/dashboard').expect(200)).body;
    expect(d.shares.map((s: { level: number; target?: number; targetCount?: number }) => [s.level, s.target, s.targetCount])).toEqual([
      [2, undefined, 30],
      [3, 0.2, 5],
    ]);
    await wuxi.put('/api/dashboard/targets').send({ targets: [{ level: 3, share: 0.2 }, { level: 2, share: 0.45 }] }).expect(200);
  });

  it('buckets the trend by quarter in China time, each quarter counting results as of its end', async () => {
    const d = (await platform.get('/api/dashboard').expect(200)).body;
    const finishedPerQuarter: Record<string, number> = {};
    for (const x of diagnoses) if (x.finishedAt) finishedPerQuarter[quarterOf(x.finishedAt, 480)] = (finishedPerQuarter[quarterOf(x.finishedAt, 480)] ?? 0) + 1;
    const quarters = d.trend.map((q: { quarter: string }) => q.quarter);
    expect(quarters[0]).toBe(Object.keys(finishedPerQuarter).sort()[0]);
    expect(quarters.at(-1)).toBe('2026Q4');
    // The one finished through the API above is in the current quarter.
    expect(Object.fromEntries(d.trend.map((q: { quarter: string; diagnoses: number }) => [q.quarter, q.diagnoses]).filter(([, n]: [string, number]) => n))).toEqual({ ...finishedPerQuarter, '2026Q4': (finishedPerQuarter['2026Q4'] ?? 0) + 1 });
    const assessed = d.trend.map((q: { assessed: number }) => q.assessed);
    expect(assessed).toEqual([...assessed].sort((a, b) => a - b));
    const last = d.trend.at(-1);
    expect(last.assessed).toBe(d.counts.assessed);
    expect(Object.fromEntries(Object.entries(last.levels).filter(([, n]) => n))).toEqual(levelsOf(d));
  });

  it('is described in the OpenAPI document', () => {
    expect(Object.keys(h.openapi.paths).filter((p) => p.startsWith('/api/dashboard'))).toEqual(['/api/dashboard', '/api/dashboard/enterprises', '/api/dashboard/enterprises/{id}/benchmark', '/api/dashboard/targets']);
  });
});

describe('profiles the store keeps for the dashboard', () => {
  it('are rebuilt from the snapshots for a store that has none (or a torn last line)', async () => {
    const fresh = await harness();
    const { diagnoses: made } = await generatePopulation(fresh.ctx, { count: 4, prefix: 'p', password: 'dash-2026-x', finished: 2, inProgress: true });
    const ids = made.map((d) => d.id);
    const kept = await fresh.store.diagnosisProfiles(ids);
    expect(kept.size).toBe(8);
    await fresh.store.close();
    writeFileSync(join(fresh.dir, 'profiles.jsonl'), '{"id":"torn","prof');
    const reopened = await LowdbStore.open(fresh.dir);
    expect(await reopened.diagnosisProfiles(ids)).toEqual(kept);
    await reopened.close();
  });
});
