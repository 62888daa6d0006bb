// The authorities' dashboard in headless Chromium against a real server, on a generated population
// in Jiangsu and Guizhou (plus two Jiangsu enterprises that never finished a diagnosis, so
// "registered" and "assessed" differ): the platform administrator's whole country and its drill-down,
// Jiangsu's administrator's own province (level filter, benchmarks, CSV, targets, a report), and
// Guizhou kept from Jiangsu's administrator. Screenshots go to test-artifacts/dashboard/ (look at them).
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { chromiumPath, CHROMIUM_ARGS } from '../../server/chromium.ts';
import { benchContext } from '../../bench/serverProcess.ts';
import { creditCodeFor, generatePopulation } from '../../server/population.ts';
import { hashPassword } from '../../server/accounts/password.ts';
import type { Enterprise } from '../../server/store/types.ts';
import { startServer } from './server.ts';

const OUT = 'test-artifacts/dashboard';
const PASSWORD = 'dash-2026-x';
const JIANGSU = '320000';
const GUIZHOU = '520000';

let server: Awaited<ReturnType<typeof startServer>>;
let dataDir: string;
let browser: Browser;
let enterprises: Enterprise[];
let jiangsu: Enterprise[];
const problems: string[] = [];

/** The population, written into the data directory before the server (which then owns it) starts. */
async function prepare(dir: string) {
  const ctx = await benchContext(dir);
  const generated = await generatePopulation(ctx, { count: 40, prefix: 'dash', password: PASSWORD, regions: [JIANGSU, GUIZHOU], finished: 2, seed: 23 });
  const passwordHash = await hashPassword(PASSWORD);
  const now = new Date().toISOString();
  const template = generated.enterprises.find((e) => e.regionPath[0] === JIANGSU)!;
  const unassessed: Enterprise[] = [];
  for (let i = 1; i <= 2; i++) {
    const enterprise: Enterprise = { ...template, id: randomUUID(), name: `江苏未自诊断企业${i}号`, creditCode: creditCodeFor(900 + i, JIANGSU), createdAt: now };
    await ctx.store.createAccount({ id: randomUUID(), username: `js-new${i}`, passwordHash, role: 'enterprise', enterpriseId: enterprise.id, createdAt: now }, enterprise);
    unassessed.push(enterprise);
  }
  await ctx.store.createAccount({ id: randomUUID(), username: 'js-admin', passwordHash, role: 'regionAdmin', region: JIANGSU, createdAt: now });
  await ctx.store.close();
  return [...generated.enterprises, ...unassessed];
}

async function newPage(context: BrowserContext): Promise<Page> {
  const page = await context.newPage();
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  // The Content-Security-Policy refusing something the page needs shows only as a console message.
  page.on('console', (m) => /Content Security Policy|Refused to/.test(m.text()) && problems.push(`CSP: ${m.text()}`));
  return page;
}

function watch(context: BrowserContext) {
  context.on('response', (r) => {
    if (r.url().includes('/api/') && r.status() >= 500) problems.push(`HTTP ${r.status()} ${r.request().method()} ${r.url()}`);
  });
}

const shot = async (page: Page, name: string, fullPage = true) => {
  await page.waitForTimeout(300);
  await page.screenshot({ path: `${OUT}/${name}.png`, fullPage });
};

async function login(page: Page, username: string, password: string) {
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: /登\s*录/ }).click();
}

const heading = (page: Page) => page.getByRole('heading', { level: 1 });
const card = (page: Page, title: string) => page.locator('.ant-card').filter({ has: page.getByRole('heading', { name: title, exact: true }) });
/** The number a statistic card shows ("1,234" as 1234). */
const statistic = async (page: Page, title: string) =>
  Number((await page.locator('.ant-statistic').filter({ hasText: title }).locator('.ant-statistic-content-value').innerText()).replace(/[^\d.]/g, ''));
// SVG text has no innerText: the chart's figures are read as text content.
/** The figures above the bars of the level chart. */
const levelFigures = async (page: Page) => (await card(page, '成熟度等级分布').locator('svg.chart g > text:first-of-type').allTextContents()).map(Number);
const enterpriseTable = (page: Page) => card(page, '企业名单');
const rows = (page: Page) => enterpriseTable(page).locator('.ant-table-row');
/** Waits for the enterprise table to settle after a filter (its spinner gone, rows or the empty state shown). */
async function tableSettled(page: Page) {
  await enterpriseTable(page).locator('.ant-spin-spinning').waitFor({ state: 'detached' });
  await enterpriseTable(page).locator('.ant-table-row, .ant-table-placeholder').first().waitFor();
}
/** The table's column, by its header's position. */
async function column(page: Page, title: string): Promise<string[]> {
  const headers = await enterpriseTable(page).locator('thead th').allInnerTexts();
  const index = headers.findIndex((h) => h.trim() === title);
  expect(index, `column ${title} in ${headers.join('|')}`).toBeGreaterThanOrEqual(0);
  return rows(page).locator(`td:nth-child(${index + 1})`).allInnerTexts();
}

beforeAll(async () => {
  mkdirSync(OUT, { recursive: true });
  dataDir = mkdtempSync(join(tmpdir(), 'ladder-browser-dashboard-'));
  enterprises = await prepare(dataDir);
  jiangsu = enterprises.filter((e) => e.regionPath[0] === JIANGSU);
  server = await startServer({ LADDER_ADMIN_USERNAME: 'admin', LADDER_ADMIN_PASSWORD: PASSWORD }, { dataDir });
  browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('the dashboard in the browser', { timeout: 120_000 }, () => {
  it('shows the platform administrator the whole country, and drills down into Jiangsu', async () => {
    // Both provinces are in the population, with Jiangsu's share neither all nor none of it.
    expect(jiangsu.length).toBeGreaterThan(5);
    expect(jiangsu.length).toBeLessThan(enterprises.length - 5);
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    watch(context);
    const page = await newPage(context);
    await page.goto(`${server.url}/#/dashboard`);
    await login(page, 'admin', PASSWORD);
    await expect.poll(() => heading(page).innerText()).toBe('区域看板 · 全国');
    await card(page, '成熟度等级分布').locator('svg.chart').waitFor();
    await rows(page).first().waitFor();
    await shot(page, '01-country');

    expect(await statistic(page, '注册企业')).toBe(enterprises.length);
    const assessed = await statistic(page, '已完成自诊断');
    expect(assessed).toBe(enterprises.length - 2);
    const figures = await levelFigures(page);
    expect(figures.length).toBeGreaterThan(1);
    expect(figures.reduce((a, b) => a + b, 0)).toBe(assessed);

    await card(page, '下级区域').getByRole('link', { name: '江苏省', exact: true }).or(card(page, '下级区域').getByText('江苏省', { exact: true })).first().click();
    await expect.poll(() => heading(page).innerText()).toBe('区域看板 · 江苏省');
    expect(page.url()).toMatch(/#\/dashboard\/320000$/);
    await rows(page).first().waitFor();
    expect(await statistic(page, '注册企业')).toBe(jiangsu.length);
    const names = new Set(jiangsu.map((e) => e.name));
    const shown = await column(page, '名称');
    expect(shown.length).toBeGreaterThan(0);
    for (const name of shown) expect(names.has(name.trim()), name).toBe(true);
    // The sub-regions are Jiangsu's cities now, none of Guizhou's.
    await expect.poll(() => card(page, '下级区域').innerText()).toContain('南京市');
    expect(await page.locator('.dashboard').innerText()).not.toContain('贵州');
    await shot(page, '02-jiangsu-from-country');
    await context.close();
  });

  describe("Jiangsu's administrator", () => {
    let context: BrowserContext;
    let page: Page;

    beforeAll(async () => {
      context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN', acceptDownloads: true });
      watch(context);
      page = await newPage(context);
    });
    afterAll(() => context?.close());

    it('lands on the dashboard of Jiangsu at /', async () => {
      await page.goto(`${server.url}/`);
      await login(page, 'js-admin', PASSWORD);
      await expect.poll(() => heading(page).innerText()).toBe('区域看板 · 江苏省');
      await rows(page).first().waitFor();
      expect(new URL(page.url()).hash).toMatch(/^(#\/?)?$/);
      expect(await statistic(page, '注册企业')).toBe(jiangsu.length);
      expect(await statistic(page, '已完成自诊断')).toBe(jiangsu.length - 2);
      expect(await page.locator('.dashboard').innerText()).not.toContain('贵州');
      await shot(page, '03-jiangsu-admin-home');
    });

    it('filters the enterprise table by level', async () => {
      // The level the chart shows most enterprises at, so the filter has something to leave out and to keep.
      const figures = await levelFigures(page);
      const labels = (await card(page, '成熟度等级分布').locator('svg.chart g > text:last-of-type').allTextContents()).map((s) => s.trim());
      const busiest = figures.indexOf(Math.max(...figures));
      expect(figures[busiest]).toBeLessThan(jiangsu.length);
      const label = labels[busiest];
      await enterpriseTable(page).getByRole('combobox', { name: '等级' }).click();
      await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: new RegExp(`^${label}$`) }).click();
      await tableSettled(page);
      const levels = await column(page, '等级');
      expect(levels.length).toBe(Math.min(figures[busiest], 20));
      for (const l of levels) expect(l.trim()).toBe(label);
      await shot(page, '04-level-filter');
      await enterpriseTable(page).getByRole('combobox', { name: '等级' }).click();
      await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: '全部等级' }).click();
      await tableSettled(page);
      expect(await rows(page).count()).toBe(Math.min(jiangsu.length, 20));
      // And by size band: every row left has the band chosen.
      await enterpriseTable(page).getByRole('combobox', { name: '规模' }).click();
      const option = page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: /人/ }).first();
      const band = (await option.innerText()).trim();
      await option.click();
      await tableSettled(page);
      const sizes = await column(page, '规模');
      expect(sizes.length).toBeGreaterThan(0);
      expect(sizes.length).toBeLessThan(jiangsu.length);
      for (const x of sizes) expect(x.trim()).toBe(band);
      const sizeSelect = enterpriseTable(page).locator('.ant-select').filter({ has: page.getByRole('combobox', { name: '规模' }) });
      await sizeSelect.hover();
      await sizeSelect.locator('.ant-select-clear').click();
      await tableSettled(page);
      expect(await rows(page).count()).toBe(Math.min(jiangsu.length, 20));
    });

    it('marks a benchmark enterprise and filters to it', async () => {
      const first = rows(page).first();
      const name = (await first.locator('td').first().innerText()).trim();
      await first.getByRole('button', { name: '设为标杆' }).click();
      const marked = rows(page).filter({ hasText: name });
      await marked.locator('.ant-tag', { hasText: '标杆' }).waitFor();
      await marked.getByRole('button', { name: '取消标杆' }).waitFor();
      await enterpriseTable(page).getByRole('switch', { name: '只看标杆企业' }).click();
      await tableSettled(page);
      await expect.poll(() => rows(page).count()).toBe(1);
      expect((await column(page, '名称'))[0]).toContain(name);
      await shot(page, '05-benchmark-only');
      await enterpriseTable(page).getByRole('switch', { name: '只看标杆企业' }).click();
      await tableSettled(page);
      await expect.poll(() => rows(page).count()).toBe(Math.min(jiangsu.length, 20));
    });

    it("exports Jiangsu's enterprises as CSV with a BOM", async () => {
      const [download] = await Promise.all([page.waitForEvent('download'), enterpriseTable(page).getByRole('link', { name: /导出 CSV/ }).or(enterpriseTable(page).getByRole('button', { name: /导出 CSV/ })).first().click()]);
      const bytes = readFileSync((await download.path())!);
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const lines = bytes.toString('utf8').slice(1).split('\r\n').filter(Boolean);
      expect(lines[0]).toMatch(/^企业名称,统一社会信用代码,/);
      expect(lines.length).toBe(jiangsu.length + 1);
      expect(new Set(lines.slice(1).map((l) => l.split(',')[0]))).toEqual(new Set(jiangsu.map((e) => e.name)));
      expect(download.suggestedFilename()).toMatch(/\.csv$/);
    });

    it('sets targets, shown beside the shares', async () => {
      await page.getByRole('button', { name: '设定目标' }).click();
      const dialog = page.locator('.ant-modal').filter({ hasText: '设定目标' });
      await dialog.getByLabel('2 级及以上占比').fill('60');
      await dialog.getByLabel('3 级及以上占比').fill('25');
      await shot(page, '06-targets-dialog', false);
      await dialog.getByRole('button', { name: /确\s*定|OK/ }).click();
      await page.getByText('目标 60.0%').waitFor();
      await page.getByText('目标 25.0%').waitFor();
      await expect.poll(() => page.getByText('未设目标').count()).toBe(0);
      await shot(page, '07-targets');
      // Stored, not just shown: they are still there after a reload.
      await page.reload();
      await page.getByText('目标 60.0%').waitFor();
    });

    it("opens an enterprise's HTML report", async () => {
      await rows(page).first().waitFor();
      const first = rows(page).first();
      const name = (await first.locator('td').first().innerText()).replace(/^标杆/, '').trim();
      const [popup, response] = await Promise.all([
        context.waitForEvent('page'),
        context.waitForEvent('response', (r) => /\/api\/diagnoses\/[^/]+\/report$/.test(r.url())),
        first.getByRole('link', { name: /报\s*告/ }).click(),
      ]);
      expect(response.status()).toBe(200);
      expect(response.headers()['content-type']).toMatch(/text\/html/);
      await popup.waitForLoadState();
      expect(await popup.locator('body').innerText()).toContain(name);
      await popup.screenshot({ path: `${OUT}/08-report.png` });
      await popup.close();
    });

    it("is kept out of Guizhou's dashboard", async () => {
      await page.goto(`${server.url}/#/dashboard/${GUIZHOU}`);
      const error = page.locator('.dashboard .ant-result');
      await error.waitFor();
      expect(await error.innerText()).toContain('不在您的管辖范围');
      // The way back is the administrator's own region.
      await error.getByRole('button', { name: '回到本区域看板' }).waitFor();
      expect(await page.locator('.dashboard .ant-statistic').count()).toBe(0);
      expect(await page.locator('.dashboard').innerText()).not.toContain('贵州');
      await shot(page, '09-guizhou-refused');
      await error.getByRole('button', { name: '回到本区域看板' }).click();
      await page.getByRole('heading', { name: /区域看板 · 江苏省/ }).waitFor();
    });
  });

  it('raised no page errors and no server errors', () => {
    expect(problems).toEqual([]);
  });
});
