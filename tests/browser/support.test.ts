// A support request answered in the browser: someone asks for a forgotten username on the login
// page's 忘记用户名 with a mobile that is not the enterprise's; the province's administrator finds
// it under 服务请求 (its region's requests only), reads the mobile to call back, answers by text
// message and resolves it; 操作日志 then shows the reply. Screenshots at 1440 and 390 wide go to
// test-artifacts/support/.
import { mkdirSync, mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { chromiumPath, CHROMIUM_ARGS } from '../../server/chromium.ts';
import { benchContext } from '../../bench/serverProcess.ts';
import { generatePopulation } from '../../server/population.ts';
import type { Enterprise } from '../../server/store/types.ts';
import { startServer } from './server.ts';

const OUT = 'test-artifacts/support';
const PASSWORD = 'support-2026';
const REQUESTER_MOBILE = '13755556666';

let server: Awaited<ReturnType<typeof startServer>>;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let firm: Enterprise;
let outbox: string;
const problems: string[] = [];
const shot = (p: Page, name: string) => p.screenshot({ path: `${OUT}/${name}.png`, fullPage: true });

beforeAll(async () => {
  mkdirSync(OUT, { recursive: true });
  const dataDir = mkdtempSync(join(tmpdir(), 'ladder-support-'));
  outbox = join(dataDir, 'sms-outbox.jsonl');
  const ctx = await benchContext(dataDir);
  await generatePopulation(ctx, { count: 4, prefix: 'js', password: PASSWORD, regions: ['320000'], finished: 1, seed: 11 });
  firm = (await ctx.store.listEnterprises())[0];
  await ctx.store.close();
  await ctx.pdf.close();
  server = await startServer({ LADDER_ADMIN_USERNAME: 'admin', LADDER_ADMIN_PASSWORD: PASSWORD, LADDER_SMS_OUTBOX: outbox }, { dataDir });
  // The province's administrator and one of another province, created the way the platform does it.
  const admin = await fetch(`${server.url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: PASSWORD }) });
  const cookie = admin.headers.getSetCookie()[0].split(';')[0];
  for (const [username, region] of [
    ['js-admin', '320000'],
    ['zj-admin', '330000'],
  ]) {
    const res = await fetch(`${server.url}/api/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie, origin: server.url },
      body: JSON.stringify({ username, password: PASSWORD, passwordConfirm: PASSWORD, role: 'regionAdmin', region }),
    });
    if (res.status !== 201) throw new Error(`creating ${username}: ${res.status} ${await res.text()}`);
  }
  browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
  context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
  context.on('response', (r) => r.url().includes('/api/') && r.status() >= 500 && problems.push(`HTTP ${r.status()} ${r.url()}`));
  page = await context.newPage();
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => /Content Security Policy|Refused to/.test(m.text()) && problems.push(`CSP: ${m.text()}`));
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function login(p: Page, username: string) {
  await p.goto(`${server.url}/#/login`);
  await p.getByLabel('用户名').fill(username);
  await p.getByLabel('密码').fill(PASSWORD);
  await p.getByRole('button', { name: /登\s*录/ }).click();
  await p.getByRole('link', { name: '服务请求' }).waitFor();
}

describe('a support request answered in the browser', { timeout: 120_000 }, () => {
  it("is asked for on the login page's 忘记用户名 with a mobile that is not the enterprise's", async () => {
    await page.goto(`${server.url}/#/login`);
    await page.getByRole('link', { name: '忘记用户名' }).click();
    await page.getByLabel('企业名称').fill(firm.name);
    await page.getByLabel('统一社会信用代码').fill(firm.creditCode);
    await page.getByLabel('注册手机号').fill(REQUESTER_MOBILE);
    await shot(page, '00-forgot-username-1440');
    await page.getByRole('button', { name: /找回用户名/ }).click();
    await page.getByText('已提交').waitFor();
  });

  it("is not among another province's requests", async () => {
    await login(page, 'zj-admin');
    await page.getByRole('link', { name: '服务请求' }).click();
    await page.getByText('没有符合条件的服务请求').waitFor();
    await page.getByRole('button', { name: /退\s*出/ }).click();
    await page.getByRole('button', { name: /登\s*录/ }).waitFor();
  });

  it("is answered by the province's administrator: the mobile to call back, a text message, resolved", async () => {
    await login(page, 'js-admin');
    await page.getByRole('link', { name: '服务请求' }).click();
    const row = page.locator('.support-requests tbody tr', { hasText: firm.name });
    await row.waitFor();
    expect(await row.innerText()).toContain('137****6666');
    expect(await row.innerText()).toContain('待处理');
    await shot(page, '01-list-1440');

    await row.getByRole('button', { name: /处\s*理/ }).click();
    const drawer = page.locator('.support-drawer');
    // No account matched: the administrator sees the number to call back.
    await drawer.locator('.support-mobile', { hasText: REQUESTER_MOBILE }).waitFor();
    await drawer.getByText('未匹配注册账户').waitFor();
    await drawer.getByLabel('答复内容').fill('您好，贵企业账户的注册手机号与所填号码不一致，请携营业执照复印件联系市工信局更换。');
    await shot(page, '02-drawer-1440');
    await drawer.getByRole('button', { name: /提交答复/ }).click();
    await page.getByText('答复已记录并以短信发送').waitFor();
    await drawer.locator('.support-reply', { hasText: '请携营业执照复印件' }).waitFor();
    await drawer.locator('.support-status').getByText('已解决').waitFor();
    expect(await drawer.locator('.support-reply').innerText()).toContain('js-admin');
    await shot(page, '03-answered-1440');

    // The text message went to the requester's mobile.
    expect(existsSync(outbox)).toBe(true);
    const sent = readFileSync(outbox, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { mobile: string; text: string });
    expect(sent.at(-1)).toMatchObject({ mobile: REQUESTER_MOBILE, text: expect.stringContaining('【Ladder】您好，贵企业账户') });

    await drawer.getByRole('button', { name: /Close|关闭/ }).click();
    await page.locator('.support-requests').getByText('没有符合条件的服务请求').waitFor();
    await page.getByRole('combobox', { name: '状态' }).click();
    await page.locator('.ant-select-item-option', { hasText: '已解决' }).click();
    await page.locator('.support-requests tbody tr', { hasText: firm.name }).getByText('已解决').waitFor();
  });

  it('shows in the audit log, filtered to support requests', async () => {
    await page.getByRole('link', { name: '操作日志' }).click();
    const reply = page.locator('.audit-log tbody tr.ant-table-row', { hasText: '答复服务请求' });
    await reply.waitFor();
    const text = await reply.innerText();
    expect(text).toContain('js-admin');
    expect(text).toContain(firm.name);
    expect(text).toContain('sentBySms: true');
    await page.getByRole('combobox', { name: '操作' }).click();
    await page.keyboard.type('全部服务请求');
    await page.locator('.ant-select-item-option', { hasText: '全部服务请求操作' }).click();
    await page.locator('.ant-select-dropdown').last().waitFor({ state: 'hidden' });
    await page.locator('.audit-log tbody tr.ant-table-row').first().waitFor();
    const actions = await page.locator('.audit-log tbody tr.ant-table-row .audit-code').allInnerTexts();
    expect(actions).toEqual(['support.reply']);
    await shot(page, '04-audit-1440');
    // The same in English: the actions and the page by their English names.
    await page.getByText('English', { exact: true }).click();
    await page.getByRole('heading', { name: 'Audit log' }).waitFor();
    await page.locator('.audit-log tbody tr.ant-table-row', { hasText: 'Support request answered' }).waitFor();
    await shot(page, '08-audit-en-1440');
    await page.getByRole('link', { name: 'Support' }).click();
    await page.getByRole('heading', { name: 'Support requests' }).waitFor();
    await shot(page, '09-support-en-1440');
    await page.getByText('中文', { exact: true }).click();
    await page.getByRole('heading', { name: '服务请求' }).waitFor();
  });

  it('reads at 390 wide', async () => {
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN', deviceScaleFactor: 2 });
    const p = await phone.newPage();
    p.on('pageerror', (e) => problems.push(`page error (390): ${e.message}`));
    await p.request.post(`${server.url}/api/session`, { data: { username: 'js-admin', password: PASSWORD } });
    await p.goto(`${server.url}/#/admin/support`);
    await p.getByRole('combobox', { name: '状态' }).click();
    await p.locator('.ant-select-item-option', { hasText: '全部状态' }).click();
    await p.locator('.ant-select-dropdown').last().waitFor({ state: 'hidden' });
    await p.locator('.support-requests tbody tr', { hasText: firm.name }).waitFor();
    await shot(p, '05-list-390');
    expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await p.locator('.support-requests tbody tr', { hasText: firm.name }).click();
    await p.locator('.support-drawer .support-reply').waitFor();
    // The drawer slides in: the picture is taken once it is all in view.
    await p.waitForFunction(() => Math.abs(document.querySelector('.ant-drawer-content-wrapper')?.getBoundingClientRect().left ?? 1) < 1);
    await shot(p, '06-drawer-390');
    await p.goto(`${server.url}/#/admin/audit`);
    await p.locator('.audit-log tbody tr.ant-table-row').first().waitFor();
    await shot(p, '07-audit-390');
    // Nothing wider than the phone: no sideways scrolling.
    expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await phone.close();
  });

  it('raised no page errors and no server errors', () => {
    expect(problems, server.logs.filter((l) => /error/i.test(l)).join('\n')).toEqual([]);
  });
});
