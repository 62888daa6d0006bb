// Moving a platform between the embedded store and PostgreSQL with the command line, as an
// operator would: `ladder export`, `ladder import`, `ladder migrate`.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { enterpriseAgent, harness } from './harness.ts';
import { generatePopulation } from '../../server/population.ts';
import { PostgresStore } from '../../server/store/postgres/store.ts';
import { freshDatabase } from '../postgresCluster.ts';

const ladder = (...args: string[]) => {
  const r = spawnSync(process.execPath, ['bin/ladder.js', ...args], { encoding: 'utf8', env: { ...process.env, DATABASE_URL: '' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};
const work = mkdtempSync(join(tmpdir(), 'ladder-transfer-'));
/** The records of an export, without its header (which carries the time of the export). */
const records = (file: string) => readFileSync(file, 'utf8').split('\n').slice(1);

let source: string;

beforeAll(async () => {
  // A platform in use: enterprises with finished and unfinished diagnoses, a logged-in user with
  // answers saved, a park and its liaisons, audit entries.
  const h = await harness();
  await generatePopulation(h.ctx, { count: 25, prefix: 'firm', password: 'transfer-2026', inProgress: true, finished: 2 });
  const { agent, enterprise: applicant, user: applicantUser } = await enterpriseAgent(h);
  const id = (await agent.post('/api/diagnoses').send({}).expect(201)).body.id;
  const { revision } = (await agent.post(`/api/diagnoses/${id}/tailoring`).send({ excluded: [] }).expect(200)).body;
  await agent.put(`/api/diagnoses/${id}/answers`).send({ answers: { 'L1-1.1.1': 'B', 'L1-1.1.2': 'C' }, revision }).expect(200);
  await h.ctx.store.putSetting('regions', { sequence: 1, custom: [{ code: '320200P1', kind: 'park', parent: '320200', name: { zh: '无锡园区' } }], profiles: { '320200P1': { liaisons: [{ name: '王工', post: '科长', mobile: '13900000000' }] } }, revision: 1 });
  // An evidence file of an accepted application: its bytes travel in the export (one with every byte value).
  await h.store.createAssessmentBody({ id: 'transfer-body', name: '迁移评估机构', creditCode: '91110000TRANSFER01', accreditation: { number: 'AB-T', validUntil: '2029-12-31' }, status: 'active', createdAt: h.clock.now.toISOString() });
  await h.store.createAssessmentApplication({ id: 'transfer-application', enterpriseId: applicant.id, bodyId: 'transfer-body', regions: applicant.regionPath, rulesetId: 'cmmm', rulesetVersion: '1.0.0', targetLevel: 2, values: {}, status: 'accepted', submittedBy: applicantUser.id, createdAt: h.clock.now.toISOString() });
  const content = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.from(Array.from({ length: 256 }, (_, i) => i))]);
  await h.store.addEvidence({ id: 'transfer-evidence', applicationId: 'transfer-application', requirement: 'L1-1.1.1', name: '迁移证据.pdf', type: 'pdf', size: content.length, sha256: createHash('sha256').update(content).digest('hex'), uploadedBy: applicantUser.id, uploadedAt: h.clock.now.toISOString() }, content, { maxFiles: 5 });
  await h.store.close();
  source = h.dir;
});

describe('ladder export / import', () => {
  it('moves everything from lowdb to PostgreSQL and back, each export equal to the first', async () => {
    const first = join(work, 'first.jsonl');
    const exported = ladder('export', '--data-dir', source, '--out', first);
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stderr).toMatch(/user 2[67], enterprise 26, session 1, ruleset \d+, diagnosis 7\d, setting \d+, audit \d+/);

    const url = await freshDatabase(inject('postgresUrl'));
    const imported = ladder('import', first, '--database-url', url);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stderr).toContain('已导入 imported into');
    const second = join(work, 'second.jsonl');
    expect(ladder('export', '--database-url', url, '--out', second).code).toBe(0);
    expect(records(second)).toEqual(records(first));

    const back = join(work, 'back');
    expect(ladder('import', second, '--data-dir', back).code).toBe(0);
    const third = join(work, 'third.jsonl');
    expect(ladder('export', '--data-dir', back, '--out', third).code).toBe(0);
    expect(records(third)).toEqual(records(first));

    // The imported database serves: the user's session and saved answers are there.
    const store = await PostgresStore.open(url);
    try {
      const session = records(first).map((l) => l && JSON.parse(l)).find((r) => r?.kind === 'session').session;
      const user = (await store.sessionUser(session.id, new Date(Date.parse(session.createdAt) + 1000).toISOString()))?.user;
      expect(user?.role).toBe('enterprise');
      const [diagnosis] = await store.listDiagnoses(user!.enterpriseId!);
      expect((await store.getDiagnosis(diagnosis.id))!.answers).toEqual({ 'L1-1.1.1': 'B', 'L1-1.1.2': 'C' });
      // And the evidence file's bytes.
      const evidence = await store.evidenceContent('transfer-evidence');
      expect(evidence && createHash('sha256').update(evidence).digest('hex')).toBe((await store.getEvidence('transfer-evidence'))!.sha256);
    } finally {
      await store.close();
    }
  });

  it('refuses a store that is not empty, a file that is not an export, and a bad line, changing nothing', async () => {
    const dump = join(work, 'dump.jsonl');
    expect(ladder('export', '--data-dir', source, '--out', dump).code).toBe(0);
    const url = await freshDatabase(inject('postgresUrl'));
    expect(ladder('import', dump, '--database-url', url).code).toBe(0);
    const again = ladder('import', dump, '--database-url', url);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('目标存储不是空的');

    const notExport = join(work, 'not-export.jsonl');
    writeFileSync(notExport, '{"users":[]}\n');
    const refused = ladder('import', notExport, '--data-dir', join(work, 'empty1'));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('不是 Ladder 导出文件');

    // A broken line near the end: on PostgreSQL the records read before it are not kept either.
    const lines = readFileSync(dump, 'utf8').split('\n');
    const broken = join(work, 'broken.jsonl');
    writeFileSync(broken, [...lines.slice(0, -3), '{"kind":"diagnosis"}', ...lines.slice(-3)].join('\n'));
    const fresh = await freshDatabase(inject('postgresUrl'));
    const bad = ladder('import', broken, '--database-url', fresh);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(new RegExp(`第 ${lines.length - 2} 行：diagnosis 记录缺少 diagnosis`));
    const store = await PostgresStore.open(fresh);
    try {
      expect(await store.countUsers()).toBe(0);
      expect(await store.listRulesets()).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it('refuses a data directory a running server holds', async () => {
    const h = await harness();
    try {
      // The harness store is open in this process; the command runs in another.
      const r = ladder('export', '--data-dir', h.dir);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('正由进程');
    } finally {
      await h.store.close();
    }
  });
});

describe('ladder migrate', () => {
  it('creates the schema a server started with LADDER_MIGRATE=0 requires', async () => {
    const url = await freshDatabase(inject('postgresUrl'));
    await expect(PostgresStore.open(url, { migrate: false })).rejects.toThrow(/npx ladder migrate/);
    const first = ladder('migrate', '--database-url', url);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toContain('applied migrations 1');
    expect(ladder('migrate', '--database-url', url).stderr).toContain('up to date');
    const store = await PostgresStore.open(url, { migrate: false });
    await store.close();
    expect(ladder('migrate').stderr).toContain('migrate 需要 DATABASE_URL');
  });
});
