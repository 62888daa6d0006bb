// Issue 15 §1 (enterprises): editing one's profile while logged in, checked as registration checks
// it, and a new mobile confirmed by a code sent to it. Every change audited, none touching
// another's account.
import { beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { hashPassword } from '../../server/accounts/password.ts';
import { DEFAULT_LIMITS, generousLimits } from '../../server/accounts/attemptLimits.ts';
import type { AuditEntry } from '../../server/store/types.ts';
import { enterpriseAgent, harness, type Harness } from './harness.ts';

let h: Harness;

const audits = async (action: string) => {
  const out: AuditEntry[] = [];
  for await (const r of h.store.exportRecords()) if (r.kind === 'audit' && r.entry.action === action) out.push(r.entry);
  return out;
};

const staff = async (username: string, role: 'regionAdmin' | 'platformAdmin', region?: string) => {
  await h.store.createAccount({ id: username, username, passwordHash: await hashPassword('admin1234'), role, ...(region ? { region } : {}), createdAt: new Date().toISOString() });
  const agent = h.agent();
  await agent.post('/api/session').send({ username, password: 'admin1234' }).expect(200);
  return agent;
};

const codeSentTo = (mobile: string) => h.sms.sent.filter((s) => s.mobile === mobile).map((s) => s.text.match(/(\d{6})/)![1]).at(-1)!;

beforeAll(async () => {
  h = await harness();
});

describe('the enterprise profile', () => {
  it('shows the account and changes the profile: the region path follows the region, the industry type the industry, and the change is audited', async () => {
    const { agent, user, enterprise } = await enterpriseAgent(h, { mobile: '13811112222', email: 'old@example.com' });
    const shown = (await agent.get('/api/account').expect(200)).body;
    expect(shown.user).toEqual({ username: user.username, role: 'enterprise', mobile: '13811112222', email: 'old@example.com' });
    expect(shown.enterprise).toEqual(enterprise);

    const changed = await agent
      .patch('/api/account/profile')
      .send({ email: ' new@example.com ', enterpriseType: 'other', industry: 'C26', sizeBand: 'gt200', revenue: 12000, region: '330100' });
    expect(changed.status).toBe(200);
    expect(changed.body.user.email).toBe('new@example.com');
    expect(changed.body.enterprise).toEqual({
      ...enterprise,
      enterpriseType: 'other',
      industry: 'C26',
      industryType: 'process',
      sizeBand: 'gt200',
      revenue: 12000,
      region: '330100',
      regionPath: ['330000', '330100'],
    });
    expect((await agent.get('/api/session').expect(200)).body.enterprise.regionPath).toEqual(['330000', '330100']);
    // The industry type an enterprise chooses wins over its industry's.
    expect((await agent.patch('/api/account/profile').send({ industryType: 'discrete' }).expect(200)).body.enterprise.industryType).toBe('discrete');

    // Its new region's administrators see it; its old region's no longer do.
    const hangzhou = await staff('hz-admin', 'regionAdmin', '330100');
    const wuxi = await staff('wx-admin', 'regionAdmin', '320200');
    expect((await hangzhou.get(`/api/enterprises/${enterprise.id}`)).status).toBe(200);
    expect((await wuxi.get(`/api/enterprises/${enterprise.id}`)).status).toBe(404);

    const [entry] = (await audits('account.profile')).filter((a) => a.target === enterprise.id);
    expect(entry).toMatchObject({ actor: user.id, detail: { region: { from: '320200', to: '330100' }, revenue: { from: 5000, to: 12000 }, email: 'changed' } });
    expect(JSON.stringify(entry)).not.toContain('new@example.com');
  });

  it('names each bad field, refuses a region not in the list, never changes name or credit code, and changes nothing when refused', async () => {
    const { agent, enterprise } = await enterpriseAgent(h);
    const bad = await agent.patch('/api/account/profile').send({ email: 'nope', industry: 'Z99', sizeBand: 'huge', revenue: -1, region: '999999', industryType: 'virtual' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { field: string }) => d.field)).toEqual(['/email', '/industry', '/industryType', '/sizeBand', '/revenue', '/region']);
    expect(bad.body.error.details.find((d: { field: string }) => d.field === '/region').message).toBe('所在地区不在地区列表中；新设地区请联系平台技术支持创建');
    const en = await agent.patch('/api/account/profile').set('Accept-Language', 'en').send({ industry: 'Z99' });
    expect(en.body.error).toMatchObject({ field: '/industry', message: 'choose the industry (a GB/T 4754-2017 division)' });

    for (const identity of [{ name: '改名有限公司' }, { creditCode: '91350100M000100Y43' }]) {
      const refused = await agent.patch('/api/account/profile').send({ ...identity, revenue: 1 });
      expect(refused.status).toBe(400);
      expect(refused.body.error.field).toBe(`/${Object.keys(identity)[0]}`);
    }
    // A region refused alongside a good field: the good field is not kept either.
    expect((await agent.patch('/api/account/profile').send({ revenue: 7, region: '999999' })).status).toBe(400);
    expect((await agent.get('/api/account').expect(200)).body.enterprise).toEqual(enterprise);
  });

  it("is an enterprise user's own: another enterprise changes only its own, staff are refused", async () => {
    const a = await enterpriseAgent(h);
    const b = await enterpriseAgent(h);
    await b.agent.patch('/api/account/profile').send({ revenue: 1 }).expect(200);
    expect((await a.agent.get('/api/account')).body.enterprise.revenue).toBe(5000);
    expect((await b.agent.get('/api/account')).body.enterprise.revenue).toBe(1);
    const admin = await staff('platform-boss', 'platformAdmin');
    expect((await admin.patch('/api/account/profile').send({ revenue: 2 })).status).toBe(403);
    expect((await admin.post('/api/account/mobile').send({ mobile: '13900001111' })).status).toBe(403);
    expect((await admin.get('/api/account').expect(200)).body).toEqual({ user: { username: 'platform-boss', role: 'platformAdmin' } });
    expect((await request(h.app).get('/api/account')).status).toBe(401);
    expect((await request(h.app).patch('/api/account/profile').send({ revenue: 3 })).status).toBe(401);
  });
});

describe('a new mobile', () => {
  it('is confirmed by the code sent to it; a wrong code or another mobile changes nothing', async () => {
    const { agent, user, fields } = await enterpriseAgent(h, { mobile: '13822223333' });
    expect((await agent.post('/api/account/mobile').send({ mobile: '1234' })).body.error.field).toBe('/mobile');
    expect((await agent.post('/api/account/mobile').send({ mobile: '13822223333' })).body.error.code).toBe('same_mobile');
    expect((await agent.post('/api/account/mobile').send({ mobile: '13933334444' })).status).toBe(204);
    const code = codeSentTo('13933334444');
    expect(h.sms.sent.filter((s) => s.mobile === '13822223333')).toHaveLength(0);

    const wrong = code === '000000' ? '111111' : '000000';
    const refused = await agent.post('/api/account/mobile/confirm').send({ mobile: '13933334444', code: wrong });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({ code: 'invalid_code', field: '/code' });
    // The code is bound to the mobile it was sent to.
    expect((await agent.post('/api/account/mobile/confirm').send({ mobile: '13944445555', code })).status).toBe(400);
    expect((await agent.get('/api/account')).body.user.mobile).toBe('13822223333');

    const confirmed = await agent.post('/api/account/mobile/confirm').send({ mobile: '13933334444', code: ` ${code}` });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.user.mobile).toBe('13933334444');
    // Used once.
    expect((await agent.post('/api/account/mobile/confirm').send({ mobile: '13933334444', code })).status).toBe(400);
    const [entry] = (await audits('account.mobile')).filter((a) => a.actor === user.id);
    expect(entry.detail).toEqual({ from: '138****3333', to: '139****4444' });

    // Reset codes now go to the new mobile, not the old one.
    await request(h.app).post('/api/password-reset/request').send({ username: fields.username, mobile: '13822223333' }).expect(202);
    await request(h.app).post('/api/password-reset/request').send({ username: fields.username, mobile: '13933334444' }).expect(202);
    await h.ctx.background.settled();
    expect(h.sms.sent.filter((s) => s.mobile === '13822223333')).toHaveLength(0);
    expect(h.sms.sent.filter((s) => s.mobile === '13933334444' && /重置/.test(s.text))).toHaveLength(1);
  });

  it('bounds wrong codes: a code dies after 5 wrong tries, and a user gets 10 wrong tries an hour across codes', async () => {
    const limits = generousLimits(1000);
    limits.mobileGuessesPerUser = DEFAULT_LIMITS.mobileGuessesPerUser;
    const own = await harness({ limits });
    const { agent } = await enterpriseAgent(own, { mobile: '13855556666' });
    const codeSentTo = (mobile: string) => own.sms.sent.filter((s) => s.mobile === mobile).map((s) => s.text.match(/(\d{6})/)![1]).at(-1)!;
    await agent.post('/api/account/mobile').send({ mobile: '13966667777' }).expect(204);
    const code = codeSentTo('13966667777');
    const wrong = code === '000000' ? '111111' : '000000';
    for (let i = 0; i < 5; i++) expect((await agent.post('/api/account/mobile/confirm').send({ mobile: '13966667777', code: wrong })).status).toBe(400);
    expect((await agent.post('/api/account/mobile/confirm').send({ mobile: '13966667777', code })).status).toBe(400);

    await agent.post('/api/account/mobile').send({ mobile: '13966667777' }).expect(204);
    const second = codeSentTo('13966667777');
    const wrong2 = second === '000000' ? '111111' : '000000';
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await agent.post('/api/account/mobile/confirm').send({ mobile: '13966667777', code: wrong2 })).status);
    statuses.push((await agent.post('/api/account/mobile/confirm').send({ mobile: '13966667777', code: second })).status);
    // 6 wrong + 4 wrong = 10; the eleventh is refused even with the right code.
    expect(statuses).toEqual([400, 400, 400, 400, 429]);
    expect((await agent.get('/api/account')).body.user.mobile).toBe('13855556666');
  });

  it('limits the codes one user asks for, and never confirms with a code sent to another user', async () => {
    const limits = generousLimits(1000);
    limits.mobileCodesPerUser = { max: 2, windowMs: 3_600_000 };
    const own = await harness({ limits });
    const a = await enterpriseAgent(own, { mobile: '13877778888' });
    const b = await enterpriseAgent(own, { mobile: '13877779999' });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await a.agent.post('/api/account/mobile').send({ mobile: '13700000001' })).status);
    expect(statuses).toEqual([204, 204, 429]);
    const aCode = own.sms.sent.filter((s) => s.mobile === '13700000001').map((s) => s.text.match(/(\d{6})/)![1]).at(-1)!;
    expect((await b.agent.post('/api/account/mobile/confirm').send({ mobile: '13700000001', code: aCode })).status).toBe(400);
    expect((await b.agent.get('/api/account')).body.user.mobile).toBe('13877779999');
  });
});
