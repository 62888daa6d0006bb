import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { PdfRenderer } from '../../server/report/pdf.ts';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { coverOf, reportModel } from '../../server/report/model.ts';
import { ReportModelSchema } from '../../server/report/modelSchema.ts';
import { resultView } from '../../engine/index.ts';
import { harness, enterpriseAgent, type Harness } from './harness.ts';
import { loadRulesetFile } from '../../cli/rulesetFiles.ts';

const cmmm = loadRulesetFile('rulesets/cmmm/gbt39116-2020.json');
const levelAnswers = (level: number, option: string) =>
  Object.fromEntries(cmmm.questions.filter((q) => q.level === level && q.subDomain !== 'logistics').map((q) => [q.id, option]));
/** supertest: keep a binary body as a Buffer. */
const binary = (res: any, done: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => done(null, Buffer.concat(chunks)));
};
/** The text inside the first element carrying data-field="name" (after `from`). */
const field = (html: string, name: string, from = 0) => html.slice(from).match(new RegExp(`data-field="${name}"[^>]*>([^<]*)<`))?.[1];

let h: Harness;
let agent: Awaited<ReturnType<typeof enterpriseAgent>>['agent'];
let id: string;
let html: string;

beforeAll(async () => {
  h = await harness();
  ({ agent } = await enterpriseAgent(h, { region: '520100' }));
  id = (await agent.post('/api/diagnoses').send({}).expect(201)).body.id;
  await agent.post(`/api/diagnoses/${id}/tailoring`).send({ excluded: ['d.logistics'] }).expect(200);
  expect((await agent.get(`/api/diagnoses/${id}/report`)).status).toBe(409);
  for (const [level, option] of [[1, 'D'], [2, 'D'], [3, 'C'], [4, 'B']] as const) {
    await agent.put(`/api/diagnoses/${id}/answers`).send({ answers: levelAnswers(level, option) }).expect(200);
    await agent.post(`/api/diagnoses/${id}/levels/${level}/submit`).expect(200);
  }
  const values = Object.fromEntries(cmmm.flow.indicators.fields.map((f, i) => [f.id, { value: i + 1, formula: `公式${i + 1}` }]));
  await agent.post(`/api/diagnoses/${id}/indicators/submit`).send({ values }).expect(200);
  const res = await agent.get(`/api/diagnoses/${id}/report`).expect(200);
  expect(res.type).toBe('text/html');
  // Nothing but its own inline styles and images: no script, no request anywhere.
  expect(res.headers['content-security-policy']).toMatch(/^default-src 'none'; style-src 'unsafe-inline'; img-src data:/);
  expect(res.headers['content-security-policy']).not.toContain('script-src');
  html = res.text;
  mkdirSync('test-artifacts/reports', { recursive: true });
  writeFileSync('test-artifacts/reports/guizhou-level3.html', html);
});

describe('the HTML report of a finished diagnosis', () => {
  it('shows the level, S and the band table with the enterprise marked', () => {
    expect(field(html, 'level')).toBe('三级（集成级）');
    expect(field(html, 'total')).toBe('3.50');
    expect(html).toMatch(/class="current">2\.8 ≤ S &lt; 3\.8<br><b>◆ 本企业<\/b>/);
  });

  it('lists X1..X5 as scored', () => {
    const xs = [1, 2, 3, 4, 5].map((n) => field(html, 'x', html.indexOf(`data-level="${n}"`)));
    // As the result page shows them: the ruleset's decimals, never contradicting 达到 / 未达到.
    expect(xs).toEqual(['1.00', '1.00', '0.80', '0.50', '—']);
  });

  it('shows the gap to level 4 and the fewest changes that close it', () => {
    expect(field(html, 'shortfall')).toBe('0.30');
    const changes = html.slice(html.indexOf('以下改进项数量最少')).match(/<td class="mono">/g) ?? [];
    expect(changes.length).toBeGreaterThan(0);
  });

  it('includes the radar, heat map, tailoring, indicators, Guizhou award, trend and method appendix', () => {
    expect(html).toContain('<svg');
    expect(html).toContain('class="heat"');
    expect(html).toMatch(/已裁剪<\/h2><p>物流<\/p>/);
    expect(html).toContain('公式7');
    expect(html).toContain('贵州省成熟度3级奖励');
    expect(html).toContain('200 万元');
    expect(html).not.toContain('贵州省成熟度4级奖励');
    expect(html).toContain('附录：计分方法');
    expect(html).toContain('<html lang="zh-CN">');
  });

  it('renders in English on request and stays private to the enterprise', async () => {
    const en = (await agent.get(`/api/diagnoses/${id}/report`).set('Accept-Language', 'en').expect(200)).text;
    expect(en).toContain('<html lang="en">');
    expect(field(en, 'level')).toBe('Level 3 (Integration)');
    const other = await enterpriseAgent(h);
    expect((await other.agent.get(`/api/diagnoses/${id}/report`)).status).toBe(404);
  });
});

describe('the PDF report', () => {
  afterAll(() => h.ctx.pdf.close());

  it('is an A4 PDF with the Chinese text, a header and page numbers; its first page is kept as a PNG', async () => {
    const res = await agent.get(`/api/diagnoses/${id}/report.pdf`).buffer(true).parse(binary).expect(200);
    expect(res.type).toBe('application/pdf');
    expect(res.headers['content-disposition']).toMatch(/attachment; filename=".+\.pdf"/);
    const pdf = res.body as Buffer;
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    writeFileSync('test-artifacts/reports/guizhou-level3.pdf', pdf);
    const text = execFileSync('pdftotext', ['-layout', 'test-artifacts/reports/guizhou-level3.pdf', '-']).toString();
    expect(text).toContain('集成级');
    expect(text).toContain('3.50');
    expect(text).toContain('贵州省成熟度3级奖励');
    expect(text).toMatch(/^\s*1\s*\/\s*\d+\s*$/m); // page numbers in the footer
    const info = execFileSync('pdfinfo', ['test-artifacts/reports/guizhou-level3.pdf']).toString();
    expect(info).toMatch(/Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)/);
    execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '2', 'test-artifacts/reports/guizhou-level3.pdf', 'test-artifacts/reports/guizhou-level3-page']);
  });

  it('is also served for Accept: application/pdf', async () => {
    const res = await agent.get(`/api/diagnoses/${id}/report`).set('Accept', 'application/pdf').buffer(true).parse(binary).expect(200);
    expect((res.body as Buffer).subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('renders as many PDFs at once as its bound, turns the rest away with 503 and Retry-After, and replaces a killed browser', async () => {
    const saved = h.ctx.pdf;
    // Two rendering and eight waiting: of 20 asked at once, ten are rendered, the others told to come back.
    h.ctx.pdf = new PdfRenderer({ pages: 2, maxWaiting: 8 });
    let all: Awaited<ReturnType<typeof agent.get>>[];
    try {
      all = await Promise.all(Array.from({ length: 20 }, () => agent.get(`/api/diagnoses/${id}/report.pdf`).buffer(true).parse(binary)));
    } finally {
      await h.ctx.pdf.close();
      h.ctx.pdf = saved;
    }
    const statuses = all.map((r) => r.status);
    expect(statuses.every((s) => s === 200 || s === 503), statuses.join(' ')).toBe(true);
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(10);
    expect(statuses.filter((s) => s === 503).length).toBeGreaterThan(0);
    for (const r of all.filter((x) => x.status === 503)) {
      expect(JSON.parse(r.body.toString()).error.code).toBe('busy');
      expect(Number(r.headers['retry-after'])).toBeGreaterThan(0);
    }
    for (const r of all.filter((x) => x.status === 200)) expect((r.body as Buffer).subarray(0, 5).toString()).toBe('%PDF-');
    await agent.get(`/api/diagnoses/${id}/report.pdf`).buffer(true).parse(binary).expect(200);
    const pid = await h.ctx.pdf.pid();
    expect(pid).toBeGreaterThan(0);
    process.kill(pid!, 'SIGKILL');
    await new Promise((r) => setTimeout(r, 300));
    const after = await agent.get(`/api/diagnoses/${id}/report.pdf`).buffer(true).parse(binary);
    expect(after.status).toBe(200);
    expect(await h.ctx.pdf.pid()).not.toBe(pid);
  });

  it('answers 503 naming the package when there is no Chromium, while HTML still works', async () => {
    const saved = h.ctx.pdf;
    h.ctx.pdf = new PdfRenderer({ executablePath: '/nonexistent/chromium' });
    try {
      const res = await agent.get(`/api/diagnoses/${id}/report.pdf`);
      expect(res.status).toBe(503);
      expect(res.body.error.message).toContain('chromium');
      await agent.get(`/api/diagnoses/${id}/report`).expect(200);
    } finally {
      h.ctx.pdf = saved;
    }
  });
});

describe('the report data model', () => {
  it('is declared once: templates/report-model.schema.json is what server/report/modelSchema.ts declares (run `npx ladder schema` after a change)', () => {
    expect(JSON.parse(readFileSync('templates/report-model.schema.json', 'utf8'))).toEqual(JSON.parse(JSON.stringify(ReportModelSchema)));
  });

  it('matches templates/report-model.schema.json, the contract for template authors', async () => {
    const schema = JSON.parse(readFileSync('templates/report-model.schema.json', 'utf8'));
    const { Ajv2020 } = await import('ajv/dist/2020.js');
    const addFormats = (await import('ajv-formats')).default as unknown as (a: unknown) => void;
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    addFormats(ajv);
    const diagnosis = (await h.store.getDiagnosis(id))!;
    const enterprise = (await h.store.getEnterprise(diagnosis.enterpriseId))!;
    const ruleset = (await h.store.getRuleset(diagnosis.rulesetId, diagnosis.rulesetVersion))!.document;
    const view = await resultView(ruleset, { industryType: enterprise.industryType, excluded: diagnosis.state.excluded, answers: diagnosis.answers, levels: diagnosis.state.submitted, indicators: diagnosis.indicators, finishedAt: diagnosis.finishedAt });
    const model = reportModel({ ruleset, view, cover: coverOf(enterprise, ruleset, h.ctx.reference, 'zh'), id: diagnosis.id, history: [], locale: 'zh', generatedAt: new Date() });
    const validate = ajv.compile(schema);
    expect(validate(JSON.parse(JSON.stringify(model))), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
  });
});

describe('rendering a PDF', () => {
  it('runs no script of the page and fetches nothing, whatever the HTML asks for', async () => {
    const { createServer } = await import('node:http');
    const fetched: string[] = [];
    const server = createServer((req, res) => {
      fetched.push(req.url ?? '');
      res.end('x');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    const renderer = new PdfRenderer({ pages: 1 });
    try {
      const html = `<html lang="zh-CN"><head><link rel="stylesheet" href="http://127.0.0.1:${port}/style.css"></head><body>
        <p id="x">报告原文</p><img src="http://127.0.0.1:${port}/pixel.png">
        <script>document.getElementById('x').textContent = 'SCRIPT RAN'; fetch('http://127.0.0.1:${port}/beacon');</script>
        <img src="nothing.png" onerror="document.body.append('HANDLER RAN')"></body></html>`;
      const pdf = await renderer.render(html, '测试');
      writeFileSync('test-artifacts/reports/hostile.pdf', pdf);
      const text = execFileSync('pdftotext', ['test-artifacts/reports/hostile.pdf', '-']).toString();
      expect(text).toContain('报告原文');
      expect(text).not.toContain('RAN');
      expect(fetched).toEqual([]);
    } finally {
      await renderer.close();
      server.close();
    }
  });
});
