import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import ExcelJS from 'exceljs';
import type { Ruleset } from '../../engine/index.ts';
import { harness, enterpriseAgent, type Harness } from './harness.ts';
import { hashPassword } from '../../server/accounts/password.ts';
import { smallRuleset } from '../fixtures/small.ts';

let h: Harness;
const login = async (username: string) => {
  const agent = h.agent();
  await agent.post('/api/session').send({ username, password: 'admin1234' }).expect(200);
  return agent;
};

beforeAll(async () => {
  h = await harness();
  const passwordHash = await hashPassword('admin1234');
  const at = new Date().toISOString();
  await h.store.createAccount({ id: 'author', username: 'author', passwordHash, role: 'rulesetAuthor', createdAt: at });
  await h.store.createAccount({ id: 'author2', username: 'author2', passwordHash, role: 'rulesetAuthor', createdAt: at });
  await h.store.createAccount({ id: 'gz', username: 'gz-admin', passwordHash, role: 'regionAdmin', region: '520000', createdAt: at });
  await h.store.createAccount({ id: 'sh', username: 'sh-admin', passwordHash, role: 'regionAdmin', region: '310000', createdAt: at });
  await h.store.createAccount({ id: 'js', username: 'js-admin', passwordHash, role: 'regionAdmin', region: '320000', createdAt: at });
  await h.store.createAccount({ id: 'zj', username: 'zj-admin', passwordHash, role: 'regionAdmin', region: '330000', createdAt: at });
});

describe('authoring rulesets over the API', () => {
  it('saves a draft, refuses to publish it with a failing stored test, publishes it once fixed, and never changes it again', async () => {
    const author = await login('author');
    const doc = smallRuleset();
    doc.tests = [{ id: 'all-d', name: { zh: '全选 D', en: 'All D' }, industryType: 'discrete', fill: { '1': 'D', '2': 'D' }, expect: { level: 1 } }];
    const created = await author.post('/api/rulesets').send({ document: doc }).expect(201);
    expect(created.body).toMatchObject({ id: 'small', version: '1.0.0', status: 'draft', findings: [] });
    const failing = await author.post('/api/rulesets/small/1.0.0/publish').send({});
    expect(failing.status).toBe(400);
    expect(failing.body.error.code).toBe('tests_failed');
    expect(failing.body.error.message).toContain('all-d');
    doc.tests[0].expect.level = 2;
    await author.put('/api/rulesets/small/1.0.0').send({ document: doc, revision: 1 }).expect(200);
    const published = await author.post('/api/rulesets/small/1.0.0/publish').send({}).expect(200);
    expect(published.body.status).toBe('published');
    expect((await author.put('/api/rulesets/small/1.0.0').send({ document: doc, revision: 3 })).status).toBe(409);
    expect((await request(h.app).get('/api/rulesets/small/1.0.0').expect(200)).body.status).toBe('published');
  });

  it('refuses a save or a publish made from an older revision (another author, another tab), changing nothing, and a new draft over an existing one', async () => {
    const author = await login('author');
    const admin = await login('author2');
    const doc = { ...smallRuleset(), id: 'two-authors' };
    const created = await author.post('/api/rulesets').send({ document: doc }).expect(201);
    expect(created.body.revision).toBe(1);
    // Both open revision 1; the first saves, then the second's autosave arrives.
    const opened = (await admin.get('/api/rulesets/two-authors/1.0.0/record').expect(200)).body;
    expect(opened.revision).toBe(1);
    const first = await author.put('/api/rulesets/two-authors/1.0.0').send({ document: { ...doc, title: { zh: '作者甲', en: 'A' } }, revision: 1 }).expect(200);
    expect(first.body.revision).toBe(2);
    const second = await admin.put('/api/rulesets/two-authors/1.0.0').send({ document: { ...opened.document, title: { zh: '作者乙', en: 'B' } }, revision: opened.revision });
    expect(second.status).toBe(409);
    expect(second.body.error).toMatchObject({ code: 'stale', field: '/revision' });
    expect(second.body.error.message).toContain('其他作者或其他窗口');
    expect((await h.store.getRuleset('two-authors', '1.0.0'))!.document.title.zh).toBe('作者甲');
    // Publishing what one has not seen is refused too; with the latest revision it goes through.
    expect((await admin.post('/api/rulesets/two-authors/1.0.0/publish').send({ revision: 1 })).body.error.code).toBe('stale');
    // A save without a revision is a bad request naming the field.
    const bare = await author.put('/api/rulesets/two-authors/1.0.0').send({ document: doc });
    expect(bare.status).toBe(400);
    expect(bare.body.error.field).toBe('/revision');
    // Creating a version that exists is refused rather than replacing someone's draft.
    const again = await admin.post('/api/rulesets').send({ document: doc });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('ruleset_exists');
    expect((await h.store.getRuleset('two-authors', '1.0.0'))!.document.title.zh).toBe('作者甲');
    const published = await admin.post('/api/rulesets/two-authors/1.0.0/publish').send({ revision: 2 }).expect(200);
    expect(published.body).toMatchObject({ status: 'published', revision: 3 });
  });

  it('refuses to publish with lint errors, listing them with pointers', async () => {
    const author = await login('author');
    const doc = smallRuleset();
    doc.id = 'small-broken';
    doc.scoring.weightSets[0].weights['e.make'] = 0.5;
    const saved = await author.post('/api/rulesets').send({ document: doc }).expect(201);
    expect(saved.body.findings.map((f: { code: string }) => f.code)).toContain('weights-sum');
    const res = await author.post('/api/rulesets/small-broken/1.0.0/publish').send({});
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'lint_errors', field: '/scoring/weightSets/0/weights' });
  });

  it('refuses an invalid document, naming the field under /document, and refuses non-authors', async () => {
    const author = await login('author');
    const bad = { ...smallRuleset(), levels: 'five' };
    const res = await author.post('/api/rulesets').send({ document: bad });
    expect(res.status).toBe(400);
    expect(res.body.error.field).toBe('/document/levels');
    const { agent } = await enterpriseAgent(h);
    expect((await agent.post('/api/rulesets').send({ document: smallRuleset() })).status).toBe(403);
  });
});

describe("a region's variant", () => {
  it("is created by the region's administrator as an overlay, published, and used by that region's enterprises", async () => {
    const gz = await login('gz-admin');
    const overlay = {
      title: { zh: '贵阳市智能制造能力成熟度自诊断', en: 'Guiyang self-diagnosis' },
      regions: ['520100'],
      rules: {
        limits: [{ id: 'max-3-per-month', conditions: { all: [{ fact: 'diagnosesInWindow', params: { unit: 'month', count: 1, mode: 'rolling', which: 'started' }, operator: 'greaterThanInclusive', value: 2 }] }, message: { zh: '贵阳市企业每月最多自诊断 2 次', en: 'At most 2 a month in Guiyang' } }],
      },
    };
    const outside = await login('sh-admin');
    expect((await outside.post('/api/rulesets/variants').send({ base: 'cmmm-gbt39116@1.1.0', id: 'cmmm-guiyang', version: '1.0.0', overlay })).status).toBe(403);
    const created = await gz.post('/api/rulesets/variants').send({ base: 'cmmm-gbt39116@1.1.0', id: 'cmmm-guiyang', version: '1.0.0', overlay }).expect(201);
    expect(created.body).toMatchObject({ id: 'cmmm-guiyang', status: 'draft', extends: 'cmmm-gbt39116@1.1.0' });
    // Notes on the base's uncertain cells are information, nothing to fix.
    expect(created.body.findings.filter((f: { severity: string }) => f.severity !== 'info')).toEqual([]);
    const record = await h.store.getRuleset('cmmm-guiyang', '1.0.0');
    expect(Object.keys(record!.overlay!).sort()).toEqual(['extends', 'id', 'regions', 'rules', 'title', 'version']);
    await gz.post('/api/rulesets/cmmm-guiyang/1.0.0/publish').send({}).expect(200);

    const diff = (await request(h.app).get('/api/ruleset-diff?a=cmmm-gbt39116@1.1.0&b=cmmm-guiyang@1.0.0').expect(200)).body;
    expect(diff.map((c: { category: string; path: string }) => `${c.category} ${c.path}`)).toEqual(
      expect.arrayContaining(['limit /rules/limits[max-3-per-month]/conditions/all', 'limit /rules/limits[max-3-per-month]/message/zh']),
    );

    const { agent } = await enterpriseAgent(h, { region: '520100' });
    const first = await agent.post('/api/diagnoses').send({}).expect(201);
    expect(first.body.ruleset).toMatchObject({ id: 'cmmm-guiyang', version: '1.0.0' });
    await agent.post('/api/diagnoses').send({}).expect(201);
    const third = await agent.post('/api/diagnoses').send({});
    expect(third.status).toBe(409);
    expect(third.body.error.message).toBe('贵阳市企业每月最多自诊断 2 次');
  });
});

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const cmmm = () => JSON.parse(readFileSync('rulesets/cmmm/gbt39116-2020.json', 'utf8')) as Ruleset;

describe('what the designer reads and who sees drafts', () => {
  it('shows a draft only to those who may edit it, in the list, as a document and as a record', async () => {
    const author = await login('author');
    await author.post('/api/rulesets').send({ document: { ...smallRuleset(), id: 'seen-draft' } }).expect(201);
    const { agent: firm } = await enterpriseAgent(h);
    const gz = await login('gz-admin');
    const ids = async (agent: { get: (url: string) => request.Test }) => (await agent.get('/api/rulesets').expect(200)).body.map((r: { id: string; status: string }) => `${r.id} ${r.status}`);

    expect(await ids(author)).toContain('seen-draft draft');
    for (const outsider of [request(h.app), firm, gz]) {
      const list = await ids(outsider);
      expect(list).toContain('cmmm-gbt39116 published');
      expect(list).not.toContain('seen-draft draft');
      expect((await outsider.get('/api/rulesets/seen-draft/1.0.0')).status).toBe(404);
    }
    expect((await author.get('/api/rulesets/seen-draft/1.0.0').expect(200)).body.title.zh).toBe('小规则集');

    const record = (await author.get('/api/rulesets/seen-draft/1.0.0/record').expect(200)).body;
    expect(record).toMatchObject({ id: 'seen-draft', version: '1.0.0', status: 'draft', regions: [], findings: [], document: { id: 'seen-draft' } });
    expect((await gz.get('/api/rulesets/seen-draft/1.0.0/record')).status).toBe(404);
    expect((await firm.get('/api/rulesets/seen-draft/1.0.0/record')).status).toBe(404);

    const published = (await gz.get('/api/rulesets/cmmm-gbt39116/1.1.0/record').expect(200)).body;
    expect(published).toMatchObject({ status: 'published', document: { id: 'cmmm-gbt39116' } });
    expect(published.publishedAt).toBeTruthy();
    expect((await firm.get('/api/rulesets/cmmm-gbt39116/1.1.0/record')).status).toBe(403);
    expect((await request(h.app).get('/api/rulesets/cmmm-gbt39116/1.1.0/record')).status).toBe(401);
  });

  it("shows a region administrator its own region's draft variant with what it extends, and other regions' administrators nothing", async () => {
    const gz = await login('gz-admin');
    await gz.post('/api/rulesets/variants').send({ base: 'cmmm-gbt39116@1.1.0', id: 'cmmm-zunyi', version: '1.0.0', overlay: { regions: ['520300'] } }).expect(201);
    const mine = (await gz.get('/api/rulesets').expect(200)).body.find((r: { id: string }) => r.id === 'cmmm-zunyi');
    expect(mine).toMatchObject({ status: 'draft', regions: ['520300'], extends: 'cmmm-gbt39116@1.1.0' });
    const record = (await gz.get('/api/rulesets/cmmm-zunyi/1.0.0/record').expect(200)).body;
    expect(record.overlay).toEqual({ id: 'cmmm-zunyi', version: '1.0.0', extends: 'cmmm-gbt39116@1.1.0', regions: ['520300'] });
    const sh = await login('sh-admin');
    expect((await sh.get('/api/rulesets').expect(200)).body.map((r: { id: string }) => r.id)).not.toContain('cmmm-zunyi');
    expect((await sh.get('/api/rulesets/cmmm-zunyi/1.0.0/record')).status).toBe(404);
  });
});

describe('a whole ruleset in one request', () => {
  it('saves and replaces a draft made from the full CMMM ruleset, while other requests stay limited to 256 KB', async () => {
    const author = await login('author');
    const doc = { ...cmmm(), id: 'cmmm-big' };
    expect(JSON.stringify({ document: doc }).length).toBeGreaterThan(256 * 1024);
    await author.post('/api/rulesets').send({ document: doc }).expect(201);
    doc.title = { zh: '智能制造能力成熟度（修订稿）', en: 'CMMM (revision draft)' };
    const saved = await author.put('/api/rulesets/cmmm-big/1.1.0').send({ document: doc, revision: 1 }).expect(200);
    expect(saved.body).toMatchObject({ id: 'cmmm-big', status: 'draft' });
    expect((await author.get('/api/rulesets/cmmm-big/1.1.0').expect(200)).body.title.zh).toBe('智能制造能力成熟度（修订稿）');

    const big = await request(h.app).post('/api/session').send({ username: 'author', password: 'x'.repeat(300 * 1024) });
    expect(big.status).toBe(413);
    expect(big.body.error.code).toBe('too_large');
  });
});

describe('discarding a draft', () => {
  it('removes a draft for good, refuses those who may not edit it, and never removes a published version', async () => {
    const author = await login('author');
    await author.post('/api/rulesets').send({ document: { ...smallRuleset(), id: 'scrap' } }).expect(201);
    const { agent: firm } = await enterpriseAgent(h);
    expect((await firm.delete('/api/rulesets/scrap/1.0.0')).status).toBe(404);
    expect((await (await login('gz-admin')).delete('/api/rulesets/scrap/1.0.0')).status).toBe(404);
    await author.get('/api/rulesets/scrap/1.0.0/record').expect(200);

    await author.delete('/api/rulesets/scrap/1.0.0').expect(204);
    expect((await author.get('/api/rulesets/scrap/1.0.0/record')).status).toBe(404);
    expect((await author.get('/api/rulesets').expect(200)).body.map((r: { id: string }) => r.id)).not.toContain('scrap');
    expect((await author.delete('/api/rulesets/scrap/1.0.0')).status).toBe(404);
    // The same id and version can start again from scratch.
    await author.post('/api/rulesets').send({ document: { ...smallRuleset(), id: 'scrap' } }).expect(201);

    const zh = await author.delete('/api/rulesets/cmmm-gbt39116/1.1.0');
    expect(zh.status).toBe(409);
    expect(zh.body.error).toMatchObject({ code: 'ruleset_published', message: 'cmmm-gbt39116@1.1.0 已发布，不能删除；已发布的版本永久保留' });
    const en = await author.delete('/api/rulesets/cmmm-gbt39116/1.1.0').set('Accept-Language', 'en');
    expect(en.body.error.message).toBe('cmmm-gbt39116@1.1.0 is published and cannot be discarded; published versions stay for good');
    await request(h.app).get('/api/rulesets/cmmm-gbt39116/1.1.0').expect(200);
  });
});

describe('moving a variant onto a newer base', () => {
  it("keeps the variant's own change and takes the new base's, when the saved document names the new base version", async () => {
    const author = await login('author');
    const gz = await login('gz-admin');
    const base = { ...smallRuleset(), id: 'small-base' };
    await author.post('/api/rulesets').send({ document: base }).expect(201);
    await author.post('/api/rulesets/small-base/1.0.0/publish').send({}).expect(200);
    const overlay = { regions: ['520400'], levels: [{ number: 2, code: 'L2', threshold: 0.7 }] };
    await gz.post('/api/rulesets/variants').send({ base: 'small-base@1.0.0', id: 'small-anshun', version: '1.0.0', overlay }).expect(201);

    const newer = structuredClone(base);
    newer.version = '1.1.0';
    newer.levels[0].threshold = 0.6;
    await author.post('/api/rulesets').send({ document: newer }).expect(201);
    await author.post('/api/rulesets/small-base/1.1.0/publish').send({}).expect(200);

    const before = (await gz.get('/api/rulesets/small-anshun/1.0.0/record').expect(200)).body;
    expect(before.document.levels.map((l: { threshold: number }) => l.threshold)).toEqual([0.8, 0.7]);

    const unknown = await gz.put('/api/rulesets/small-anshun/1.0.0').send({ document: { ...before.document, extends: 'small-base@9.9.9' }, revision: before.revision });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toContain('small-base@9.9.9');
    const other = await gz.put('/api/rulesets/small-anshun/1.0.0').send({ document: { ...before.document, extends: 'cmmm-gbt39116@1.1.0' }, revision: before.revision });
    expect(other.status).toBe(400);
    expect(other.body.error.field).toBe('/document/extends');
    expect((await gz.get('/api/rulesets/small-anshun/1.0.0/record').expect(200)).body.overlay.extends).toBe('small-base@1.0.0');

    const moved = await gz.put('/api/rulesets/small-anshun/1.0.0').send({ document: { ...before.document, extends: 'small-base@1.1.0' }, revision: before.revision }).expect(200);
    expect(moved.body).toMatchObject({ extends: 'small-base@1.1.0', rebased: { from: 'small-base@1.0.0', to: 'small-base@1.1.0', conflicts: [] } });
    const after = (await gz.get('/api/rulesets/small-anshun/1.0.0/record').expect(200)).body;
    expect(after.document.levels.map((l: { threshold: number }) => l.threshold)).toEqual([0.6, 0.7]);
    expect(after.document.extends).toBe('small-base@1.1.0');
    expect(after.overlay).toEqual({ id: 'small-anshun', version: '1.0.0', extends: 'small-base@1.1.0', regions: ['520400'], levels: [{ number: 2, code: 'L2', threshold: 0.7 }] });
  });
});

describe('the question bank as a workbook', () => {
  it('exports a draft as an .xlsx download and reads the same questions back from its bytes', async () => {
    const author = await login('author');
    await author.post('/api/rulesets').send({ document: { ...cmmm(), id: 'cmmm-bank' } }).expect(201);
    const res = await author.get('/api/rulesets/cmmm-bank/1.1.0/questions.xlsx').responseType('blob').expect(200);
    expect(res.headers['content-type']).toBe(XLSX);
    expect(res.headers['content-disposition']).toBe('attachment; filename="cmmm-bank-1.1.0-questions.xlsx"');
    const back = await author.post('/api/question-sheet').set('Content-Type', XLSX).send(res.body).expect(200);
    expect(back.body.questions).toEqual(cmmm().questions);
    // The weight tables travel with the bank.
    expect(back.body.weightSets).toEqual(cmmm().scoring.weightSets);
    expect(back.body.defaultWeightSet).toBe(cmmm().scoring.defaultWeightSet);

    const { agent: firm } = await enterpriseAgent(h);
    expect((await firm.get('/api/rulesets/cmmm-bank/1.1.0/questions.xlsx')).status).toBe(404);
    expect((await firm.post('/api/question-sheet').set('Content-Type', XLSX).send(res.body)).status).toBe(403);
  });

  it('refuses a sheet with a bad cell, naming its row and column, and a body that is not a workbook', async () => {
    const author = await login('author');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await author.get('/api/rulesets/cmmm-gbt39116/1.1.0/questions.xlsx').responseType('blob').expect(200)).body);
    const sheet = book.worksheets[0];
    const header = (sheet.getRow(1).values as unknown[]).map(String);
    sheet.getRow(3).getCell(header.indexOf('level')).value = 'two';
    const bad = Buffer.from(await book.xlsx.writeBuffer());

    const zh = await author.post('/api/question-sheet').set('Content-Type', XLSX).send(bad);
    expect(zh.status).toBe(400);
    expect(zh.body.error).toMatchObject({ code: 'invalid_sheet', field: '/rows/3/level' });
    expect(zh.body.error.message).toMatch(/^第 3 行 level/);
    const en = await author.post('/api/question-sheet').set('Content-Type', XLSX).set('Accept-Language', 'en').send(bad);
    expect(en.body.error.message).toMatch(/^row 3, level/);

    const notXlsx = await author.post('/api/question-sheet').set('Content-Type', XLSX).send(Buffer.from('id,level\nL1-1,1\n'));
    expect(notXlsx.status).toBe(400);
    expect(notXlsx.body.error.message).toContain('无法读取 Excel 文件');
    expect((await author.post('/api/question-sheet').send({ questions: [] })).status).toBe(415);
  });
});

describe('previewing the report of a ruleset being designed', () => {
  const preview = (fill: string, extra: Record<string, unknown> = {}) => {
    const doc = smallRuleset();
    return { document: doc, industryType: 'discrete', answers: Object.fromEntries(doc.questions.map((q) => [q.id, fill])), ...extra };
  };

  it('lists the report templates with the sections each can show', async () => {
    const list = (await request(h.app).get('/api/report-templates').expect(200)).body;
    const cmmmReport = list.find((t: { id: string }) => t.id === 'cmmm-report');
    expect(cmmmReport.name).toBe('智能制造能力成熟度自诊断报告');
    expect(cmmmReport.sections).toEqual(expect.arrayContaining(['cover', 'summary', 'levels', 'gap', 'method']));
  });

  it('renders the report the answers reach through the flow, for a preview enterprise', async () => {
    const author = await login('author');
    const low = await author.post('/api/report-preview').send(preview('A')).expect(200);
    expect(low.headers['content-type']).toMatch(/^text\/html/);
    expect(low.text).toContain('示例企业（预览）');
    expect(low.text).toContain('data-field="level">一级以下<');
    const high = await author.post('/api/report-preview').send(preview('D')).expect(200);
    expect(high.text).toContain('data-field="level">规范级<');
    const en = await author.post('/api/report-preview').send(preview('D', { locale: 'en' })).expect(200);
    expect(en.text).toContain('data-field="level">Standardised<');
  });

  it('refuses an unknown template, answers the flow would refuse, and enterprises', async () => {
    const author = await login('author');
    const body = preview('D');
    body.document.report.template = 'no-such-template';
    const template = await author.post('/api/report-preview').send(body);
    expect(template.status).toBe(400);
    expect(template.body.error).toMatchObject({ code: 'unknown_template', field: '/document/report/template' });

    const { 'L1-2.1': _dropped, ...partial } = preview('D').answers;
    const unanswered = await author.post('/api/report-preview').send({ ...preview('D'), answers: partial });
    expect(unanswered.status).toBe(400);
    expect(unanswered.body.error.field).toBe('/answers/L1-2.1');
    const wrong = await author.post('/api/report-preview').send(preview('Z'));
    expect(wrong.body.error.field).toMatch(/^\/answers\//);

    const { agent: firm } = await enterpriseAgent(h);
    expect((await firm.post('/api/report-preview').send(preview('D'))).status).toBe(403);
  });
});

describe('who a ruleset id belongs to (issue 12 §2)', () => {
  const refuseAll = { rules: { limits: [{ id: 'max-3-per-month', conditions: { all: [{ fact: 'diagnosesInWindow', params: { unit: 'month', count: 1, mode: 'rolling', which: 'started' }, operator: 'greaterThanInclusive', value: 0 }] } }] } };

  it("never lets a region's administrator take the national ruleset's id, and the country keeps its ruleset", async () => {
    const js = await login('js-admin');
    const before = await h.store.listRulesets();
    const takeover = await js.post('/api/rulesets/variants').send({ base: 'cmmm-gbt39116@1.1.0', id: 'cmmm-gbt39116', version: '9.0.0', overlay: { ...refuseAll, regions: ['320000'] } });
    expect(takeover.status).toBe(400);
    expect(takeover.body.error).toMatchObject({ code: 'variant_id', field: '/id' });
    expect(takeover.body.error.message).toContain('cmmm-gbt39116');
    // Nor another national id, nor the whole country.
    const author = await login('author');
    await author.post('/api/rulesets').send({ document: { ...smallRuleset(), id: 'national-next' } }).expect(201);
    const national = await js.post('/api/rulesets/variants').send({ base: 'cmmm-gbt39116@1.1.0', id: 'national-next', version: '1.0.0', overlay: { regions: ['320000'] } });
    expect(national.status).toBe(409);
    expect(national.body.error.code).toBe('ruleset_id_taken');
    expect((await js.post('/api/rulesets/variants').send({ base: 'cmmm-gbt39116@1.1.0', id: 'js-country', version: '1.0.0', overlay: { regions: null } })).status).toBe(403);
    expect((await h.store.getRuleset('national-next', '1.0.0'))!.document.title.zh).toBe('小规则集');
    expect((await h.store.listRulesets()).length).toBe(before.length + 1);
    // Provinces without a variant of their own.
    for (const region of ['350100', '430100']) {
      const { agent } = await enterpriseAgent(h, { region });
      const eligibility = (await agent.get('/api/diagnoses/eligibility').expect(200)).body;
      expect(eligibility).toMatchObject({ allowed: true, ruleset: { id: 'cmmm-gbt39116', version: '1.1.0' } });
    }
  });

  it('gives enterprises outside any regional ruleset the newest national version, never one published for a region', async () => {
    const author = await login('author');
    // An author may publish a version of the default id for one province only: the rest of the country keeps 1.1.0.
    const regional = { ...cmmm(), version: '8.0.0', regions: ['320000'], title: { zh: '江苏试点版', en: 'Jiangsu pilot' } };
    await author.post('/api/rulesets').send({ document: regional }).expect(201);
    await author.post('/api/rulesets/cmmm-gbt39116/8.0.0/publish').send({}).expect(200);
    const { agent: fjFirm } = await enterpriseAgent(h, { region: '350100' });
    expect((await fjFirm.get('/api/diagnoses/eligibility').expect(200)).body.ruleset).toMatchObject({ id: 'cmmm-gbt39116', version: '1.1.0' });
    const { agent: jsFirm } = await enterpriseAgent(h, { region: '320200' });
    expect((await jsFirm.get('/api/diagnoses/eligibility').expect(200)).body.ruleset).toMatchObject({ id: 'cmmm-gbt39116', version: '8.0.0' });
  });

  it("never lets one region's administrator overwrite or extend another region's variant, nor an author's draft", async () => {
    const zj = await login('zj-admin');
    const js = await login('js-admin');
    await zj.post('/api/rulesets/variants').send({ base: 'cmmm-gbt39116@1.1.0', id: 'zj-variant', version: '1.0.0', overlay: { regions: ['330000'], title: { zh: '浙江版', en: 'Zhejiang' } } }).expect(201);
    for (const version of ['1.0.0', '2.0.0']) {
      const res = await js.post('/api/rulesets/variants').send({ base: 'cmmm-gbt39116@1.1.0', id: 'zj-variant', version, overlay: { ...refuseAll, regions: ['320000'] } });
      expect(res.status, version).toBe(409);
      expect(res.body.error.code).toBe('ruleset_id_taken');
    }
    expect((await zj.get('/api/rulesets/zj-variant/1.0.0/record').expect(200)).body.document.title.zh).toBe('浙江版');
    expect(await h.store.getRuleset('zj-variant', '2.0.0')).toBeUndefined();
    expect((await js.put('/api/rulesets/zj-variant/1.0.0').send({ document: { ...cmmm(), id: 'zj-variant', regions: ['320000'] }, revision: 1 })).status).toBe(404);
    expect((await js.post('/api/rulesets/zj-variant/1.0.0/publish').send({})).status).toBe(404);

    const author = await login('author');
    await author.post('/api/rulesets').send({ document: { ...smallRuleset(), id: 'author-draft' } }).expect(201);
    const over = await js.post('/api/rulesets/variants').send({ base: 'cmmm-gbt39116@1.1.0', id: 'author-draft', version: '1.0.0', overlay: { regions: ['320000'] } });
    expect(over.status).toBe(409);
    expect((await h.store.getRuleset('author-draft', '1.0.0'))!.overlay).toBeUndefined();
    // Its owner goes on working on it.
    const opened = (await zj.get('/api/rulesets/zj-variant/1.0.0/record')).body;
    await zj.put('/api/rulesets/zj-variant/1.0.0').send({ document: { ...opened.document, title: { zh: '浙江版二稿', en: 'Zhejiang 2' } }, revision: opened.revision }).expect(200);
    await zj.post('/api/rulesets/zj-variant/1.0.0/publish').send({}).expect(200);
    // And an author's national ruleset never takes a region's id.
    const taken = await author.post('/api/rulesets').send({ document: { ...smallRuleset(), id: 'zj-variant', version: '3.0.0' } });
    expect(taken.status).toBe(409);
    expect(taken.body.error.code).toBe('ruleset_id_taken');
  });
});
