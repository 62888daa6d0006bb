// The registry of the formal assessment: platform administrators accredit, change and suspend
// assessment bodies and register their assessors; enterprises read the bodies they may apply to;
// an assessor reads its own body and nothing of the administration, dashboard or designer.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { harness, enterpriseAgent, type Harness } from './harness.ts';
import { hashPassword } from '../../server/accounts/password.ts';
import { creditCodeFor } from '../../server/population.ts';

let h: Harness;
let platform: ReturnType<Harness['agent']>;
let wuxi: ReturnType<Harness['agent']>;
let author: ReturnType<Harness['agent']>;

const staff = async (username: string, role: 'platformAdmin' | 'regionAdmin' | 'rulesetAuthor', region?: string) => {
  await h.store.createAccount({ id: randomUUID(), username, passwordHash: await hashPassword('admin1234'), role, ...(region ? { region } : {}), createdAt: new Date().toISOString() });
  const agent = h.agent();
  await agent.post('/api/session').send({ username, password: 'admin1234' }).expect(200);
  return agent;
};

let serial = 0;
const newBody = (over: Record<string, unknown> = {}) => {
  serial += 1;
  return { name: `江苏智能制造评估中心${serial}`, creditCode: creditCodeFor(900_000 + serial, '320000'), regions: ['320000'], accreditation: { number: `CMMM-AB-${serial}`, validUntil: '2028-12-31' }, ...over };
};

const login = async (username: string, password: string) => {
  const agent = h.agent();
  await agent.post('/api/session').send({ username, password }).expect(200);
  return agent;
};

beforeAll(async () => {
  h = await harness();
  platform = await staff('ab-boss', 'platformAdmin');
  wuxi = await staff('ab-wuxi', 'regionAdmin', '320200');
  author = await staff('ab-author', 'rulesetAuthor');
});

describe('assessment bodies', () => {
  it('are accredited by platform administrators only, with the action in the audit log', async () => {
    const fields = newBody();
    for (const agent of [wuxi, author]) expect((await agent.post('/api/assessment-bodies').send(fields)).status).toBe(403);
    expect((await request(h.app).post('/api/assessment-bodies').send(fields)).status).toBe(401);
    const created = await platform.post('/api/assessment-bodies').send(fields).expect(201);
    expect(created.body).toMatchObject({ name: fields.name, creditCode: fields.creditCode, regions: ['320000'], accreditation: fields.accreditation, status: 'active', accepting: true });
    const audit = (await platform.get(`/api/audit?target=${created.body.id}`).expect(200)).body.items;
    expect(audit.map((e: { action: string }) => e.action)).toEqual(['assessmentBody.create']);
    // One body per credit code.
    const again = await platform.post('/api/assessment-bodies').send({ ...newBody(), creditCode: fields.creditCode });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'body_registered', field: '/creditCode' });
  });

  it('refuses bad input, naming the field, and keeps nothing', async () => {
    const before = (await platform.get('/api/assessment-bodies').expect(200)).body.length;
    const badCode = await platform.post('/api/assessment-bodies').send(newBody({ creditCode: '91320200MA1234567X' }));
    expect(badCode.status).toBe(400);
    expect(badCode.body.error.field).toBe('/creditCode');
    const badRegion = await platform.post('/api/assessment-bodies').send(newBody({ regions: ['999999'] }));
    expect(badRegion.status).toBe(400);
    expect(badRegion.body.error.field).toBe('/regions/0');
    const badDate = await platform.post('/api/assessment-bodies').send(newBody({ accreditation: { number: 'X', validUntil: 'next year' } }));
    expect(badDate.status).toBe(400);
    expect(badDate.body.error.field).toContain('/accreditation/validUntil');
    expect((await platform.get('/api/assessment-bodies').expect(200)).body).toHaveLength(before);
  });

  it('are suspended and changed by platform administrators; enterprises see only those accepting applications', async () => {
    const open = (await platform.post('/api/assessment-bodies').send(newBody()).expect(201)).body;
    const suspended = (await platform.post('/api/assessment-bodies').send(newBody()).expect(201)).body;
    const lapsed = (await platform.post('/api/assessment-bodies').send(newBody({ accreditation: { number: 'OLD-1', validUntil: '2025-01-01' } })).expect(201)).body;
    expect(lapsed.accepting).toBe(false);
    expect((await wuxi.put(`/api/assessment-bodies/${suspended.id}`).send({ status: 'suspended' })).status).toBe(403);
    const changed = await platform.put(`/api/assessment-bodies/${suspended.id}`).send({ status: 'suspended', name: '改名后的评估机构' }).expect(200);
    expect(changed.body).toMatchObject({ status: 'suspended', name: '改名后的评估机构', accepting: false });
    expect((await platform.put(`/api/assessment-bodies/${randomUUID()}`).send({ status: 'active' })).status).toBe(404);
    const audit = (await platform.get(`/api/audit?target=${suspended.id}`).expect(200)).body.items;
    expect(audit.map((e: { action: string }) => e.action)).toEqual(['assessmentBody.suspend', 'assessmentBody.create']);

    const firm = await enterpriseAgent(h);
    const seen = (await firm.agent.get('/api/assessment-bodies').expect(200)).body.map((b: { id: string }) => b.id);
    expect(seen).toContain(open.id);
    expect(seen).not.toContain(suspended.id);
    expect(seen).not.toContain(lapsed.id);
    for (const agent of [wuxi, author]) expect((await agent.get('/api/assessment-bodies')).status).toBe(403);
  });
});

describe('assessors', () => {
  it('are registered by platform administrators with their certificate number, affiliations and a temporary password', async () => {
    const body = (await platform.post('/api/assessment-bodies').send(newBody()).expect(201)).body;
    const affiliated = creditCodeFor(424_242, '320000');
    const fields = { username: 'assessor.lead', certificateNumber: 'CMMM-PG-0001', affiliations: [affiliated], bodyManager: true };
    expect((await wuxi.post(`/api/assessment-bodies/${body.id}/assessors`).send(fields)).status).toBe(403);
    const bad = await platform.post(`/api/assessment-bodies/${body.id}/assessors`).send({ ...fields, affiliations: ['not-a-code'] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('/affiliations/0');
    expect((await platform.post(`/api/assessment-bodies/${randomUUID()}/assessors`).send(fields)).status).toBe(404);
    const created = await platform.post(`/api/assessment-bodies/${body.id}/assessors`).send(fields).expect(201);
    expect(created.body.assessor).toMatchObject({ username: 'assessor.lead', bodyId: body.id, certificateNumber: 'CMMM-PG-0001', affiliations: [affiliated], bodyManager: true, disabled: false });
    expect(created.body.temporaryPassword).toMatch(/^[A-Za-z0-9]{12}$/);
    expect((await platform.post(`/api/assessment-bodies/${body.id}/assessors`).send(fields)).status).toBe(409);
    const member = (await platform.post(`/api/assessment-bodies/${body.id}/assessors`).send({ username: 'assessor.member', certificateNumber: 'CMMM-PG-0002' }).expect(201)).body;

    const audit = (await platform.get(`/api/audit?target=${created.body.assessor.id}`).expect(200)).body.items;
    expect(audit[0]).toMatchObject({ action: 'user.create' });
    // The temporary password is in no log entry.
    expect(JSON.stringify(audit)).not.toContain(created.body.temporaryPassword);

    // The manager logs in with it, sees its body and its staff; the member sees its body but not the staff list.
    const lead = await login('assessor.lead', created.body.temporaryPassword);
    const me = (await lead.get('/api/session').expect(200)).body;
    expect(me.user.role).toBe('assessor');
    expect((await lead.get('/api/assessment-bodies').expect(200)).body.map((b: { id: string }) => b.id)).toEqual([body.id]);
    expect((await lead.get(`/api/assessment-bodies/${body.id}/assessors`).expect(200)).body.map((a: { username: string }) => a.username)).toEqual(['assessor.lead', 'assessor.member']);
    const memberAgent = await login('assessor.member', member.temporaryPassword);
    expect((await memberAgent.get(`/api/assessment-bodies/${body.id}/assessors`)).status).toBe(403);
    const other = (await platform.post('/api/assessment-bodies').send(newBody()).expect(201)).body;
    expect((await lead.get(`/api/assessment-bodies/${other.id}/assessors`)).status).toBe(403);
  });

  it('get nothing of the administration, dashboard or designer APIs', async () => {
    const body = (await platform.post('/api/assessment-bodies').send(newBody()).expect(201)).body;
    const created = (await platform.post(`/api/assessment-bodies/${body.id}/assessors`).send({ username: 'assessor.nosy', certificateNumber: 'CMMM-PG-0099', bodyManager: true }).expect(201)).body;
    const nosy = await login('assessor.nosy', created.temporaryPassword);
    for (const path of ['/api/admin/users', '/api/dashboard', '/api/audit', '/api/support-requests', '/api/admin/enterprises', '/api/diagnoses']) {
      const res = await nosy.get(path);
      expect([403, 404], `${path}: ${res.status}`).toContain(res.status);
    }
    expect((await nosy.post('/api/rulesets').send({ document: {} })).status).toBe(403);
    expect((await nosy.post('/api/assessment-bodies').send(newBody())).status).toBe(403);
  });
});
