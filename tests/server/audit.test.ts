// The audit log as administrators read it: every administrative action is in it with the region
// of what it acted on, a region administrator reads its region and those below it, the filters
// (actor, action prefix, target, time range) and paging work, and bad input is named.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { harness, enterpriseAgent, type Harness } from './harness.ts';
import { hashPassword } from '../../server/accounts/password.ts';

let h: Harness;
let platform: ReturnType<Harness['agent']>;
let jiangsu: ReturnType<Harness['agent']>;
let wuxi: ReturnType<Harness['agent']>;
let zhejiang: ReturnType<Harness['agent']>;
let firm: Awaited<ReturnType<typeof enterpriseAgent>>;
let park: string;
let group: string;

const staff = async (username: string, role: 'platformAdmin' | 'regionAdmin' | 'rulesetAuthor', region?: string) => {
  await h.store.createAccount({ id: randomUUID(), username, passwordHash: await hashPassword('admin1234'), role, ...(region ? { region } : {}), createdAt: new Date().toISOString() });
  const agent = h.agent();
  await agent.post('/api/session').send({ username, password: 'admin1234' }).expect(200);
  return agent;
};

type Entry = { at: string; action: string; actor: { id: string; username: string; role: string } | null; target?: string; targetName?: string; region?: { code: string; name: string }; detail?: unknown };
const log = async (agent: ReturnType<Harness['agent']>, query = '') => {
  const res = await agent.get(`/api/audit${query}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as { total: number; page: number; pageSize: number; items: Entry[] };
};
const ok = async (res: Promise<request.Response>, status = 200) => {
  const r = await res;
  expect(r.status, JSON.stringify(r.body)).toBe(status);
  return r.body;
};

beforeAll(async () => {
  h = await harness();
  h.clock.now = new Date('2026-12-01T09:00:00+08:00');
  platform = await staff('audit-boss', 'platformAdmin');
  jiangsu = await staff('audit-js', 'regionAdmin', '320000');
  wuxi = await staff('audit-wx', 'regionAdmin', '320200');
  zhejiang = await staff('audit-zj', 'regionAdmin', '330000');
  firm = await enterpriseAgent(h, { region: '320200' });

  // A day of administration, an hour apart.
  const hour = (n: number) => (h.clock.now = new Date(Date.parse('2026-12-01T10:00:00+08:00') + n * 3_600_000));
  hour(0);
  park = (await ok(platform.post('/api/regions').send({ parent: '320200', kind: 'park', name: { zh: '无锡高新区' } }), 201)).code;
  hour(1);
  group = (await ok(platform.post('/api/regions').send({ kind: 'group', name: { zh: '审计测试集团' } }), 201)).code;
  hour(2);
  await ok(platform.post(`/api/regions/${group}/members`).send({ creditCode: firm.fields.creditCode }), 201);
  hour(3);
  await ok(wuxi.put('/api/regions/320200/liaisons').send({ liaisons: [{ name: '王工', post: '科长', mobile: '13812345678' }] }));
  hour(4);
  await ok(wuxi.put('/api/regions/320200/sub-platform').send({ enabled: true, name: { zh: '无锡自诊断' }, notice: { zh: '通知' } }));
  hour(5);
  await ok(wuxi.put(`/api/dashboard/enterprises/${firm.enterprise.id}/benchmark`).send({ benchmark: true }));
  hour(6);
  await ok(jiangsu.put('/api/dashboard/targets?region=320000').send({ targets: [{ level: 2, share: 0.3 }] }));
  hour(7);
  await ok(zhejiang.put('/api/regions/330000/liaisons').send({ liaisons: [{ name: '李工', post: '处长', mobile: '13812345679' }] }));
  hour(8);
  await ok(platform.post('/api/users').send({ username: 'audit-new-wx', password: 'admin1234', passwordConfirm: 'admin1234', role: 'regionAdmin', region: '320200' }), 201);
  hour(9);
  await ok(firm.agent.post('/api/diagnoses').send({ acknowledgeWarnings: true }), 201);
  hour(10);
  await ok(platform.patch(`/api/regions/${park}`).send({ name: { zh: '无锡国家高新区' } }));
  hour(11);
  await ok(platform.post(`/api/admin/users/${firm.user.id}/disable`));
});

describe('what is recorded', () => {
  it('records every administrative action with who did it, what it was about and its region', async () => {
    const page = await log(platform, '?pageSize=50');
    const seen = page.items.map((e) => [e.action, e.actor?.username, e.target, e.region?.code]);
    expect(seen).toEqual(
      expect.arrayContaining([
        ['region.create', 'audit-boss', park, park],
        ['region.create', 'audit-boss', group, group],
        ['group.addMember', 'audit-boss', group, group],
        ['region.liaisons', 'audit-wx', '320200', '320200'],
        ['region.subPlatform', 'audit-wx', '320200', '320200'],
        ['dashboard.benchmark', 'audit-wx', firm.enterprise.id, '320200'],
        ['dashboard.targets', 'audit-js', '320000', '320000'],
        ['region.liaisons', 'audit-zj', '330000', '330000'],
        ['diagnosis.create', firm.fields.username, expect.any(String), '320200'],
        ['region.rename', 'audit-boss', park, park],
        ['account.register', firm.fields.username, firm.enterprise.id, '320200'],
      ]),
    );
    const created = page.items.find((e) => e.action === 'user.create')!;
    expect(created).toMatchObject({ actor: { username: 'audit-boss', role: 'platformAdmin' }, targetName: 'audit-new-wx', region: { code: '320200', name: '无锡市' } });
    // Names where they cost one read: regions, enterprises, users.
    expect(page.items.find((e) => e.action === 'region.rename')).toMatchObject({ targetName: '无锡国家高新区', region: { name: '无锡国家高新区' } });
    expect(page.items.find((e) => e.action === 'dashboard.benchmark')!.targetName).toBe(firm.fields.enterpriseName);
  });

  it('gives entries newest first', async () => {
    const times = (await log(platform, '?pageSize=50')).items.map((e) => e.at);
    expect(times).toEqual([...times].sort().reverse());
  });
});

describe('who reads what', () => {
  it("gives a region administrator the entries of its region and those below it, and nothing else", async () => {
    const actions = async (agent: ReturnType<Harness['agent']>) => (await log(agent, '?pageSize=50')).items.map((e) => `${e.action} ${e.region?.code}`);
    const wx = await actions(wuxi);
    expect(wx).toEqual(expect.arrayContaining([`region.create ${park}`, `region.rename ${park}`, 'region.liaisons 320200', 'dashboard.benchmark 320200', 'diagnosis.create 320200', 'user.create 320200', 'user.disable 320200']));
    expect(wx.every((a) => a.endsWith(' 320200') || a.endsWith(` ${park}`))).toBe(true);
    const js = await actions(jiangsu);
    expect(js).toEqual(expect.arrayContaining(['dashboard.targets 320000', 'region.liaisons 320200']));
    expect(js.some((a) => a.includes('330000') || a.includes(group))).toBe(false);
    expect(await actions(zhejiang)).toEqual(['region.liaisons 330000']);
  });

  it('names to a region administrator the users it manages, and the platform’s administrators only by role', async () => {
    const items = (await log(wuxi, '?pageSize=50')).items;
    expect(items.find((e) => e.action === 'region.create')!.actor).toEqual({ id: expect.any(String), role: 'platformAdmin' });
    expect(items.find((e) => e.action === 'region.liaisons')!.actor).toMatchObject({ username: 'audit-wx', role: 'regionAdmin' });
    expect(items.find((e) => e.action === 'diagnosis.create')!.actor).toMatchObject({ username: firm.fields.username, role: 'enterprise' });
    expect(JSON.stringify(items)).not.toContain('audit-boss');
  });

  it('refuses an enterprise, an author and anyone not logged in', async () => {
    const author = await staff('audit-author', 'rulesetAuthor');
    const other = await enterpriseAgent(h, { region: '320200' });
    expect((await other.agent.get('/api/audit')).status).toBe(403);
    expect((await author.get('/api/audit')).status).toBe(403);
    expect((await request(h.app).get('/api/audit')).status).toBe(401);
  });
});

describe('filters', () => {
  it('by actor (username or id), action prefix, target and time range, together', async () => {
    const wxId = (await log(wuxi, '?actor=audit-wx')).items[0].actor!.id;
    expect((await log(platform, '?actor=audit-wx')).items.map((e) => e.action)).toEqual(['dashboard.benchmark', 'region.subPlatform', 'region.liaisons', 'session.login']);
    expect((await log(platform, `?actor=${wxId}`)).total).toBe(4);
    expect((await log(platform, '?actor=nobody-at-all')).total).toBe(0);
    expect((await log(platform, '?action=region.')).items.map((e) => e.action)).toEqual(['region.rename', 'region.liaisons', 'region.subPlatform', 'region.liaisons', 'region.create', 'region.create']);
    expect((await log(platform, `?target=${park}`)).items.map((e) => e.action)).toEqual(['region.rename', 'region.create']);
    const window = await log(platform, `?from=${encodeURIComponent('2026-12-01T12:00:00+08:00')}&to=${encodeURIComponent('2026-12-01T15:00:00+08:00')}`);
    expect(window.items.map((e) => e.action)).toEqual(['region.subPlatform', 'region.liaisons', 'group.addMember']);
    expect((await log(jiangsu, `?action=region.&actor=audit-wx&from=2026-12-01`)).items.map((e) => e.action)).toEqual(['region.subPlatform', 'region.liaisons']);
  });

  it('pages, at most 200 a page', async () => {
    const all = await log(platform, '?pageSize=200');
    const second = await log(platform, '?page=2&pageSize=3');
    expect(second).toMatchObject({ total: all.total, page: 2, pageSize: 3 });
    expect(second.items).toEqual(all.items.slice(3, 6));
  });

  it('names the bad parameter', async () => {
    const bad = async (query: string, field: string) => {
      const res = await platform.get(`/api/audit${query}`).set('accept-language', 'en');
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.body.error.field).toBe(field);
      return res.body.error.message as string;
    };
    expect(await bad('?from=yesterday', '/from')).toContain('ISO 8601');
    await bad('?to=2026-13-45', '/to');
    await bad('?from=2026-12-02&to=2026-12-01', '/to');
    await bad('?pageSize=201', '/pageSize');
    await bad('?page=-1', '/page');
    await bad('?actor=a&actor=b', '/actor');
    await bad(`?action=${'x'.repeat(65)}`, '/action');
  });
});
