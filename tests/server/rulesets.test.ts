import { beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { harness, enterpriseAgent, type Harness } from './harness.ts';
import { hashPassword } from '../../server/accounts/password.ts';
import { smallRuleset } from '../fixtures/small.ts';

let h: Harness;
const login = async (username: string) => {
  const agent = h.agent();
  await agent.post('/api/session').send({ username, password: 'admin1234' }).expect(200);
  return agent;
};

beforeAll(async () => {
  h = await harness();
  const passwordHash = await hashPassword('admin1234');
  const at = new Date().toISOString();
  await h.store.createAccount({ id: 'author', username: 'author', passwordHash, role: 'rulesetAuthor', createdAt: at });
  await h.store.createAccount({ id: 'gz', username: 'gz-admin', passwordHash, role: 'regionAdmin', region: '520000', createdAt: at });
  await h.store.createAccount({ id: 'sh', username: 'sh-admin', passwordHash, role: 'regionAdmin', region: '310000', createdAt: at });
});

describe('authoring rulesets over the API', () => {
  it('saves a draft, refuses to publish it with a failing stored test, publishes it once fixed, and never changes it again', async () => {
    const author = await login('author');
    const doc = smallRuleset();
    doc.tests = [{ id: 'all-d', name: { zh: '全选 D', en: 'All D' }, industryType: 'discrete', fill: { '1': 'D', '2': 'D' }, expect: { level: 1 } }];
    const created = await author.post('/api/rulesets').send({ document: doc }).expect(201);
    expect(created.body).toMatchObject({ id: 'small', version: '1.0.0', status: 'draft', findings: [] });
    const failing = await author.post('/api/rulesets/small/1.0.0/publish').send({});
    expect(failing.status).toBe(400);
    expect(failing.body.error.code).toBe('tests_failed');
    expect(failing.body.error.message).toContain('all-d');
    doc.tests[0].expect.level = 2;
    await author.put('/api/rulesets/small/1.0.0').send({ document: doc }).expect(200);
    const published = await author.post('/api/rulesets/small/1.0.0/publish').send({}).expect(200);
    expect(published.body.status).toBe('published');
    expect((await author.put('/api/rulesets/small/1.0.0').send({ document: doc })).status).toBe(409);
    expect((await request(h.app).get('/api/rulesets/small/1.0.0').expect(200)).body.status).toBe('published');
  });

  it('refuses to publish with lint errors, listing them with pointers', async () => {
    const author = await login('author');
    const doc = smallRuleset();
    doc.id = 'small-broken';
    doc.scoring.weightSets[0].weights['e.make'] = 0.5;
    const saved = await author.post('/api/rulesets').send({ document: doc }).expect(201);
    expect(saved.body.findings.map((f: { code: string }) => f.code)).toContain('weights-sum');
    const res = await author.post('/api/rulesets/small-broken/1.0.0/publish').send({});
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'lint_errors', field: '/scoring/weightSets/0/weights' });
  });

  it('refuses an invalid document, naming the field under /document, and refuses non-authors', async () => {
    const author = await login('author');
    const bad = { ...smallRuleset(), levels: 'five' };
    const res = await author.post('/api/rulesets').send({ document: bad });
    expect(res.status).toBe(400);
    expect(res.body.error.field).toBe('/document/levels');
    const { agent } = await enterpriseAgent(h);
    expect((await agent.post('/api/rulesets').send({ document: smallRuleset() })).status).toBe(403);
  });
});

describe("a region's variant", () => {
  it("is created by the region's administrator as an overlay, published, and used by that region's enterprises", async () => {
    const gz = await login('gz-admin');
    const overlay = {
      title: { zh: '贵阳市智能制造能力成熟度自诊断', en: 'Guiyang self-diagnosis' },
      regions: ['520100'],
      rules: {
        limits: [{ id: 'max-3-per-month', conditions: { all: [{ fact: 'diagnosesInWindow', params: { unit: 'month', count: 1, mode: 'rolling', which: 'started' }, operator: 'greaterThanInclusive', value: 2 }] }, message: { zh: '贵阳市企业每月最多自诊断 2 次', en: 'At most 2 a month in Guiyang' } }],
      },
    };
    const outside = await login('sh-admin');
    expect((await outside.post('/api/rulesets/variants').send({ base: 'cmmm-gbt39116@1.0.0', id: 'cmmm-guiyang', version: '1.0.0', overlay })).status).toBe(403);
    const created = await gz.post('/api/rulesets/variants').send({ base: 'cmmm-gbt39116@1.0.0', id: 'cmmm-guiyang', version: '1.0.0', overlay }).expect(201);
    expect(created.body).toMatchObject({ id: 'cmmm-guiyang', status: 'draft', extends: 'cmmm-gbt39116@1.0.0', findings: [] });
    const record = await h.store.getRuleset('cmmm-guiyang', '1.0.0');
    expect(Object.keys(record!.overlay!).sort()).toEqual(['extends', 'id', 'regions', 'rules', 'title', 'version']);
    await gz.post('/api/rulesets/cmmm-guiyang/1.0.0/publish').send({}).expect(200);

    const diff = (await request(h.app).get('/api/ruleset-diff?a=cmmm-gbt39116@1.0.0&b=cmmm-guiyang@1.0.0').expect(200)).body;
    expect(diff.map((c: { category: string; path: string }) => `${c.category} ${c.path}`)).toEqual(
      expect.arrayContaining(['limit /rules/limits[max-3-per-month]/conditions/all', 'limit /rules/limits[max-3-per-month]/message/zh']),
    );

    const { agent } = await enterpriseAgent(h, { region: '520100' });
    const first = await agent.post('/api/diagnoses').send({}).expect(201);
    expect(first.body.ruleset).toMatchObject({ id: 'cmmm-guiyang', version: '1.0.0' });
    await agent.post('/api/diagnoses').send({}).expect(201);
    const third = await agent.post('/api/diagnoses').send({});
    expect(third.status).toBe(409);
    expect(third.body.error.message).toBe('贵阳市企业每月最多自诊断 2 次');
  });
});
