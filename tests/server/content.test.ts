// Issue 14 through the API: discarding an empty diagnosis, the attempts left and the day a new
// one is possible, reminders, facts from the platform's data, the bundled region settings, the
// 2024 draft never given to anyone, and the report's wording.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Agent } from 'supertest';
import { harness, enterpriseAgent, type Harness } from './harness.ts';
import { hashPassword } from '../../server/accounts/password.ts';
import { enterpriseFacts } from '../../server/enterpriseFacts.ts';
import { markBenchmark, setTargets, targetsOf } from '../../server/dashboard/marks.ts';
import { applyBundledSettings } from '../../server/bundledSettings.ts';
import { applicableQuestions, type Ruleset } from '../../engine/index.ts';
import type { Diagnosis, Role } from '../../server/store/types.ts';

let h: Harness;
const START = new Date('2026-11-23T10:00:00+08:00');
beforeAll(async () => {
  h = await harness();
});

async function admin(username: string, role: Role, region?: string): Promise<Agent> {
  await h.store.createAccount({ id: `u-${username}`, username, passwordHash: await hashPassword('admin1234'), role, ...(region ? { region } : {}), createdAt: h.clock.now.toISOString() });
  const agent = h.agent();
  await agent.post('/api/session').send({ username, password: 'admin1234' }).expect(200);
  return agent;
}

async function rulesetOf(id: string, version: string): Promise<Ruleset> {
  return (await h.store.getRuleset(id, version))!.document;
}

/** Runs a diagnosis to its result: every applicable question of levels 1 and 2 answered `option`, level 3 all A. */
async function finishedDiagnosis(agent: Agent, option: string): Promise<string> {
  const created = (await agent.post('/api/diagnoses').send({}).expect(201)).body;
  const r = await rulesetOf(created.ruleset.id, created.ruleset.version);
  const id = created.id as string;
  await agent.post(`/api/diagnoses/${id}/tailoring`).send({ excluded: [] }).expect(200);
  for (const [level, chosen] of [[1, option], [2, option], [3, 'A']] as const) {
    const answers = Object.fromEntries(applicableQuestions(r, { excluded: [], industryType: 'discrete', level }).map((q) => [q.id, chosen]));
    await agent.put(`/api/diagnoses/${id}/answers`).send({ answers }).expect(200);
    const submitted = (await agent.post(`/api/diagnoses/${id}/levels/${level}/submit`).expect(200)).body;
    if (submitted.diagnosis.phase.phase === 'indicators') break;
  }
  const values = Object.fromEntries(r.flow.indicators.fields.map((f) => [f.id, { value: 0, formula: '无' }]));
  await agent.post(`/api/diagnoses/${id}/indicators/submit`).send({ values }).expect(200);
  return id;
}

describe('discarding a diagnosis nothing was answered in', () => {
  it('takes it out of the list, frees its attempt (as the ruleset counts), and refuses what has answers', async () => {
    h.clock.now = START;
    const { agent } = await enterpriseAgent(h);
    const first = (await agent.post('/api/diagnoses').send({}).expect(201)).body.id as string;
    // Tailoring is no answer: the diagnosis can still go.
    await agent.post(`/api/diagnoses/${first}/tailoring`).send({ excluded: ['d.logistics'] }).expect(200);
    const discarded = await agent.delete(`/api/diagnoses/${first}`).expect(200);
    expect(discarded.body).toMatchObject({ id: first, status: 'discarded', discardedAt: START.toISOString() });
    expect((await agent.get('/api/diagnoses').expect(200)).body.items).toEqual([]);
    // A discarded diagnosis takes no more answers.
    const late = await agent.put(`/api/diagnoses/${first}/answers`).send({ answers: { 'L1-1.1.1': 'D' } });
    expect(late.status).toBe(409);
    expect(late.body.error).toMatchObject({ code: 'discarded' });
    expect((await agent.delete(`/api/diagnoses/${first}`)).status).toBe(409);

    // CMMM does not count discarded ones: three more may start.
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await agent.post('/api/diagnoses').send({}).expect(201)).body.id);
    expect((await agent.post('/api/diagnoses').send({})).status).toBe(409);

    // One with an answer stays.
    await agent.post(`/api/diagnoses/${ids[0]}/tailoring`).send({ excluded: [] }).expect(200);
    await agent.put(`/api/diagnoses/${ids[0]}/answers`).send({ answers: { 'L1-1.1.1': 'D' } }).expect(200);
    const refused = await agent.delete(`/api/diagnoses/${ids[0]}`);
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'answered' });
    expect(refused.body.error.message).toContain('已有作答');

    // Nobody discards another enterprise's diagnosis.
    const other = await enterpriseAgent(h);
    expect((await other.agent.delete(`/api/diagnoses/${ids[1]}`)).status).toBe(404);
    expect((await h.store.getDiagnosis(ids[1]))!.status).toBe('inProgress');
  });
});

describe('the attempts left and the day a new one is possible', () => {
  it('counts down on the home page and names the date when refused', async () => {
    h.clock.now = START;
    const { agent } = await enterpriseAgent(h);
    const fresh = (await agent.get('/api/diagnoses/eligibility').expect(200)).body;
    expect(fresh.quota).toMatchObject({ used: 0, limit: 3, remaining: 3, text: '近 1 个月内已新建 0 次自诊断，还可新建 3 次（最多 3 次）' });
    expect(fresh.reminders).toEqual([]);
    for (let i = 0; i < 3; i++) {
      h.clock.now = new Date(START.getTime() + i * 86_400_000);
      await agent.post('/api/diagnoses').send({}).expect(201);
    }
    const full = (await agent.get('/api/diagnoses/eligibility').expect(200)).body;
    expect(full).toMatchObject({ allowed: false, quota: { used: 3, remaining: 0, freesAt: { dateTime: '2026-12-23 10:00' } }, nextAllowed: { dateTime: '2026-12-23 10:00' } });
    const refused = await agent.post('/api/diagnoses').send({});
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toContain('2026-12-23 10:00 起可新建自诊断');
    expect(refused.body.error.message).not.toContain('下月');
    h.clock.now = new Date('2026-12-23T10:00:00+08:00');
    expect((await agent.get('/api/diagnoses/eligibility').expect(200)).body).toMatchObject({ allowed: true, quota: { remaining: 1 } });
    h.clock.now = START;
  });

  it('reminds a Shanghai enterprise on its home page once six months have passed, and only notes a sooner start', async () => {
    h.clock.now = START;
    const { agent, enterprise, user } = await enterpriseAgent(h, { region: '310104' });
    const finished = (months: number): Diagnosis => {
      const at = new Date(START);
      at.setMonth(at.getMonth() - months);
      const iso = at.toISOString();
      return { id: crypto.randomUUID(), enterpriseId: enterprise.id, userId: user.id, rulesetId: 'cmmm-gbt39116-shanghai', rulesetVersion: '1.1.0', status: 'finished', state: { phase: { phase: 'finished' }, excluded: [], submitted: [1] }, answers: {}, indicators: {}, levelResults: [], revision: 1, startedAt: iso, finishedAt: iso, updatedAt: iso };
    };
    await h.store.createDiagnosis(finished(7), async () => ({ ok: true }));
    const due = (await agent.get('/api/diagnoses/eligibility').expect(200)).body;
    expect(due).toMatchObject({ allowed: true, warnings: [], ruleset: { id: 'cmmm-gbt39116-shanghai' } });
    expect(due.reminders.map((r: { id: string }) => r.id)).toEqual(['sh-six-months-passed']);
    await h.store.createDiagnosis(finished(2), async () => ({ ok: true }));
    const soon = (await agent.get('/api/diagnoses/eligibility').expect(200)).body;
    expect(soon).toMatchObject({ allowed: true, reminders: [] });
    expect(soon.warnings.map((r: { id: string }) => r.id)).toEqual(['sh-six-months-apart']);
    expect(soon.warnings[0].message).toContain('不是限制');
  });
});

describe('facts from the platform\'s data', () => {
  it('规上 from the registered revenue, 标杆 from a region administrator\'s mark anywhere on the enterprise\'s path', async () => {
    const big = await enterpriseAgent(h, { region: '360600', revenue: 2000 });
    const small = await enterpriseAgent(h, { region: '360600', revenue: 1999.5 });
    const e = (await h.store.getEnterprise(big.enterprise.id))!;
    expect(await enterpriseFacts(h.ctx, e)).toMatchObject({ revenue: 2000, aboveScale: true, benchmark: false, regionPath: ['360000', '360600'] });
    expect((await enterpriseFacts(h.ctx, (await h.store.getEnterprise(small.enterprise.id))!)).aboveScale).toBe(false);
    await markBenchmark(h.store, { code: '360000', path: ['360000'] }, e.id, true);
    expect((await enterpriseFacts(h.ctx, e)).benchmark).toBe(true);
    await markBenchmark(h.store, { code: '360000', path: ['360000'] }, e.id, false);
    await markBenchmark(h.store, { code: '360600', path: ['360000', '360600'] }, e.id, true);
    expect((await enterpriseFacts(h.ctx, e)).benchmark).toBe(true);
  });
});

describe('the bundled region settings', () => {
  it('give Shaanxi its 2025 targets (200 firms at level 2, 50 at level 3+) on its dashboard', async () => {
    const shaanxi = await admin('sn-admin', 'regionAdmin', '610000');
    const d = (await shaanxi.get('/api/dashboard').expect(200)).body;
    expect(d.shares.filter((s: { targetCount?: number }) => s.targetCount !== undefined).map((s: { level: number; targetCount: number }) => [s.level, s.targetCount])).toEqual([
      [2, 200],
      [3, 50],
    ]);
  });

  it('never put back what an administrator changed', async () => {
    const scope = { code: '610000', path: ['610000'] };
    await setTargets(h.store, scope, [{ level: 3, share: 0.1 }]);
    expect(await applyBundledSettings(h.ctx)).toEqual([]);
    expect(await targetsOf(h.store, scope)).toEqual([{ level: 3, share: 0.1 }]);
  });

  it('run Shandong through its sub-platform: its name on the home page, its variant for new diagnoses', async () => {
    const { agent } = await enterpriseAgent(h, { region: '370100' });
    const home = (await agent.get('/api/home').expect(200)).body;
    expect(home.subPlatform).toMatchObject({ name: '智能制造评估评价公共服务平台山东省分平台' });
    const created = (await agent.post('/api/diagnoses').send({}).expect(201)).body;
    expect(created.ruleset).toMatchObject({ id: 'cmmm-gbt39116-shandong' });
  });
});

describe('the 2024 revision draft', () => {
  it('is stored as a draft that says so, and no enterprise is ever given it', async () => {
    const draft = (await h.store.listRulesets()).find((r) => r.id === 'cmmm-wd2024-draft')!;
    expect(draft.status).toBe('draft');
    expect((await rulesetOf(draft.id, draft.version)).title.zh).toMatch(/征求意见稿.*未生效/);
    const { agent } = await enterpriseAgent(h, { region: '320200' });
    expect((await agent.get('/api/diagnoses/eligibility').expect(200)).body.ruleset).toMatchObject({ id: 'cmmm-gbt39116-jiangsu' });
    const { agent: elsewhere } = await enterpriseAgent(h, { region: '350100' });
    expect((await elsewhere.get('/api/diagnoses/eligibility').expect(200)).body.ruleset).toMatchObject({ id: 'cmmm-gbt39116', version: '1.1.0' });
  });
});

describe('the report, as an enterprise reads it', () => {
  it('names the report once, tells the level as 二级（规范级）, shows the size band and the disclaimer, and cites nothing internal', async () => {
    h.clock.now = START;
    const { agent } = await enterpriseAgent(h, { region: '350100', sizeBand: '50-100' });
    const id = await finishedDiagnosis(agent, 'D');
    const result = (await agent.get(`/api/diagnoses/${id}/result`).expect(200)).body;
    expect(result.levelName).toBe('二级（规范级）');
    expect(result.disclaimer).toContain('不是 GB/T 39117-2020 规定的正式评估');
    const html = (await agent.get(`/api/diagnoses/${id}/report`).expect(200)).text;
    const cover = html.slice(html.indexOf('<section class="cover">'), html.indexOf('</section>'));
    expect(cover).toContain('<h1>智能制造能力成熟度自诊断报告</h1>');
    expect(cover.match(/自诊断报告/g)).toHaveLength(1);
    expect(cover).toContain('50-100人');
    expect(cover).toContain('不授予标准符合性证书');
    expect(html).toContain('二级（规范级）');
    expect(html).not.toMatch(/参考资料|§/);
    expect(html).toContain('临时权重');
    // The gap reads as plain professional Chinese.
    expect(html).toMatch(/三级（集成级）得分 X3 = 0\.00，达到该级须不低于 0\.80，尚差/);
  });
});
