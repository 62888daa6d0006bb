// The enterprise's self-diagnosis in headless Chromium against a real server: register, tailor,
// save and come back after logging out and in, reach level 1, miss level 2, fill the indicators,
// see the result. Screenshots of each page go to test-artifacts/browser/ (look at them).
import { mkdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { chromiumPath, CHROMIUM_ARGS } from '../../server/chromium.ts';
import { startServer } from './server.ts';

const OUT = 'test-artifacts/browser';
const USER = `e2e${Date.now() % 1_000_000}`;
const CODE = '91350100M000100Y43';

let server: Awaited<ReturnType<typeof startServer>>;
let browser: Browser;
let page: Page;
const problems: string[] = [];

const shot = async (name: string, fullPage = true) => {
  await page.waitForTimeout(300);
  await page.screenshot({ path: `${OUT}/${name}.png`, fullPage });
};
const submitButton = () => page.locator('.answer-buttons, .indicators-actions').getByRole('button', { name: /提\s*交/ });
const confirmSubmit = () => page.locator('.ant-modal-confirm').getByRole('button', { name: /提\s*交/ }).click();

/** Picks option `index` (0 = A … 3 = D) in every question of every node of the level, node by node. */
async function answerLevel(index: number, stopAfterNodes = Infinity) {
  for (let node = 0; node < 80 && node < stopAfterNodes; node++) {
    await page.locator('div.question').first().waitFor();
    const questions = page.locator('div.question');
    for (let i = 0, n = await questions.count(); i < n; i++) {
      const radios = questions.nth(i).getByRole('radio');
      // Options A–D come first; "企业不涉及此题目", where offered, is last.
      await radios.nth(index).check();
    }
    const next = page.getByRole('button', { name: /下一步/ });
    if (await next.isDisabled()) break;
    await next.click();
  }
  // Autosave is debounced; wait for it to report the save.
  await page.getByText(/已保存/).first().waitFor({ timeout: 10_000 });
}

beforeAll(async () => {
  mkdirSync(OUT, { recursive: true });
  server = await startServer();
  browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN', acceptDownloads: true });
  page = await context.newPage();
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  // The Content-Security-Policy refusing something the page needs shows only as a console message.
  page.on('console', (m) => /Content Security Policy|Refused to/.test(m.text()) && problems.push(`CSP: ${m.text()}`));
  page.on('response', (r) => {
    // 4xx answers the test provokes on purpose are listed in `expected`; anything else is a problem.
    const expected = /\/api\/session$|\/api\/session\/password$|\/api\/accounts$|\/levels\/\d+\/submit$|\/indicators\/submit$/;
    if (r.url().includes('/api/') && r.status() >= 500) problems.push(`HTTP ${r.status()} ${r.url()}`);
    if (r.url().includes('/api/') && r.status() >= 400 && r.status() < 500 && !expected.test(r.url())) problems.push(`HTTP ${r.status()} ${r.request().method()} ${r.url()}`);
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('self-diagnosis in the browser', { timeout: 120_000 }, () => {
  it('registers an enterprise with every field', async () => {
    await page.goto(server.url + '/#/register');
    await page.getByLabel('用户名').fill(USER);
    await page.getByLabel('密码', { exact: true }).fill('secret123');
    await page.getByLabel('确认密码').fill('secret123');
    await page.getByLabel('手机号').fill('13800138000');
    await page.getByLabel('电子邮箱').fill('it@example.com');
    await page.getByLabel('企业名称').fill('福州示范装备有限公司');
    await page.getByLabel('统一社会信用代码').fill('91350100M000100Y44');
    await page.getByLabel('生产企业').check();
    await page.getByLabel('行业类型').click();
    await page.locator('.ant-cascader-menu-item', { hasText: 'C 制造业' }).click();
    await page.locator('.ant-cascader-menu-item', { hasText: 'C35' }).click();
    await page.getByLabel('100-200人').check();
    await page.getByLabel('企业销售额收入（万元）').fill('52000');
    await page.getByLabel('所在地区').click();
    await page.locator('.ant-cascader-menu-item', { hasText: '福建省' }).click();
    await page.locator('.ant-cascader-menu-item', { hasText: '福州市' }).first().click();
    // A wrong check character is caught by the server and shown under the field.
    await page.getByRole('button', { name: /注\s*册/ }).click();
    await page.getByText('统一社会信用代码校验位不正确，请核对').waitFor();
    await shot('01-register-error');
    await page.getByLabel('统一社会信用代码').fill(CODE);
    await page.getByRole('button', { name: /注\s*册/ }).click();
    await page.getByRole('heading', { name: '企业自诊断' }).waitFor({ timeout: 15_000 });
    await shot('02-home');
  });

  it('tailors: mandatory domains fixed, 物流 excluded', async () => {
    await page.getByRole('button', { name: /新建自诊断/ }).click();
    await page.getByRole('heading', { name: '能力域裁剪' }).waitFor();
    expect(await page.getByLabel('生产：必答（不可裁剪）').isDisabled()).toBe(true);
    await page.getByLabel('不答“物流”').check();
    await shot('03-tailoring');
    await page.getByRole('button', { name: /开始答题/ }).click();
    await page.locator('.ant-modal-confirm').getByRole('button', { name: /开始答题/ }).click();
    await page.locator('div.question').first().waitFor();
    await page.locator('.nav-tree').getByText('制造', { exact: true }).click();
    await page.locator('.nav-tree').getByText('生产', { exact: true }).waitFor();
    const tree = await page.locator('.nav-tree').innerText();
    for (const name of ['人员', '技术', '资源', '制造', '设计', '生产', '销售', '服务']) expect(tree).toContain(name);
    expect(tree).not.toContain('物流');
    await page.locator('.nav-tree .ant-tree-node-content-wrapper').first().click();
    await page.getByRole('radiogroup', { name: /1\.1\.1/ }).waitFor();
    await shot('04-answering', false);
  });

  it('keeps saved answers across logging out and in, and continues the diagnosis', async () => {
    await answerLevel(3, 2);
    const first = page.getByRole('radiogroup', { name: /1\.1\.1/ });
    await page.locator('.nav-tree .ant-tree-node-content-wrapper').first().click();
    expect(await first.getByRole('radio').nth(3).isChecked()).toBe(true);
    await page.getByRole('button', { name: '退出' }).click();
    await page.getByRole('button', { name: /登\s*录/ }).waitFor();
    await page.getByLabel('用户名').fill(USER);
    await page.getByLabel('密码').fill('secret123');
    await page.getByRole('button', { name: /登\s*录/ }).click();
    await page.getByRole('button', { name: /继续自诊断/ }).click();
    await page.locator('div.question').first().waitFor();
    await page.locator('.nav-tree .ant-tree-node-content-wrapper').first().click();
    expect(await page.getByRole('radiogroup', { name: /1\.1\.1/ }).getByRole('radio').nth(3).isChecked()).toBe(true);
    await shot('05-continued', false);
  });

  it('reaches level 1 and moves on to level 2 after the countdown', async () => {
    await answerLevel(3);
    await submitButton().click();
    await confirmSubmit();
    await page.getByText(/已达到 规划级/).waitFor();
    await shot('06-level1-reached', false);
    await page.getByText(/规范级 \| 1\.1\.1/).waitFor({ timeout: 15_000 });
    await shot('07-level2', false);
  });

  it('misses level 2 and goes to the indicators page, which requires every value and formula', async () => {
    await answerLevel(0);
    await submitButton().click();
    await confirmSubmit();
    await page.getByRole('heading', { name: '成效类指标' }).waitFor();
    await submitButton().click();
    await page.getByText(/计算公式/).first().waitFor();
    const rows = page.locator('.indicator-row');
    const n = await rows.count();
    expect(n).toBe(7);
    for (let i = 0; i < n; i++) {
      await rows.nth(i).locator('input').nth(0).fill(i === n - 1 ? '0' : String(5 + i));
      await rows.nth(i).locator('input').nth(1).fill(i === n - 1 ? '无' : '（本期 − 上期）/ 上期 × 100%');
    }
    await shot('08-indicators');
    // The last value typed schedules a draft save 1.5 s on; the submit's answer is held back 2 s, so
    // that save would fall after the diagnosis finished (a 409) unless submitting cancels it.
    const drafts: string[] = [];
    page.on('request', (r) => r.method() === 'PUT' && r.url().endsWith('/indicators') && drafts.push(r.url()));
    await page.route('**/indicators/submit', async (route) => {
      await new Promise((r) => setTimeout(r, 2000));
      await route.continue();
    });
    await rows.nth(0).locator('input').nth(0).fill('6');
    const draftsBefore = drafts.length;
    await submitButton().click();
    await confirmSubmit();
    await page.getByRole('heading', { name: '自诊断结果' }).waitFor();
    await page.unroute('**/indicators/submit');
    await page.waitForTimeout(500);
    expect(drafts.length).toBe(draftsBefore);
  });

  it('shows the result: level 1, S = 1, level scores and domains', async () => {
    await page.getByRole('heading', { name: '自诊断结果' }).waitFor();
    const text = await page.locator('main').innerText();
    expect(text).toContain('规划级');
    expect(text).toMatch(/S\s*[=＝:：]?\s*1(\.0+)?\b/);
    for (const name of ['人员', '技术', '资源', '制造']) expect(text).toContain(name);
    expect(text).toContain('物流'); // listed among the excluded domains
    await shot('09-result');
    // The page tells what /result says, and computes nothing of its own.
    const id = /#\/diagnosis\/([^/]+)\/result/.exec(page.url())![1];
    const view = await page.evaluate(async (d) => (await fetch(`/api/diagnoses/${d}/result`)).json(), id);
    expect(text).toContain(view.levelName);
    expect(text).toContain(view.total.text);
    for (const l of view.levels) expect(text).toContain(`${l.name}（X`);
    if (view.profile) expect(text).toContain(view.profile.name);
    expect(text).toContain(view.finishedAt.dateTime);
    // 查看报告 opens the HTML report; 下载 PDF downloads it.
    const [report] = await Promise.all([page.waitForEvent('popup'), page.getByRole('link', { name: /查看报告/ }).click()]);
    await report.waitForLoadState();
    expect(await report.locator('[data-field="level"]').innerText()).toBe('一级（规划级）');
    await report.screenshot({ path: `${OUT}/09b-report.png`, fullPage: false });
    await report.close();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: /下载 PDF/ }).click()]);
    const pdf = await download.path();
    expect(download.suggestedFilename()).toMatch(/\.pdf$/);
    expect(readFileSync(pdf!).subarray(0, 5).toString()).toBe('%PDF-');
    await page.getByRole('button', { name: /返回首页/ }).click();
    await page.getByRole('heading', { name: '企业自诊断' }).waitFor();
    await page.locator('.ant-tag', { hasText: '计入统计' }).first().waitFor();
    await shot('10-home-history');
  });

  it('switches to English, and fits a phone screen', async () => {
    await page.getByText('English', { exact: true }).click();
    await page.getByRole('heading', { name: 'Self-diagnosis' }).waitFor();
    await shot('11-home-en');
    await page.getByText('中文', { exact: true }).click();
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, storageState: await page.context().storageState() });
    const small = await phone.newPage();
    await small.goto(server.url + '/#/');
    await small.getByRole('heading', { name: '企业自诊断' }).waitFor();
    // Nothing wider than the screen: no sideways scrolling on a phone.
    expect(await small.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await small.screenshot({ path: `${OUT}/12-phone-home.png`, fullPage: true });
    await phone.close();
  });

  it('changes the password from the header: a wrong current one is named, then the new one logs in', async () => {
    await page.goto(server.url + '/#/');
    await page.getByRole('button', { name: '修改密码' }).click();
    const dialog = page.getByRole('dialog', { name: '修改密码' });
    await dialog.getByLabel('当前密码').fill('not-it-123');
    await dialog.getByLabel('新密码', { exact: true }).fill('changed123');
    await dialog.getByLabel('确认新密码').fill('changed123');
    await dialog.getByRole('button', { name: '修改密码' }).click();
    await dialog.getByText('当前密码不正确').waitFor();
    await shot('13-change-password');
    await dialog.getByLabel('当前密码').fill('secret123');
    await dialog.getByRole('button', { name: '修改密码' }).click();
    await page.getByText('密码已修改').waitFor();
    await page.getByRole('button', { name: /退出/ }).click();
    await page.getByLabel('用户名').fill(USER);
    await page.getByLabel('密码').fill('changed123');
    await page.getByRole('button', { name: /登\s*录/ }).click();
    await page.getByRole('heading', { name: '企业自诊断' }).waitFor();
  });

  it('raised no page errors and no unexpected API failures', () => {
    expect(problems).toEqual([]);
  });
});
