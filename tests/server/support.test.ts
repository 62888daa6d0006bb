// Support requests as administrators handle them: scoped like the dashboard (a region's requests
// to its administrators and those above, unmatched ones to the platform's), filtered, paged,
// given a status and answered — by text message when asked, and then only once the message went.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { harness, enterpriseAgent, type Harness } from './harness.ts';
import { hashPassword } from '../../server/accounts/password.ts';
import { SmsDeliveryError } from '../../server/accounts/sms.ts';

let h: Harness;
let platform: ReturnType<Harness['agent']>;
let jiangsu: ReturnType<Harness['agent']>;
let wuxi: ReturnType<Harness['agent']>;
let zhejiang: ReturnType<Harness['agent']>;
let firm: Awaited<ReturnType<typeof enterpriseAgent>>;
let hangzhouFirm: Awaited<ReturnType<typeof enterpriseAgent>>;
const ids: Record<string, string> = {};

const staff = async (username: string, role: 'platformAdmin' | 'regionAdmin' | 'rulesetAuthor', region?: string) => {
  await h.store.createAccount({ id: randomUUID(), username, passwordHash: await hashPassword('admin1234'), role, ...(region ? { region } : {}), createdAt: new Date().toISOString() });
  const agent = h.agent();
  await agent.post('/api/session').send({ username, password: 'admin1234' }).expect(200);
  return agent;
};

const recover = async (body: Record<string, unknown>) => {
  const res = await request(h.app).post('/api/username-recovery').send(body);
  expect(res.status, JSON.stringify(res.body)).toBe(202);
};

/** The request just recorded (the newest). */
const newest = async () => (await platform.get('/api/support-requests?pageSize=1').expect(200)).body.items[0];

beforeAll(async () => {
  h = await harness();
  platform = await staff('support-boss', 'platformAdmin');
  jiangsu = await staff('support-js', 'regionAdmin', '320000');
  wuxi = await staff('support-wx', 'regionAdmin', '320200');
  zhejiang = await staff('support-zj', 'regionAdmin', '330000');
  firm = await enterpriseAgent(h, { region: '320200', mobile: '13912345678' });
  hangzhouFirm = await enterpriseAgent(h, { region: '330100' });
  h.clock.now = new Date('2026-12-01T09:00:00+08:00');
  // Matched: the username goes to the registered mobile.
  await recover({ enterpriseName: firm.fields.enterpriseName, creditCode: firm.fields.creditCode, mobile: '13912345678' });
  ids.matched = (await newest()).id;
  h.clock.now = new Date('2026-12-01T10:00:00+08:00');
  // The enterprise is registered, the mobile is not its own: its region's administrators call back.
  await recover({ enterpriseName: firm.fields.enterpriseName, creditCode: firm.fields.creditCode, mobile: '13700001111' });
  ids.unmatched = (await newest()).id;
  h.clock.now = new Date('2026-12-01T11:00:00+08:00');
  await recover({ enterpriseName: '杭州某公司', creditCode: hangzhouFirm.fields.creditCode, mobile: '13800002222' });
  ids.hangzhou = (await newest()).id;
  h.clock.now = new Date('2026-12-01T12:00:00+08:00');
  // Nothing registered and no region given: the platform's alone.
  await recover({ enterpriseName: '不存在的企业', creditCode: '91350100M000100Y43', mobile: '13600003333' });
  ids.nowhere = (await newest()).id;
  h.clock.now = new Date('2026-12-01T13:00:00+08:00');
  // Nothing registered, but the requester said where: that region's.
  await recover({ enterpriseName: '苏州新企业', creditCode: '91350100M000100Y43', mobile: '13600004444', region: '320500' });
  ids.suzhou = (await newest()).id;
});

const listed = async (agent: ReturnType<Harness['agent']>, query = '') => {
  const res = await agent.get(`/api/support-requests${query}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as { total: number; page: number; pageSize: number; items: { id: string; mobile: string; mobileShown: boolean; region: { code: string; name: string } | null; status: string }[] };
};

describe('the list', () => {
  it('gives the platform administrator every request, newest first, open, mobiles masked', async () => {
    const page = await listed(platform);
    expect(page.total).toBe(5);
    expect(page.items.map((r) => r.id)).toEqual([ids.suzhou, ids.nowhere, ids.hangzhou, ids.unmatched, ids.matched]);
    expect(page.items.every((r) => r.status === 'open' && /^\d{3}\*{4}\d{4}$/.test(r.mobile) && !r.mobileShown)).toBe(true);
    expect(page.items[0].region).toEqual({ code: '320500', name: '苏州市' });
    expect(page.items[1].region).toBeNull();
  });

  it("gives a region administrator its region's requests and those below it, and nothing else", async () => {
    expect((await listed(jiangsu)).items.map((r) => r.id)).toEqual([ids.suzhou, ids.unmatched, ids.matched]);
    expect((await listed(wuxi)).items.map((r) => r.id)).toEqual([ids.unmatched, ids.matched]);
    expect((await listed(zhejiang)).items.map((r) => r.id)).toEqual([ids.hangzhou]);
  });

  it('filters by region (and below), none, status and text, and pages', async () => {
    expect((await listed(platform, '?region=320200')).items.map((r) => r.id)).toEqual([ids.unmatched, ids.matched]);
    expect((await listed(jiangsu, '?region=320500')).items.map((r) => r.id)).toEqual([ids.suzhou]);
    expect((await listed(platform, '?region=none')).items.map((r) => r.id)).toEqual([ids.nowhere]);
    expect((await listed(platform, `?q=${encodeURIComponent('杭州')}`)).items.map((r) => r.id)).toEqual([ids.hangzhou]);
    expect((await listed(platform, '?q=13700001111')).items.map((r) => r.id)).toEqual([ids.unmatched]);
    expect((await listed(platform, '?kind=usernameRecovery&status=resolved')).total).toBe(0);
    const second = await listed(platform, '?page=2&pageSize=2');
    expect(second).toMatchObject({ total: 5, page: 2, pageSize: 2 });
    expect(second.items.map((r) => r.id)).toEqual([ids.hangzhou, ids.unmatched]);
  });

  it('names the bad parameter, and a region outside one’s own is a 404', async () => {
    const bad = async (agent: ReturnType<Harness['agent']>, query: string, status: number, field?: string) => {
      const res = await agent.get(`/api/support-requests${query}`).set('accept-language', 'en');
      expect(res.status, JSON.stringify(res.body)).toBe(status);
      if (field) expect(res.body.error.field).toBe(field);
      return res.body.error;
    };
    expect((await bad(platform, '?status=done', 400, '/status')).message).toContain('open, inProgress, resolved, rejected');
    await bad(platform, '?pageSize=1000', 400, '/pageSize');
    await bad(platform, '?page=0', 400, '/page');
    await bad(platform, '?kind=other', 400, '/kind');
    await bad(platform, '?status=open&status=resolved', 400, '/status');
    await bad(wuxi, '?region=320500', 404);
    await bad(wuxi, '?region=320000', 404);
    await bad(zhejiang, '?region=none', 404);
    await bad(platform, '?region=999999', 404);
  });

  it('refuses an enterprise, an author and anyone not logged in', async () => {
    const author = await staff('support-author', 'rulesetAuthor');
    expect((await firm.agent.get('/api/support-requests')).status).toBe(403);
    expect((await author.get('/api/support-requests')).status).toBe(403);
    expect((await request(h.app).get('/api/support-requests')).status).toBe(401);
    expect((await firm.agent.get(`/api/support-requests/${ids.matched}`)).status).toBe(403);
    expect((await firm.agent.put(`/api/support-requests/${ids.matched}/status`).send({ status: 'resolved' })).status).toBe(403);
    expect((await firm.agent.post(`/api/support-requests/${ids.matched}/replies`).send({ text: 'x', sms: false })).status).toBe(403);
  });
});

describe('one request', () => {
  it('shows the mobile in full only where the administrator must phone back: a request that matched no account', async () => {
    const matched = (await wuxi.get(`/api/support-requests/${ids.matched}`).expect(200)).body;
    expect(matched).toMatchObject({ matched: true, mobile: '139****5678', mobileShown: false, status: 'open', replies: [], region: { code: '320200' } });
    const unmatched = (await wuxi.get(`/api/support-requests/${ids.unmatched}`).expect(200)).body;
    expect(unmatched).toMatchObject({ matched: false, mobile: '13700001111', mobileShown: true });
  });

  it('is a 404 outside one’s region, and for an unknown id', async () => {
    expect((await zhejiang.get(`/api/support-requests/${ids.matched}`)).status).toBe(404);
    expect((await wuxi.get(`/api/support-requests/${ids.suzhou}`)).status).toBe(404);
    expect((await jiangsu.get(`/api/support-requests/${ids.nowhere}`)).status).toBe(404);
    expect((await platform.get(`/api/support-requests/${randomUUID()}`)).status).toBe(404);
    expect((await zhejiang.put(`/api/support-requests/${ids.matched}/status`).send({ status: 'resolved' })).status).toBe(404);
    expect((await zhejiang.post(`/api/support-requests/${ids.matched}/replies`).send({ text: '越权', sms: true })).status).toBe(404);
    expect(h.sms.sent.some((m) => m.text.includes('越权'))).toBe(false);
    expect((await platform.get(`/api/support-requests/${ids.matched}`).expect(200)).body.status).toBe('open');
  });

  it('changes status, naming a bad one, and records who did it in the audit log', async () => {
    const bad = await wuxi.put(`/api/support-requests/${ids.matched}/status`).set('accept-language', 'en').send({ status: 'done' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('/status');
    h.clock.now = new Date('2026-12-02T09:00:00+08:00');
    const res = await wuxi.put(`/api/support-requests/${ids.matched}/status`).send({ status: 'inProgress' }).expect(200);
    expect(res.body).toMatchObject({ status: 'inProgress', updatedAt: '2026-12-02T01:00:00.000Z' });
    expect((await listed(jiangsu, '?status=inProgress')).items.map((r) => r.id)).toEqual([ids.matched]);
    const audit = (await jiangsu.get('/api/audit?action=support.').expect(200)).body.items;
    expect(audit[0]).toMatchObject({ action: 'support.status', target: ids.matched, actor: { username: 'support-wx', role: 'regionAdmin' }, region: { code: '320200', name: '无锡市' }, detail: { from: 'open', to: 'inProgress' } });
  });

  it('keeps a reply, sends it by text message when asked (to the mobile the requester gave), and resolves at once', async () => {
    const before = h.sms.sent.length;
    const empty = await platform.post(`/api/support-requests/${ids.unmatched}/replies`).set('accept-language', 'en').send({ text: '   ', sms: true });
    expect(empty.status).toBe(400);
    expect(empty.body.error.field).toBe('/text');
    const tooLong = await platform.post(`/api/support-requests/${ids.unmatched}/replies`).send({ text: 'x'.repeat(301), sms: false });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error.field).toBe('/text');
    expect(h.sms.sent.length).toBe(before);

    const res = await wuxi.post(`/api/support-requests/${ids.unmatched}/replies`).send({ text: '您的用户名已核实，请致电 0510-12345678 领取。', sms: true, status: 'resolved' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ status: 'resolved', replies: [{ by: { username: 'support-wx' }, text: '您的用户名已核实，请致电 0510-12345678 领取。', sentBySms: true }] });
    expect(h.sms.sent.at(-1)).toEqual({ mobile: '13700001111', text: '【Ladder】您的用户名已核实，请致电 0510-12345678 领取。' });

    await platform.post(`/api/support-requests/${ids.unmatched}/replies`).send({ text: '已电话联系。', sms: false }).expect(201);
    expect(h.sms.sent.length).toBe(before + 1);
    const read = (await jiangsu.get(`/api/support-requests/${ids.unmatched}`).expect(200)).body;
    expect(read.replies.map((r: { text: string; sentBySms: boolean }) => [r.text, r.sentBySms])).toEqual([
      ['您的用户名已核实，请致电 0510-12345678 领取。', true],
      ['已电话联系。', false],
    ]);
    const audit = (await platform.get(`/api/audit?action=support.reply&target=${ids.unmatched}`).expect(200)).body.items;
    expect(audit.map((e: { actor: { username: string }; detail: unknown }) => [e.actor.username, e.detail])).toEqual([
      ['support-boss', { sentBySms: false }],
      ['support-wx', { sentBySms: true, from: 'open', to: 'resolved' }],
    ]);
    // The log says a reply was given, never its words.
    expect(JSON.stringify(audit)).not.toContain('领取');
  });

  it('keeps nothing when the text message could not be sent, and says so', async () => {
    const send = h.sms.send.bind(h.sms);
    h.sms.send = async () => {
      throw new SmsDeliveryError(3, 'gateway answered 502');
    };
    try {
      const res = await platform.post(`/api/support-requests/${ids.hangzhou}/replies`).send({ text: '请核对信用代码。', sms: true, status: 'resolved' });
      expect(res.status).toBe(503);
      expect(res.body.error.code).toBe('sms_unavailable');
    } finally {
      h.sms.send = send;
    }
    expect((await platform.get(`/api/support-requests/${ids.hangzhou}`).expect(200)).body).toMatchObject({ status: 'open', replies: [] });
    expect((await platform.get(`/api/audit?target=${ids.hangzhou}`).expect(200)).body.total).toBe(0);
  });
});

describe('username recovery', () => {
  it('refuses a region not in the list, naming it, and records nothing', async () => {
    const res = await request(h.app).post('/api/username-recovery').set('accept-language', 'en').send({ enterpriseName: 'x', creditCode: '91350100M000100Y43', mobile: '13600005555', region: '999999' });
    expect(res.status).toBe(400);
    expect(res.body.error.field).toBe('/region');
    expect((await listed(platform, '?q=13600005555')).total).toBe(0);
  });
});
