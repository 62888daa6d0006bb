// Evidence uploads (issue 16): MB/s of acknowledged evidence files through the API, on the
// embedded store (each file fsynced, then its directory, then the record) and on PostgreSQL (the
// bytes in the database, one transaction per file, fsync on), 4 clients uploading 1 MiB files.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadRulesetFile } from '../cli/rulesetFiles.ts';
import { assessmentRequirements } from '../engine/index.ts';
import { hashPassword } from '../server/accounts/password.ts';
import { LowdbStore } from '../server/store/lowdbStore.ts';
import { PostgresStore } from '../server/store/postgres/store.ts';
import type { Store } from '../server/store/types.ts';
import { freshDatabase, startPostgres } from '../tests/postgresCluster.ts';
import { startServer, stopServer } from './serverProcess.ts';

const FILE_BYTES = 1024 * 1024;
const FILES = 96;
const CLIENTS = 4;
const t = (zh: string) => ({ zh, en: zh });

const cmmm = loadRulesetFile('rulesets/cmmm/gbt39116-2020.json');
const ruleset = {
  ...cmmm,
  id: 'cmmm-bench-evidence',
  regions: ['320000'],
  assessment: {
    title: t('正式评估'),
    targetLevels: [1, 2, 3, 4, 5],
    application: { fields: [], rules: [] },
    team: { minAssessors: 3, scoredBy: 2 },
    evidence: { maxBytes: 8 * 1024 * 1024, types: ['pdf'], maxFiles: 10 },
    expertReview: true,
    certificate: { title: t('证书'), numberPrefix: 'CMMM', validityMonths: 36, template: 'cmmm-certificate' },
  },
};

/** An enterprise with an accepted application, and its user's credentials. */
async function seed(store: Store) {
  const at = new Date().toISOString();
  await store.putRuleset({ id: ruleset.id, version: ruleset.version, status: 'published', document: ruleset, regions: ['320000'], publishedAt: at });
  const bodyId = randomUUID();
  await store.createAssessmentBody({ id: bodyId, name: '基准评估机构', creditCode: '91110000BENCHEVI01', accreditation: { number: 'AB-B', validUntil: '2099-12-31' }, status: 'active', createdAt: at });
  const enterprise = { id: randomUUID(), name: '基准证据有限公司', creditCode: '91320200MABENCH001', enterpriseType: 'production', industry: 'C35', industryType: 'discrete', sizeBand: '100-200', revenue: 5000, region: '320211', regionPath: ['320000', '320200', '320211'], createdAt: at };
  const user = { id: randomUUID(), username: 'bench.evidence', passwordHash: await hashPassword('bench-evidence-1'), role: 'enterprise' as const, enterpriseId: enterprise.id, createdAt: at };
  await store.createAccount(user, enterprise);
  const applicationId = randomUUID();
  await store.createAssessmentApplication({ id: applicationId, enterpriseId: enterprise.id, bodyId, regions: enterprise.regionPath, rulesetId: ruleset.id, rulesetVersion: ruleset.version, targetLevel: 2, values: {}, status: 'accepted', submittedBy: user.id, createdAt: at });
  await store.close();
  return { applicationId, username: user.username, password: 'bench-evidence-1' };
}

async function uploads(port: number, s: Awaited<ReturnType<typeof seed>>) {
  const base = `http://127.0.0.1:${port}`;
  const login = await fetch(`${base}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: s.username, password: s.password }) });
  if (login.status !== 200) throw new Error(`bench login: ${login.status}`);
  const cookie = login.headers.get('set-cookie')!.split(';')[0];
  const requirements = assessmentRequirements(ruleset, { targetLevel: 2, industryType: 'discrete', excluded: [] }).map((q) => q.id);
  let next = 0;
  let failed = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      for (let n = next++; n < FILES; n = next++) {
        // Every file different (none deduplicated), each a PDF by its signature.
        const file = Buffer.alloc(FILE_BYTES, n % 251);
        file.write(`%PDF-1.7\n${randomUUID()}\n`);
        const res = await fetch(`${base}/api/assessment-applications/${s.applicationId}/evidence?requirement=${encodeURIComponent(requirements[n % requirements.length])}&name=bench-${n}.pdf`, {
          method: 'POST',
          headers: { cookie, 'content-type': 'application/pdf' },
          body: file,
        });
        await res.arrayBuffer();
        if (res.status !== 201) failed += 1;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { mbps: (FILES * FILE_BYTES) / 1024 / 1024 / seconds, failed };
}

export async function benchEvidence(): Promise<string[]> {
  console.log(`\nEvidence uploads — ${FILES} files of ${FILE_BYTES / 1024 / 1024} MiB, ${CLIENTS} clients, acknowledged (durable) uploads, loopback`);
  const failures: string[] = [];
  const report = (label: string, r: { mbps: number; failed: number }) => {
    console.log(`  ${label.padEnd(34)} ${r.mbps.toFixed(1).padStart(6)} MB/s, refused ${r.failed}`);
    if (r.failed) failures.push(`evidence uploads (${label}): ${r.failed} not acknowledged`);
  };

  const dir = mkdtempSync(join(tmpdir(), 'ladder-bench-evidence-'));
  try {
    const s = await seed(await LowdbStore.open(dir));
    const server = await startServer(dir, 3931);
    try {
      report('embedded store (lowdb)', await uploads(3931, s));
    } finally {
      await stopServer(server);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const cluster = await startPostgres({ durable: true });
  const pgDir = mkdtempSync(join(tmpdir(), 'ladder-bench-evidence-'));
  try {
    const url = await freshDatabase(cluster.url, 'ladder_bench_evidence');
    const s = await seed(await PostgresStore.open(url));
    const server = await startServer(pgDir, 3932, { DATABASE_URL: url });
    try {
      report('PostgreSQL, one instance', await uploads(3932, s));
    } finally {
      await stopServer(server);
    }
  } finally {
    rmSync(pgDir, { recursive: true, force: true });
    await cluster.stop();
  }
  return failures;
}
