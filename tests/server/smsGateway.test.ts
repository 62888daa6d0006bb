// Issue 15 §2: text messages through a province's SMS gateway, here a local HTTP server standing in
// for it. Signed messages, retries with backoff on timeouts, 5xx and 429 (never on other 4xx), and
// a gateway that fails: the person gets a 503 saying so, and nothing of the request is kept or
// counted, so that trying again once the gateway is back works. No code ever reaches a log.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHmac } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { HttpSmsSender, SmsDeliveryError } from '../../server/accounts/sms.ts';
import { generousLimits, type Limits } from '../../server/accounts/attemptLimits.ts';
import { enterpriseAgent, harness } from './harness.ts';

const SECRET = 'gateway-shared-secret';
const TIMEOUT_MS = 150;

/** What the gateway does with the next requests, in order; after the list runs out it accepts. */
type Behaviour = 'accept' | 'hang' | number;

interface Received {
  body: string;
  headers: IncomingMessage['headers'];
}

let server: Server;
let url: string;
let plan: Behaviour[] = [];
const received: Received[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      received.push({ body: Buffer.concat(chunks).toString('utf8'), headers: req.headers });
      const next = plan.shift() ?? 'accept';
      if (next === 'hang') return; // never answers: the sender's timeout ends the attempt
      res.writeHead(next === 'accept' ? 200 : next, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/sms`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

afterEach(() => {
  plan = [];
  received.length = 0;
});

const sender = (log: string[], options: { retries?: number } = {}) => new HttpSmsSender({ url, secret: SECRET, timeoutMs: TIMEOUT_MS, retries: options.retries ?? 2, backoffMs: 20, log: (l) => log.push(l) });
const codesIn = (r: Received[]) => r.map((x) => JSON.parse(x.body).text.match(/\d{6}/)![0] as string);

describe('the HTTP sender', () => {
  it('posts { id, mobile, text, sentAt } signed with an HMAC of the timestamp and the body', async () => {
    const log: string[] = [];
    await sender(log).send('13912345678', '【Ladder】验证码 483920');
    expect(received).toHaveLength(1);
    const [{ body, headers }] = received;
    const message = JSON.parse(body);
    expect(message).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), mobile: '13912345678', text: '【Ladder】验证码 483920', sentAt: expect.any(String) });
    expect(headers['content-type']).toBe('application/json');
    const timestamp = headers['x-ladder-timestamp'] as string;
    expect(Math.abs(Number(timestamp) - Date.now() / 1000)).toBeLessThan(5);
    // What a gateway does to check it: the same HMAC over what it received.
    expect(headers['x-ladder-signature']).toBe(`sha256=${createHmac('sha256', SECRET).update(`${timestamp}.${body}`).digest('hex')}`);
    expect(headers['x-ladder-signature']).not.toBe(`sha256=${createHmac('sha256', 'another-secret').update(`${timestamp}.${body}`).digest('hex')}`);
    expect(log.join('\n')).not.toMatch(/483920|13912345678|验证码/);
    expect(log).toEqual([expect.stringContaining('139****5678')]);
  });

  it('retries a 503 and a 429 with the same message id, and succeeds on the next 200', async () => {
    const log: string[] = [];
    plan = [503, 429];
    const started = Date.now();
    await sender(log).send('13912345678', 'code 102938');
    expect(received).toHaveLength(3);
    expect(new Set(received.map((r) => JSON.parse(r.body).id)).size).toBe(1);
    // Backoff 20 ms then 40 ms.
    expect(Date.now() - started).toBeGreaterThanOrEqual(60);
    expect(log.map((l) => l.replace(/^.*\((.*)\)$/, '$1'))).toEqual(['status 503, attempt 1/3', 'status 429, attempt 2/3', 'status 200, attempt 3/3']);
    expect(log.join('\n')).not.toMatch(/102938|13912345678/);
  });

  it('does not retry a 4xx: the gateway refused this message', async () => {
    plan = [400];
    const error = await sender([]).send('13912345678', 'code 555111').catch((e) => e);
    expect(error).toBeInstanceOf(SmsDeliveryError);
    expect(error.attempts).toBe(1);
    expect(received).toHaveLength(1);
  });

  it('abandons an attempt the gateway never answers, retries, and gives up after its retries within a bounded time', async () => {
    const log: string[] = [];
    plan = ['hang', 'hang'];
    const started = Date.now();
    const error = await sender(log, { retries: 1 }).send('13912345678', 'code 777333').catch((e) => e);
    const took = Date.now() - started;
    expect(error).toBeInstanceOf(SmsDeliveryError);
    expect(error.attempts).toBe(2);
    expect(String(error)).not.toMatch(/777333|13912345678/);
    expect(received).toHaveLength(2);
    expect(took).toBeGreaterThanOrEqual(2 * TIMEOUT_MS);
    expect(took).toBeLessThan(2 * TIMEOUT_MS + 1500);
    expect(log).toEqual([expect.stringContaining(`no answer within ${TIMEOUT_MS} ms, attempt 1/2`), expect.stringContaining(`no answer within ${TIMEOUT_MS} ms, attempt 2/2`)]);
  });

  it('retries a refused connection and reports a network error', async () => {
    const log: string[] = [];
    const closed = new HttpSmsSender({ url: 'http://127.0.0.1:1/sms', secret: SECRET, timeoutMs: TIMEOUT_MS, retries: 1, backoffMs: 10, log: (l) => log.push(l) });
    const error = await closed.send('13912345678', 'code 1').catch((e) => e);
    expect(error).toBeInstanceOf(SmsDeliveryError);
    expect(error.attempts).toBe(2);
    expect(log[0]).toMatch(/network error/);
  });
});

describe('the routes that send a text message, when the gateway fails', () => {
  const tight = (): Limits => {
    const l = generousLimits(1000);
    // One code per username and mobile in the window: a 503 that spent it would block the retry.
    l.resetCodesPerUser = { max: 1, windowMs: 3_600_000 };
    l.recoveriesPerCreditCode = { max: 1, windowMs: 3_600_000 };
    l.mobileCodesPerUser = { max: 1, windowMs: 3_600_000 };
    return l;
  };
  const setup = async () => {
    const log: string[] = [];
    const h = await harness({ limits: tight(), log: (l) => log.push(l), sms: sender(log, { retries: 1 }) });
    return { h, log };
  };

  it('answers a reset request 503 with the reason when the gateway never answers, keeps no code and counts nothing; a later request works with its new code', async () => {
    const { h, log } = await setup();
    const { fields, user } = await enterpriseAgent(h, { mobile: '13800001111' });
    const ask = () => request(h.app).post('/api/password-reset/request').send({ username: fields.username, mobile: '13800001111' });

    plan = ['hang', 'hang'];
    const failed = await ask();
    expect(failed.status).toBe(503);
    expect(failed.body.error).toMatchObject({ code: 'sms_unavailable', message: '短信发送失败，请稍后重试' });
    expect(failed.headers['retry-after']).toBeDefined();
    plan = [503, 503];
    const inEnglish = await ask().set('Accept-Language', 'en');
    expect(inEnglish.status).toBe(503);
    expect(inEnglish.body.error.message).toBe('the text message could not be sent, try again later');
    await h.ctx.background.settled();
    // No code was kept for the failed messages.
    expect(await h.store.consumeResetCode(user.id, () => true, 5, h.clock.now.toISOString())).toBe(false);

    // The gateway is back: the one code this username may ask for this hour was not spent by the failures.
    received.length = 0;
    const ok = await ask();
    expect(ok.status).toBe(202);
    await h.ctx.background.settled();
    const [code] = codesIn(received);
    expect((await ask()).status).toBe(429);

    const confirm = (c: string) => request(h.app).post('/api/password-reset/confirm').send({ username: fields.username, code: c, password: 'newpass123', passwordConfirm: 'newpass123' });
    expect((await confirm(code)).status).toBe(204);
    expect((await request(h.app).post('/api/session').send({ username: fields.username, password: 'newpass123' })).status).toBe(200);

    const logged = log.join('\n');
    expect(logged).not.toContain(code);
    expect(logged).not.toContain('13800001111');
    expect(logged).toContain('138****1111');
  });

  it('keeps an earlier reset code valid when a new request fails', async () => {
    const l = generousLimits(1000);
    const log: string[] = [];
    const h = await harness({ limits: l, log: (x) => log.push(x), sms: sender(log, { retries: 0 }) });
    const { fields } = await enterpriseAgent(h, { mobile: '13800002222' });
    const ask = () => request(h.app).post('/api/password-reset/request').send({ username: fields.username, mobile: '13800002222' });
    expect((await ask()).status).toBe(202);
    await h.ctx.background.settled();
    const [first] = codesIn(received);
    plan = [502];
    expect((await ask()).status).toBe(503);
    await h.ctx.background.settled();
    const confirmed = await request(h.app).post('/api/password-reset/confirm').send({ username: fields.username, code: first, password: 'newpass123', passwordConfirm: 'newpass123' });
    expect(confirmed.status).toBe(204);
  });

  it('answers a request matching no account the same way while the gateway is failing: a 503 tells nothing', async () => {
    const { h } = await setup();
    const { fields } = await enterpriseAgent(h, { mobile: '13800003333' });
    plan = [500, 500];
    expect((await request(h.app).post('/api/password-reset/request').send({ username: fields.username, mobile: '13800003333' })).status).toBe(503);
    const none = await request(h.app).post('/api/password-reset/request').send({ username: 'nobody-here', mobile: '13900000000' });
    expect(none.status).toBe(503);
    expect(none.body.error.code).toBe('sms_unavailable');
    // Nothing was sent for it.
    expect(received).toHaveLength(2);
  });

  it('answers a username recovery 503 and records nothing, then sends the username once the gateway is back', async () => {
    const { h } = await setup();
    const { fields } = await enterpriseAgent(h, { mobile: '13800004444' });
    const recover = () => request(h.app).post('/api/username-recovery').send({ enterpriseName: fields.enterpriseName, creditCode: fields.creditCode, mobile: '13800004444' });
    plan = ['hang', 'hang'];
    const failed = await recover();
    expect(failed.status).toBe(503);
    expect(failed.body.error.message).toBe('短信发送失败，请稍后重试');
    const requests = async () => {
      const out = [];
      for await (const r of h.store.exportRecords()) if (r.kind === 'supportRequest') out.push(r);
      return out;
    };
    expect(await requests()).toHaveLength(0);
    received.length = 0;
    expect((await recover()).status).toBe(202);
    expect(JSON.parse(received[0].body).text).toContain(fields.username);
    expect(await requests()).toHaveLength(1);
  });

  it('answers a new mobile\'s code 503 when the gateway fails, and the next request sends a code that confirms it', async () => {
    const { h, log } = await setup();
    const { agent } = await enterpriseAgent(h, { mobile: '13800005555' });
    plan = ['hang', 'hang'];
    const failed = await agent.post('/api/account/mobile').send({ mobile: '13700006666' });
    expect(failed.status).toBe(503);
    received.length = 0;
    expect((await agent.post('/api/account/mobile').send({ mobile: '13700006666' })).status).toBe(204);
    const [code] = codesIn(received);
    expect(JSON.parse(received[0].body).mobile).toBe('13700006666');
    const confirmed = await agent.post('/api/account/mobile/confirm').send({ mobile: '13700006666', code });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.user.mobile).toBe('13700006666');
    expect(log.join('\n')).not.toContain(code);
  });
});
