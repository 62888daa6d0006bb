// One result, told the same way everywhere (issue 13): for each bundled ruleset (and a small one
// whose X is exactly 0.7955 or 0.8) and fixed answers, the level, S, X per level as shown, the
// profile and its groups appear alike in /result, the HTML report, the dashboard's averages and
// `ladder score`. (The runtime's result page renders /result as it is: tests/browser.)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { answerScoring, buildForm, indexRuleset, score, type AnswerValue, type ResultView, type Ruleset } from '../../engine/index.ts';
import { loadRulesetFile } from '../../cli/rulesetFiles.ts';
import { hashPassword } from '../../server/accounts/password.ts';
import { creditCodeFor } from '../../server/population.ts';
import type { Diagnosis, Enterprise } from '../../server/store/types.ts';
import { q, smallRuleset } from '../fixtures/small.ts';
import { harness, type Harness } from './harness.ts';

let h: Harness;
/** Each case's diagnosis and a logged-in agent of its enterprise, for the PDF below. */
const done = new Map<number, { id: string; agent: ReturnType<Harness['agent']>; view: ResultView }>();
let admin: Awaited<ReturnType<Harness['agent']>>;
const dir = mkdtempSync(join(tmpdir(), 'ladder-consistency-'));
const FINISHED = '2026-11-28T19:20:00.000Z'; // 03:20 on 29 November in Beijing

/** A ruleset scoring each level by one number question, so that an answer sets X exactly. */
function exact(x1: number, x2: number): Ruleset {
  const r = smallRuleset();
  r.id = `exact-${String(x1).replace('.', '_')}`;
  r.status = 'published';
  r.questions = [1, 2].map((level) => ({ ...q(`L${level}-x`, 'strategy', level), kind: 'number' as const, options: undefined, min: 0, max: 1, scoreBands: [{ min: 0, max: 2, score: level === 1 ? x1 : x2 }] }));
  r.levels.forEach((l) => (l.subDomains = ['strategy']));
  // Every section of the report, as the bundled rulesets show.
  r.report = { template: 'cmmm-report', sections: ['cover', 'summary', 'levels', 'radar', 'heatmap', 'strengths', 'gap', 'tailoring', 'indicators', 'policies', 'trend', 'method'] };
  return r;
}

/** Every applicable question answered with the option its scale score names, level by level. */
function answeredAt(r: Ruleset, scores: number[], industryType: string): { answers: Record<string, AnswerValue>; levels: number[] } {
  const index = indexRuleset(r);
  const answers: Record<string, AnswerValue> = {};
  const levels: number[] = [];
  scores.forEach((s, i) => {
    const level = [...r.levels].sort((a, b) => a.number - b.number)[i].number;
    levels.push(level);
    for (const id of buildForm(r, { level, industryType }).questionIds) {
      const a = answerScoring(index.questionById.get(id)!.question, s);
      if (a !== undefined) answers[id] = a;
    }
  });
  return { answers, levels };
}

interface Case {
  name: string;
  ruleset: Ruleset;
  region: string;
  industryType: string;
  answers: Record<string, AnswerValue>;
  levels: number[];
}

const cmmm = loadRulesetFile('rulesets/cmmm/gbt39116-2020.json');
const draft = loadRulesetFile('rulesets/cmmm-2024-draft/wd2024005768.json');
const guizhou = loadRulesetFile('rulesets/cmmm/variants/guizhou.json');
const shanghai = loadRulesetFile('rulesets/cmmm/variants/shanghai.json');
const example = JSON.parse(spawnSync('cat', ['rulesets/cmmm/examples/answers-level2.json'], { encoding: 'utf8' }).stdout);

const cases: Case[] = [
  { name: 'CMMM 2020, the example reaching level 2', ruleset: cmmm, region: '320200', industryType: 'discrete', answers: example.answers, levels: [1, 2, 3] },
  { name: 'CMMM 2020, every level fully met', ruleset: cmmm, region: '320200', industryType: 'discrete', ...answeredAt(cmmm, [1, 1, 1, 1, 1], 'discrete') },
  { name: 'Guizhou, levels 1–3 fully met, level 4 half', ruleset: guizhou, region: '520100', industryType: 'discrete', ...answeredAt(guizhou, [1, 1, 1, 0.5], 'discrete') },
  { name: 'Shanghai, level 1 mostly met, level 2 half', ruleset: shanghai, region: '310101', industryType: 'discrete', ...answeredAt(shanghai, [0.8, 0.5], 'discrete') },
  { name: 'the 2024 draft, level 1 fully met, level 2 mostly', ruleset: draft, region: '320200', industryType: draft.industryTypes[0].id, ...answeredAt(draft, [1, 0.8], draft.industryTypes[0].id) },
  { name: 'X₁ exactly 0.7955', ruleset: exact(0.7955, 0), region: '320200', industryType: 'discrete', answers: { 'L1-x': 1 }, levels: [1] },
  { name: 'X₁ exactly 0.8, X₂ 0.9999', ruleset: exact(0.8, 0.9999), region: '320200', industryType: 'discrete', answers: { 'L1-x': 1, 'L2-x': 1 }, levels: [1, 2] },
];

const field = (html: string, name: string, from = 0) => {
  const at = html.indexOf(`data-field="${name}"`, from);
  return at < 0 ? undefined : html.slice(html.indexOf('>', at) + 1, html.indexOf('<', at + 1)).trim();
};

beforeAll(async () => {
  h = await harness();
  await h.store.createAccount({ id: 'consistency-admin', username: 'consistency-admin', passwordHash: await hashPassword('admin1234'), role: 'platformAdmin', createdAt: FINISHED });
  admin = h.agent();
  await admin.post('/api/session').send({ username: 'consistency-admin', password: 'admin1234' }).expect(200);
  for (const c of cases) if (!(await h.store.getRuleset(c.ruleset.id, c.ruleset.version))) await h.store.putRuleset({ id: c.ruleset.id, version: c.ruleset.version, status: 'published', document: c.ruleset, regions: [] });
});

describe('one result, told the same way everywhere', () => {
  it.each(cases.map((c, i) => [c.name, i] as const))('%s', async (_, i) => {
    const c = cases[i];
    const r = c.ruleset;
    // The enterprise and its finished diagnosis, as the flow leaves them.
    const enterprise: Enterprise = {
      id: randomUUID(),
      name: `一致性测试企业${i}`,
      creditCode: creditCodeFor(900_000 + i, c.region.slice(0, 2) + '0000'),
      enterpriseType: 'production',
      industry: 'C35',
      industryType: c.industryType,
      sizeBand: '100-200',
      revenue: 1000,
      region: c.region,
      regionPath: h.ctx.reference.regionPath(c.region)!,
      createdAt: FINISHED,
    };
    const username = `consistency${i}`;
    const user = { id: randomUUID(), username, passwordHash: await hashPassword('secret123'), role: 'enterprise' as const, enterpriseId: enterprise.id, createdAt: FINISHED };
    const result = score(r, { industryType: c.industryType, answers: c.answers, levels: c.levels }, 'nodes');
    const diagnosis: Diagnosis = {
      id: randomUUID(),
      enterpriseId: enterprise.id,
      userId: user.id,
      rulesetId: r.id,
      rulesetVersion: r.version,
      status: 'finished',
      state: { phase: { phase: 'finished' }, excluded: [], submitted: c.levels },
      answers: c.answers,
      indicators: {},
      levelResults: [],
      result,
      revision: 1,
      startedAt: FINISHED,
      finishedAt: FINISHED,
      updatedAt: FINISHED,
    };
    await h.store.importRecords({ users: [user], enterprises: [enterprise], diagnoses: [diagnosis] });
    const agent = h.agent();
    await agent.post('/api/session').send({ username, password: 'secret123' }).expect(200);

    // /result
    const view: ResultView = (await agent.get(`/api/diagnoses/${diagnosis.id}/result`).expect(200)).body;
    expect(view.finishedAt?.date).toBe('2026-11-29');
    for (const l of view.levels) if (l.score) expect(l.outcome === 'reached', `${l.name} ${l.score.text} ≥ ${l.threshold.text}`).toBe(Number(l.score.text) >= Number(l.threshold.text));

    // The HTML report
    const html = (await agent.get(`/api/diagnoses/${diagnosis.id}/report`).expect(200)).text;
    expect(field(html, 'level')).toBe(view.levelName);
    expect(field(html, 'total')).toBe(view.total.text);
    expect(field(html, 'finished')).toBe('2026-11-29');
    expect(field(html, 'report-number')).toContain('-20261129-');
    for (const l of view.levels) {
      const row = html.indexOf(`data-level="${l.level}"`);
      expect(field(html, 'x', row), `X${l.level}`).toBe(l.score?.text ?? '—');
      expect(field(html, 'outcome', row)).toBe(l.outcomeText);
    }
    if (view.profile) {
      expect(field(html, 'profile')).toBe(view.profile.name);
      for (const g of view.profile.groups) {
        const row = html.indexOf(`data-group="${g.id}"`);
        expect(row, g.name).toBeGreaterThan(0);
        expect(html.slice(row, html.indexOf('</tr>', row))).toContain(`>${g.score.text}<`);
      }
    }

    // The dashboard of the enterprise's city: it is the only one assessed there under this ruleset.
    const city = enterprise.regionPath.at(-1)!;
    const dashboard = (await admin.get(`/api/dashboard?region=${city}`).expect(200)).body;
    const mine = (await admin.get(`/api/dashboard/enterprises?region=${city}&q=${encodeURIComponent(enterprise.name)}`).expect(200)).body.items[0];
    expect(mine).toMatchObject({ level: view.level, levelLabel: view.levelName });
    if (view.profile && dashboard.counts.assessed === 1) {
      expect(dashboard.layers.groups).toBe(view.profile.layer.name);
      const averages = new Map(dashboard.domains.map((d: { id: string; average: number }) => [d.id, d.average]));
      for (const g of view.profile.groups) expect(averages.get(g.id), g.name).toBeCloseTo(g.score.value, 3);
    }

    done.set(i, { id: diagnosis.id, agent, view });

    // ladder score: the same view, from the answers alone.
    const file = join(dir, `case${i}.json`);
    const rulesetFile = join(dir, `ruleset${i}.json`);
    writeFileSync(rulesetFile, JSON.stringify(r));
    writeFileSync(file, JSON.stringify({ industryType: c.industryType, answers: c.answers, levels: c.levels, enterprise: { region: c.region, industry: 'C35', enterpriseType: 'production', sizeBand: '100-200' } }));
    const cli = spawnSync(process.execPath, ['bin/ladder.js', 'score', rulesetFile, file], { encoding: 'utf8' });
    expect(cli.status, cli.stderr).toBe(0);
    const fromCli: ResultView = JSON.parse(cli.stdout);
    expect({ ...fromCli, finishedAt: view.finishedAt }).toEqual(view);
  });
});

describe('the PDF', () => {
  it('prints X₁ = 0.7955 as 0.79 beside 未达到, as every other place does', async () => {
    const i = cases.findIndex((c) => c.name === 'X₁ exactly 0.7955');
    const { id, agent, view } = done.get(i)!;
    expect(view.levels[0]).toMatchObject({ score: { text: '0.79' }, outcomeText: '未达到' });
    const pdf = await agent.get(`/api/diagnoses/${id}/report.pdf`).buffer(true).parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    }).expect(200);
    const file = join(dir, 'exact.pdf');
    writeFileSync(file, pdf.body as Buffer);
    const text = spawnSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).stdout;
    expect(text).toMatch(/X1）\s+0\.79\s+≥ 0\.80\s+未达到/);
    expect(text).not.toMatch(/0\.80\s+≥ 0\.80\s+未达到/);
    await h.ctx.pdf.close();
  });
});
