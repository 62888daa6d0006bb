// Issue 12 §8: what the browser is told (CSP, HSTS, no caching of personal data) and that no
// other site can make a logged-in browser change anything.
import { describe, expect, it } from 'vitest';
import request from 'supertest';
import { harness, enterpriseAgent } from './harness.ts';
import type { SmsSender } from '../../server/accounts/sms.ts';

async function answering() {
  const h = await harness();
  const { agent } = await enterpriseAgent(h);
  const diagnosis = (await agent.post('/api/diagnoses').send({}).expect(201)).body;
  await agent.post(`/api/diagnoses/${diagnosis.id}/tailoring`).send({ excluded: [] }).expect(200);
  return { h, agent, id: diagnosis.id as string };
}

describe('security headers', () => {
  it('runs only the platform\'s own scripts in the runtime, lets only the designer evaluate code, and frames nothing', async () => {
    const h = await harness();
    const runtime = (await request(h.app).get('/').expect(200)).headers['content-security-policy'];
    expect(runtime).toContain("script-src 'self';");
    expect(runtime).not.toContain('unsafe-eval');
    expect(runtime).toContain("frame-ancestors 'none'");
    expect(runtime).toContain("object-src 'none'");
    const designer = (await request(h.app).get('/designer/').expect(200)).headers['content-security-policy'];
    expect(designer).toContain("script-src 'self' 'unsafe-eval'");
    const api = await request(h.app).get('/api/reference').expect(200);
    expect(api.headers['content-security-policy']).toContain("script-src 'self';");
    expect(api.headers['x-content-type-options']).toBe('nosniff');
    expect(api.headers['strict-transport-security']).toBeUndefined();
  });

  it('sends HSTS behind HTTPS (LADDER_SECURE_COOKIES=1), with Secure cookies', async () => {
    const h = await harness();
    h.ctx.secureCookies = true;
    const { createApp } = await import('../../server/app.ts');
    const { app } = createApp(h.ctx);
    const res = await request(app).get('/api/reference').expect(200);
    expect(res.headers['strict-transport-security']).toMatch(/max-age=31536000/);
    expect(res.headers['content-security-policy']).toContain('upgrade-insecure-requests');
  });

  it('never lets personal data be cached, and caches hashed assets for good', async () => {
    const { agent, id } = await answering();
    for (const path of ['/api/session', `/api/diagnoses/${id}`, '/api/diagnoses']) expect((await agent.get(path).expect(200)).headers['cache-control'], path).toBe('no-store');
    const h = await harness();
    const index = await request(h.app).get('/').expect(200);
    expect(index.headers['cache-control']).toBe('no-cache');
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(index.text)![1];
    expect((await request(h.app).get(asset).expect(200)).headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });
});

describe('requests from another site', () => {
  it('refuses a cross-site form post to the bodyless level submit, and changes nothing', async () => {
    const { h, agent, id } = await answering();
    const before = await h.store.getDiagnosis(id);
    for (const headers of [
      { Origin: 'https://evil.example', 'Content-Type': 'application/x-www-form-urlencoded' },
      { 'Sec-Fetch-Site': 'cross-site' },
      { 'Sec-Fetch-Site': 'same-site', Origin: 'https://sub.example' },
      { Origin: 'null' },
    ]) {
      const res = await agent.post(`/api/diagnoses/${id}/levels/1/submit`).set(headers);
      expect(res.status, JSON.stringify(headers)).toBe(403);
      expect(res.body.error.code).toBe('cross_site');
    }
    const put = await agent.put(`/api/diagnoses/${id}/answers`).set('Origin', 'http://attacker.test').send({ answers: { 'L1-1.1.1': 'A' } });
    expect(put.status).toBe(403);
    expect(await h.store.getDiagnosis(id)).toEqual(before);
  });

  it('accepts the same page\'s requests, by Origin or Sec-Fetch-Site, and clients that send neither', async () => {
    const { agent, id } = await answering();
    const save = (headers: Record<string, string>) => agent.put(`/api/diagnoses/${id}/answers`).set(headers).send({ answers: { 'L1-1.1.1': 'B' } });
    expect((await save({ Origin: 'http://127.0.0.1', Host: '127.0.0.1', 'Sec-Fetch-Site': 'same-origin' })).status).toBe(200);
    expect((await save({ 'Sec-Fetch-Site': 'same-origin' })).status).toBe(200);
    expect((await save({})).status).toBe(200);
    // Reads are never refused for their origin (a link from elsewhere opens the page).
    expect((await agent.get(`/api/diagnoses/${id}`).set('Sec-Fetch-Site', 'cross-site')).status).toBe(200);
  });
});

describe('the reset request', () => {
  it("takes as long whether or not the account matched: a request matching nothing waits as the recent messages took", async () => {
    const h = await harness();
    const { fields } = await enterpriseAgent(h, { mobile: '13800009999' });
    const sent: string[] = [];
    // A gateway taking 300 ms to accept a message.
    const slow: SmsSender = { send: async (mobile) => void (await new Promise((r) => setTimeout(r, 300)), sent.push(mobile)) };
    h.ctx.sms = slow;
    const timed = async (mobile: string) => {
      const started = performance.now();
      const res = await request(h.app).post('/api/password-reset/request').send({ username: fields.username, mobile });
      return { res, ms: performance.now() - started };
    };
    const matched = await timed('13800009999');
    const unmatched = await timed('13800000000');
    expect([matched.res.status, unmatched.res.status]).toEqual([202, 202]);
    expect(matched.res.body).toEqual(unmatched.res.body);
    expect(matched.ms).toBeGreaterThanOrEqual(290);
    expect(unmatched.ms).toBeGreaterThanOrEqual(290);
    // Only the matching mobile got a message.
    expect(sent).toEqual(['13800009999']);
  });
});
