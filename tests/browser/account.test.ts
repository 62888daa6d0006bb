// 账号设置 in the runtime, as an enterprise's user uses it: opened from the user's name in the
// header; name and credit code shown but not editable; the profile edited (a bad e-mail named at
// its field, then a new region, size and revenue saved); the mobile changed with the code sent to
// the new number (read from the development outbox); the password changed, then used to log in.
// Screenshots at 1440 and 390 wide go to test-artifacts/account/.
import { mkdirSync, mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { chromiumPath, CHROMIUM_ARGS } from '../../server/chromium.ts';
import { creditCodeFor } from '../../server/population.ts';
import { startServer } from './server.ts';

const OUT = 'test-artifacts/account';
const USER = 'acct_firm';

let server: Awaited<ReturnType<typeof startServer>>;
let browser: Browser;
let page: Page;
let outbox: string;
const problems: string[] = [];
const shot = (p: Page, name: string) => p.screenshot({ path: `${OUT}/${name}.png`, fullPage: true });

const codesSentTo = (mobile: string): string[] =>
  existsSync(outbox)
    ? readFileSync(outbox, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { mobile: string; text: string })
        .filter((m) => m.mobile === mobile)
        .map((m) => m.text.match(/\d{6}/)![0])
    : [];

beforeAll(async () => {
  mkdirSync(OUT, { recursive: true });
  outbox = join(mkdtempSync(join(tmpdir(), 'ladder-outbox-')), 'sms.jsonl');
  server = await startServer({ LADDER_SMS_OUTBOX: outbox });
  browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
  // A 503 here would be the SMS sender failing: every API failure at or above 500 is a problem.
  context.on('response', (r) => r.url().includes('/api/') && r.status() >= 500 && problems.push(`HTTP ${r.status()} ${r.url()}`));
  page = await context.newPage();
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => /Content Security Policy|Refused to/.test(m.text()) && problems.push(`CSP: ${m.text()}`));
  const registered = await page.request.post(`${server.url}/api/accounts`, {
    data: {
      username: USER,
      password: 'secret123',
      passwordConfirm: 'secret123',
      mobile: '13800138000',
      email: 'it@example.com',
      enterpriseName: '无锡示范装备有限公司',
      creditCode: creditCodeFor(4242, '320200'),
      enterpriseType: 'production',
      industry: 'C35',
      sizeBand: '100-200',
      revenue: 5000,
      region: '320200',
    },
  });
  expect(registered.status()).toBe(201);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('账号设置', { timeout: 120_000 }, () => {
  it('opens from the user name in the header and shows name and credit code as the identity, not to be edited', async () => {
    await page.goto(server.url + '/#/');
    await page.getByRole('link', { name: /账号设置/ }).click();
    await page.getByRole('heading', { name: '账号设置' }).waitFor();
    const profile = page.locator('form#profile');
    await profile.waitFor();
    await page.getByText('无锡示范装备有限公司').waitFor();
    await page.getByText('企业名称和统一社会信用代码是企业的身份标识').waitFor();
    // The identity is text, not a field.
    expect(await profile.getByLabel('企业名称').count()).toBe(0);
    expect(await profile.getByLabel('统一社会信用代码').count()).toBe(0);
    expect(await profile.getByLabel('电子邮箱').inputValue()).toBe('it@example.com');
    await shot(page, '01-account-1440');
  });

  it('names a bad e-mail at its field, then saves a new region, size band and revenue', async () => {
    const profile = page.locator('form#profile');
    await profile.getByLabel('电子邮箱').fill('not-an-email');
    await profile.getByRole('button', { name: /保存企业信息/ }).click();
    await profile.getByText('电子邮箱格式不正确').waitFor();
    await profile.getByLabel('电子邮箱').fill('ops@example.com');
    await profile.getByLabel('所在地区').click();
    await page.locator('.ant-cascader-menu-item', { hasText: '浙江省' }).click();
    await page.locator('.ant-cascader-menu-item', { hasText: '杭州市' }).first().click();
    await profile.getByLabel('200人以上').check();
    await profile.getByLabel('企业销售额收入（万元）').fill('12000');
    await profile.getByRole('button', { name: /保存企业信息/ }).click();
    await page.getByText('企业信息已保存').waitFor();
    const account = await (await page.request.get(`${server.url}/api/account`)).json();
    expect(account.user.email).toBe('ops@example.com');
    expect(account.enterprise).toMatchObject({ region: '330100', regionPath: ['330000', '330100'], sizeBand: 'gt200', revenue: 12000, name: '无锡示范装备有限公司' });
  });

  it('changes the mobile with the code sent to the new number; a wrong code is refused at its field', async () => {
    const mobile = page.locator('form#mobile-change');
    await mobile.getByLabel('新手机号').fill('13911112222');
    await mobile.getByRole('button', { name: /发送验证码/ }).click();
    await page.getByText('验证码已发送至新手机号').waitFor();
    await mobile.getByRole('button', { name: /秒后可重新发送/ }).waitFor();
    const [code] = codesSentTo('13911112222');
    expect(code).toMatch(/^\d{6}$/);
    await mobile.getByLabel('验证码').fill(code === '000000' ? '111111' : '000000');
    await mobile.getByRole('button', { name: /确认更换/ }).click();
    await mobile.getByText('验证码错误或已过期').waitFor();
    await shot(page, '02-mobile-code-1440');
    await mobile.getByLabel('验证码').fill(code);
    await mobile.getByRole('button', { name: /确认更换/ }).click();
    await page.getByText('手机号已更换').waitFor();
    await page.getByText('13911112222').waitFor();
    // The server's log has the message with its digits masked.
    expect(server.logs.join('')).not.toContain(code);
  });

  it('changes the password from the page, and the new one logs in', async () => {
    await page.locator('.account-page').getByRole('button', { name: '修改密码' }).click();
    const dialog = page.getByRole('dialog', { name: '修改密码' });
    await dialog.getByLabel('当前密码').fill('secret123');
    await dialog.getByLabel('新密码', { exact: true }).fill('changed123');
    await dialog.getByLabel('确认新密码').fill('changed123');
    await dialog.getByRole('button', { name: '修改密码' }).click();
    await page.getByText('密码已修改').waitFor();
    await page.getByRole('button', { name: /退出/ }).click();
    await page.getByLabel('用户名').fill(USER);
    await page.getByLabel('密码').fill('secret123');
    await page.getByRole('button', { name: /登\s*录/ }).click();
    await page.getByText('用户名或密码错误').waitFor();
    await page.getByLabel('密码').fill('changed123');
    await page.getByRole('button', { name: /登\s*录/ }).click();
    await page.getByRole('heading', { name: '企业自诊断' }).waitFor();
  });

  it('fits a phone 390 wide', async () => {
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN', storageState: await page.context().storageState() });
    const small = await phone.newPage();
    await small.goto(server.url + '/#/account');
    await small.locator('form#profile').waitFor();
    await small.getByText('13911112222').waitFor();
    expect(await small.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await shot(small, '03-account-390');
    await phone.close();
  });

  it('reads in English', async () => {
    await page.goto(server.url + '/#/account');
    await page.locator('form#profile').waitFor();
    await page.getByText('English', { exact: true }).click();
    await page.getByRole('heading', { name: 'Account settings' }).waitFor();
    await page.getByText('cannot be changed after registration').waitFor();
    await page.locator('form#profile').getByLabel('E-mail').fill('');
    await page.locator('form#profile').getByRole('button', { name: 'Save profile' }).click();
    await page.getByText('Enter e-mail').waitFor();
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot(page, '04-account-en-1440');
  });

  it('raised no page errors and no unexpected API failures', () => {
    expect(problems).toEqual([]);
  });
});
