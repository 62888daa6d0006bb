// Administration of users and enterprises over the API, on both stores: who manages whom (a region
// administrator its region and below, never outside: 404), creating staff, disabling (login
// refused, sessions ended at once, also a session that slipped through), password resets with a
// temporary password shown once, ending sessions, refusals that name the field, and the audit log.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../server/accounts/password.ts';
import type { AuditEntry, Store } from '../../server/store/types.ts';
import { enterpriseAgent, harness, type Harness } from './harness.ts';
import { backends } from './storeBackends.ts';

const PASSWORD = 'admin1234';

describe.each(backends)('administration of users and enterprises ($name)', (backend) => {
  let h: Harness;
  let store: Store;
  const logged: string[] = [];
  let platform: ReturnType<Harness['agent']>;
  let jiangsu: ReturnType<Harness['agent']>;
  let jiangsuId: string;
  let wuxiFirm: Awaited<ReturnType<typeof enterpriseAgent>>;
  let hangzhouFirm: Awaited<ReturnType<typeof enterpriseAgent>>;

  const login = async (username: string, password = PASSWORD) => {
    const agent = h.agent();
    const res = await agent.post('/api/session').send({ username, password });
    return { agent, res };
  };
  const loggedIn = async (username: string, password = PASSWORD) => {
    const { agent, res } = await login(username, password);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return agent;
  };
  const audit = async () => {
    const out: AuditEntry[] = [];
    for await (const r of store.exportRecords()) if (r.kind === 'audit') out.push(r.entry);
    return out;
  };
  const createStaff = (agent: ReturnType<Harness['agent']>, body: Record<string, unknown>) => agent.post('/api/users').send({ password: PASSWORD, passwordConfirm: PASSWORD, ...body });

  beforeAll(async () => {
    store = (await backend.create()).store;
    h = await harness({ store, log: (line) => logged.push(line) });
    await store.createAccount({ id: 'boss', username: 'boss', passwordHash: await hashPassword(PASSWORD), role: 'platformAdmin', createdAt: new Date().toISOString() });
    platform = await loggedIn('boss');
    wuxiFirm = await enterpriseAgent(h, { region: '320214', mobile: '13955501234' });
    hangzhouFirm = await enterpriseAgent(h, { region: '330100' });
    const created = await createStaff(platform, { username: 'jiangsu.admin', role: 'regionAdmin', region: '320000' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    jiangsuId = created.body.id;
    jiangsu = await loggedIn('jiangsu.admin');
  });

  afterAll(async () => {
    await store.close();
  });

  describe('creating staff', () => {
    it('lets a region administrator create region administrators for its region and below, and nothing else', async () => {
      const before = await store.countUsers();
      const wuxi = await createStaff(jiangsu, { username: 'wuxi.admin', role: 'regionAdmin', region: '320200' });
      expect(wuxi.status, JSON.stringify(wuxi.body)).toBe(201);
      expect(wuxi.body).toMatchObject({ username: 'wuxi.admin', role: 'regionAdmin', region: '320200' });

      const platformAdmin = await createStaff(jiangsu, { username: 'sneaky.boss', role: 'platformAdmin' });
      expect(platformAdmin.status).toBe(403);
      expect((await createStaff(jiangsu, { username: 'sneaky.author', role: 'rulesetAuthor' })).status).toBe(403);
      const outside = await createStaff(jiangsu, { username: 'sneaky.zj', role: 'regionAdmin', region: '330000' });
      expect(outside.status).toBe(404);
      expect(outside.body.error.message).toContain('330000');
      // The region administrators' own region is theirs too (a colleague), a made-up one is no region.
      expect((await createStaff(jiangsu, { username: 'sneaky.none', role: 'regionAdmin', region: '999999' })).status).toBe(404);
      expect((await createStaff(jiangsu, { username: 'sneaky.weak', role: 'regionAdmin', region: '320200', password: 'short', passwordConfirm: 'short' })).body.error.field).toBe('/password');
      expect(await store.countUsers()).toBe(before + 1);
      expect(await store.findUserByUsername('sneaky.boss')).toBeUndefined();

      // An enterprise user creates nobody.
      expect((await createStaff(wuxiFirm.agent, { username: 'sneaky.firm', role: 'regionAdmin', region: '320211' })).status).toBe(403);
      const entry = (await audit()).find((e) => e.action === 'user.create' && e.target === wuxi.body.id);
      expect(entry).toMatchObject({ actor: jiangsuId, detail: { role: 'regionAdmin' }, region: '320200' });
    });

    it('lets a platform administrator create authors and platform administrators', async () => {
      const author = await createStaff(platform, { username: 'author.one', role: 'rulesetAuthor' });
      expect(author.status).toBe(201);
      expect((await createStaff(platform, { username: 'author.one', role: 'rulesetAuthor' })).status).toBe(409);
    });
  });

  describe('who sees whom', () => {
    it('lists everyone for a platform administrator, searched, filtered and paged', async () => {
      const all = (await platform.get('/api/admin/users?pageSize=100').expect(200)).body;
      const names = all.items.map((u: { username: string }) => u.username);
      expect(names).toEqual(expect.arrayContaining(['boss', 'jiangsu.admin', 'wuxi.admin', 'author.one', wuxiFirm.fields.username, hangzhouFirm.fields.username]));
      expect(all.total).toBe(names.length);
      const firmUser = all.items.find((u: { username: string }) => u.username === wuxiFirm.fields.username);
      // Region names, not codes; the enterprise named.
      expect(firmUser).toMatchObject({ role: 'enterprise', region: { code: '320214', name: '新吴区（无锡高新区）' }, enterprise: { id: wuxiFirm.enterprise.id, name: wuxiFirm.fields.enterpriseName } });
      expect(firmUser).not.toHaveProperty('passwordHash');

      const paged = (await platform.get('/api/admin/users?pageSize=2&page=2').expect(200)).body;
      expect(paged).toMatchObject({ total: all.total, page: 2, pageSize: 2 });
      expect(paged.items.map((u: { id: string }) => u.id)).toEqual(all.items.slice(2, 4).map((u: { id: string }) => u.id));
      expect((await platform.get('/api/admin/users?q=JIANGSU').expect(200)).body.items.map((u: { username: string }) => u.username)).toEqual(['jiangsu.admin']);
      expect((await platform.get('/api/admin/users?q=55501').expect(200)).body.items.map((u: { username: string }) => u.username)).toEqual([wuxiFirm.fields.username]);
      expect((await platform.get('/api/admin/users?role=rulesetAuthor').expect(200)).body.items.map((u: { username: string }) => u.username)).toEqual(['author.one']);
      expect((await platform.get('/api/admin/users?region=330000').expect(200)).body.items.map((u: { username: string }) => u.username)).toEqual([hangzhouFirm.fields.username]);
    });

    it("shows a region administrator its region's administrators and enterprise users only; anything outside is a 404", async () => {
      const mine = (await jiangsu.get('/api/admin/users?pageSize=100').expect(200)).body.items.map((u: { username: string }) => u.username).sort();
      expect(mine).toEqual(['jiangsu.admin', 'wuxi.admin', wuxiFirm.fields.username].sort());
      expect((await jiangsu.get('/api/admin/users?region=320200').expect(200)).body.total).toBe(2);
      const outside = await jiangsu.get('/api/admin/users?region=330000');
      expect(outside.status).toBe(404);
      expect(outside.body.error.field).toBeUndefined();

      const hz = await store.findUserByUsername(hangzhouFirm.fields.username);
      const boss = await store.findUserByUsername('boss');
      const author = await store.findUserByUsername('author.one');
      for (const target of [hz!, boss!, author!]) {
        expect((await jiangsu.get(`/api/admin/users/${target.id}`)).status).toBe(404);
        expect((await jiangsu.post(`/api/admin/users/${target.id}/disable`)).status).toBe(404);
        expect((await jiangsu.post(`/api/admin/users/${target.id}/password-reset`).send({})).status).toBe(404);
        expect((await jiangsu.delete(`/api/admin/users/${target.id}/sessions`)).status).toBe(404);
      }
      expect((await store.getUser(hz!.id))!.disabledAt).toBeUndefined();

      const enterprises = (await jiangsu.get('/api/admin/enterprises').expect(200)).body;
      expect(enterprises.items.map((e: { id: string }) => e.id)).toEqual([wuxiFirm.enterprise.id]);
      expect(enterprises.items[0]).toMatchObject({ region: { code: '320214', name: '新吴区（无锡高新区）' }, regionPath: [{ name: '江苏省' }, { name: '无锡市' }, { name: '新吴区（无锡高新区）' }], industryName: expect.any(String), sizeBandName: expect.any(String) });
      expect((await jiangsu.get(`/api/admin/enterprises/${hangzhouFirm.enterprise.id}`)).status).toBe(404);
      expect((await jiangsu.post(`/api/admin/enterprises/${hangzhouFirm.enterprise.id}/disable`)).status).toBe(404);
      expect((await jiangsu.get('/api/admin/enterprises?region=330100')).status).toBe(404);

      // Nor does an enterprise user or an author reach any of it.
      expect((await wuxiFirm.agent.get('/api/admin/users')).status).toBe(403);
      expect((await wuxiFirm.agent.get('/api/admin/enterprises')).status).toBe(403);
    });

    it('searches enterprises by name or credit code and filters by industry and size band', async () => {
      const byCode = (await platform.get(`/api/admin/enterprises?q=${wuxiFirm.fields.creditCode.slice(-6).toLowerCase()}`).expect(200)).body.items;
      expect(byCode.map((e: { id: string }) => e.id)).toEqual([wuxiFirm.enterprise.id]);
      const byName = (await platform.get(`/api/admin/enterprises?q=${encodeURIComponent(hangzhouFirm.fields.enterpriseName)}`).expect(200)).body.items;
      expect(byName.map((e: { id: string }) => e.id)).toEqual([hangzhouFirm.enterprise.id]);
      expect((await platform.get('/api/admin/enterprises?industry=C').expect(200)).body.total).toBe(2);
      expect((await platform.get('/api/admin/enterprises?industry=C13').expect(200)).body.total).toBe(0);
      expect((await platform.get('/api/admin/enterprises?sizeBand=100-200&region=320000').expect(200)).body.total).toBe(1);
      const detail = (await jiangsu.get(`/api/admin/enterprises/${wuxiFirm.enterprise.id}`).expect(200)).body;
      expect(detail.users.map((u: { username: string }) => u.username)).toEqual([wuxiFirm.fields.username]);
    });
  });

  describe('disabling', () => {
    it('refuses the login of a disabled user with a clear message and ends its sessions at once; enabled, it logs in again', async () => {
      const wuxiAdmin = await loggedIn('wuxi.admin');
      const second = await loggedIn('wuxi.admin');
      const target = (await store.findUserByUsername('wuxi.admin'))!;
      const res = await jiangsu.post(`/api/admin/users/${target.id}/disable`).expect(200);
      expect(res.body.sessionsEnded).toBe(2);
      expect(res.body.user.disabledAt).toEqual(expect.any(String));
      expect((await wuxiAdmin.get('/api/session')).status).toBe(401);
      expect((await second.get('/api/dashboard')).status).toBe(401);

      const refused = await login('wuxi.admin');
      expect(refused.res.status).toBe(403);
      expect(refused.res.body.error).toMatchObject({ code: 'account_disabled' });
      expect(refused.res.body.error.message).toContain('账号已停用');
      // A wrong password tells nothing about the account's state.
      expect((await login('wuxi.admin', 'wrong12345')).res.status).toBe(401);
      expect((await jiangsu.get('/api/admin/users?status=disabled').expect(200)).body.items.map((u: { username: string }) => u.username)).toEqual(['wuxi.admin']);

      await jiangsu.post(`/api/admin/users/${target.id}/enable`).expect(200);
      await loggedIn('wuxi.admin');
      const actions = (await audit()).filter((e) => e.target === target.id).map((e) => [e.action, e.actor]);
      expect(actions).toEqual(expect.arrayContaining([['user.disable', jiangsuId], ['user.enable', jiangsuId]]));
      // Filed under the user's region, so the administrators of 无锡市 and above find it in their audit log.
      expect((await audit()).filter((e) => e.target === target.id && e.action.startsWith('user.')).every((e) => e.region === '320200')).toBe(true);
    });

    it('holds in every request: a session that outlived the disabling (a login racing it) is no session', async () => {
      const agent = await loggedIn('wuxi.admin');
      const target = (await store.findUserByUsername('wuxi.admin'))!;
      // As if the login had started its session after the administrator ended the sessions.
      await store.updateUser(target.id, { disabledAt: new Date().toISOString() });
      expect((await agent.get('/api/session')).status).toBe(401);
      await store.updateUser(target.id, { disabledAt: undefined });
    });

    it('lets nobody disable themselves', async () => {
      const res = await jiangsu.post(`/api/admin/users/${jiangsuId}/disable`);
      expect(res.status).toBe(409);
      expect((await store.getUser(jiangsuId))!.disabledAt).toBeUndefined();
      expect((await platform.post('/api/admin/users/boss/disable')).status).toBe(409);
    });

    it("disables an enterprise: its users' sessions end and their logins are refused, saying so; enabled, they log in again", async () => {
      const firmUser = (await store.findUserByUsername(wuxiFirm.fields.username))!;
      const session = await loggedIn(wuxiFirm.fields.username, wuxiFirm.fields.password);
      const res = await jiangsu.post(`/api/admin/enterprises/${wuxiFirm.enterprise.id}/disable`).expect(200);
      expect(res.body.sessionsEnded).toBeGreaterThanOrEqual(2);
      expect(res.body.enterprise.disabledAt).toEqual(expect.any(String));
      expect((await session.get('/api/session')).status).toBe(401);
      expect((await wuxiFirm.agent.get('/api/diagnoses')).status).toBe(401);
      const refused = await login(wuxiFirm.fields.username, wuxiFirm.fields.password);
      expect(refused.res.status).toBe(403);
      expect(refused.res.body.error.message).toContain('企业');
      const listed = (await jiangsu.get(`/api/admin/users?q=${firmUser.username}`).expect(200)).body.items[0];
      expect(listed.enterpriseDisabled).toBe(true);
      expect((await jiangsu.get('/api/admin/enterprises?status=disabled').expect(200)).body.total).toBe(1);

      await jiangsu.post(`/api/admin/enterprises/${wuxiFirm.enterprise.id}/enable`).expect(200);
      wuxiFirm.agent = await loggedIn(wuxiFirm.fields.username, wuxiFirm.fields.password);
      expect((await audit()).filter((e) => e.target === wuxiFirm.enterprise.id && e.action.startsWith('enterprise.')).map((e) => [e.action, e.actor])).toEqual([['enterprise.disable', jiangsuId], ['enterprise.enable', jiangsuId]]);
    });
  });

  describe('passwords and sessions', () => {
    it('resets a password to a temporary one shown once: the user logs in with it, its sessions end, and it is in no log', async () => {
      const firmUser = (await store.findUserByUsername(wuxiFirm.fields.username))!;
      const res = await jiangsu.post(`/api/admin/users/${firmUser.id}/password-reset`).send({}).expect(200);
      const temporary: string = res.body.temporaryPassword;
      expect(temporary).toMatch(/^(?=.*[A-Za-z])(?=.*\d)[A-Za-z\d]{12}$/);
      expect(res.body.sessionsEnded).toBeGreaterThanOrEqual(1);
      expect((await wuxiFirm.agent.get('/api/session')).status).toBe(401);
      expect((await login(wuxiFirm.fields.username, wuxiFirm.fields.password)).res.status).toBe(401);
      wuxiFirm.agent = await loggedIn(wuxiFirm.fields.username, temporary);

      const entries = await audit();
      expect(entries.find((e) => e.action === 'user.resetPassword' && e.target === firmUser.id)).toMatchObject({ actor: jiangsuId, detail: { temporary: true } });
      expect(JSON.stringify(entries)).not.toContain(temporary);
      expect(logged.join('\n')).not.toContain(temporary);
      expect((await store.getUser(firmUser.id))!.passwordHash).not.toContain(temporary);
    });

    it('resets a password to one the administrator gives, refusing a weak one or two that differ and changing nothing then', async () => {
      const target = (await store.findUserByUsername('wuxi.admin'))!;
      const weak = await jiangsu.post(`/api/admin/users/${target.id}/password-reset`).send({ password: 'abc', passwordConfirm: 'abc' });
      expect(weak.status).toBe(400);
      expect(weak.body.error.field).toBe('/password');
      const differ = await jiangsu.post(`/api/admin/users/${target.id}/password-reset`).send({ password: 'newpass123', passwordConfirm: 'newpass124' });
      expect(differ.body.error.field).toBe('/passwordConfirm');
      const unknownField = await jiangsu.post(`/api/admin/users/${target.id}/password-reset`).send({ pasword: 'newpass123' });
      expect(unknownField.status).toBe(400);
      expect((await store.getUser(target.id))!.passwordHash).toBe(target.passwordHash);

      const res = await jiangsu.post(`/api/admin/users/${target.id}/password-reset`).send({ password: 'newpass123', passwordConfirm: 'newpass123' }).expect(200);
      expect(res.body.temporaryPassword).toBeUndefined();
      await loggedIn('wuxi.admin', 'newpass123');
      // Not one's own: that is "change password", which asks for the current one.
      expect((await jiangsu.post(`/api/admin/users/${jiangsuId}/password-reset`).send({})).status).toBe(409);
    });

    it("ends every session of a user, saying how many; one's own except the current one", async () => {
      const a = await loggedIn('wuxi.admin', 'newpass123');
      const b = await loggedIn('wuxi.admin', 'newpass123');
      const target = (await store.findUserByUsername('wuxi.admin'))!;
      await store.deleteUserSessions(target.id);
      const c = await loggedIn('wuxi.admin', 'newpass123');
      const d = await loggedIn('wuxi.admin', 'newpass123');
      expect((await a.get('/api/session')).status).toBe(401);
      void b;
      const res = await jiangsu.delete(`/api/admin/users/${target.id}/sessions`).expect(200);
      expect(res.body).toEqual({ sessionsEnded: 2 });
      expect((await c.get('/api/session')).status).toBe(401);
      expect((await d.get('/api/session')).status).toBe(401);

      const other = await loggedIn('jiangsu.admin');
      const own = await jiangsu.delete(`/api/admin/users/${jiangsuId}/sessions`).expect(200);
      expect(own.body.sessionsEnded).toBe(1);
      expect((await other.get('/api/session')).status).toBe(401);
      await jiangsu.get('/api/session').expect(200);
      expect((await audit()).filter((e) => e.action === 'user.endSessions').map((e) => e.detail?.sessionsEnded)).toEqual([2, 1]);
    });
  });

  describe('bad input', () => {
    it.each([
      ['role=admin', '/role'],
      ['status=gone', '/status'],
      ['page=0', '/page'],
      ['pageSize=1000', '/pageSize'],
      ['q=a&q=b', '/q'],
      [`q=${'x'.repeat(101)}`, '/q'],
    ])('names the parameter of %s', async (query, field) => {
      const res = await platform.get(`/api/admin/users?${query}`);
      expect(res.status).toBe(400);
      expect(res.body.error.field).toBe(field);
      expect(res.body.error.message).toMatch(/[\u4e00-\u9fff]/);
    });

    it('refuses an enterprise list parameter out of range, and an unknown user or enterprise is a 404', async () => {
      expect((await platform.get('/api/admin/enterprises?status=x')).body.error.field).toBe('/status');
      expect((await platform.get('/api/admin/enterprises?region=999999')).status).toBe(404);
      expect((await platform.get('/api/admin/users/nobody')).status).toBe(404);
      expect((await platform.post('/api/admin/enterprises/nothing/disable')).status).toBe(404);
    });
  });
});
