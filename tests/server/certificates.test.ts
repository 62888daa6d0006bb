// The certificate registry and its public lookup (信息查询): anyone finds a certificate by number,
// name or credit code and sees whether it is valid, expired, suspended or revoked; lookups are
// limited per address; only platform administrators register certificates and change their
// status, with reasons the public sees, each step audited; bad input is named.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { harness, enterpriseAgent, type Harness } from './harness.ts';
import { hashPassword } from '../../server/accounts/password.ts';
import { creditCodeFor } from '../../server/population.ts';
import { generousLimits } from '../../server/accounts/attemptLimits.ts';

let h: Harness;
let platform: ReturnType<Harness['agent']>;
let region: ReturnType<Harness['agent']>;
let ruleset: string;

const staff = async (username: string, role: 'platformAdmin' | 'regionAdmin', area?: string) => {
  await h.store.createAccount({ id: randomUUID(), username, passwordHash: await hashPassword('admin1234'), role, ...(area ? { region: area } : {}), createdAt: new Date().toISOString() });
  const agent = h.agent();
  await agent.post('/api/session').send({ username, password: 'admin1234' }).expect(200);
  return agent;
};

const registration = (over: Record<string, unknown> = {}) => ({
  number: 'CMMM-2025-00042',
  enterpriseName: '无锡精工装备有限公司',
  creditCode: creditCodeFor(42),
  ruleset,
  level: 3,
  scope: '人员、技术、资源、制造（设计、生产、物流、销售、服务）',
  body: '示例智能制造评估中心',
  issuedAt: '2025-03-15',
  validUntil: '2028-03-14',
  ...over,
});

const lookup = (query: string) => request(h.app).get(`/api/certificate-lookup?${query}`);

beforeAll(async () => {
  h = await harness({ limits: { ...generousLimits(1000), certificateLookupsPerAddress: { max: 12, windowMs: 60_000 } } });
  h.clock.now = new Date('2026-12-01T09:00:00+08:00');
  platform = await staff('cert-boss', 'platformAdmin');
  region = await staff('cert-js', 'regionAdmin', '320000');
  const national = (await request(h.app).get('/api/rulesets').expect(200)).body.find((r: { id: string; status: string; regions: string[] }) => r.id === 'cmmm-gbt39116' && r.status === 'published' && !r.regions.length);
  ruleset = `${national.id}@${national.version}`;
});

describe('the certificate registry', () => {
  it('registers a certificate issued before the platform, naming its level as the standard does', async () => {
    const res = await platform.post('/api/certificates').send(registration());
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ number: 'CMMM-2025-00042', level: 3, levelName: '三级（集成级）', standard: 'GB/T 39116-2020; GB/T 39117-2020', status: 'valid', statusText: '有效', validUntil: '2028-03-14' });
    const again = await platform.post('/api/certificates').send(registration({ enterpriseName: '另一家' }));
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'certificate_number_taken', field: '/number' });
  });

  it('names each bad field and why', async () => {
    const bad = async (over: Record<string, unknown>, field: string) => {
      const res = await platform.post('/api/certificates').send(registration({ number: `CMMM-2025-${randomUUID().slice(0, 5)}`, ...over }));
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.body.error.field).toBe(field);
      return res.body.error.message as string;
    };
    expect(await bad({ creditCode: '91320200MA00000000' }, '/creditCode')).toContain('统一社会信用代码无效');
    expect(await bad({ ruleset: 'nothing@1.0.0' }, '/ruleset')).toContain('nothing@1.0.0');
    expect(await bad({ level: 9 }, '/level')).toContain('没有等级 9');
    expect(await bad({ issuedAt: '2025-02-30' }, '/issuedAt')).toContain('不存在');
    expect(await bad({ validUntil: '2025-03-01' }, '/validUntil')).toContain('晚于发证日期');
  });

  it('is for platform administrators: a region administrator, an enterprise and anyone logged out are refused', async () => {
    expect((await region.post('/api/certificates').send(registration({ number: 'CMMM-2025-00777' }))).status).toBe(403);
    const firm = await enterpriseAgent(h, { region: '320200' });
    expect((await firm.agent.post('/api/certificates').send(registration({ number: 'CMMM-2025-00778' }))).status).toBe(403);
    expect((await request(h.app).post('/api/certificates').send(registration({ number: 'CMMM-2025-00779' }))).status).toBe(401);
    expect((await region.put('/api/certificates/CMMM-2025-00042/status').send({ status: 'revoked', reason: '越权撤销' })).status).toBe(403);
    expect((await lookup('number=CMMM-2025-00777')).body.items).toEqual([]);
  });
});

describe('the public lookup', () => {
  it('finds a certificate by number in any case, by part of the name or by the whole credit code, without an account', async () => {
    const byNumber = await lookup('number=cmmm-2025-00042').expect(200);
    expect(byNumber.body.items).toHaveLength(1);
    expect(byNumber.body.items[0]).toMatchObject({ enterpriseName: '无锡精工装备有限公司', body: '示例智能制造评估中心', status: 'valid' });
    expect((await lookup(`q=${encodeURIComponent('精工装备')}`).expect(200)).body.items).toHaveLength(1);
    expect((await lookup(`q=${creditCodeFor(42)}`).expect(200)).body.items).toHaveLength(1);
    expect((await lookup(`q=${creditCodeFor(42).slice(0, 12)}`).expect(200)).body.items).toEqual([]);
    const en = await lookup('number=CMMM-2025-00042').set('Accept-Language', 'en').expect(200);
    expect(en.body.items[0].statusText).toBe('valid');
  });

  it('says what is missing: neither number nor name, or a name too short to search by', async () => {
    const none = await lookup('').expect(400);
    expect(none.body.error.message).toContain('请输入证书编号');
    const short = await lookup(`q=${encodeURIComponent('精')}`).expect(400);
    expect(short.body.error.field).toBe('/q');
  });

  it('shows a suspended, reinstated, expired and revoked certificate as such, with the reason, each change audited', async () => {
    await platform.put('/api/certificates/CMMM-2025-00042/status').send({ status: 'suspended', reason: '监督检查发现问题，暂停使用' }).expect(200);
    expect((await lookup('number=CMMM-2025-00042')).body.items[0]).toMatchObject({ status: 'suspended', statusText: '已暂停', statusReason: '监督检查发现问题，暂停使用' });
    await platform.put('/api/certificates/CMMM-2025-00042/status').send({ status: 'valid', reason: '整改完成，恢复有效' }).expect(200);
    expect((await lookup('number=CMMM-2025-00042')).body.items[0]).toMatchObject({ status: 'valid', statusReason: '整改完成，恢复有效' });
    // The day after its last valid day, in the ruleset's time zone (UTC+8), it has expired.
    h.clock.now = new Date('2028-03-14T15:59:00Z');
    expect((await lookup('number=CMMM-2025-00042')).body.items[0].status).toBe('valid');
    h.clock.now = new Date('2028-03-14T16:01:00Z');
    expect((await lookup('number=CMMM-2025-00042')).body.items[0]).toMatchObject({ status: 'expired', statusText: '已过期' });
    h.clock.now = new Date('2026-12-02T09:00:00+08:00');
    await platform.put('/api/certificates/CMMM-2025-00042/status').send({ status: 'revoked', reason: '以不正当手段取得' }).expect(200);
    expect((await lookup('number=CMMM-2025-00042')).body.items[0]).toMatchObject({ status: 'revoked', statusText: '已撤销' });
    const after = await platform.put('/api/certificates/CMMM-2025-00042/status').send({ status: 'valid', reason: '恢复' });
    expect(after.status).toBe(409);
    expect((await lookup('number=CMMM-2025-00042')).body.items[0].status).toBe('revoked');
    expect((await platform.put('/api/certificates/CMMM-9999-00001/status').send({ status: 'revoked', reason: '不存在' })).status).toBe(404);
    const audit = (await platform.get('/api/audit?action=certificate').expect(200)).body.items.map((e: { action: string }) => e.action);
    expect(audit).toEqual(['certificate.revoke', 'certificate.reinstate', 'certificate.suspend', 'certificate.register']);
  });

  it('is limited per address: a scraper is refused with 429 and Retry-After', async () => {
    let refused: request.Response | undefined;
    for (let i = 0; i < 20 && !refused; i++) {
      const res = await lookup(`number=CMMM-2025-${String(i).padStart(5, '0')}`);
      if (res.status === 429) refused = res;
    }
    expect(refused?.headers['retry-after']).toBeDefined();
    expect(refused?.body.error.code).toBe('rate_limited');
  });
});
