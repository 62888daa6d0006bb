// Applications for a formal assessment (seed 003 step 1): an enterprise with a finished
// self-diagnosis applies to an accredited body on its ruleset's application form; the engine's
// problems come back named (/values/<field>), its rules' refusals with their messages; the body's
// managers accept (with the contract date) or decline; the enterprise withdraws. Nobody reads
// another's: 0 cross-body and 0 cross-enterprise reads.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { harness, enterpriseAgent, type Harness } from './harness.ts';
import { hashPassword } from '../../server/accounts/password.ts';
import { creditCodeFor } from '../../server/population.ts';
import { loadRulesetFile } from '../../cli/rulesetFiles.ts';
import type { Assessment } from '../../engine/index.ts';

const cmmm = loadRulesetFile('rulesets/cmmm/gbt39116-2020.json');
const t = (zh: string, en = zh) => ({ zh, en });

/** Seed 003's preconditions: one trained person for level 3, two for level 4 and above, a self-diagnosis first. */
function scheme(): Assessment {
  return {
    title: t('正式评估申请', 'Application for a formal assessment'),
    targetLevels: [1, 2, 3, 4, 5],
    application: {
      fields: [
        { id: 'contact', label: t('联系人', 'Contact'), kind: 'text', required: true, maxLength: 20 },
        { id: 'scope', label: t('申请评估范围', 'Scope'), kind: 'choice', required: true, options: [{ id: 'whole', label: t('全厂', 'Whole plant') }, { id: 'line', label: t('产线', 'A line') }] },
        { id: 'trained', label: t('培训考试合格人员', 'Staff trained and examined'), kind: 'people', max: 10 },
      ],
      rules: [
        {
          id: 'trained-for-3',
          name: t('三级须有一名培训合格人员', 'Level 3 needs one trained person'),
          conditions: { all: [{ fact: 'targetLevel', operator: 'equal', value: 3 }, { fact: 'trained', operator: 'lessThan', value: 1 }] },
          message: t('申请三级评估须至少有一名企业内部人员培训并考试合格', 'a level-3 application needs at least one member of staff trained and examined'),
        },
        {
          id: 'trained-for-4',
          name: t('四级及以上须有两名培训合格人员', 'Level 4 and above need two trained persons'),
          conditions: { all: [{ fact: 'targetLevel', operator: 'greaterThanInclusive', value: 4 }, { fact: 'trained', operator: 'lessThan', value: 2 }] },
          message: t('申请四级及以上评估须至少有两名企业内部人员培训并考试合格', 'a level-4 or higher application needs at least two members of staff trained and examined'),
        },
        {
          id: 'self-diagnosis-first',
          name: t('先完成自诊断', 'Self-diagnose first'),
          conditions: { all: [{ fact: 'selfDiagnosisLevel', operator: 'lessThan', value: 1 }] },
          message: t('请先在平台完成自诊断', 'finish a self-diagnosis on the platform first'),
        },
      ],
    },
    team: { minAssessors: 3, scoredBy: 2 },
    evidence: { maxBytes: 20 * 1024 * 1024, types: ['pdf', 'docx', 'xlsx', 'jpg', 'png'], maxFiles: 10 },
    expertReview: true,
    certificate: { title: t('智能制造能力成熟度标准符合性证书', 'Certificate of conformity'), numberPrefix: 'CMMM', validityMonths: 36, template: 'cmmm-certificate' },
  };
}

const JIANGSU = '320000';

let h: Harness;
let platform: ReturnType<Harness['agent']>;
let wuxi: ReturnType<Harness['agent']>;
let zhejiang: ReturnType<Harness['agent']>;
let author: ReturnType<Harness['agent']>;
let bodyA: { id: string };
let bodyB: { id: string };
let managerA: ReturnType<Harness['agent']>;
let memberA: ReturnType<Harness['agent']>;
let managerB: ReturnType<Harness['agent']>;

const staff = async (username: string, role: 'platformAdmin' | 'regionAdmin' | 'rulesetAuthor', region?: string) => {
  await h.store.createAccount({ id: randomUUID(), username, passwordHash: await hashPassword('admin1234'), role, ...(region ? { region } : {}), createdAt: new Date().toISOString() });
  const agent = h.agent();
  await agent.post('/api/session').send({ username, password: 'admin1234' }).expect(200);
  return agent;
};

const assessor = async (bodyId: string, username: string, bodyManager: boolean) => {
  const created = (await platform.post(`/api/assessment-bodies/${bodyId}/assessors`).send({ username, certificateNumber: `PG-${username}`, bodyManager }).expect(201)).body;
  const agent = h.agent();
  await agent.post('/api/session').send({ username, password: created.temporaryPassword }).expect(200);
  return agent;
};

let serial = 0;
const body = async () => {
  serial += 1;
  return (await platform.post('/api/assessment-bodies').send({ name: `评估机构${serial}`, creditCode: creditCodeFor(700_000 + serial, JIANGSU), accreditation: { number: `AB-${serial}`, validUntil: '2029-12-31' } }).expect(201)).body;
};

/** An enterprise in Wuxi (the Jiangsu ruleset with the scheme) that finished a self-diagnosis through the API. */
async function diagnosedFirm(overrides: Record<string, unknown> = {}) {
  const firm = await enterpriseAgent(h, overrides);
  const { agent } = firm;
  const id = (await agent.post('/api/diagnoses').send({}).expect(201)).body.id;
  await agent.post(`/api/diagnoses/${id}/tailoring`).send({ excluded: [] }).expect(200);
  const answers = (level: number, option: string) => Object.fromEntries(cmmm.questions.filter((q) => q.level === level).map((q) => [q.id, option]));
  await agent.put(`/api/diagnoses/${id}/answers`).send({ answers: answers(1, 'D') }).expect(200);
  await agent.post(`/api/diagnoses/${id}/levels/1/submit`).expect(200);
  await agent.put(`/api/diagnoses/${id}/answers`).send({ answers: answers(2, 'A') }).expect(200);
  await agent.post(`/api/diagnoses/${id}/levels/2/submit`).expect(200);
  const values = Object.fromEntries(cmmm.flow.indicators.fields.map((f) => [f.id, { value: 0, formula: '无' }]));
  await agent.post(`/api/diagnoses/${id}/indicators/submit`).send({ values }).expect(200);
  return firm;
}

const form = (over: Record<string, unknown> = {}) => ({ contact: '张三', scope: 'whole', trained: [{ name: '李四', certificateNo: 'PX-001' }], ...over });

beforeAll(async () => {
  h = await harness();
  // Jiangsu's enterprises get a ruleset with a formal assessment scheme; the bundled one has none.
  await h.store.putRuleset({
    id: 'cmmm-assessed',
    version: cmmm.version,
    status: 'published',
    document: { ...cmmm, id: 'cmmm-assessed', regions: [JIANGSU], assessment: scheme() },
    regions: [JIANGSU],
    publishedAt: h.clock.now.toISOString(),
  });
  platform = await staff('aa-boss', 'platformAdmin');
  wuxi = await staff('aa-wuxi', 'regionAdmin', '320200');
  zhejiang = await staff('aa-zj', 'regionAdmin', '330000');
  author = await staff('aa-author', 'rulesetAuthor');
  bodyA = await body();
  bodyB = await body();
  managerA = await assessor(bodyA.id, 'aa.manager.a', true);
  memberA = await assessor(bodyA.id, 'aa.member.a', false);
  managerB = await assessor(bodyB.id, 'aa.manager.b', true);
});

describe('the application form', () => {
  it("is the enterprise's ruleset's scheme as an @rjsf schema; a ruleset without one says so", async () => {
    const firm = await enterpriseAgent(h);
    const res = await firm.agent.get('/api/assessment-form').expect(200);
    expect(res.body.ruleset).toEqual({ id: 'cmmm-assessed', version: cmmm.version });
    expect(res.body.targetLevels.map((l: { level: number }) => l.level)).toEqual([1, 2, 3, 4, 5]);
    // Levels as the ruleset names them.
    expect(res.body.targetLevels[1]).toEqual({ level: 2, name: '二级（规范级）' });
    expect(res.body.schema.required).toEqual(['contact', 'scope']);
    expect(res.body.schema.properties.trained.type).toBe('array');
    expect((await platform.get(`/api/assessment-form?ruleset=cmmm-assessed@${cmmm.version}`).expect(200)).body.title).toBe('正式评估申请');
    const national = (await h.store.listRulesets()).find((r) => r.id === h.ctx.reference.defaultRuleset && r.status === 'published')!;
    const bundled = await platform.get(`/api/assessment-form?ruleset=${national.id}@${national.version}`);
    expect(bundled.status).toBe(409);
    expect(bundled.body.error.code).toBe('no_assessment_scheme');
    expect((await platform.get('/api/assessment-form?ruleset=nothing@1')).status).toBe(404);
    expect((await platform.get('/api/assessment-form')).status).toBe(403);
    // An enterprise outside Jiangsu follows the bundled ruleset: nothing to apply for yet.
    const hangzhou = await enterpriseAgent(h, { region: '330100' });
    expect((await hangzhou.agent.get('/api/assessment-form')).body.error.code).toBe('no_assessment_scheme');
    expect((await hangzhou.agent.post('/api/assessment-applications').send({ body: bodyA.id, targetLevel: 1, values: form() })).status).toBe(409);
  });
});

describe('applying', () => {
  it('is refused with the rule\'s message before a self-diagnosis, and for level 3 without a trained person', async () => {
    const fresh = await enterpriseAgent(h);
    const early = await fresh.agent.post('/api/assessment-applications').send({ body: bodyA.id, targetLevel: 1, values: form() });
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('application_refused');
    expect(early.body.error.message).toContain('请先在平台完成自诊断');

    const firm = await diagnosedFirm();
    const refused = await firm.agent.post('/api/assessment-applications').set('accept-language', 'en').send({ body: bodyA.id, targetLevel: 3, values: form({ trained: [] }) });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('application_refused');
    expect(refused.body.error.message).toContain('a level-3 application needs at least one member of staff trained and examined');
    const four = await firm.agent.post('/api/assessment-applications').send({ body: bodyA.id, targetLevel: 4, values: form() });
    expect(four.body.error.message).toContain('至少有两名');
    expect((await firm.agent.get('/api/assessment-applications').expect(200)).body.total).toBe(0);
  });

  it('names the field of a form problem and keeps nothing', async () => {
    const firm = await diagnosedFirm();
    const missing = await firm.agent.post('/api/assessment-applications').send({ body: bodyA.id, targetLevel: 2, values: form({ contact: '' }) });
    expect(missing.status).toBe(400);
    expect(missing.body.error.field).toBe('/values/contact');
    const person = await firm.agent.post('/api/assessment-applications').send({ body: bodyA.id, targetLevel: 2, values: form({ trained: [{ name: '王五' }] }) });
    expect(person.status).toBe(400);
    expect(person.body.error.field).toBe('/values/trained/0/certificateNo');
    const level = await firm.agent.post('/api/assessment-applications').send({ body: bodyA.id, targetLevel: 6, values: form() });
    expect(level.status).toBe(400);
    expect(level.body.error.field).toBe('/targetLevel');
    const unknownBody = await firm.agent.post('/api/assessment-applications').send({ body: randomUUID(), targetLevel: 2, values: form() });
    expect(unknownBody.status).toBe(400);
    expect(unknownBody.body.error.field).toBe('/body');
    expect((await firm.agent.get('/api/assessment-applications').expect(200)).body.total).toBe(0);
  });

  it('is refused to a suspended body and to anyone but an enterprise', async () => {
    const firm = await diagnosedFirm();
    const suspended = await body();
    await platform.put(`/api/assessment-bodies/${suspended.id}`).send({ status: 'suspended' }).expect(200);
    const res = await firm.agent.post('/api/assessment-applications').send({ body: suspended.id, targetLevel: 2, values: form() });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('body_not_accepting');
    // A body serving only Zhejiang takes no application from Wuxi.
    const zjBody = (await platform.post('/api/assessment-bodies').send({ name: '浙江评估机构', creditCode: creditCodeFor(777_001, '330000'), regions: ['330000'], accreditation: { number: 'ZJ-1', validUntil: '2029-12-31' } }).expect(201)).body;
    const elsewhere = await firm.agent.post('/api/assessment-applications').send({ body: zjBody.id, targetLevel: 2, values: form() });
    expect(elsewhere.status).toBe(409);
    expect(elsewhere.body.error.message).toContain('不服务本企业所在地区');
    expect((await firm.agent.get('/api/assessment-applications').expect(200)).body.total).toBe(0);
    for (const agent of [platform, wuxi, author, managerA]) expect((await agent.post('/api/assessment-applications').send({ body: bodyA.id, targetLevel: 2, values: form() })).status).toBe(403);
  });
});

describe('an application', () => {
  it('is read by its enterprise, its body and the regions above the enterprise only: 0 cross-body reads', async () => {
    const firm = await diagnosedFirm();
    const other = await diagnosedFirm();
    const created = await firm.agent.post('/api/assessment-applications').send({ body: bodyA.id, targetLevel: 3, values: form() }).expect(201);
    expect(created.body).toMatchObject({ status: 'submitted', targetLevel: 3, targetLevelName: '三级（集成级）', body: { id: bodyA.id }, enterprise: { id: firm.enterprise.id }, ruleset: { id: 'cmmm-assessed' } });
    const id = created.body.id;
    // One open application at a time.
    expect((await firm.agent.post('/api/assessment-applications').send({ body: bodyB.id, targetLevel: 2, values: form() })).body.error.code).toBe('application_open');

    const ids = async (agent: ReturnType<Harness['agent']>) => (await agent.get('/api/assessment-applications?pageSize=200').expect(200)).body.items.map((a: { id: string }) => a.id);
    expect(await ids(firm.agent)).toEqual([id]);
    expect(await ids(managerA)).toContain(id);
    expect(await ids(memberA)).toContain(id);
    expect(await ids(wuxi)).toContain(id);
    expect(await ids(platform)).toContain(id);
    expect(await ids(managerB)).not.toContain(id);
    expect(await ids(zhejiang)).not.toContain(id);
    expect(await ids(other.agent)).not.toContain(id);
    for (const agent of [firm.agent, managerA, memberA, wuxi, platform]) await agent.get(`/api/assessment-applications/${id}`).expect(200);
    for (const agent of [managerB, zhejiang, other.agent]) expect((await agent.get(`/api/assessment-applications/${id}`)).status).toBe(404);
    expect((await author.get('/api/assessment-applications')).status).toBe(403);
    expect((await author.get(`/api/assessment-applications/${id}`)).status).toBe(404);
    expect((await request(h.app).get('/api/assessment-applications')).status).toBe(401);
  });

  it("is accepted by its body's managers only, with the contract date, once", async () => {
    const firm = await diagnosedFirm();
    const id = (await firm.agent.post('/api/assessment-applications').send({ body: bodyA.id, targetLevel: 2, values: form() }).expect(201)).body.id;
    expect((await managerB.post(`/api/assessment-applications/${id}/accept`).send({ contractDate: '2026-12-01' })).status).toBe(404);
    for (const agent of [memberA, wuxi, platform, firm.agent]) expect((await agent.post(`/api/assessment-applications/${id}/accept`).send({ contractDate: '2026-12-01' })).status).toBe(403);
    const badDate = await managerA.post(`/api/assessment-applications/${id}/accept`).send({ contractDate: '2026-02-30' });
    expect(badDate.status).toBe(400);
    expect(badDate.body.error.field).toBe('/contractDate');
    expect((await firm.agent.get(`/api/assessment-applications/${id}`).expect(200)).body.status).toBe('submitted');
    const accepted = await managerA.post(`/api/assessment-applications/${id}/accept`).send({ contractDate: '2026-12-01' }).expect(200);
    expect(accepted.body).toMatchObject({ status: 'accepted', contractDate: '2026-12-01' });
    expect((await managerA.post(`/api/assessment-applications/${id}/decline`).send({ reason: '改主意了' })).body.error.code).toBe('application_not_submitted');
    // Accepted: the enterprise can no longer withdraw it.
    expect((await firm.agent.post(`/api/assessment-applications/${id}/withdraw`)).status).toBe(409);
    const audit = (await platform.get(`/api/audit?target=${id}`).expect(200)).body.items.map((e: { action: string }) => e.action);
    expect(audit).toEqual(['assessment.accept', 'assessment.apply']);
    // The region's administrators see the entries too, named by the enterprise.
    const seen = (await wuxi.get(`/api/audit?target=${id}`).expect(200)).body.items;
    expect(seen).toHaveLength(2);
    expect(seen[0].targetName).toBe(firm.enterprise.name);
  });

  it('is declined with a reason the enterprise reads; then the enterprise may apply again, and withdraw', async () => {
    const firm = await diagnosedFirm();
    const id = (await firm.agent.post('/api/assessment-applications').send({ body: bodyB.id, targetLevel: 2, values: form() }).expect(201)).body.id;
    expect((await managerA.post(`/api/assessment-applications/${id}/decline`).send({ reason: '不是本机构' })).status).toBe(404);
    expect((await managerB.post(`/api/assessment-applications/${id}/decline`).send({ reason: '   ' })).body.error.field).toBe('/reason');
    await managerB.post(`/api/assessment-applications/${id}/decline`).send({ reason: '本季度排期已满' }).expect(200);
    const seen = (await firm.agent.get(`/api/assessment-applications/${id}`).expect(200)).body;
    expect(seen).toMatchObject({ status: 'declined', declineReason: '本季度排期已满' });
    const next = (await firm.agent.post('/api/assessment-applications').send({ body: bodyA.id, targetLevel: 2, values: form() }).expect(201)).body.id;
    const other = await diagnosedFirm();
    expect((await other.agent.post(`/api/assessment-applications/${next}/withdraw`)).status).toBe(404);
    expect((await managerA.post(`/api/assessment-applications/${next}/withdraw`)).status).toBe(403);
    expect((await firm.agent.post(`/api/assessment-applications/${next}/withdraw`).expect(200)).body.status).toBe('withdrawn');
    expect((await firm.agent.get('/api/assessment-applications?status=withdrawn').expect(200)).body.items.map((a: { id: string }) => a.id)).toEqual([next]);
  });
});

describe('the pre-assessment (预评估)', () => {
  const idOf = async (username: string) => (await h.store.findUserByUsername(username))!.id;

  it("gets a team from the body's manager: its own active assessors, none affiliated with the enterprise, enough of them, a chief among them", async () => {
    const firm = await diagnosedFirm();
    const id = (await firm.agent.post('/api/assessment-applications').send({ body: bodyA.id, targetLevel: 2, values: form() }).expect(201)).body.id;
    const one = await assessor(bodyA.id, `pa.one.${serial}`, false);
    const affiliatedName = `pa.affiliated.${serial}`;
    (await platform.post(`/api/assessment-bodies/${bodyA.id}/assessors`).send({ username: affiliatedName, certificateNumber: `PG-${affiliatedName}`, bodyManager: false, affiliations: [firm.fields.creditCode] }).expect(201));
    const team = { chief: await idOf('aa.manager.a'), members: [await idOf('aa.manager.a'), await idOf('aa.member.a'), await idOf(`pa.one.${serial}`)] };
    // Before acceptance there is no pre-assessment.
    expect((await managerA.put(`/api/assessment-applications/${id}/team`).send(team)).body.error.code).toBe('not_accepted');
    await managerA.post(`/api/assessment-applications/${id}/accept`).send({ contractDate: '2026-12-01' }).expect(200);
    for (const agent of [memberA, one, firm.agent, platform]) expect((await agent.put(`/api/assessment-applications/${id}/team`).send(team)).status).toBe(403);
    expect((await managerB.put(`/api/assessment-applications/${id}/team`).send(team)).status).toBe(404);
    const tooFew = await managerA.put(`/api/assessment-applications/${id}/team`).send({ chief: team.chief, members: team.members.slice(0, 2) });
    expect(tooFew.body.error).toMatchObject({ code: 'team_too_small', field: '/members' });
    const outsider = await managerA.put(`/api/assessment-applications/${id}/team`).send({ chief: team.chief, members: [...team.members.slice(0, 2), await idOf('aa.manager.b')] });
    expect(outsider.body.error).toMatchObject({ code: 'not_an_assessor', field: '/members/2' });
    const affiliated = await managerA.put(`/api/assessment-applications/${id}/team`).send({ chief: team.chief, members: [...team.members, await idOf(affiliatedName)] });
    expect(affiliated.status).toBe(409);
    expect(affiliated.body.error.message).toContain('关联');
    const noChief = await managerA.put(`/api/assessment-applications/${id}/team`).send({ chief: await idOf('aa.manager.b'), members: team.members });
    expect(noChief.body.error.field).toBe('/chief');
    const set = await managerA.put(`/api/assessment-applications/${id}/team`).send(team).expect(200);
    expect(set.body.preAssessment.team).toMatchObject({ chief: { username: 'aa.manager.a' }, members: [{ username: 'aa.manager.a', certificate: 'PG-aa.manager.a' }, { username: 'aa.member.a' }, { username: `pa.one.${serial}` }] });
    // The enterprise sees who assesses it.
    expect((await firm.agent.get(`/api/assessment-applications/${id}`).expect(200)).body.preAssessment.team.members).toHaveLength(3);
  });

  it("is confirmed by the chief only: the scope by the ruleset's tailoring rules, this enterprise's weights within the bounds, the readiness with reasons", async () => {
    const firm = await diagnosedFirm();
    const id = (await firm.agent.post('/api/assessment-applications').send({ body: bodyA.id, targetLevel: 2, values: form() }).expect(201)).body.id;
    await managerA.post(`/api/assessment-applications/${id}/accept`).send({ contractDate: '2026-12-02' }).expect(200);
    const ok = { excluded: [], ready: true, note: '' };
    const domains0 = (node: string) => cmmm.scoring.weightSets.find((w) => w.industryType === firm.enterprise.industryType)!.weights[node];
    expect((await managerA.put(`/api/assessment-applications/${id}/pre-assessment`).send(ok)).body.error.code).toBe('no_team');
    const chief = await assessor(bodyA.id, `pa.chief.${serial}`, false);
    const members = [await idOf(`pa.chief.${serial}`), await idOf('aa.member.a'), await idOf('aa.manager.a')];
    await managerA.put(`/api/assessment-applications/${id}/team`).send({ chief: members[0], members }).expect(200);
    // Only the chief: not the manager, not a member, not the enterprise.
    for (const agent of [managerA, memberA, firm.agent]) expect((await agent.put(`/api/assessment-applications/${id}/pre-assessment`).send(ok)).status).toBe(403);
    // What may be chosen, as the engine reads it for this enterprise.
    const options = (await chief.get(`/api/assessment-applications/${id}/pre-assessment-options`).expect(200)).body;
    expect(options.tailoring.find((c: { id: string }) => c.id === 'd.production')).toMatchObject({ mandatory: true, excludable: false });
    expect(options.tailoring.find((c: { id: string }) => c.id === 'product_design')).toMatchObject({ parent: 'd.design', excludable: true });
    const making = options.weightGroups.find((g: { parent?: { id: string } }) => g.parent?.id === 'e.manufacturing');
    expect(making.nodes.find((n: { id: string }) => n.id === 'd.production')).toMatchObject({ default: domains0('d.production'), min: expect.any(Number), max: expect.any(Number) });
    expect((await request(h.app).get(`/api/assessment-applications/${id}/pre-assessment-options`)).status).toBe(401);
    expect((await managerB.get(`/api/assessment-applications/${id}/pre-assessment-options`)).status).toBe(404);
    const mandatory = await chief.put(`/api/assessment-applications/${id}/pre-assessment`).send({ ...ok, excluded: ['production'] });
    expect(mandatory.status).toBe(400);
    expect(mandatory.body.error.field).toBe('/excluded/0');
    const domains = cmmm.scoring.weightSets.find((w) => w.industryType === firm.enterprise.industryType)!.weights;
    const manufacturing = ['d.design', 'd.production', 'd.logistics', 'd.sales', 'd.service'];
    const moved = Object.fromEntries(manufacturing.map((d) => [d, domains[d]]));
    moved['d.production'] = Number((moved['d.production'] + 0.05).toFixed(6));
    moved['d.sales'] = Number((moved['d.sales'] - 0.05).toFixed(6));
    const tooFar = { ...moved, 'd.production': Number((domains['d.production'] + 0.3).toFixed(6)), 'd.sales': Number((domains['d.sales'] - 0.3).toFixed(6)) };
    const outside = await chief.put(`/api/assessment-applications/${id}/pre-assessment`).send({ ...ok, weights: tooFar });
    expect(outside.status).toBe(400);
    expect(outside.body.error.field).toMatch(/^\/weights\//);
    const notReady = await chief.put(`/api/assessment-applications/${id}/pre-assessment`).send({ excluded: [], ready: false, note: '  ' });
    expect(notReady.body.error.field).toBe('/note');
    expect((await firm.agent.get(`/api/assessment-applications/${id}`).expect(200)).body.preAssessment.confirmedAt).toBeUndefined();
    const done = await chief.put(`/api/assessment-applications/${id}/pre-assessment`).send({ excluded: [], weights: moved, ready: false, note: '生产数据采集系统尚未上线，建议三个月后正式评估' }).expect(200);
    expect(done.body.preAssessment).toMatchObject({ excluded: [], weights: moved, ready: false, readinessNote: '生产数据采集系统尚未上线，建议三个月后正式评估' });
    const audit = (await platform.get(`/api/audit?target=${id}`).expect(200)).body.items.map((e: { action: string }) => e.action);
    expect(audit.slice(0, 2)).toEqual(['assessment.preAssessment', 'assessment.team']);
  });
});

describe('the formal assessment (正式评估)', () => {
  const idOf = async (username: string) => (await h.store.findUserByUsername(username))!.id;

  it('is assigned by the chief, scored by the assigned assessors only, with findings; requests reach the enterprise, scores do not', async () => {
    const firm = await diagnosedFirm();
    const id = (await firm.agent.post('/api/assessment-applications').send({ body: bodyA.id, targetLevel: 1, values: form() }).expect(201)).body.id;
    await managerA.post(`/api/assessment-applications/${id}/accept`).send({ contractDate: '2026-12-03' }).expect(200);
    const chief = await assessor(bodyA.id, `fa.chief.${serial}`, false);
    const second = await assessor(bodyA.id, `fa.second.${serial}`, false);
    const [chiefId, secondId, memberId] = [await idOf(`fa.chief.${serial}`), await idOf(`fa.second.${serial}`), await idOf('aa.member.a')];
    await managerA.put(`/api/assessment-applications/${id}/team`).send({ chief: chiefId, members: [chiefId, secondId, memberId] }).expect(200);
    // Not before the pre-assessment found the enterprise ready.
    expect((await chief.get(`/api/assessment-applications/${id}/requirements`)).body.error.code).toBe('not_ready');
    await chief.put(`/api/assessment-applications/${id}/pre-assessment`).send({ excluded: ['d.design'], ready: true, note: '' }).expect(200);

    const all = (await chief.get(`/api/assessment-applications/${id}/requirements`).expect(200)).body;
    expect(all.progress).toMatchObject({ assigned: 0, scored: 0 });
    expect(all.requirements.length).toBe(all.progress.inScope);
    // The tailored-out domain's requirements are not in scope.
    const designQuestion = cmmm.questions.find((q) => q.level === 1 && (q.subDomain === 'product_design' || q.subDomain === 'process_design'))!;
    expect(all.requirements.some((r: { id: string }) => r.id === designQuestion.id)).toBe(false);
    const [first, other] = all.requirements as { id: string; options: { id: string }[] }[];

    expect((await memberA.put(`/api/assessment-applications/${id}/assignments`).send({ assignments: { [first.id]: [chiefId, secondId] } })).status).toBe(403);
    expect((await chief.put(`/api/assessment-applications/${id}/assignments`).send({ assignments: { [first.id]: [chiefId] } })).body.error).toMatchObject({ code: 'scored_by', field: `/assignments/${first.id}` });
    expect((await chief.put(`/api/assessment-applications/${id}/assignments`).send({ assignments: { [first.id]: [chiefId, await idOf('aa.manager.b')] } })).body.error.code).toBe('not_on_team');
    expect((await chief.put(`/api/assessment-applications/${id}/assignments`).send({ assignments: { [designQuestion.id]: [chiefId, secondId] } })).body.error.code).toBe('out_of_scope');
    const assigned = await chief.put(`/api/assessment-applications/${id}/assignments`).send({ assignments: { [first.id]: [chiefId, secondId], [other.id]: [chiefId, memberId] } }).expect(200);
    expect(assigned.body.progress.assigned).toBe(2);

    // The second assessor sees only its requirement, and scores only that one.
    const mine = (await second.get(`/api/assessment-applications/${id}/requirements`).expect(200)).body;
    expect(mine.requirements.map((r: { id: string }) => r.id)).toEqual([first.id]);
    expect((await second.put(`/api/assessment-applications/${id}/requirements/${other.id}/score`).send({ option: first.options[0].id, finding: '越权打分' })).status).toBe(403);
    const badOption = await second.put(`/api/assessment-applications/${id}/requirements/${first.id}/score`).send({ option: 'Z', finding: '证据不足' });
    expect(badOption.body.error.field).toBe('/option');
    expect((await second.put(`/api/assessment-applications/${id}/requirements/${first.id}/score`).send({ option: first.options[0].id, finding: ' ' })).body.error.field).toBe('/finding');
    await second.put(`/api/assessment-applications/${id}/requirements/${first.id}/score`).send({ option: first.options.at(-1)!.id, finding: '设备台账完整，按月更新' }).expect(200);
    await chief.put(`/api/assessment-applications/${id}/requirements/${first.id}/score`).send({ option: first.options.at(-1)!.id, finding: '现场核验一致' }).expect(200);
    await second.post(`/api/assessment-applications/${id}/requirements/${first.id}/requests`).send({ text: '请补充近三个月的设备点检记录' }).expect(201);

    // The chief sees every score and the progress; the enterprise sees the request but no score.
    const progress = (await chief.get(`/api/assessment-applications/${id}/requirements`).expect(200)).body;
    expect(progress.progress).toMatchObject({ assigned: 2, scored: 1 });
    expect(progress.requirements.find((r: { id: string }) => r.id === first.id).scores).toHaveLength(2);
    const seen = (await firm.agent.get(`/api/assessment-applications/${id}/requirements`).expect(200)).body;
    const firstSeen = seen.requirements.find((r: { id: string }) => r.id === first.id);
    expect(firstSeen.requests.map((r: { text: string }) => r.text)).toEqual(['请补充近三个月的设备点检记录']);
    expect(firstSeen.scores).toBeUndefined();
    expect(firstSeen.assessors).toBeUndefined();
    // A body's assessor not on the team, and another body, see nothing.
    const outsider = await assessor(bodyA.id, `fa.outsider.${serial}`, false);
    expect((await outsider.get(`/api/assessment-applications/${id}/requirements`)).status).toBe(403);
    expect((await managerB.get(`/api/assessment-applications/${id}/requirements`)).status).toBe(404);
    const audit = (await platform.get(`/api/audit?target=${id}&action=assessment.`).expect(200)).body.items.map((e: { action: string }) => e.action);
    expect(audit.slice(0, 4)).toEqual(['assessment.requestEvidence', 'assessment.score', 'assessment.score', 'assessment.assign']);
  });
});
