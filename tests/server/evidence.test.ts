// Evidence files (issue 16, step 3): the enterprise uploads files for the requirements of its
// accepted application within the ruleset's limits; a refused file leaves nothing behind (not even
// a temporary file); whoever may read the application lists and downloads them byte for byte, as
// an attachment; nobody else finds them. And an acknowledged upload survives kill -9.
import { createHash, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { once } from 'node:events';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { harness, enterpriseAgent, type Harness } from './harness.ts';
import { startServerProcess } from './serverProcess.ts';
import { backends } from './storeBackends.ts';
import { hashPassword } from '../../server/accounts/password.ts';
import { loadRulesetFile } from '../../cli/rulesetFiles.ts';
import { assessmentRequirements, type Assessment } from '../../engine/index.ts';
import { LowdbStore } from '../../server/store/lowdbStore.ts';
import type { AssessmentApplication } from '../../server/store/assessmentRecords.ts';
import type { Store } from '../../server/store/types.ts';

const cmmm = loadRulesetFile('rulesets/cmmm/gbt39116-2020.json');
const t = (zh: string, en = zh) => ({ zh, en });
const MAX_BYTES = 64 * 1024;

const scheme: Assessment = {
  title: t('正式评估申请', 'Application for a formal assessment'),
  targetLevels: [1, 2, 3, 4, 5],
  application: { fields: [{ id: 'contact', label: t('联系人', 'Contact'), kind: 'text', required: true, maxLength: 20 }], rules: [] },
  team: { minAssessors: 3, scoredBy: 2 },
  evidence: { maxBytes: MAX_BYTES, types: ['pdf', 'docx', 'jpg', 'png'], maxFiles: 2 },
  expertReview: true,
  certificate: { title: t('证书', 'Certificate'), numberPrefix: 'CMMM', validityMonths: 36, template: 'cmmm-certificate' },
};
const ruleset = { ...cmmm, id: 'cmmm-evidence', regions: ['320000'], assessment: scheme };

// Files that are what they say, and one that is not.
const pdf = (text = '证据') => Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.from(`1 0 obj << /Title (${text}) >> endobj\n`), Buffer.from([0, 0xff, 0x80, 0x7f]), Buffer.from('\n%%EOF\n')]);
const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
const html = Buffer.from('<html><script>alert(1)</script></html>');
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** Every file under the data directory's evidence/, temporary ones included. */
function evidenceFiles(dir: string): string[] {
  const root = join(dir, 'evidence');
  try {
    return readdirSync(root).flatMap((sub) => (statSync(join(root, sub)).isDirectory() ? readdirSync(join(root, sub)).map((n) => `${sub}/${n}`) : [sub]));
  } catch {
    return [];
  }
}

async function seedScheme(store: Store, at: string) {
  await store.putRuleset({ id: ruleset.id, version: ruleset.version, status: 'published', document: ruleset, regions: ['320000'], publishedAt: at });
  const body = { id: randomUUID(), name: '证据评估机构', creditCode: '91110000EVIDBODY01', accreditation: { number: 'AB-E1', validUntil: '2029-12-31' }, status: 'active' as const, createdAt: at };
  await store.createAssessmentBody(body);
  return body;
}

function application(enterprise: { id: string; regionPath: string[] }, bodyId: string, userId: string, status: AssessmentApplication['status'] = 'accepted'): AssessmentApplication {
  return { id: randomUUID(), enterpriseId: enterprise.id, bodyId, regions: enterprise.regionPath, rulesetId: ruleset.id, rulesetVersion: ruleset.version, targetLevel: 2, values: { contact: '张三' }, status, submittedBy: userId, createdAt: new Date().toISOString() };
}

const inScope = assessmentRequirements(ruleset, { targetLevel: 2, industryType: 'discrete', excluded: [] });
const requirement = inScope[0].id;
const other = inScope[1].id;
const outOfScope = cmmm.questions.find((q) => q.level === 4)!.id;

describe.each(backends)('evidence files over the API ($name store)', (backend) => {
  let h: Harness;
  let bodyId: string;
  const login = async (username: string, role: 'platformAdmin' | 'regionAdmin' | 'assessor', extra: Record<string, unknown> = {}) => {
    await h.store.createAccount({ id: randomUUID(), username, passwordHash: await hashPassword('pass12345'), role, createdAt: new Date().toISOString(), ...extra });
    const agent = h.agent();
    await agent.post('/api/session').send({ username, password: 'pass12345' }).expect(200);
    return agent;
  };
  /** An enterprise with an application to the body (accepted unless said). */
  const applicant = async (status: AssessmentApplication['status'] = 'accepted') => {
    const firm = await enterpriseAgent(h);
    const a = application(firm.enterprise, bodyId, firm.user.id, status);
    await h.store.createAssessmentApplication(a);
    return { ...firm, application: a };
  };
  const upload = (agent: ReturnType<Harness['agent']>, applicationId: string, content: Buffer, name: string, req = requirement, type = 'application/octet-stream') =>
    agent.post(`/api/assessment-applications/${applicationId}/evidence`).query({ requirement: req, name }).set('content-type', type).send(content);

  beforeAll(async () => {
    h = await harness(backend.name === 'postgres' ? { store: (await backend.create()).store } : {});
    bodyId = (await seedScheme(h.store, h.clock.now.toISOString())).id;
  });

  it('uploads, lists with the limits, and downloads byte for byte as an attachment under the original name; audits without content', async () => {
    const firm = await applicant();
    const content = pdf();
    const res = await upload(firm.agent, firm.application.id, content, 'C:\\文件\\质量 手册"v2".pdf').expect(201);
    expect(res.body).toMatchObject({ requirement, name: '质量 手册"v2".pdf', type: 'pdf', size: content.length, sha256: sha(content), uploadedBy: firm.user.id });
    const image = await upload(firm.agent, firm.application.id, png, 'photo.PNG', other, 'image/png').expect(201);
    expect(image.body.type).toBe('png');

    const list = (await firm.agent.get(`/api/assessment-applications/${firm.application.id}/evidence`).expect(200)).body;
    expect(list.limits).toEqual(scheme.evidence);
    expect(list.items.map((f: { id: string }) => f.id)).toEqual([res.body.id, image.body.id]);
    expect((await firm.agent.get(`/api/assessment-applications/${firm.application.id}/evidence?requirement=${other}`).expect(200)).body.items).toHaveLength(1);

    const down = await firm.agent.get(`/api/evidence/${res.body.id}/content`).buffer(true).parse((r, done) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => done(null, Buffer.concat(chunks)));
    });
    expect(down.status).toBe(200);
    expect(Buffer.compare(down.body as Buffer, content)).toBe(0);
    expect(down.headers['content-type']).toBe('application/pdf');
    expect(down.headers['x-content-type-options']).toBe('nosniff');
    expect(down.headers['content-disposition']).toBe(`attachment; filename="__ ___v2_.pdf"; filename*=UTF-8''${encodeURIComponent('质量 手册"v2".pdf')}`);

    const audit = (await h.store.queryAudit({ actionPrefix: 'evidence.upload', target: res.body.id }, { offset: 0, limit: 50 })).items[0];
    expect(audit).toMatchObject({ actor: firm.user.id, detail: { application: firm.application.id, requirement, size: content.length } });
    expect(JSON.stringify(audit)).not.toContain(content.toString('base64'));
  });

  it('refuses too big (as it streams), a wrong type, a fake PDF, an empty file and a JSON body, keeping nothing, not even a temporary file', async () => {
    const firm = await applicant();
    const before = evidenceFiles(h.dir);
    const big = Buffer.concat([pdf(), Buffer.alloc(MAX_BYTES)]);
    const tooBig = await upload(firm.agent, firm.application.id, big, 'big.pdf').expect(413);
    expect(tooBig.body.error).toMatchObject({ code: 'file_too_large' });
    expect(tooBig.body.error.message).toMatch(/[\u4e00-\u9fff]/);
    // Sent in chunks without a declared length: refused once it grows past the limit.
    const server = h.app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const login = await fetch(`${base}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: firm.fields.username, password: firm.fields.password }) });
      const cookie = login.headers.get('set-cookie')!.split(';')[0];
      const status = await new Promise<number>((resolve, reject) => {
        const req = httpRequest(`${base}/api/assessment-applications/${firm.application.id}/evidence?requirement=${requirement}&name=chunked.pdf`, { method: 'POST', headers: { cookie, 'content-type': 'application/octet-stream' } });
        req.on('response', (res) => {
          res.resume();
          resolve(res.statusCode!);
        });
        req.on('error', reject);
        for (let at = 0; at < big.length; at += 8192) req.write(big.subarray(at, at + 8192));
        req.end();
      });
      expect(status).toBe(413);
    } finally {
      server.close();
    }
    expect((await upload(firm.agent, firm.application.id, html, 'page.html').expect(400)).body.error).toMatchObject({ code: 'file_type', field: '/name' });
    expect((await upload(firm.agent, firm.application.id, html, 'fake.pdf').expect(400)).body.error).toMatchObject({ code: 'file_content' });
    expect((await upload(firm.agent, firm.application.id, html, 'fake.docx').expect(400)).body.error).toMatchObject({ code: 'file_content' });
    expect((await upload(firm.agent, firm.application.id, Buffer.alloc(0), 'empty.pdf').expect(400)).body.error).toMatchObject({ code: 'file_required' });
    await firm.agent.post(`/api/assessment-applications/${firm.application.id}/evidence`).query({ requirement, name: 'a.pdf' }).send({ file: 'x' }).expect(415);
    expect((await firm.agent.get(`/api/assessment-applications/${firm.application.id}/evidence`).expect(200)).body.items).toEqual([]);
    expect(evidenceFiles(h.dir)).toEqual(before);
  });

  it('refuses a file beyond maxFiles of a requirement, a requirement out of scope, and uploads before acceptance', async () => {
    const firm = await applicant();
    await upload(firm.agent, firm.application.id, pdf('1'), 'one.pdf').expect(201);
    await upload(firm.agent, firm.application.id, pdf('2'), 'two.pdf').expect(201);
    const before = evidenceFiles(h.dir);
    expect((await upload(firm.agent, firm.application.id, pdf('3'), 'three.pdf').expect(409)).body.error).toMatchObject({ code: 'too_many_files' });
    // Its content was new: it is not kept.
    expect(evidenceFiles(h.dir)).toEqual(before);
    expect((await upload(firm.agent, firm.application.id, pdf('4'), 'four.pdf', outOfScope).expect(400)).body.error).toMatchObject({ code: 'requirement_out_of_scope', field: '/requirement' });
    expect((await upload(firm.agent, firm.application.id, pdf('5'), 'five.pdf', 'no-such-question').expect(400)).body.error.code).toBe('requirement_out_of_scope');
    const waiting = await applicant('submitted');
    expect((await upload(waiting.agent, waiting.application.id, pdf(), 'early.pdf').expect(409)).body.error.code).toBe('application_not_accepted');
  });

  it("is read by the body's staff, region administrators and platform administrators; another enterprise and another body's staff find nothing", async () => {
    const firm = await applicant();
    const file = (await upload(firm.agent, firm.application.id, pdf('shared'), 'shared.pdf').expect(201)).body;
    const listPath = `/api/assessment-applications/${firm.application.id}/evidence`;
    const contentPath = `/api/evidence/${file.id}/content`;
    const staff = await login(`ev.staff.${randomUUID().slice(0, 6)}`, 'assessor', { bodyId });
    const region = await login(`ev.wuxi.${randomUUID().slice(0, 6)}`, 'regionAdmin', { region: '320200' });
    const platform = await login(`ev.admin.${randomUUID().slice(0, 6)}`, 'platformAdmin');
    for (const reader of [staff, region, platform]) {
      expect((await reader.get(listPath).expect(200)).body.items.map((f: { id: string }) => f.id)).toEqual([file.id]);
      await reader.get(contentPath).expect(200);
      // Reading is not changing.
      await reader.delete(`/api/evidence/${file.id}`).expect(403);
      await upload(reader, firm.application.id, pdf('x'), 'x.pdf').expect(403);
    }
    const stranger = await applicant();
    const otherStaff = await login(`ev.other.${randomUUID().slice(0, 6)}`, 'assessor', { bodyId: randomUUID() });
    const elsewhere = await login(`ev.zj.${randomUUID().slice(0, 6)}`, 'regionAdmin', { region: '330000' });
    for (const outsider of [stranger.agent, otherStaff, elsewhere]) {
      await outsider.get(listPath).expect(404);
      await outsider.get(contentPath).expect(404);
      await outsider.delete(`/api/evidence/${file.id}`).expect(404);
      await upload(outsider, firm.application.id, pdf('y'), 'y.pdf').expect(404);
    }
    await h.agent().get(contentPath).expect(401);
  });

  it('is removed by the enterprise while accepted, audited; its content goes with the last record naming it', async () => {
    const firm = await applicant();
    const content = pdf('removed');
    const file = (await upload(firm.agent, firm.application.id, content, 'gone.pdf').expect(201)).body;
    // On the embedded store the content is a file of the data directory (on PostgreSQL a row).
    if (backend.name === 'lowdb') expect(evidenceFiles(h.dir)).toContain(`${file.sha256.slice(0, 2)}/${file.sha256}`);
    await firm.agent.delete(`/api/evidence/${file.id}`).expect(204);
    await firm.agent.get(`/api/evidence/${file.id}/content`).expect(404);
    expect(evidenceFiles(h.dir)).not.toContain(`${file.sha256.slice(0, 2)}/${file.sha256}`);
    expect((await h.store.queryAudit({ actionPrefix: 'evidence.delete', target: file.id }, { offset: 0, limit: 50 })).total > 0).toBe(true);
    const kept = (await upload(firm.agent, firm.application.id, pdf('kept'), 'kept.pdf').expect(201)).body;
    await h.store.updateAssessmentApplication(firm.application.id, (a) => ({ ...a, status: 'withdrawn' }));
    expect((await firm.agent.delete(`/api/evidence/${kept.id}`).expect(409)).body.error.code).toBe('application_not_accepted');
  });
});

describe('the embedded store after a crash', () => {
  it('drops, when it opens, temporary files and content no record names, and keeps what records name', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ladder-evidence-'));
    const store = await LowdbStore.open(dir);
    const body = await seedScheme(store, new Date().toISOString());
    const a = application({ id: randomUUID(), regionPath: ['320000'] }, body.id, randomUUID());
    await store.createAssessmentApplication(a);
    const kept = pdf('kept');
    await store.addEvidence({ id: randomUUID(), applicationId: a.id, requirement, name: 'kept.pdf', type: 'pdf', size: kept.length, sha256: sha(kept), uploadedBy: randomUUID(), uploadedAt: new Date().toISOString() }, kept, { maxFiles: 2 });
    await store.close();
    // What a crash between the content and its record, or during a write, leaves.
    const orphan = pdf('orphan');
    mkdirSync(join(dir, 'evidence', sha(orphan).slice(0, 2)), { recursive: true });
    writeFileSync(join(dir, 'evidence', sha(orphan).slice(0, 2), sha(orphan)), orphan);
    writeFileSync(join(dir, 'evidence', sha(kept).slice(0, 2), `.${sha(kept)}.123.1.tmp`), 'half');
    const again = await LowdbStore.open(dir);
    try {
      expect(evidenceFiles(dir)).toEqual([`${sha(kept).slice(0, 2)}/${sha(kept)}`]);
    } finally {
      await again.close();
    }
  });
});

describe('an acknowledged upload', () => {
  it('survives kill -9 of the server right after its 201', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ladder-evidence-'));
    const store = await LowdbStore.open(dir);
    const body = await seedScheme(store, new Date().toISOString());
    const enterprise = { id: randomUUID(), name: '断电测试有限公司', creditCode: '91320200MAEVID0001', enterpriseType: 'production', industry: 'C35', industryType: 'discrete', sizeBand: '100-200', revenue: 5000, region: '320211', regionPath: ['320000', '320200', '320211'], createdAt: new Date().toISOString() };
    const user = { id: randomUUID(), username: 'ev.kill9', passwordHash: await hashPassword('pass12345'), role: 'enterprise' as const, enterpriseId: enterprise.id, createdAt: new Date().toISOString() };
    await store.createAccount(user, enterprise);
    const a = application(enterprise, body.id, user.id);
    await store.createAssessmentApplication(a);
    await store.close();

    const env = { LADDER_DATA_DIR: dir, LADDER_BUILD_UI: '0' };
    const content = Buffer.concat([pdf('kill -9'), Buffer.alloc(40_000, 7)]);
    const server = await startServerProcess({ env });
    let id: string;
    try {
      const login = await fetch(`${server.url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: user.username, password: 'pass12345' }) });
      expect(login.status).toBe(200);
      const cookie = login.headers.get('set-cookie')!.split(';')[0];
      const res = await fetch(`${server.url}/api/assessment-applications/${a.id}/evidence?requirement=${encodeURIComponent(requirement)}&name=${encodeURIComponent('断电.pdf')}`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/pdf' },
        body: content,
      });
      expect(res.status).toBe(201);
      id = ((await res.json()) as { id: string }).id;
      // At once, without any shutdown.
      await server.stop('SIGKILL');
    } finally {
      await server.stop('SIGKILL');
    }
    const again = await startServerProcess({ env });
    try {
      const login = await fetch(`${again.url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: user.username, password: 'pass12345' }) });
      const cookie = login.headers.get('set-cookie')!.split(';')[0];
      const down = await fetch(`${again.url}/api/evidence/${id}/content`, { headers: { cookie } });
      expect(down.status).toBe(200);
      expect(Buffer.compare(Buffer.from(await down.arrayBuffer()), content)).toBe(0);
      expect(down.headers.get('content-disposition')).toContain(`filename*=UTF-8''${encodeURIComponent('断电.pdf')}`);
    } finally {
      await again.stop('SIGKILL');
    }
  }, 120_000);
});
