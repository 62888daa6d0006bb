// Issue 12 §3–§5: limits on guessing and abuse keyed on the identity the handlers use, password
// hashing that a flood cannot turn into a stall, and sessions that end when they should.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import request from 'supertest';
import { harness, enterpriseAgent, registration, type Harness } from './harness.ts';
import { generousLimits, type LimitName, type Limits } from '../../server/accounts/attemptLimits.ts';
import { PasswordHasher } from '../../server/accounts/password.ts';

const limits = (tight: Partial<Record<LimitName, number>>): Limits => {
  const l = generousLimits(1000);
  for (const [name, max] of Object.entries(tight)) l[name as LimitName] = { max: max!, windowMs: 15 * 60_000 };
  return l;
};

const login = (h: Harness, username: string, password: string, from?: string) => {
  const r = request(h.app).post('/api/session');
  return (from ? r.set('X-Forwarded-For', from) : r).send({ username, password });
};

const codeSentTo = async (h: Harness, mobile: string) => {
  await h.ctx.background.settled();
  return h.sms.sent.filter((s) => s.mobile === mobile).map((s) => s.text.match(/(\d{6})/)![1]);
};

describe('login limits (§4)', () => {
  it('counts a padded, full-width or upper-case username as the same account, so padding never gets past a block', async () => {
    const h = await harness({ limits: limits({ loginPerAddressAndUser: 3 }) });
    const { fields } = await enterpriseAgent(h, { username: 'ent_a' });
    for (let i = 0; i < 3; i++) expect((await login(h, 'ent_a', 'wrong-pass1')).status).toBe(401);
    const paddings = [' ent_a', 'ent_a\t', 'ENT_A', '  Ent_A  ', 'ｅｎｔ＿ａ', 'ent_a\u3000', '\nent_a'];
    for (const username of paddings) {
      const res = await login(h, username, fields.password);
      expect(res.status, JSON.stringify(username)).toBe(429);
      expect(res.body.error.code).toBe('rate_limited');
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    }
    // Another address is not blocked, and the padded forms are the same account there.
    expect((await login(h, 'ｅｎｔ＿ａ', fields.password, '203.0.113.9')).status).toBe(200);
  });

  it('never counts a successful login: the eleventh correct login in a row is let in', async () => {
    const h = await harness({ limits: limits({ loginPerAddressAndUser: 10, loginPerUser: 10, loginPerAddress: 10 }) });
    const { fields } = await enterpriseAgent(h);
    const statuses = [];
    for (let i = 0; i < 12; i++) statuses.push((await login(h, fields.username, fields.password)).status);
    expect(statuses).toEqual(Array(12).fill(200));
  });

  it('limits guesses at one account from many addresses, and guesses at many accounts from one address', async () => {
    const h = await harness({ limits: limits({ loginPerUser: 5, loginPerAddress: 5 }) });
    const { fields } = await enterpriseAgent(h);
    const spread = [];
    for (let i = 1; i <= 6; i++) spread.push((await login(h, fields.username, 'wrong-pass1', `198.51.100.${i}`)).status);
    expect(spread).toEqual([401, 401, 401, 401, 401, 429]);
    const sweep = [];
    for (let i = 1; i <= 6; i++) sweep.push((await login(h, `nobody${i}`, 'wrong-pass1', '192.0.2.7')).status);
    expect(sweep).toEqual([401, 401, 401, 401, 401, 429]);
  });

  it('holds a refusal for a moment, and counts nothing for the usernames a blocked address goes on trying', async () => {
    const h = await harness({ limits: limits({ loginPerAddress: 2 }), refusalDelayMs: 300 });
    for (let i = 0; i < 2; i++) expect((await login(h, `sprayed${i}`, 'wrong-pass1', '192.0.2.50')).status).toBe(401);
    const started = Date.now();
    const refused = await login(h, 'sprayed-next', 'wrong-pass1', '192.0.2.50');
    expect(refused.status).toBe(429);
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    // The refused attempt created no counter for its username: the next count of it is its first.
    const window = h.ctx.limits.loginPerUser.windowMs;
    expect((await h.store.hitRateLimit('loginPerUser:sprayed-next', window, h.clock.now.toISOString())).hits).toBe(1);
    expect((await h.store.hitRateLimit('loginPerUser:sprayed0', window, h.clock.now.toISOString())).hits).toBe(2);
  });

  it('limits registrations from one address', async () => {
    const h = await harness({ limits: limits({ registrationsPerAddress: 2 }) });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await request(h.app).post('/api/accounts').send(registration())).status);
    expect(statuses).toEqual([201, 201, 429]);
  });
});

describe('reset codes (§4)', () => {
  it('issues a limited number of codes per username and per mobile, answering alike whether or not they match', async () => {
    const h = await harness({ limits: limits({ resetCodesPerUser: 3, resetCodesPerMobile: 5 }) });
    const { fields } = await enterpriseAgent(h, { mobile: '13800005555' });
    const ask = (username: string, mobile = '13800005555') => request(h.app).post('/api/password-reset/request').send({ username, mobile });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await ask(i % 2 ? ` ${fields.username.toUpperCase()}` : fields.username)).status);
    expect(statuses).toEqual([202, 202, 202, 429]);
    expect(await codeSentTo(h, '13800005555')).toHaveLength(3);
    // Other usernames with the same mobile: the mobile's own limit (5) stops the sixth that reached it
    // (the refused fourth stopped at the username's limit and never counted for the mobile).
    expect((await ask('someone-else')).status).toBe(202);
    expect((await ask('a-third-one')).status).toBe(202);
    expect((await ask('a-fourth-one')).status).toBe(429);
    // Nothing matched tells nothing: the same 202 and message.
    const none = await ask('nobody-at-all', '13900000000');
    expect(none.status).toBe(202);
    expect(none.body.message).toBe((await request(h.app).post('/api/password-reset/request').send({ username: 'nobody-2', mobile: '13900000001' })).body.message);
  });

  it('counts wrong codes per account across codes: a new code brings no new guesses', async () => {
    const h = await harness({ limits: limits({ resetGuessesPerUser: 5 }) });
    const { fields } = await enterpriseAgent(h, { mobile: '13800006666' });
    const confirm = (code: string) => request(h.app).post('/api/password-reset/confirm').send({ username: fields.username, code, password: 'newpass123', passwordConfirm: 'newpass123' });
    await request(h.app).post('/api/password-reset/request').send({ username: fields.username, mobile: '13800006666' }).expect(202);
    const [first] = await codeSentTo(h, '13800006666');
    const wrong = (code: string) => (code === '000000' ? '111111' : '000000');
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await confirm(wrong(first))).status);
    await request(h.app).post('/api/password-reset/request').send({ username: fields.username, mobile: '13800006666' }).expect(202);
    const [, second] = await codeSentTo(h, '13800006666');
    for (let i = 0; i < 2; i++) statuses.push((await confirm(wrong(second))).status);
    // The sixth try is refused even with the right code.
    statuses.push((await confirm(second)).status);
    expect(statuses).toEqual([400, 400, 400, 400, 400, 429]);
    expect((await login(h, fields.username, 'newpass123')).status).toBe(401);
  });
});

describe('password hashing under a flood (§3)', () => {
  it('turns away logins past the bounded queue with 503 and Retry-After, and answer saves go on', async () => {
    // A slower hash than the suite's, so that logins really queue.
    const slow = process.env.LADDER_SCRYPT_LOG_N;
    process.env.LADDER_SCRYPT_LOG_N = '15';
    try {
      const passwords = new PasswordHasher({ concurrency: 1, maxWaiting: 2 });
      const h = await harness({ passwords });
      const { agent } = await enterpriseAgent(h);
      const diagnosis = (await agent.post('/api/diagnoses').send({}).expect(201)).body;
      await agent.post(`/api/diagnoses/${diagnosis.id}/tailoring`).send({ excluded: [] }).expect(200);
      let most = 0;
      const watch = setInterval(() => (most = Math.max(most, passwords.stats.active)), 1);
      const flood = Promise.all(Array.from({ length: 16 }, (_, i) => login(h, `unknown${i}`, 'wrong-pass1', `10.0.0.${i + 1}`)));
      const save = await agent.put(`/api/diagnoses/${diagnosis.id}/answers`).send({ answers: { 'L1-1.1.1': 'B' } });
      const results = await flood;
      clearInterval(watch);
      expect(save.status).toBe(200);
      const statuses = results.map((r) => r.status);
      expect(statuses.filter((s) => s === 401).length).toBeGreaterThanOrEqual(1);
      expect(statuses.filter((s) => s === 503).length).toBeGreaterThanOrEqual(10);
      expect(statuses.every((s) => s === 401 || s === 503)).toBe(true);
      for (const r of results.filter((x) => x.status === 503)) {
        expect(r.body.error.code).toBe('busy');
        expect(Number(r.headers['retry-after'])).toBeGreaterThan(0);
      }
      expect(most).toBeLessThanOrEqual(1);
    } finally {
      if (slow === undefined) delete process.env.LADDER_SCRYPT_LOG_N;
      else process.env.LADDER_SCRYPT_LOG_N = slow;
    }
  });
});

describe('sessions (§5)', () => {
  it('ends every session of the user when the password is reset', async () => {
    const h = await harness();
    const { agent, fields } = await enterpriseAgent(h, { mobile: '13800007777' });
    const other = h.agent();
    await other.post('/api/session').send({ username: fields.username, password: fields.password }).expect(200);
    await request(h.app).post('/api/password-reset/request').send({ username: fields.username, mobile: '13800007777' }).expect(202);
    const [code] = await codeSentTo(h, '13800007777');
    await request(h.app).post('/api/password-reset/confirm').send({ username: fields.username, code, password: 'newpass123', passwordConfirm: 'newpass123' }).expect(204);
    expect((await agent.get('/api/session')).status).toBe(401);
    expect((await other.get('/api/session')).status).toBe(401);
  });

  it("changes one's password with the current one, ending the other sessions and keeping this one", async () => {
    const h = await harness();
    const { agent, fields } = await enterpriseAgent(h);
    const other = h.agent();
    await other.post('/api/session').send({ username: fields.username, password: fields.password }).expect(200);
    const wrong = await agent.put('/api/session/password').send({ currentPassword: 'not-it-123', password: 'newpass123', passwordConfirm: 'newpass123' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error).toMatchObject({ code: 'wrong_password', field: '/currentPassword' });
    const weak = await agent.put('/api/session/password').send({ currentPassword: fields.password, password: 'short', passwordConfirm: 'short' });
    expect(weak.body.error.field).toBe('/password');
    await agent.put('/api/session/password').send({ currentPassword: fields.password, password: 'newpass123', passwordConfirm: 'newpass123' }).expect(204);
    expect((await agent.get('/api/session')).status).toBe(200);
    expect((await other.get('/api/session')).status).toBe(401);
    expect((await login(h, fields.username, fields.password)).status).toBe(401);
    expect((await login(h, fields.username, 'newpass123')).status).toBe(200);
    expect((await request(h.app).put('/api/session/password').send({ currentPassword: 'x', password: 'newpass123', passwordConfirm: 'newpass123' })).status).toBe(401);
  });

  it('ends a session idle longer than the idle timeout, and keeps one in use', async () => {
    const h = await harness({ sessions: { idleMinutes: 30 } });
    const { agent } = await enterpriseAgent(h);
    const later = (minutes: number) => (h.clock.now = new Date(h.clock.now.getTime() + minutes * 60_000));
    later(29);
    expect((await agent.get('/api/session')).status).toBe(200);
    later(29);
    expect((await agent.get('/api/session')).status).toBe(200);
    later(31);
    expect((await agent.get('/api/session')).status).toBe(401);
  });

  it("keeps a user's newest sessions only, and logins leave the main file alone", async () => {
    const h = await harness({ sessions: { perUser: 3 } });
    const { fields } = await enterpriseAgent(h);
    const main = readFileSync(join(h.dir, 'ladder.json'), 'utf8');
    const agents = [];
    for (let i = 0; i < 5; i++) {
      const a = h.agent();
      await a.post('/api/session').send({ username: fields.username, password: fields.password }).expect(200);
      agents.push(a);
    }
    const statuses = [];
    for (const a of agents) statuses.push((await a.get('/api/session')).status);
    expect(statuses).toEqual([401, 401, 200, 200, 200]);
    expect(readFileSync(join(h.dir, 'ladder.json'), 'utf8')).toBe(main);
  });
});
