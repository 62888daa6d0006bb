// Administration in the runtime: a platform administrator creates a region administrator for 江苏省
// in the browser; that administrator logs in through the login page and sees only its region's users
// and enterprises (none of 浙江省's), opens an enterprise's drawer, resets a user's password to a
// temporary one shown once (the user logs in with it) and disables an enterprise after confirming
// (its user's login is refused). Screenshots at 1440 and 390 wide go to test-artifacts/admin/.
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { chromiumPath, CHROMIUM_ARGS } from '../../server/chromium.ts';
import { benchContext } from '../../bench/serverProcess.ts';
import { generatePopulation } from '../../server/population.ts';
import { startServer } from './server.ts';

const OUT = 'test-artifacts/admin';
const PASSWORD = 'admin-2026';
const NEW_ADMIN = 'js-admin';
const NEW_PASSWORD = 'jiangsu2026';

let server: Awaited<ReturnType<typeof startServer>>;
let browser: Browser;
let platform: Page;
let regional: Page;
let regionalContext: BrowserContext;
const problems: string[] = [];
const shot = async (p: Page, name: string) => {
  // Drawers and dialogs slide in: the picture is of where they come to rest.
  await p.waitForFunction(() => !document.querySelector('[class*="ant-drawer"][class*="-motion-"][class*="-active"], [class*="ant-zoom"][class*="-active"], [class*="ant-fade"][class*="-active"]'));
  await p.screenshot({ path: `${OUT}/${name}.png`, fullPage: true });
};

async function newPage(width: number): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width, height: 900 }, locale: 'zh-CN' });
  context.on('response', (r) => r.url().includes('/api/') && r.status() >= 500 && problems.push(`HTTP ${r.status()} ${r.url()}`));
  const page = await context.newPage();
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => /Content Security Policy|Refused to/.test(m.text()) && problems.push(`CSP: ${m.text()}`));
  return { context, page };
}

/** The usernames in the users table as shown. */
const shownUsernames = async (page: Page) => (await page.locator('.admin-users .ant-table-tbody tr.ant-table-row td:first-child').allInnerTexts()).map((s) => s.split('\n')[0].trim());

beforeAll(async () => {
  mkdirSync(OUT, { recursive: true });
  const dataDir = mkdtempSync(join(tmpdir(), 'ladder-admin-'));
  const ctx = await benchContext(dataDir);
  await generatePopulation(ctx, { count: 5, prefix: 'js', password: PASSWORD, regions: ['320000'], finished: 1, seed: 11 });
  await generatePopulation(ctx, { count: 4, prefix: 'zj', password: PASSWORD, regions: ['330000'], finished: 1, seed: 12 });
  await ctx.store.close();
  await ctx.pdf.close();
  server = await startServer({ LADDER_ADMIN_USERNAME: 'admin', LADDER_ADMIN_PASSWORD: PASSWORD }, { dataDir });
  browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
  platform = (await newPage(1440)).page;
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('administration of users and enterprises', { timeout: 120_000 }, () => {
  it('a platform administrator creates a region administrator for 江苏省', async () => {
    await platform.request.post(`${server.url}/api/session`, { data: { username: 'admin', password: PASSWORD } });
    await platform.goto(`${server.url}/#/admin/users`);
    await platform.getByText('共 10 个用户').waitFor();
    expect(await shownUsernames(platform)).toEqual(expect.arrayContaining(['admin', 'js1', 'zj1']));
    await shot(platform, '01-users-platform-1440');

    await platform.getByRole('button', { name: /新建用户/ }).click();
    const dialog = platform.locator('.ant-modal');
    await dialog.getByText('地区管理员').first().waitFor();
    // The region by its name, searched in the tree.
    await dialog.getByLabel('管辖地区').click();
    await platform.keyboard.type('江苏');
    await platform.locator('.ant-select-tree-node-content-wrapper', { hasText: /^江苏省$/ }).click();
    await dialog.getByLabel('用户名').fill(NEW_ADMIN);
    await dialog.getByLabel('初始密码').fill('short');
    await dialog.getByLabel('确认密码').fill('short');
    await dialog.getByRole('button', { name: /创\s*建/ }).click();
    // The server's refusal shows at its field.
    await dialog.getByText('密码至少 8 位，且须同时包含字母和数字').waitFor();
    await dialog.getByLabel('初始密码').fill(NEW_PASSWORD);
    await dialog.getByLabel('确认密码').fill(NEW_PASSWORD);
    await shot(platform, '02-create-region-admin-1440');
    await dialog.getByRole('button', { name: /创\s*建/ }).click();
    await platform.getByText(`已创建用户 ${NEW_ADMIN}`).waitFor();
    await platform.getByText('共 11 个用户').waitFor();
    const row = platform.locator('.admin-users tr', { hasText: NEW_ADMIN });
    expect(await row.innerText()).toContain('江苏省');
  });

  it('the new administrator logs in and sees only its region’s users', async () => {
    ({ context: regionalContext, page: regional } = await newPage(1440));
    await regional.goto(`${server.url}/#/login`);
    await regional.getByLabel('用户名').fill(NEW_ADMIN);
    await regional.getByLabel('密码').fill(NEW_PASSWORD);
    await regional.getByRole('button', { name: /登\s*录/ }).click();
    await regional.locator('.app-nav').getByText('用户管理').click();
    await regional.getByText('共 6 个用户').waitFor();
    const names = await shownUsernames(regional);
    expect(names.sort()).toEqual(['js-admin', 'js1', 'js2', 'js3', 'js4', 'js5']);
    // Region names, never codes.
    const regions = await regional.locator('.admin-users .ant-table-tbody tr.ant-table-row td:nth-child(3)').allInnerTexts();
    expect(regions.every((r) => /[\u4e00-\u9fff]/.test(r) && !/\d{6}/.test(r))).toBe(true);
    await shot(regional, '03-users-region-1440');
  });

  it('and only its region’s enterprises, with a drawer of the profile, users and diagnoses', async () => {
    await regional.locator('.app-nav').getByText('企业管理').click();
    await regional.getByText('共 5 家').waitFor();
    const names = await regional.locator('.admin-enterprises .ant-table-tbody tr.ant-table-row td:first-child').allInnerTexts();
    expect(names).toHaveLength(5);
    expect(names.join()).not.toMatch(/浙江|杭州|宁波|温州|嘉兴|湖州|绍兴|金华|衢州|舟山|台州|丽水/);
    await shot(regional, '04-enterprises-region-1440');
    await regional.locator('.admin-enterprises .ant-table-tbody tr.ant-table-row').first().getByRole('button', { name: '详情' }).click();
    const drawer = regional.locator('.enterprise-drawer');
    await drawer.getByText('企业信息').waitFor();
    await drawer.getByText('自诊断次数').waitFor();
    expect(await drawer.innerText()).toContain('江苏省');
    await drawer.getByText(/^js\d$/).first().waitFor();
    await shot(regional, '05-enterprise-drawer-1440');
    await drawer.getByRole('button', { name: 'Close' }).or(drawer.locator('.ant-drawer-close')).first().click();
  });

  it('resets a user’s password to a temporary one shown once, which the user logs in with', async () => {
    await regional.locator('.app-nav').getByText('用户管理').click();
    const row = regional.locator('.admin-users tr.ant-table-row', { hasText: /^js1\b/ });
    await row.getByRole('button', { name: '重置密码' }).click();
    const dialog = regional.locator('.ant-modal', { hasText: '重置 js1 的密码' });
    // Once the dialog has finished opening (a click during its zoom can miss on a loaded machine).
    await regional.waitForFunction(() => !document.querySelector('.ant-zoom-enter, .ant-zoom-appear'));
    await dialog.getByRole('button', { name: /重置密码/ }).click();
    const code = dialog.locator('.temporary-password code');
    await code.waitFor({ timeout: 15_000 }).catch(async () => {
      throw new Error(`no temporary password shown; the dialog says: ${await dialog.innerText()}`);
    });
    const temporary = (await code.innerText()).trim();
    expect(temporary).toMatch(/^[A-Za-z\d]{12}$/);
    await dialog.getByText('临时密码只显示这一次').waitFor();
    await shot(regional, '06-temporary-password-1440');
    await dialog.locator('.ant-modal-footer').getByRole('button', { name: /关\s*闭/ }).click();
    const login = await regional.request.post(`${server.url}/api/session`, { data: { username: 'js1', password: temporary } });
    expect(login.status()).toBe(200);
    // That login was the regional page's context: log the administrator back in.
    await regional.request.post(`${server.url}/api/session`, { data: { username: NEW_ADMIN, password: NEW_PASSWORD } });
  });

  it('disables an enterprise after confirming: its user can no longer log in', async () => {
    await regional.goto(`${server.url}/#/admin/enterprises`);
    await regional.getByPlaceholder('企业名称或统一社会信用代码').fill('示例制造企业2号');
    await regional.getByPlaceholder('企业名称或统一社会信用代码').press('Enter');
    await regional.getByText('共 1 家').waitFor();
    await regional.locator('.admin-enterprises tr.ant-table-row').getByRole('button', { name: '停用' }).click();
    await regional.getByText('停用后该企业的所有用户都不能登录').waitFor();
    await regional.locator('.ant-popconfirm').getByRole('button', { name: /确\s*定/ }).click();
    await regional.getByText(/已停用 .*示例制造企业2号/).waitFor();
    await regional.locator('.admin-enterprises tr.ant-table-row').getByText('已停用').waitFor();
    const refused = await browser.newContext().then((c) => c.request.post(`${server.url}/api/session`, { data: { username: 'js2', password: PASSWORD } }));
    expect(refused.status()).toBe(403);
    expect((await refused.json()).error.message).toContain('账号已停用');
  });

  it('speaks English too', async () => {
    await regional.goto(`${server.url}/#/admin/users`);
    await regional.getByText('English', { exact: true }).click();
    await regional.getByRole('heading', { name: 'Users' }).waitFor();
    await regional.getByText('6 users').waitFor();
    // The list comes again in English: the region names are the server's.
    await regional.locator('.admin-users .ant-spin-blur').waitFor({ state: 'detached' });
    expect(await regional.locator('.admin-users').innerText()).toContain('Jiangsu');
    expect(await regional.locator('.admin-users').innerText()).toContain('Region administrator');
    await shot(regional, '10-users-en-1440');
    await regional.getByText('中文', { exact: true }).click();
  });

  it('fits a phone: the lists at 390 wide', async () => {
    const { page } = await newPage(390);
    await page.request.post(`${server.url}/api/session`, { data: { username: NEW_ADMIN, password: NEW_PASSWORD } });
    await page.goto(`${server.url}/#/admin/users`);
    await page.getByText('共 6 个用户').waitFor();
    await shot(page, '07-users-390');
    await page.goto(`${server.url}/#/admin/enterprises`);
    await page.getByText('共 5 家').waitFor();
    await shot(page, '08-enterprises-390');
    await page.locator('.admin-enterprises .ant-table-tbody tr.ant-table-row').first().getByRole('button', { name: '详情' }).click();
    await page.locator('.enterprise-drawer').getByText('企业信息').waitFor();
    await shot(page, '09-enterprise-drawer-390');
    // Nothing wider than the screen but the table, which scrolls within itself.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    // The header's links don't fit a phone: the menu button opens them, every administrative page in reach.
    await page.locator('.enterprise-drawer .ant-drawer-close').click();
    await page.getByRole('button', { name: '主菜单' }).click();
    const drawer = page.locator('.nav-drawer');
    for (const label of ['区域看板', '区域管理', '用户管理', '企业管理', '服务请求', '操作日志']) await drawer.getByRole('link', { name: label }).waitFor();
    await shot(page, '11-menu-390');
    await drawer.getByRole('link', { name: '区域管理' }).click();
    await page.waitForFunction(() => location.hash.startsWith('#/regions'));
    await drawer.waitFor({ state: 'hidden' });
  });

  it('raised no page errors and no server errors', () => {
    expect(problems).toEqual([]);
  });
});
