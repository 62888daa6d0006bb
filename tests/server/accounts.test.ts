import { beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { harness, registration, enterpriseAgent, VALID_CODE, type Harness } from './harness.ts';
import { checkCreditCode, normaliseCreditCode } from '../../server/accounts/creditCode.ts';
import { ensureAdministrator } from '../../server/setup.ts';
import { generousLimits } from '../../server/accounts/attemptLimits.ts';

let h: Harness;
beforeAll(async () => {
  h = await harness();
});

describe('the unified social credit code', () => {
  it('accepts a valid code, also typed in lower case or full width', () => {
    expect(checkCreditCode(VALID_CODE)).toBeUndefined();
    expect(checkCreditCode(normaliseCreditCode(' ９１３５０１００ｍ０００１００ｙ４３ '))).toBeUndefined();
  });

  it('refuses a wrong check character, a wrong length and letters the standard does not use', () => {
    expect(checkCreditCode('91350100M000100Y44')).toBe('check');
    expect(checkCreditCode('91350100M000100Y4')).toBe('length');
    expect(checkCreditCode('91350100M000100I43')).toBe('character');
  });
});

describe('registration', () => {
  it('registers an enterprise with every field and logs it in with an httpOnly SameSite cookie', async () => {
    const agent = h.agent();
    const fields = registration({ creditCode: VALID_CODE.toLowerCase() });
    const res = await agent.post('/api/accounts').send(fields);
    expect(res.status).toBe(201);
    expect(res.body.enterprise).toMatchObject({ name: fields.enterpriseName, creditCode: VALID_CODE, industry: 'C35', industryType: 'discrete', regionPath: ['320000', '320200'] });
    expect(res.body.user).not.toHaveProperty('passwordHash');
    const cookie = res.headers['set-cookie'][0];
    expect(cookie).toMatch(/^ladder_sid=/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    expect((await agent.get('/api/session')).body.user.username).toBe(fields.username);
  });

  it('lists every invalid field at once, in Chinese by default and in English on request', async () => {
    const before = await h.store.countUsers();
    const bad = registration({ mobile: '12345', email: 'nope', creditCode: '91350100M000100Y44', region: '999999', industry: 'Z99', revenue: -1, passwordConfirm: 'different1' });
    const zh = await request(h.app).post('/api/accounts').send(bad);
    expect(zh.status).toBe(400);
    const fields = zh.body.error.details.map((d: { field: string }) => d.field);
    expect(fields).toEqual(['/passwordConfirm', '/mobile', '/email', '/creditCode', '/industry', '/revenue', '/region']);
    expect(zh.body.error.details.find((d: { field: string }) => d.field === '/creditCode').message).toBe('统一社会信用代码校验位不正确，请核对');
    const en = await request(h.app).post('/api/accounts').set('Accept-Language', 'en').send(bad);
    expect(en.body.error.details.find((d: { field: string }) => d.field === '/mobile').message).toBe('enter an 11-digit mainland China mobile number');
    expect(await h.store.countUsers()).toBe(before);
  });

  it('refuses missing fields and wrong types, naming the field', async () => {
    const { mobile: _m, ...missing } = registration();
    const res = await request(h.app).post('/api/accounts').send(missing);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'invalid', field: '/mobile' });
    const typed = await request(h.app).post('/api/accounts').send(registration({ revenue: '5000' }));
    expect(typed.body.error.field).toBe('/revenue');
    const extra = await request(h.app).post('/api/accounts').send(registration({ role: 'platformAdmin' }));
    expect(extra.status).toBe(400);
    expect(extra.body.error.field).toBe('/role');
  });

  it('refuses malformed JSON, a non-JSON body and an oversized body', async () => {
    const malformed = await request(h.app).post('/api/accounts').set('Content-Type', 'application/json').send('{"username": ');
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe('invalid_json');
    const form = await request(h.app).post('/api/accounts').type('form').send('username=a');
    expect(form.status).toBe(415);
    const huge = await request(h.app).post('/api/accounts').send(registration({ enterpriseName: 'x'.repeat(300_000) }));
    expect(huge.status).toBe(413);
    expect(huge.body.error.code).toBe('too_large');
  });

  it('refuses a username or a credit code already registered, saying what to do', async () => {
    const { fields } = await enterpriseAgent(h);
    const sameName = await request(h.app).post('/api/accounts').send(registration({ username: fields.username.toUpperCase() }));
    expect(sameName.status).toBe(409);
    expect(sameName.body.error).toMatchObject({ code: 'username_taken', field: '/username' });
    const sameCode = await request(h.app).post('/api/accounts').send(registration({ creditCode: fields.creditCode }));
    expect(sameCode.status).toBe(409);
    expect(sameCode.body.error.code).toBe('credit_code_registered');
    expect(sameCode.body.error.message).toContain('忘记用户名');
  });
});

describe('login, logout and sessions', () => {
  it('logs in, reports the session and logs out', async () => {
    const { fields } = await enterpriseAgent(h);
    const agent = h.agent();
    expect((await agent.post('/api/session').send({ username: fields.username, password: 'wrong-pass1' })).status).toBe(401);
    const ok = await agent.post('/api/session').send({ username: fields.username, password: fields.password });
    expect(ok.status).toBe(200);
    expect(ok.body.enterprise.name).toBe(fields.enterpriseName);
    expect((await agent.delete('/api/session')).status).toBe(204);
    expect((await agent.get('/api/session')).status).toBe(401);
  });

  it('ends a session when it expires', async () => {
    const { agent } = await enterpriseAgent(h);
    expect((await agent.get('/api/session')).status).toBe(200);
    h.clock.now = new Date(h.clock.now.getTime() + 61 * 86_400_000);
    try {
      expect((await agent.get('/api/session')).status).toBe(401);
    } finally {
      h.clock.now = new Date('2026-11-23T10:00:00+08:00');
    }
  });

  it('rate-limits login attempts', async () => {
    const limited = await harness({ limits: { ...generousLimits(1000), loginPerAddressAndUser: { max: 3, windowMs: 60_000 } } });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await request(limited.app).post('/api/session').send({ username: 'someone', password: 'guess1234' })).status);
    expect(statuses).toEqual([401, 401, 401, 429]);
  });
});

describe('password reset and username recovery', () => {
  it('resets a password with the code sent to the registered mobile', async () => {
    const { fields } = await enterpriseAgent(h, { mobile: '13800001111' });
    const wrongMobile = await request(h.app).post('/api/password-reset/request').send({ username: fields.username, mobile: '13800002222' });
    expect(wrongMobile.status).toBe(202);
    expect(h.sms.sent.filter((s) => s.mobile === '13800002222')).toEqual([]);
    await request(h.app).post('/api/password-reset/request').send({ username: fields.username, mobile: '13800001111' }).expect(202);
    await h.ctx.background.settled();
    const code = h.sms.sent.filter((s) => s.mobile === '13800001111').at(-1)!.text.match(/(\d{6})/)![1];
    const bad = await request(h.app).post('/api/password-reset/confirm').send({ username: fields.username, code: code === '000000' ? '111111' : '000000', password: 'newpass123', passwordConfirm: 'newpass123' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid_code');
    await request(h.app).post('/api/password-reset/confirm').send({ username: fields.username, code, password: 'newpass123', passwordConfirm: 'newpass123' }).expect(204);
    expect((await request(h.app).post('/api/session').send({ username: fields.username, password: 'newpass123' })).status).toBe(200);
    // a code works once
    expect((await request(h.app).post('/api/password-reset/confirm').send({ username: fields.username, code, password: 'other123x', passwordConfirm: 'other123x' })).status).toBe(400);
  });

  it('sends a forgotten username to the registered mobile when the enterprise matches', async () => {
    const { fields } = await enterpriseAgent(h, { mobile: '13700003333' });
    const res = await request(h.app).post('/api/username-recovery').send({ enterpriseName: fields.enterpriseName, creditCode: fields.creditCode, mobile: '13700003333' });
    expect(res.status).toBe(202);
    await h.ctx.background.settled();
    expect(h.sms.sent.at(-1)).toMatchObject({ mobile: '13700003333' });
    expect(h.sms.sent.at(-1)!.text).toContain(fields.username);
    const count = h.sms.sent.length;
    await request(h.app).post('/api/username-recovery').send({ enterpriseName: '别的公司', creditCode: fields.creditCode, mobile: '13700003333' }).expect(202);
    await h.ctx.background.settled();
    expect(h.sms.sent.length).toBe(count);
  });
});

describe('reference data and the API description', () => {
  it('serves GB/T 4754 industries, regions, enterprise types and size bands', async () => {
    const res = await request(h.app).get('/api/reference').expect(200);
    expect(res.body.industries.map((s: { code: string }) => s.code).join('')).toBe('ABCDEFGHIJKLMNOPQRST');
    expect(res.body.industries.flatMap((s: { divisions: unknown[] }) => s.divisions)).toHaveLength(97);
    expect(res.body.regions.find((r: { code: string }) => r.code === '520000').name.zh).toBe('贵州省');
    expect(res.body.sizeBands.map((s: { name: { zh: string } }) => s.name.zh)).toEqual(['20人以下', '20-50人', '50-100人', '100-200人', '200人以上']);
  });

  it('describes every route in /api/openapi.json', async () => {
    const doc = (await request(h.app).get('/api/openapi.json').expect(200)).body;
    expect(doc.openapi).toBe('3.1.0');
    for (const path of ['/api/accounts', '/api/session', '/api/diagnoses', '/api/diagnoses/{id}/answers', '/api/diagnoses/{id}/levels/{level}/submit', '/api/reference']) expect(doc.paths).toHaveProperty([path]);
    expect(doc.paths['/api/accounts'].post.requestBody.content['application/json'].schema.required).toContain('creditCode');
  });

  it('answers an unknown endpoint with the error shape', async () => {
    const res = await request(h.app).get('/api/nothing-here');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: { code: 'not_found', message: '接口不存在' } });
  });
});

describe('administrators', () => {
  it('creates the first platform administrator once with the setup token, who then creates a region administrator', async () => {
    const fresh = await harness();
    const token = (await ensureAdministrator(fresh.ctx, {}))!;
    expect(token).toBeTruthy();
    const wrong = await request(fresh.app).post('/api/setup').send({ token: 'nope', username: 'root', password: 'admin1234', passwordConfirm: 'admin1234' });
    expect(wrong.status).toBe(403);
    const admin = fresh.agent();
    // The same link used twice at once creates one administrator.
    const both = await Promise.all([
      admin.post('/api/setup').send({ token, username: 'root', password: 'admin1234', passwordConfirm: 'admin1234' }),
      request(fresh.app).post('/api/setup').send({ token, username: 'root2', password: 'admin1234', passwordConfirm: 'admin1234' }),
    ]);
    expect(both.map((r) => r.status).sort()).toEqual([201, 403]);
    expect(await fresh.store.countUsers('platformAdmin')).toBe(1);
    if (both[0].status !== 201) await admin.post('/api/session').send({ username: 'root2', password: 'admin1234' }).expect(200);
    const noRegion = await admin.post('/api/users').send({ username: 'js-admin', password: 'admin1234', passwordConfirm: 'admin1234', role: 'regionAdmin' });
    expect(noRegion.status).toBe(400);
    expect(noRegion.body.error.field).toBe('/region');
    const created = await admin.post('/api/users').send({ username: 'js-admin', password: 'admin1234', passwordConfirm: 'admin1234', role: 'regionAdmin', region: '320000' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ username: 'js-admin', role: 'regionAdmin', region: '320000' });
  });

  it('creates the administrator from the environment instead when it is given', async () => {
    const fresh = await harness();
    expect(await ensureAdministrator(fresh.ctx, { LADDER_ADMIN_USERNAME: 'boss', LADDER_ADMIN_PASSWORD: 'admin1234' })).toBeUndefined();
    expect((await request(fresh.app).post('/api/session').send({ username: 'boss', password: 'admin1234' })).body.user.role).toBe('platformAdmin');
  });
});
