// Regions in the runtime, as a platform administrator uses them: create a park under a city, name
// the province's liaison (a bad mobile is refused at its field), run the province's sub-platform;
// an enterprise of the province then sees the sub-platform's name and notice on its home page.
// Screenshots go to test-artifacts/regions/.
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { chromiumPath, CHROMIUM_ARGS } from '../../server/chromium.ts';
import { benchContext } from '../../bench/serverProcess.ts';
import { generatePopulation } from '../../server/population.ts';
import { startServer } from './server.ts';

const OUT = 'test-artifacts/regions';
const PASSWORD = 'regions-2026';

let server: Awaited<ReturnType<typeof startServer>>;
let browser: Browser;
let page: Page;
const problems: string[] = [];
const shot = (p: Page, name: string) => p.screenshot({ path: `${OUT}/${name}.png`, fullPage: true });

beforeAll(async () => {
  mkdirSync(OUT, { recursive: true });
  const dataDir = mkdtempSync(join(tmpdir(), 'ladder-regions-'));
  const ctx = await benchContext(dataDir);
  await generatePopulation(ctx, { count: 6, prefix: 'js', password: PASSWORD, regions: ['320000'], finished: 1, seed: 5 });
  await ctx.store.close();
  await ctx.pdf.close();
  server = await startServer({ LADDER_ADMIN_USERNAME: 'admin', LADDER_ADMIN_PASSWORD: PASSWORD }, { dataDir });
  browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
  context.on('response', (r) => r.url().includes('/api/') && r.status() >= 500 && problems.push(`HTTP ${r.status()} ${r.url()}`));
  page = await context.newPage();
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  // The Content-Security-Policy refusing something the page needs shows only as a console message.
  page.on('console', (m) => /Content Security Policy|Refused to/.test(m.text()) && problems.push(`CSP: ${m.text()}`));
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('regions for administrators', { timeout: 120_000 }, () => {
  it('a platform administrator creates a park under 南京市', async () => {
    await page.request.post(`${server.url}/api/session`, { data: { username: 'admin', password: PASSWORD } });
    await page.goto(`${server.url}/#/regions`);
    await page.getByLabel('搜索区域').fill('南京');
    await page.locator('.region-tree').getByText('南京市').click();
    await page.getByRole('button', { name: /新建下级区域/ }).click();
    const dialog = page.locator('.ant-modal');
    await dialog.getByLabel('名称（中文）').fill('江北新区智能制造园');
    await dialog.getByRole('button', { name: /确\s*定/ }).click();
    await page.getByText(/已新建区域 320100P\d+/).waitFor();
    await page.getByLabel('搜索区域').fill('江北新区');
    await page.locator('.region-tree').getByText('江北新区智能制造园').click();
    await page.getByText('园区').first().waitFor();
    await shot(page, '01-park');
  });

  it("names the province's liaison; a bad mobile is refused at its field", async () => {
    await page.getByLabel('搜索区域').fill('江苏');
    await page.locator('.region-tree').getByText('江苏省', { exact: true }).click();
    const liaisons = page.locator('.liaisons');
    await page.getByRole('button', { name: /添加联络员/ }).click();
    await liaisons.getByLabel('姓名').fill('张三');
    await liaisons.getByLabel('职务').fill('处长');
    await liaisons.getByLabel('手机号').fill('1380013');
    await liaisons.getByRole('button', { name: /保\s*存/ }).click();
    await page.getByText('请输入 11 位中国大陆手机号').first().waitFor();
    await liaisons.getByLabel('手机号').fill('13800138000');
    await liaisons.getByRole('button', { name: /保\s*存/ }).click();
    await page.getByText('已保存').first().waitFor();
    const saved = await page.request.get(`${server.url}/api/regions/320000/liaisons`);
    expect((await saved.json()).liaisons).toEqual([expect.objectContaining({ name: '张三', post: '处长', mobile: '13800138000' })]);
  });

  it("runs the province's sub-platform, whose name and notice its enterprises see on their home page", async () => {
    const card = page.locator('.sub-platform-card');
    await card.getByLabel('开通分平台').click();
    await card.getByLabel('分平台名称', { exact: true }).fill('江苏省智能制造评估分平台');
    await card.getByLabel('首页通知（每段一行）', { exact: true }).fill('请各企业于年底前完成自诊断。\n达到二级及以上的企业可申报省级智能工厂。');
    await card.getByRole('button', { name: /保\s*存/ }).click();
    await page.getByText('已保存').first().waitFor();
    await shot(page, '02-province');

    const enterprise = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    await enterprise.request.post(`${server.url}/api/session`, { data: { username: 'js1', password: PASSWORD } });
    await enterprise.goto(`${server.url}/#/`);
    const notice = enterprise.locator('.sub-platform');
    await notice.getByText('江苏省智能制造评估分平台').waitFor();
    expect(await notice.innerText()).toContain('达到二级及以上的企业可申报省级智能工厂。');
    await shot(enterprise, '03-enterprise-home');
    await enterprise.close();
  });

  it('raised no page errors and no server errors', () => {
    expect(problems).toEqual([]);
  });
});
