import { beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { harness, enterpriseAgent, registration, type Harness } from './harness.ts';
import { hashPassword } from '../../server/accounts/password.ts';
import { createApp } from '../../server/app.ts';
import { LowdbStore } from '../../server/store/lowdbStore.ts';
import { loadReference } from '../../server/reference.ts';

let h: Harness;
let platform: ReturnType<Harness['agent']>;
const login = async (username: string) => {
  const agent = h.agent();
  await agent.post('/api/session').send({ username, password: 'admin1234' }).expect(200);
  return agent;
};
/** A region administrator created the way the platform does it, logged in. */
const regionAdmin = async (username: string, region: string) => {
  await platform.post('/api/users').send({ username, password: 'admin1234', passwordConfirm: 'admin1234', role: 'regionAdmin', region }).expect(201);
  return login(username);
};
const createRegion = async (body: Record<string, unknown>) => {
  const res = await platform.post('/api/regions').send(body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { code: string; path: string[]; kind: string; label: string };
};
const standardCodes = () => {
  const codes = new Set<string>();
  const walk = (nodes: { code: string; children?: { code: string }[] }[]) => nodes.forEach((n) => (codes.add(n.code), walk(n.children ?? [])));
  walk(h.ctx.reference.regions);
  return codes;
};

beforeAll(async () => {
  h = await harness();
  await h.store.createAccount({ id: 'boss', username: 'boss', passwordHash: await hashPassword('admin1234'), role: 'platformAdmin', createdAt: new Date().toISOString() });
  platform = await login('boss');
});

describe('regions the platform creates', () => {
  it('takes registrations into a park under a city; the park administrator sees only its enterprise, the city administrator sees it too', async () => {
    const park = await createRegion({ parent: '320500', kind: 'park', name: { zh: '苏州工业园区', en: 'Suzhou Industrial Park' } });
    expect(park.code).toMatch(/^320500P\d+$/);
    expect(park.path).toEqual(['320000', '320500', park.code]);

    const reference = (await request(h.app).get('/api/reference').expect(200)).body;
    const suzhou = reference.regions.find((r: { code: string }) => r.code === '320000').children.find((r: { code: string }) => r.code === '320500');
    expect(suzhou.children).toEqual([expect.objectContaining({ code: park.code, kind: 'park', name: expect.objectContaining({ zh: '苏州工业园区' }) })]);

    const inPark = await enterpriseAgent(h, { region: park.code });
    expect(inPark.enterprise.regionPath).toEqual(['320000', '320500', park.code]);
    const inCity = await enterpriseAgent(h, { region: '320500' });

    const parkAdmin = await regionAdmin('sip-admin', park.code);
    const cityAdmin = await regionAdmin('suzhou-admin', '320500');
    const seenByPark = (await parkAdmin.get('/api/enterprises').expect(200)).body.items.map((e: { id: string }) => e.id);
    expect(seenByPark).toEqual([inPark.enterprise.id]);
    expect((await parkAdmin.get(`/api/enterprises/${inCity.enterprise.id}`)).status).toBe(404);
    const seenByCity = (await cityAdmin.get('/api/enterprises').expect(200)).body.items.map((e: { id: string }) => e.id);
    expect(seenByCity).toEqual(expect.arrayContaining([inPark.enterprise.id, inCity.enterprise.id]));

    const tree = (await request(h.app).get('/api/regions').set('Accept-Language', 'en').expect(200)).body.regions;
    const listed = tree.find((r: { code: string }) => r.code === '320000').children.find((r: { code: string }) => r.code === '320500').children[0];
    expect(listed).toMatchObject({ code: park.code, kind: 'park', label: 'Suzhou Industrial Park', custom: true });
  });

  it('gives codes that never collide with GB/T 2260, with each other, or with a removed region', async () => {
    const lingang = await createRegion({ parent: '310000', kind: 'park', name: { zh: '临港新片区' } });
    const district = await createRegion({ parent: '320500', kind: 'district', name: { zh: '新设示范区' } });
    const zone = await createRegion({ parent: district.code, kind: 'park', name: { zh: '示范区科创园' } });
    const group = await createRegion({ kind: 'group', name: { zh: '示例装备集团', en: 'Example Equipment Group' } });
    const removed = await createRegion({ parent: '320200', kind: 'park', name: { zh: '临时园区' } });
    await platform.delete(`/api/regions/${removed.code}`).expect(204);
    const again = await createRegion({ parent: '320200', kind: 'park', name: { zh: '临时园区' } });

    const together = await Promise.all([1, 2, 3, 4, 5].map((n) => createRegion({ parent: '320300', kind: 'park', name: { zh: `同时创建的园区${n}` } })));
    const xuzhou = (await request(h.app).get('/api/regions').expect(200)).body.regions.find((r: { code: string }) => r.code === '320000').children.find((r: { code: string }) => r.code === '320300');
    expect(xuzhou.children).toHaveLength(5);

    const codes = [lingang, district, zone, group, removed, again, ...together].map((r) => r.code);
    expect(new Set(codes).size).toBe(codes.length);
    const standard = standardCodes();
    expect(codes.filter((c) => standard.has(c) || /^\d{6}$/.test(c))).toEqual([]);
    expect(lingang.code).toMatch(/^310000P\d+$/);
    expect(zone.path).toEqual(['320000', '320500', district.code, zone.code]);
    expect(zone.code.slice(0, 6)).toBe('320500');
    expect(group.code).toMatch(/^G\d+$/);
    expect(again.code).not.toBe(removed.code);
  });

  it('are still there after a restart, enterprises registering into them', async () => {
    const first = await harness();
    await first.store.createAccount({ id: 'boss', username: 'boss', passwordHash: await hashPassword('admin1234'), role: 'platformAdmin', createdAt: new Date().toISOString() });
    const admin = first.agent();
    await admin.post('/api/session').send({ username: 'boss', password: 'admin1234' }).expect(200);
    const park = (await admin.post('/api/regions').send({ parent: '440300', kind: 'park', name: { zh: '前海园区' } }).expect(201)).body;
    await first.store.close();

    const store = await LowdbStore.open(first.dir);
    const { app } = createApp({ ...first.ctx, store, reference: loadReference() });
    const tree = (await request(app).get('/api/regions').expect(200)).body.regions;
    expect(tree.find((r: { code: string }) => r.code === '440000').children.find((r: { code: string }) => r.code === '440300').children).toContainEqual(expect.objectContaining({ code: park.code, label: '前海园区' }));
    const registered = await request(app).post('/api/accounts').send(registration({ region: park.code })).expect(201);
    expect(registered.body.enterprise.regionPath).toEqual(['440000', '440300', park.code]);
    await store.close();
  });

  it('refuses a region in the wrong place, a duplicate name beside it, and registration into a group', async () => {
    const atTop = await platform.post('/api/regions').send({ kind: 'park', name: { zh: '无上级园区' } });
    expect(atTop.status).toBe(400);
    expect(atTop.body.error).toMatchObject({ field: '/parent', message: '请指定上级地区：园区可设在省级地区、地市、区县之下' });
    const cityInCity = await platform.post('/api/regions').send({ parent: '320500', kind: 'city', name: { zh: '市中市' } }).set('Accept-Language', 'en');
    expect(cityInCity.body.error).toMatchObject({ field: '/parent', message: 'a city cannot be placed under a city; a city goes under a province' });
    expect((await platform.post('/api/regions').send({ parent: '999999', kind: 'park', name: { zh: '某园区' } })).body.error.field).toBe('/parent');
    const twin = await platform.post('/api/regions').send({ parent: '320000', kind: 'city', name: { zh: '苏州市' } });
    expect(twin.status).toBe(409);
    expect(twin.body.error.field).toBe('/name/zh');

    const group = await createRegion({ kind: 'group', name: { zh: '不可注册集团' } });
    const res = await request(h.app).post('/api/accounts').send(registration({ region: group.code }));
    expect(res.status).toBe(400);
    expect(res.body.error.field).toBe('/region');
  });

  it('removes a custom region only once it is empty, says why in both languages, and never a GB/T 2260 region', async () => {
    const park = await createRegion({ parent: '330100', kind: 'park', name: { zh: '滨江园区', en: 'Binjiang Park' } });
    const firm = await enterpriseAgent(h, { region: park.code });
    const refused = await platform.delete(`/api/regions/${park.code}`);
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('region_not_empty');
    expect(refused.body.error.message).toBe('“滨江园区”下仍有 1 家企业、0 名地区管理员、0 个下级地区，清空后才能删除');
    const refusedEn = await platform.delete(`/api/regions/${park.code}`).set('Accept-Language', 'en');
    expect(refusedEn.body.error.message).toBe('"Binjiang Park" still has 1 enterprise(s), 0 administrator(s) and 0 region(s) below it; it can be removed once empty');
    expect((await firm.agent.get('/api/session').expect(200)).body.enterprise.regionPath).toContain(park.code);

    const staffed = await createRegion({ parent: '330100', kind: 'park', name: { zh: '有管理员的园区' } });
    await regionAdmin('staffed-admin', staffed.code);
    expect((await platform.delete(`/api/regions/${staffed.code}`)).body.error.message).toContain('1 名地区管理员');
    const parent = await createRegion({ parent: '330100', kind: 'district', name: { zh: '有下级的区' } });
    await createRegion({ parent: parent.code, kind: 'park', name: { zh: '下级园区' } });
    expect((await platform.delete(`/api/regions/${parent.code}`)).body.error.message).toContain('1 个下级地区');

    const empty = await createRegion({ parent: '330100', kind: 'park', name: { zh: '空园区' } });
    await platform.put(`/api/regions/${empty.code}/liaisons`).send({ liaisons: [{ name: '张三', post: '主任', mobile: '13800000000' }] }).expect(200);
    await platform.delete(`/api/regions/${empty.code}`).expect(204);
    expect((await platform.get(`/api/regions/${empty.code}/liaisons`)).status).toBe(404);
    expect((await request(h.app).post('/api/accounts').send(registration({ region: empty.code }))).body.error.field).toBe('/region');

    const standard = await platform.delete('/api/regions/330100');
    expect(standard.status).toBe(409);
    expect(standard.body.error.code).toBe('standard_region');
    expect((await platform.patch('/api/regions/330100').send({ name: { zh: '改名市' } })).status).toBe(409);
    const zhejiang = await regionAdmin('zj-admin', '330000');
    expect((await zhejiang.delete(`/api/regions/${empty.code}`)).status).toBe(403);
  });

  it('renames a custom region wherever it is shown, keeping names unique beside it', async () => {
    const park = await createRegion({ parent: '320100', kind: 'park', name: { zh: '江北园区' } });
    const firm = await enterpriseAgent(h, { region: park.code });
    const renamed = await platform.patch(`/api/regions/${park.code}`).send({ name: { zh: '江北新区园区', en: 'Jiangbei New Area' } }).expect(200);
    expect(renamed.body).toMatchObject({ code: park.code, label: '江北新区园区' });
    expect(h.ctx.reference.regionName(park.code)).toEqual({ zh: '江北新区园区', en: 'Jiangbei New Area' });
    const nanjing = (await request(h.app).get('/api/reference').expect(200)).body.regions.find((r: { code: string }) => r.code === '320000').children.find((r: { code: string }) => r.code === '320100');
    expect(nanjing.children.map((c: { name: { zh: string } }) => c.name.zh)).toEqual(['江北新区园区']);
    expect((await firm.agent.get('/api/session').expect(200)).body.enterprise.region).toBe(park.code);
    await createRegion({ parent: '320100', kind: 'park', name: { zh: '另一园区' } });
    expect((await platform.patch(`/api/regions/${park.code}`).send({ name: { zh: '另一园区' } })).status).toBe(409);
  });

  it('lets an enterprise group see the members the platform adds by credit code, and no one else', async () => {
    const group = await createRegion({ parent: '310000', kind: 'group', name: { zh: '示例电气集团' } });
    const member = await enterpriseAgent(h, { region: '310115' });
    const outsider = await enterpriseAgent(h, { region: '310115' });
    const groupAdmin = await regionAdmin('group-admin', group.code);
    expect((await groupAdmin.get('/api/enterprises').expect(200)).body.items).toEqual([]);

    const added = await platform.post(`/api/regions/${group.code}/members`).send({ creditCode: member.fields.creditCode.toLowerCase() });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ id: member.enterprise.id, region: { code: '310115', name: '浦东新区' } });
    expect((await platform.post(`/api/regions/${group.code}/members`).send({ creditCode: member.fields.creditCode })).status).toBe(200);
    const unknown = await platform.post(`/api/regions/${group.code}/members`).send({ creditCode: '91350100M000100Y43' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.field).toBe('/creditCode');
    expect((await groupAdmin.post(`/api/regions/${group.code}/members`).send({ creditCode: outsider.fields.creditCode })).status).toBe(403);

    expect((await groupAdmin.get('/api/enterprises').expect(200)).body.items.map((e: { id: string }) => e.id)).toEqual([member.enterprise.id]);
    await groupAdmin.get(`/api/enterprises/${member.enterprise.id}`).expect(200);
    expect((await groupAdmin.get(`/api/enterprises/${outsider.enterprise.id}`)).status).toBe(404);
    expect((await groupAdmin.get(`/api/regions/${group.code}/members`).expect(200)).body.items.map((e: { id: string }) => e.id)).toEqual([member.enterprise.id]);
    expect((await platform.delete(`/api/regions/${group.code}`)).body.error.message).toContain('1 家企业');

    await platform.delete(`/api/regions/${group.code}/members/${member.enterprise.id}`).expect(204);
    expect((await groupAdmin.get('/api/enterprises').expect(200)).body.items).toEqual([]);
    expect((await platform.delete(`/api/regions/${group.code}/members/${member.enterprise.id}`)).status).toBe(404);
  });
});

describe('liaisons', () => {
  it('are kept by the administrators of the region and those above it, each field checked', async () => {
    const jiangsu = await regionAdmin('js-liaisons', '320000');
    const liaisons = [
      { name: '王五', post: '科长', mobile: '13912345678', email: 'wang@example.com', unit: '无锡市工信局' },
      { name: '赵六', post: '副主任', mobile: '13700000000' },
    ];
    const saved = await jiangsu.put('/api/regions/320200/liaisons').send({ liaisons }).expect(200);
    expect(saved.body).toEqual({ region: '320200', liaisons });
    expect((await jiangsu.get('/api/regions/320200/liaisons').expect(200)).body.liaisons).toEqual(liaisons);

    const bad = await jiangsu.put('/api/regions/320200/liaisons').send({ liaisons: [{ name: '王五', post: '科长', mobile: '1391234' }, { name: ' ', post: '科长', mobile: '13912345678', email: 'nope' }] });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ field: '/liaisons/0/mobile', message: '请输入 11 位中国大陆手机号' });
    expect(bad.body.error.details.map((d: { field: string }) => d.field)).toEqual(['/liaisons/0/mobile', '/liaisons/1/name', '/liaisons/1/email']);
    const badEn = await jiangsu.put('/api/regions/320200/liaisons').set('Accept-Language', 'en').send({ liaisons: [{ name: '王五', post: '科长', mobile: '1391234' }] });
    expect(badEn.body.error.message).toBe('enter an 11-digit mainland China mobile number');
    expect((await jiangsu.get('/api/regions/320200/liaisons').expect(200)).body.liaisons).toEqual(liaisons);

    const wuxi = await regionAdmin('wx-liaisons', '320200');
    expect((await wuxi.get('/api/regions/320200/liaisons').expect(200)).body.liaisons).toHaveLength(2);
    expect((await wuxi.put('/api/regions/320000/liaisons').send({ liaisons: [] })).status).toBe(403);
    const zhejiang = await regionAdmin('zj-liaisons', '330000');
    expect((await zhejiang.get('/api/regions/320200/liaisons')).status).toBe(403);
    const firm = await enterpriseAgent(h, { region: '320200' });
    expect((await firm.agent.get('/api/regions/320200/liaisons')).status).toBe(403);
    expect((await platform.get('/api/regions/999999/liaisons')).status).toBe(404);
  });
});

describe('sub-platforms', () => {
  it("show the province's name and notice to its enterprises and give their new diagnoses the ruleset it chose", async () => {
    // A second ruleset for Guizhou published later: without a choice, the latest published one wins.
    const guizhou = (await h.store.getRuleset('cmmm-gbt39116-guizhou', '1.1.0'))!;
    await h.store.putRuleset({ ...guizhou, id: 'gz-pilot', document: { ...guizhou.document, id: 'gz-pilot' }, publishedAt: '2026-11-24T00:00:00.000Z' });
    const firm = await enterpriseAgent(h, { region: '520100' });
    expect((await firm.agent.get('/api/diagnoses/eligibility').expect(200)).body.ruleset.id).toBe('gz-pilot');
    expect((await firm.agent.get('/api/home').expect(200)).body).toEqual({ subPlatform: null });

    const admin = await regionAdmin('gz-sub', '520000');
    const body = { enabled: true, name: { zh: '贵州省分平台', en: 'Guizhou sub-platform' }, notice: { zh: '请各企业于年底前完成自诊断。\r\n咨询电话：0851-12345678' }, ruleset: 'cmmm-gbt39116-guizhou@1.1.0' };
    const wrong = await admin.put('/api/regions/520000/sub-platform').send({ ...body, ruleset: 'cmmm-gbt39116-shanghai@1.1.0' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.field).toBe('/ruleset');
    expect((await admin.put('/api/regions/520000/sub-platform').send({ ...body, ruleset: 'nothing@9.9.9' })).body.error.field).toBe('/ruleset');
    expect((await admin.get('/api/regions/520000/sub-platform').expect(200)).body).toEqual({ region: '520000', enabled: false });

    const saved = await admin.put('/api/regions/520000/sub-platform').send(body).expect(200);
    expect(saved.body).toMatchObject({ region: '520000', enabled: true, ruleset: 'cmmm-gbt39116-guizhou@1.1.0', notice: { zh: '请各企业于年底前完成自诊断。\n咨询电话：0851-12345678' } });
    expect((await firm.agent.get('/api/home').expect(200)).body.subPlatform).toEqual({
      region: { code: '520000', name: '贵州省' },
      name: '贵州省分平台',
      notice: '请各企业于年底前完成自诊断。\n咨询电话：0851-12345678',
    });
    expect((await firm.agent.get('/api/home').set('Accept-Language', 'en').expect(200)).body.subPlatform).toMatchObject({ region: { name: 'Guizhou' }, name: 'Guizhou sub-platform' });
    const started = await firm.agent.post('/api/diagnoses').send({ acknowledgeWarnings: true }).expect(201);
    expect(started.body.ruleset).toMatchObject({ id: 'cmmm-gbt39116-guizhou', version: '1.1.0' });

    const elsewhere = await enterpriseAgent(h, { region: '320200' });
    expect((await elsewhere.agent.get('/api/home').expect(200)).body).toEqual({ subPlatform: null });

    await admin.put('/api/regions/520000/sub-platform').send({ ...body, enabled: false }).expect(200);
    expect((await firm.agent.get('/api/home').expect(200)).body).toEqual({ subPlatform: null });
    expect((await firm.agent.get('/api/diagnoses/eligibility').expect(200)).body.ruleset.id).toBe('gz-pilot');
  });

  it("are set up only by the region's own administrator or a platform administrator", async () => {
    const shanghai = await regionAdmin('sh-sub', '310000');
    const body = { enabled: true, name: { zh: '分平台' }, notice: { zh: '' } };
    expect((await shanghai.put('/api/regions/520000/sub-platform').send(body)).status).toBe(403);
    expect((await shanghai.get('/api/regions/520000/sub-platform')).status).toBe(403);
    const guiyang = await regionAdmin('gy-sub', '520100');
    expect((await guiyang.put('/api/regions/520000/sub-platform').send(body)).status).toBe(403);
    await guiyang.put('/api/regions/520100/sub-platform').send(body).expect(200);
    await platform.put('/api/regions/330000/sub-platform').send(body).expect(200);
    expect((await platform.put('/api/regions/330000/sub-platform').send({ ...body, name: { zh: '  ' } })).body.error.field).toBe('/name/zh');
    const group = await createRegion({ kind: 'group', name: { zh: '无子平台集团' } });
    expect((await platform.get(`/api/regions/${group.code}/sub-platform`)).status).toBe(404);
  });
});
