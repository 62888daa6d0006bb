// Applying for a formal assessment in the browser: an enterprise of a province whose ruleset
// declares an assessment scheme opens 正式评估, chooses a body and level 3 and fills the form the
// ruleset declares; the scheme's rule refuses it (no trained person) with its message; it applies
// for level 2 instead. The body's manager finds it under 评估申请, accepts it with the contract
// date, and the enterprise sees it accepted. Screenshots at 1440 and 390 wide go to
// test-artifacts/assessment/.
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { chromiumPath, CHROMIUM_ARGS } from '../../server/chromium.ts';
import { benchContext } from '../../bench/serverProcess.ts';
import { generatePopulation, creditCodeFor } from '../../server/population.ts';
import { loadRulesetFile } from '../../cli/rulesetFiles.ts';
import type { Assessment } from '../../engine/index.ts';
import { startServer } from './server.ts';

const OUT = 'test-artifacts/assessment';
const PASSWORD = 'assess-2026';
const cmmm = loadRulesetFile('rulesets/cmmm/gbt39116-2020.json');
const t = (zh: string, en = zh) => ({ zh, en });

const scheme: Assessment = {
  title: t('智能制造能力成熟度正式评估申请表', 'Application for a formal assessment'),
  targetLevels: [1, 2, 3, 4, 5],
  application: {
    fields: [
      { id: 'contact', label: t('联系人', 'Contact'), kind: 'text', required: true, maxLength: 20 },
      { id: 'scope', label: t('申请评估范围', 'Scope'), kind: 'choice', required: true, options: [{ id: 'whole', label: t('全厂', 'Whole plant') }, { id: 'line', label: t('产线', 'A line') }] },
      { id: 'trained', label: t('培训考试合格人员', 'Staff trained and examined'), kind: 'people', max: 10 },
    ],
    rules: [
      {
        id: 'trained-for-3',
        name: t('三级须有一名培训合格人员', 'Level 3 needs one trained person'),
        conditions: { all: [{ fact: 'targetLevel', operator: 'greaterThanInclusive', value: 3 }, { fact: 'trained', operator: 'lessThan', value: 1 }] },
        message: t('申请三级及以上评估须至少有一名企业内部人员培训并考试合格', 'a level-3 or higher application needs a member of staff trained and examined'),
      },
    ],
  },
  team: { minAssessors: 3, scoredBy: 2 },
  evidence: { maxBytes: 20 * 1024 * 1024, types: ['pdf', 'docx', 'xlsx', 'jpg', 'png'], maxFiles: 10 },
  expertReview: true,
  certificate: { title: t('智能制造能力成熟度标准符合性证书', 'Certificate of conformity'), numberPrefix: 'CMMM', validityMonths: 36, template: 'cmmm-certificate' },
};

let server: Awaited<ReturnType<typeof startServer>>;
let browser: Browser;
let firmName: string;
let managerPassword: string;
let chiefPassword: string;
let memberPassword: string;
const problems: string[] = [];
/** A screenshot once no table is loading (antd dims a loading table). */
const shot = async (p: Page, name: string) => {
  await p.waitForFunction(() => !document.querySelector('.ant-spin-blur, .ant-spin-spinning'));
  await p.screenshot({ path: `${OUT}/${name}.png`, fullPage: true });
};

async function page(width: number) {
  const context = await browser.newContext({ viewport: { width, height: width < 500 ? 844 : 900 }, locale: 'zh-CN', ...(width < 500 ? { deviceScaleFactor: 2 } : {}) });
  context.on('response', (r) => r.url().includes('/api/') && r.status() >= 500 && problems.push(`HTTP ${r.status()} ${r.url()}`));
  const p = await context.newPage();
  p.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  p.on('console', (m) => /Content Security Policy|Refused to/.test(m.text()) && problems.push(`CSP: ${m.text()}`));
  return p;
}

async function login(p: Page, username: string, password: string) {
  await p.goto(`${server.url}/#/login`);
  await p.getByLabel('用户名').fill(username);
  await p.getByLabel('密码').fill(password);
  await p.getByRole('button', { name: /登\s*录/ }).click();
  // Logged in once the page has left the login form (a goto before that would find no session).
  await p.waitForFunction(() => !location.hash.startsWith('#/login'));
}

beforeAll(async () => {
  mkdirSync(OUT, { recursive: true });
  const dataDir = mkdtempSync(join(tmpdir(), 'ladder-assessment-'));
  const ctx = await benchContext(dataDir);
  // Jiangsu's ruleset declares the formal assessment; its enterprises' diagnoses follow it.
  await ctx.store.putRuleset({ id: 'cmmm-assessed', version: cmmm.version, status: 'published', document: { ...cmmm, id: 'cmmm-assessed', regions: ['320000'], assessment: scheme }, regions: ['320000'], publishedAt: new Date().toISOString() });
  await generatePopulation(ctx, { count: 2, prefix: 'js', password: PASSWORD, regions: ['320000'], finished: 1, seed: 5 });
  const firmRecord = (await ctx.store.findUserByUsername('js1').then((u) => ctx.store.getEnterprise(u!.enterpriseId!)))!;
  firmName = firmRecord.name;
  await ctx.store.close();
  await ctx.pdf.close();
  server = await startServer({ LADDER_ADMIN_USERNAME: 'admin', LADDER_ADMIN_PASSWORD: PASSWORD }, { dataDir });
  // The platform accredits a body and registers its manager, the way its administrators do.
  const admin = await fetch(`${server.url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: PASSWORD }) });
  const cookie = admin.headers.getSetCookie()[0].split(';')[0];
  const post = async (path: string, body: unknown) => {
    const res = await fetch(`${server.url}/api${path}`, { method: 'POST', headers: { 'content-type': 'application/json', cookie, origin: server.url }, body: JSON.stringify(body) });
    if (res.status !== 201) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return res.json();
  };
  const body = await post('/assessment-bodies', { name: '江苏省智能制造评估中心', creditCode: creditCodeFor(4242, '320000'), regions: ['320000'], accreditation: { number: 'CMMM-AB-2026-001', validUntil: '2029-12-31' } });
  managerPassword = (await post(`/assessment-bodies/${body.id}/assessors`, { username: 'js-assessor', certificateNumber: 'CMMM-PG-0001', bodyManager: true })).temporaryPassword;
  // The rest of the body's staff: a future chief assessor, a member, and one affiliated with the firm.
  chiefPassword = (await post(`/assessment-bodies/${body.id}/assessors`, { username: 'js-chief', certificateNumber: 'CMMM-PG-0002' })).temporaryPassword;
  memberPassword = (await post(`/assessment-bodies/${body.id}/assessors`, { username: 'js-member', certificateNumber: 'CMMM-PG-0003' })).temporaryPassword;
  await post(`/assessment-bodies/${body.id}/assessors`, { username: 'js-related', certificateNumber: 'CMMM-PG-0004', affiliations: [firmRecord.creditCode] });
  browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('applying for a formal assessment in the browser', { timeout: 120_000 }, () => {
  let firm: Page;

  it('is refused for level 3 without a trained person, with the rule\'s message, and sent for level 2', async () => {
    firm = await page(1440);
    await login(firm, 'js1', PASSWORD);
    await firm.getByRole('link', { name: '正式评估' }).click();
    await firm.getByRole('heading', { name: '申请正式评估' }).waitFor();
    await firm.getByText('智能制造能力成熟度正式评估申请表').waitFor();
    await firm.getByRole('combobox', { name: '评估机构' }).click();
    await firm.locator('.ant-select-item-option', { hasText: '江苏省智能制造评估中心' }).click();
    await firm.getByRole('combobox', { name: '申请等级' }).click();
    await firm.locator('.ant-select-item-option', { hasText: '三级（集成级）' }).click();
    await firm.locator('#root_contact').fill('王工');
    await firm.locator('#root_scope').click();
    await firm.locator('.ant-select-item-option', { hasText: '全厂' }).click();
    await shot(firm, '01-form-1440');
    await firm.getByRole('button', { name: /提交申请/ }).click();
    await firm.getByRole('alert').filter({ hasText: '申请三级及以上评估须至少有一名企业内部人员培训并考试合格' }).waitFor();
    await shot(firm, '02-refused-1440');

    await firm.getByRole('combobox', { name: '申请等级' }).click();
    await firm.locator('.ant-select-item-option', { hasText: '二级（规范级）' }).click();
    await firm.getByRole('button', { name: /提交申请/ }).click();
    await firm.locator('.my-applications tbody tr', { hasText: '待受理' }).waitFor();
    await firm.getByText('您有一份待受理或已受理的评估申请').waitFor();
    await shot(firm, '03-applied-1440');
  });

  it("is accepted by the body's manager with the contract date", async () => {
    const manager = await page(1440);
    await login(manager, 'js-assessor', managerPassword);
    await manager.getByRole('heading', { name: '评估申请' }).waitFor();
    const row = manager.locator('.body-applications tbody tr', { hasText: firmName });
    await row.waitFor();
    expect(await row.innerText()).toContain('二级（规范级）');
    // Nothing of the administration: the manager's only page is its body's applications.
    expect(await manager.getByRole('link', { name: '区域看板' }).count()).toBe(0);
    // The application's form, its fields by their titles.
    await row.locator('.ant-table-row-expand-icon').click();
    const details = manager.locator('.body-applications .ant-descriptions');
    await details.getByText('联系人').waitFor();
    expect(await details.innerText()).toContain('王工');
    expect(await details.innerText()).toContain('全厂');
    await shot(manager, '04-body-list-1440');
    await row.getByRole('button', { name: /受\s*理/ }).first().click();
    await manager.getByRole('dialog').getByLabel('商务签约日期').waitFor();
    await shot(manager, '05-accept-1440');
    await manager.getByRole('dialog').getByRole('button', { name: /受\s*理/ }).click();
    await manager.getByRole('dialog').waitFor({ state: 'hidden' });
    await manager.getByRole('combobox', { name: '状态' }).click();
    await manager.locator('.ant-select-item-option', { hasText: '全部状态' }).click();
    await manager.locator('.body-applications tbody tr', { hasText: '已受理' }).waitFor();

    await firm.reload();
    const mine = firm.locator('.my-applications tbody tr', { hasText: '已受理' });
    await mine.waitFor();
    expect(await mine.innerText()).toMatch(/\d{4}-\d{2}-\d{2} 签约/);
    await shot(firm, '06-accepted-1440');
  });

  it('gets its team from the manager and its pre-assessment from the chief: scope, weights, readiness', async () => {
    const manager = await page(1440);
    await login(manager, 'js-assessor', managerPassword);
    await manager.getByRole('combobox', { name: '状态' }).click();
    await manager.locator('.ant-select-item-option', { hasText: '已受理' }).click();
    const row = manager.locator('.body-applications tbody tr', { hasText: firmName });
    await row.getByRole('button', { name: '组建评估组' }).click();
    const team = manager.getByRole('dialog');
    await team.getByRole('combobox', { name: '评估组成员' }).click();
    // The affiliated assessor is listed but cannot be chosen.
    expect(await manager.locator('.ant-select-item-option-disabled', { hasText: 'js-related' }).count()).toBe(1);
    for (const name of ['js-assessor', 'js-chief', 'js-member']) await manager.locator('.ant-select-item-option', { hasText: name }).click();
    // Close the members' list before opening the chief's, so only one list is on screen.
    await team.locator('.ant-modal-title').click();
    await manager.waitForFunction(() => !document.querySelector('.ant-select-dropdown:not(.ant-select-dropdown-hidden)'));
    await team.getByRole('combobox', { name: '主任评估师' }).click();
    await manager.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option', { hasText: 'js-chief' }).click();
    await shot(manager, '09-team-1440');
    await team.getByRole('button', { name: /保\s*存/ }).click();
    await row.getByRole('button', { name: '评估组（3 人）' }).waitFor();

    const chief = await page(1440);
    await login(chief, 'js-chief', chiefPassword);
    await chief.getByRole('combobox', { name: '状态' }).click();
    await chief.locator('.ant-select-item-option', { hasText: '已受理' }).click();
    await chief.locator('.body-applications tbody tr', { hasText: firmName }).getByRole('button', { name: '预评估' }).click();
    const pre = chief.locator('.pre-assessment');
    await pre.getByText('本企业的权重').waitFor();
    // This enterprise puts more weight on production, less on sales.
    const production = pre.getByLabel('生产 本企业权重');
    const sales = pre.getByLabel('销售 本企业权重');
    const p0 = Number(await production.inputValue());
    const s0 = Number(await sales.inputValue());
    await production.fill(String(+(p0 + 0.05).toFixed(6)));
    await sales.fill(String(+(s0 - 0.05).toFixed(6)));
    await pre.getByText('尚不具备正式评估条件').click();
    await pre.getByLabel('说明（不具备时须写明原因）').fill('生产数据采集系统尚未上线');
    await shot(chief, '10-pre-assessment-1440');
    await pre.getByRole('button', { name: '确认预评估' }).click();
    await chief.locator('.body-applications tbody tr', { hasText: firmName }).getByRole('button', { name: '预评估（已确认）' }).waitFor();
    const stored = await (await chief.context().request.get(`${server.url}/api/assessment-applications?status=accepted`)).json();
    expect(stored.items[0].preAssessment).toMatchObject({ ready: false, readinessNote: '生产数据采集系统尚未上线' });
    expect(stored.items[0].preAssessment.weights['d.production']).toBeCloseTo(p0 + 0.05, 6);
  });

  it('is then assessed: the chief spreads the requirements over the team and scores; a member sees only its own', async () => {
    const chief = await page(1440);
    await login(chief, 'js-chief', chiefPassword);
    await chief.getByRole('heading', { name: '评估申请' }).waitFor();
    const listed = await (await chief.context().request.get(`${server.url}/api/assessment-applications?status=accepted`)).json();
    const id = listed.items[0].id as string;
    const ready = await chief.context().request.put(`${server.url}/api/assessment-applications/${id}/pre-assessment`, { data: { excluded: [], ready: true, note: '已具备条件' }, headers: { origin: server.url } });
    expect(ready.status(), await ready.text()).toBe(200);
    await chief.getByRole('combobox', { name: '状态' }).click();
    await chief.locator('.ant-select-item-option', { hasText: '已受理' }).click();
    await chief.locator('.body-applications tbody tr', { hasText: firmName }).getByRole('link', { name: '正式评估' }).click();
    await chief.getByRole('heading', { name: `${firmName} 的正式评估` }).waitFor();
    await chief.getByText(/已分配 0 项/).waitFor();
    const spread = chief.waitForResponse((r) => r.url().includes('/assignments') && r.request().method() === 'PUT');
    await chief.getByRole('button', { name: '平均分配未分配的要求' }).click();
    expect((await spread).status()).toBe(200);
    const total = (await chief.getByText(/共 \d+ 项/).innerText()).match(/共 (\d+) 项/)![1];
    await chief.getByText(new RegExp(`已分配 ${total} 项`)).waitFor();
    // The chief scores the first requirement assigned to it.
    const score = chief.getByLabel(/ 评分$/).first();
    await score.click();
    await chief.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option').last().click();
    await chief.getByLabel(/ 评估发现$/).first().fill('现场核验：台账完整');
    const saved = chief.waitForResponse((r) => r.url().includes('/score') && r.request().method() === 'PUT');
    await chief.locator('.requirements').getByRole('button', { name: /保\s*存/ }).first().click();
    expect((await saved).status()).toBe(200);
    await shot(chief, '11-formal-chief-1440');
    const progress = await (await chief.context().request.get(`${server.url}/api/assessment-applications/${id}/requirements`)).json();
    expect(progress.requirements.filter((r: { scores: unknown[] }) => r.scores.length).length).toBe(1);
    const mine = progress.requirements.filter((r: { assessors: { username: string }[] }) => r.assessors.some((a) => a.username === 'js-member'));
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.length).toBeLessThan(Number(total));

    // The member's own view: only what was assigned to it.
    const member = await page(1440);
    await login(member, 'js-member', memberPassword);
    await member.getByRole('heading', { name: '评估申请' }).waitFor();
    await member.goto(`${server.url}/#/assessment/applications/${id}`);
    await member.getByRole('heading', { name: `${firmName} 的正式评估` }).waitFor();
    await member.locator('.requirements tbody tr.ant-table-row').first().waitFor();
    expect(await member.locator('.requirements tbody tr.ant-table-row').count()).toBe(Math.min(mine.length, 50));
    await shot(member, '12-formal-member-1440');
  });

  it('reads at 390 wide', async () => {
    const phone = await page(390);
    await login(phone, 'js1', PASSWORD);
    await phone.goto(`${server.url}/#/assessment`);
    await phone.locator('.my-applications tbody tr', { hasText: '已受理' }).waitFor();
    await shot(phone, '07-enterprise-390');
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    // The form itself, for an enterprise without an application yet.
    const other = await page(390);
    await login(other, 'js2', PASSWORD);
    await other.goto(`${server.url}/#/assessment`);
    await other.locator('#root_contact').waitFor();
    await shot(other, '07-form-390');
    expect(await other.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    const manager = await page(390);
    await login(manager, 'js-assessor', managerPassword);
    await manager.locator('.body-applications').waitFor();
    await shot(manager, '08-body-390');
    expect(await manager.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(problems).toEqual([]);
  });
});
