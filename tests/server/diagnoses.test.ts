import { beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import type { Agent } from 'supertest';
import { harness, enterpriseAgent, type Harness } from './harness.ts';
import { loadRulesetFile } from '../../cli/rulesetFiles.ts';
import { hashPassword } from '../../server/accounts/password.ts';

const cmmm = loadRulesetFile('rulesets/cmmm/gbt39116-2020.json');
/** One option for every question a discrete firm answers at a level, leaving out the given sub-domains. */
const levelAnswers = (level: number, option: string, skipSubDomains: string[] = []) =>
  Object.fromEntries(
    cmmm.questions.filter((q) => q.level === level && !skipSubDomains.includes(q.subDomain) && (!q.industryTypes || q.industryTypes.includes('discrete'))).map((q) => [q.id, option]),
  );

let h: Harness;
beforeAll(async () => {
  h = await harness();
});

async function newDiagnosis(agent: Agent) {
  const res = await agent.post('/api/diagnoses').send({});
  expect(res.status).toBe(201);
  return res.body.id as string;
}

describe('a self-diagnosis through the API', () => {
  it('runs from tailoring to the result: level 1 reached, level 2 not, indicators, result', async () => {
    // 福州: a region without a provincial variant.
    const { agent } = await enterpriseAgent(h, { region: '350100' });
    const elig = await agent.get('/api/diagnoses/eligibility').expect(200);
    expect(elig.body).toMatchObject({ allowed: true, refusals: [], warnings: [], reminders: [], quota: { remaining: 3 }, ruleset: { id: 'cmmm-gbt39116', version: '1.1.0' } });
    const id = await newDiagnosis(agent);

    const outline = (await agent.get(`/api/diagnoses/${id}/outline`).expect(200)).body;
    expect(outline.tailoring.filter((t: { excludable: boolean; parent?: string }) => t.excludable && !t.parent).map((t: { name: string }) => t.name)).toEqual(['设计', '物流', '销售', '服务']);
    expect(outline.tailoring.filter((t: { parent?: string }) => t.parent === 'd.design').map((t: { name: string }) => t.name)).toEqual(['产品设计', '工艺设计']);
    expect(outline.levels.map((l: { name: string }) => l.name)).toEqual(['规划级', '规范级', '集成级', '优化级', '引领级']);

    const refused = await agent.post(`/api/diagnoses/${id}/tailoring`).send({ excluded: ['d.production'] });
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toBe('"生产" 为必答项，不可裁剪');
    const tailored = await agent.post(`/api/diagnoses/${id}/tailoring`).send({ excluded: ['d.logistics'] }).expect(200);
    expect(tailored.body.phase).toEqual({ phase: 'answering', level: 1 });
    expect((await agent.post(`/api/diagnoses/${id}/tailoring`).send({ excluded: [] })).status).toBe(409);

    const nav = (await agent.get(`/api/diagnoses/${id}/navigation?level=1`).expect(200)).body;
    expect(nav.map((n: { name: string }) => n.name)).toEqual(['人员', '技术', '资源', '制造']);
    expect(nav[3].children.map((n: { name: string }) => n.name)).toEqual(['设计', '生产', '销售', '服务']);
    const form = (await agent.get(`/api/diagnoses/${id}/form?level=1&node=d.org_strategy`).expect(200)).body;
    expect(form.schema.properties['L1-1.1.1'].title).toMatch(/^规划级 \| 1\.1\.1 /);
    const found = (await agent.get(`/api/diagnoses/${id}/search?level=1&q=4.3`).expect(200)).body;
    expect(found[0]).toMatchObject({ number: '4.3.1', nodeId: 'production_operation' });
    expect(found[0].path).toEqual(['制造', '生产', '生产作业']);

    const answers = levelAnswers(1, 'D', ['logistics']);
    const unanswered = await agent.post(`/api/diagnoses/${id}/levels/1/submit`);
    expect(unanswered.status).toBe(400);
    expect(unanswered.body.error.code).toBe('unanswered');
    const save = await agent.put(`/api/diagnoses/${id}/answers`).send({ answers }).expect(200);
    expect(save.body.revision).toBeGreaterThan(1);
    const navAfter = (await agent.get(`/api/diagnoses/${id}/navigation?level=1`).expect(200)).body;
    expect(navAfter.every((n: { status: string }) => n.status === 'done')).toBe(true);

    const l1 = await agent.post(`/api/diagnoses/${id}/levels/1/submit`).expect(200);
    expect(l1.body.level).toMatchObject({ level: 1, score: 1, reached: true });
    expect(l1.body.delaySeconds).toBe(3);
    expect(l1.body.diagnosis.phase).toEqual({ phase: 'answering', level: 2 });
    // a submitted level is closed
    expect((await agent.put(`/api/diagnoses/${id}/answers`).send({ answers: { 'L1-1.1.1': 'A' } })).status).toBe(400);

    await agent.put(`/api/diagnoses/${id}/answers`).send({ answers: levelAnswers(2, 'B', ['logistics']) }).expect(200);
    const l2 = await agent.post(`/api/diagnoses/${id}/levels/2/submit`).expect(200);
    expect(l2.body.level).toMatchObject({ level: 2, reached: false });
    expect(l2.body.level.score).toBeCloseTo(0.5, 9);
    expect(l2.body.diagnosis.phase).toEqual({ phase: 'indicators' });

    const missing = await agent.post(`/api/diagnoses/${id}/indicators/submit`).send({ values: { yield: { value: 5, formula: '本年合格率 − 上年合格率' } } });
    expect(missing.status).toBe(400);
    expect(missing.body.error.details).toHaveLength(12);
    const values = Object.fromEntries(outline.indicators.fields.map((f: { id: string }) => [f.id, { value: 0, formula: '无' }]));
    await agent.put(`/api/diagnoses/${id}/indicators`).send({ values: { yield: { value: 5, formula: '本年合格率 − 上年合格率' } } }).expect(200);
    const done = await agent.post(`/api/diagnoses/${id}/indicators/submit`).send({ values: { ...values, yield: { value: 5, formula: '本年合格率 − 上年合格率' } } }).expect(200);
    expect(done.body.diagnosis.status).toBe('finished');

    const result = (await agent.get(`/api/diagnoses/${id}/result`).expect(200)).body;
    expect(result).toMatchObject({ level: 1, levelName: '一级（规划级）', total: { value: 1.5, text: '1.50' }, totalRule: { id: 'passedPlusNext' }, band: { level: 1, range: '0.8 ≤ S < 1.8' } });
    expect(result.levels.map((l: { reached: boolean | null }) => l.reached)).toEqual([true, false, null, null, null]);
    // The profile is the first level not reached, grouped by the ruleset's domains.
    expect(result.profile).toMatchObject({ level: 2, name: '二级（规范级）', layer: { id: 'domain', name: '能力域' } });
    expect(result.trees[0].nodes.map((d: { name: string }) => d.name)).toEqual(['人员', '技术', '资源', '制造']);
    expect(result.gap).toMatchObject({ targetLevel: 2, targetName: '二级（规范级）' });
    expect(result.excluded).toEqual([{ id: 'd.logistics', name: '物流' }]);
    expect(result.indicators.find((i: { id: string }) => i.id === 'yield')).toMatchObject({ value: 5, formula: '本年合格率 − 上年合格率' });

    const list = (await agent.get('/api/diagnoses').expect(200)).body.items;
    expect(list).toEqual([expect.objectContaining({ id, status: 'finished', level: 1, levelName: '一级（规划级）', total: 1.5, counts: true })]);
  });

  it('refuses bad answers and changes nothing', async () => {
    const { agent } = await enterpriseAgent(h);
    const id = await newDiagnosis(agent);
    await agent.post(`/api/diagnoses/${id}/tailoring`).send({ excluded: [] }).expect(200);
    await agent.put(`/api/diagnoses/${id}/answers`).send({ answers: { 'L1-1.1.1': 'C' } }).expect(200);
    const before = (await agent.get(`/api/diagnoses/${id}`)).body;
    const cases: [Record<string, unknown>, string][] = [
      [{ 'L1-1.1.2': 'D', 'L9-nope': 'A' }, '/answers/L9-nope'],
      [{ 'L1-1.1.2': 'E' }, '/answers/L1-1.1.2'],
      [{ 'L1-1.1.2': 'N/A' }, '/answers/L1-1.1.2'],
      [{ 'L2-1.1.1': 'D' }, '/answers/L2-1.1.1'],
      [{ 'L1-1.1.2': 3 }, '/answers/L1-1.1.2'],
    ];
    for (const [answers, field] of cases) {
      const res = await agent.put(`/api/diagnoses/${id}/answers`).send({ answers });
      expect(res.status, JSON.stringify(answers)).toBe(400);
      expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
    }
    expect((await agent.put(`/api/diagnoses/${id}/answers`).send({ answers: 'D' })).status).toBe(400);
    const after = (await agent.get(`/api/diagnoses/${id}`)).body;
    expect(after.answers).toEqual(before.answers);
    expect(after.revision).toBe(before.revision);
  });

  it('offers "not applicable" only in tailorable domains, and clears an answer with null', async () => {
    const { agent } = await enterpriseAgent(h);
    const id = await newDiagnosis(agent);
    await agent.post(`/api/diagnoses/${id}/tailoring`).send({ excluded: [] }).expect(200);
    await agent.put(`/api/diagnoses/${id}/answers`).send({ answers: { 'L1-7.1.1': 'N/A', 'L1-1.1.1': 'B' } }).expect(200);
    await agent.put(`/api/diagnoses/${id}/answers`).send({ answers: { 'L1-1.1.1': null } }).expect(200);
    expect((await agent.get(`/api/diagnoses/${id}`)).body.answers).toEqual({ 'L1-7.1.1': 'N/A' });
  });

  it('tells the loser of two windows saving with the same revision', async () => {
    const { agent } = await enterpriseAgent(h);
    const id = await newDiagnosis(agent);
    const { revision } = (await agent.post(`/api/diagnoses/${id}/tailoring`).send({ excluded: [] })).body;
    await agent.put(`/api/diagnoses/${id}/answers`).send({ answers: { 'L1-1.1.1': 'B' }, revision }).expect(200);
    const stale = await agent.put(`/api/diagnoses/${id}/answers`).send({ answers: { 'L1-1.1.1': 'D' }, revision });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('stale');
  });
});

describe('submission limits', () => {
  it('allows 3 diagnoses a month and refuses the 4th with the rule message, even when asked at once', async () => {
    const { agent } = await enterpriseAgent(h);
    const results = await Promise.all(Array.from({ length: 5 }, () => agent.post('/api/diagnoses').send({})));
    expect(results.map((r) => r.status).sort()).toEqual([201, 201, 201, 409, 409]);
    const refused = results.find((r) => r.status === 409)!;
    expect(refused.body.error).toMatchObject({ code: 'limit' });
    expect(refused.body.error.message).toContain('不得超过 3 次');
    const elig = (await agent.get('/api/diagnoses/eligibility')).body;
    expect(elig.allowed).toBe(false);
    h.clock.now = new Date(h.clock.now.getTime() + 32 * 86_400_000);
    expect((await agent.get('/api/diagnoses/eligibility')).body.allowed).toBe(true);
    h.clock.now = new Date('2026-11-23T10:00:00+08:00');
  });

  it("gives a Shanghai enterprise the Shanghai variant and its advisory warnings, which it may acknowledge", async () => {
    const { agent } = await enterpriseAgent(h, { region: '310104' });
    const first = await agent.post('/api/diagnoses').send({}).expect(201);
    expect(first.body.ruleset).toMatchObject({ id: 'cmmm-gbt39116-shanghai', version: '1.1.0' });
    // "At least 6 months apart" counts from a finished one: an unfinished start is no assessment yet.
    await agent.post('/api/diagnoses').send({}).expect(201);
    await h.store.updateDiagnosis(first.body.id, (d) => ({ ...d, status: 'finished', state: { ...d.state, phase: { phase: 'finished' } }, finishedAt: h.clock.now.toISOString() }));
    const warned = await agent.post('/api/diagnoses').send({});
    expect(warned.status).toBe(409);
    expect(warned.body.error.code).toBe('warnings_not_acknowledged');
    expect(warned.body.error.message).toContain('6 个月');
    const elig = (await agent.get('/api/diagnoses/eligibility').set('Accept-Language', 'en')).body;
    expect(elig).toMatchObject({ allowed: true, warnings: [{ id: 'sh-six-months-apart' }] });
    expect(elig.warnings[0].message).toContain('at least 6 months between two self-assessments');
    await agent.post('/api/diagnoses').send({ acknowledgeWarnings: true }).expect(201);
  });
});

describe('authorisation', () => {
  let owner: Awaited<ReturnType<typeof enterpriseAgent>>;
  let id: string;
  beforeAll(async () => {
    owner = await enterpriseAgent(h, { region: '520100' });
    id = await newDiagnosis(owner.agent);
  });

  it('hides an enterprise\'s diagnosis from another enterprise', async () => {
    const other = await enterpriseAgent(h, { region: '520100' });
    for (const path of ['', '/outline', '/navigation?level=1', '/form?level=1', '/result']) expect((await other.agent.get(`/api/diagnoses/${id}${path}`)).status).toBe(404);
    expect((await other.agent.put(`/api/diagnoses/${id}/answers`).send({ answers: {} })).status).toBe(404);
    expect((await other.agent.post(`/api/diagnoses/${id}/tailoring`).send({ excluded: [] })).status).toBe(404);
    expect((await other.agent.get(`/api/diagnoses?enterprise=${owner.enterprise.id}`)).body.items.map((d: { id: string }) => d.id)).not.toContain(id);
    expect((await other.agent.get(`/api/enterprises/${owner.enterprise.id}`)).status).toBe(404);
  });

  it('lets a region administrator read, not write, inside its region only', async () => {
    const admin = h.agent();
    await h.store.createAccount({ id: 'ra-gz', username: 'gz-admin', passwordHash: await hashPassword('admin1234'), role: 'regionAdmin', region: '520000', createdAt: new Date().toISOString() });
    await h.store.createAccount({ id: 'ra-sh', username: 'sh-admin', passwordHash: await hashPassword('admin1234'), role: 'regionAdmin', region: '310000', createdAt: new Date().toISOString() });
    await admin.post('/api/session').send({ username: 'gz-admin', password: 'admin1234' }).expect(200);
    expect((await admin.get(`/api/diagnoses/${id}`)).status).toBe(200);
    expect((await admin.get(`/api/diagnoses?enterprise=${owner.enterprise.id}`)).body.items.map((d: { id: string }) => d.id)).toContain(id);
    expect((await admin.put(`/api/diagnoses/${id}/answers`).send({ answers: {} })).status).toBe(403);
    const visible = (await admin.get('/api/enterprises')).body.items;
    expect(visible.length).toBeGreaterThan(0);
    expect(visible.every((e: { regionPath: string[] }) => e.regionPath[0] === '520000')).toBe(true);
    const outside = h.agent();
    await outside.post('/api/session').send({ username: 'sh-admin', password: 'admin1234' }).expect(200);
    expect((await outside.get(`/api/diagnoses/${id}`)).status).toBe(404);
    expect((await outside.get(`/api/enterprises/${owner.enterprise.id}`)).status).toBe(404);
  });

  it('requires a login and the right role', async () => {
    expect((await request(h.app).get('/api/diagnoses')).status).toBe(401);
    expect((await request(h.app).post('/api/diagnoses').send({})).body.error.code).toBe('unauthenticated');
    expect((await owner.agent.get('/api/enterprises')).status).toBe(403);
    expect((await owner.agent.post('/api/users').send({ username: 'sneaky', password: 'admin1234', passwordConfirm: 'admin1234', role: 'platformAdmin' })).status).toBe(403);
  });
});
