// The designer in headless Chromium against a real server: a ruleset author builds a small ruleset
// from nothing through the UI (no JSON typed), adds a test case and publishes it; Guizhou's region
// administrator derives a variant with another monthly limit and an award policy and publishes it;
// an enterprise in Guizhou then answers that variant in the runtime and meets the policy and the
// limit. Screenshots of every designer screen go to test-artifacts/designer/ (look at them).
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { chromiumPath, CHROMIUM_ARGS } from '../../server/chromium.ts';
import { startServer } from './server.ts';

const OUT = 'test-artifacts/designer';
const PASSWORD = 'design2026';

let server: Awaited<ReturnType<typeof startServer>>;
let browser: Browser;
let page: Page;
const problems: string[] = [];

const shot = async (name: string, fullPage = true) => {
  await page.waitForTimeout(300);
  await page.screenshot({ path: `${OUT}/${name}.png`, fullPage });
};
const nav = (label: string) => page.locator('.editor-nav').getByText(label, { exact: true }).click();
const activePane = () => page.locator('.rules-tabs > .ant-tabs-body-holder > .ant-tabs-body > .ant-tabs-content-active');
/** The list's row of a ruleset (its id, not the "extends" column of its variants). */
const row = (id: string) => page.locator('tr', { has: page.getByText(id, { exact: true }) });
const saved = () => page.locator('.editor-toolbar [role=status]').getByText('已保存').waitFor({ timeout: 15_000 });

async function login(username: string) {
  await page.goto(`${server.url}/designer/`);
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(PASSWORD);
  await page.getByRole('button', { name: /登\s*录/ }).click();
  await page.getByRole('heading', { name: '规则集' }).or(page.getByText('规则集', { exact: true })).first().waitFor();
}

async function logout() {
  await page.getByRole('button', { name: /退\s*出/ }).click();
  await page.getByRole('button', { name: /登\s*录/ }).waitFor();
}

async function publish(version: string) {
  await page.locator('.editor-toolbar').getByRole('button', { name: /发\s*布/ }).click();
  const dialog = page.locator('.ant-modal').filter({ hasText: '发布规则集' });
  await dialog.getByLabel('发布的版本号').fill(version);
  await shot(`publish-dialog-${version}`, false);
  await dialog.getByRole('button', { name: /发\s*布/ }).click();
  await page.locator('.editor-toolbar').getByText('已发布').waitFor({ timeout: 20_000 });
}

beforeAll(async () => {
  mkdirSync(OUT, { recursive: true });
  server = await startServer({ LADDER_ADMIN_USERNAME: 'admin', LADDER_ADMIN_PASSWORD: PASSWORD });
  browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
  page = await context.newPage();
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  // The Content-Security-Policy refusing something the page needs shows only as a console message.
  page.on('console', (m) => /Content Security Policy|Refused to/.test(m.text()) && problems.push(`CSP: ${m.text()}`));
  page.on('response', (r) => {
    if (r.url().includes('/api/') && r.status() >= 500) problems.push(`HTTP ${r.status()} ${r.url()}`);
  });
  // The platform administrator creates the two accounts (there is no UI for that yet: issue 6).
  const admin = await context.request.post(`${server.url}/api/session`, { data: { username: 'admin', password: PASSWORD } });
  expect(admin.status()).toBe(200);
  for (const user of [
    { username: 'author1', role: 'rulesetAuthor' },
    { username: 'gz-admin', role: 'regionAdmin', region: '520000' },
  ]) {
    const res = await context.request.post(`${server.url}/api/users`, { data: { ...user, password: PASSWORD, passwordConfirm: PASSWORD } });
    expect(res.status(), await res.text()).toBe(201);
  }
  await context.request.delete(`${server.url}/api/session`);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('authoring in the designer', { timeout: 180_000 }, () => {
  it('an author creates a ruleset from nothing', async () => {
    await login('author1');
    await shot('01-list');
    await page.getByRole('button', { name: '新建规则集' }).click();
    const dialog = page.locator('.ant-modal').filter({ hasText: '新建规则集' });
    await dialog.getByLabel('标识').fill('e2e-small');
    await dialog.getByLabel('名称（中文）').fill('E2E 小型成熟度模型');
    await dialog.getByLabel('名称（英文）').fill('E2E small maturity model');
    await dialog.getByRole('button', { name: /创\s*建/ }).click();
    await page.locator('.editor-toolbar').getByText('e2e-small@1.0.0').waitFor();
    // The blank ruleset has a level with no questions yet: lint says so.
    await page.locator('.lint-panel').getByText(/没有任何题目/).waitFor();
    await shot('02-overview');
  });

  it('builds the model and the questions in the tree editor; lint follows along', async () => {
    await nav('模型与题库');
    await page.locator('.model-tree').getByText('领域一').click();
    await page.locator('.node-editor').getByLabel('名称（中文）').fill('数字化基础');
    await page.getByRole('button', { name: /添加领域/ }).click();
    await page.locator('.node-editor').getByLabel('名称（中文）').fill('智能化应用');
    await page.locator('.node-editor').getByRole('button', { name: /添加题目/ }).click();
    await page.locator('.question-editor').getByLabel('题目（中文）').fill('企业是否在生产中应用了数据分析？');
    await page.locator('.model-tree').getByText('数字化基础').click();
    await page.locator('.node-editor').getByRole('button', { name: /添加题目/ }).click();
    const text = page.locator('.question-editor').getByLabel('题目（中文）');
    await text.fill('企业是否建立了设备台账');
    // Typing, then undo: the whole word goes back in one step, redo brings it again.
    await text.pressSequentially('并定期更新？', { delay: 20 });
    await page.waitForTimeout(900);
    await text.pressSequentially('X');
    await page.getByRole('button', { name: /撤\s*销/ }).click();
    expect(await text.inputValue()).toBe('企业是否建立了设备台账并定期更新？');
    await page.getByRole('button', { name: /重\s*做/ }).click();
    expect(await text.inputValue()).toBe('企业是否建立了设备台账并定期更新？X');
    await page.getByRole('button', { name: /撤\s*销/ }).click();
    await page.locator('.question-editor').getByLabel('题目（英文）').fill('Does the enterprise keep an equipment register up to date?');
    await page.locator('.lint-panel').getByText('无错误').waitFor();
    await saved();
    await shot('03-question');
    // The question bank and its weight tables to Excel and back: the round trip changes nothing.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '导出题库与权重 Excel' }).click()]);
    expect(download.suggestedFilename()).toBe('e2e-small-1.0.0-questions.xlsx');
    const sheet = await download.path();
    await page.locator('.editor-toolbar input[type=file]').setInputFiles(sheet!);
    await page.getByText(/已导入 2 道题目和 \d+ 个权重集（可撤销）/).waitFor();
    await page.locator('.lint-panel').getByText('无错误').waitFor();
    // Search over the questions.
    await page.getByLabel('搜索题目').fill('数据分析');
    await page.locator('.search-results').getByText(/数据分析/).waitFor();
    await page.getByLabel('搜索题目').fill('');
  });

  it('shows the levels, weights (summed) and flow; the lint panel takes the author to a finding', async () => {
    await nav('等级与阈值');
    await shot('04-levels');
    await nav('评分与权重');
    // Adding the second area shared the top weights equally.
    const sum = page.locator('.weight-group').first().locator('.sum-ok');
    await sum.getByText('1', { exact: true }).waitFor();
    const weight = page.getByLabel('智能化应用 权重');
    await weight.fill('0.3');
    await page.locator('.weight-group').first().locator('.sum-bad').waitFor();
    await page.locator('.lint-panel').getByText(/权重之和/).first().waitFor();
    await nav('基本信息');
    await page.locator('.lint-panel .lint-jump').first().click();
    await page.locator('.weight-group').first().waitFor();
    await shot('05-weights-error');
    await page.getByLabel('数字化基础 权重').fill('0.7');
    await page.locator('.lint-panel').getByText('无错误').waitFor();
    await nav('流程与指标');
    await shot('06-flow');
  });

  it('adds a monthly submission limit with the condition builder, and a test case; previews forms and the report', async () => {
    await nav('规则');
    await activePane().getByRole('button', { name: /添加提交限制/ }).click();
    await activePane().getByLabel('名称（中文）').fill('每月最多 3 次自诊断');
    await activePane().locator('.condition-builder').waitFor();
    await shot('07-rules-limit');

    await nav('预览与模拟');
    await page.getByRole('button', { name: /^满\s*足$/ }).click();
    await page.locator('.what-if-level').getByText('1').waitFor();
    await shot('08-preview-what-if');

    await nav('测试用例');
    await page.getByRole('button', { name: /添加测试用例/ }).click();
    await page.locator('.test-case').getByLabel('名称（中文）').fill('全部满足达到一级');
    await page.locator('.tests-summary').getByText('1/1 通过').waitFor();
    // A wrong expectation fails visibly, and publishing would be refused.
    await page.getByLabel('期望等级').fill('2');
    await page.locator('.tests-summary').getByText('0/1 通过').waitFor();
    await page.getByLabel('期望等级').fill('1');
    await page.locator('.tests-summary').getByText('1/1 通过').waitFor();
    await shot('09-tests');

    await nav('报告');
    await page.frameLocator('iframe.report-frame').getByText('示例企业（预览）').first().waitFor({ timeout: 20_000 });
    await shot('10-report-preview', false);
    await nav('JSON');
    // The JSON tab checks what is typed against the schema before it can be applied.
    const json = page.getByLabel('规则集 JSON');
    const original = await json.inputValue();
    await json.fill(original.replace('"threshold": 0.8', '"threshold": "high"'));
    await page.getByText(/处不符合规则集格式/).waitFor();
    await shot('11-json-invalid', false);
    expect(await page.getByRole('button', { name: /^应\s*用$/ }).isDisabled()).toBe(true);
    await page.getByRole('button', { name: '放弃修改' }).click();
    expect(await json.inputValue()).toBe(original);
    await saved();
  });

  it('publishes version 1.0.0, which then cannot change', async () => {
    await publish('1.0.0');
    await page.getByText('已发布的版本不能修改').waitFor();
    await shot('12-published', false);
    await logout();
  });

  it("Guizhou's administrator derives a variant with a monthly limit of 1 and an award, and publishes it", async () => {
    await login('gz-admin');
    await row('e2e-small').getByRole('button', { name: '派生变体' }).click();
    const dialog = page.locator('.ant-modal').filter({ hasText: '新建地区变体' });
    await dialog.getByLabel('变体标识').fill('e2e-guizhou');
    await dialog.getByLabel('名称（中文）').fill('贵州省 E2E 自诊断');
    await dialog.getByRole('button', { name: /创\s*建/ }).click();
    await page.locator('.editor-toolbar').getByText('e2e-guizhou@1.0.0').waitFor();

    await nav('规则');
    const value = activePane().locator('.condition-row').first().getByLabel('值');
    await value.fill('1');
    await activePane().getByLabel('提示（中文）').fill('贵州省企业每月最多自诊断 1 次');
    // Beside the changed values, the base's.
    await activePane().locator('.base-hint').first().waitFor();
    await activePane().getByText('已覆盖基础').waitFor();
    await shot('13-variant-limit');

    await page.getByRole('tab', { name: '政策' }).click();
    await activePane().getByRole('button', { name: /添加政策/ }).click();
    await activePane().getByLabel('名称（中文）').fill('贵州省智能制造奖励');
    await activePane().getByLabel('内容（中文）').fill('达到一级的企业可申请省级智能制造专项资金');
    await activePane().getByLabel('金额', { exact: true }).fill('50');
    await shot('14-variant-policy');

    await nav('版本与变体');
    await page.locator('.overrides').getByText(/rules\/limits/).first().waitFor();
    await shot('15-variant-overrides');
    await saved();
    await publish('1.0.0');
    await logout();
  });

  it('an enterprise in Guizhou answers the variant: the award applies, then the monthly limit refuses a second diagnosis', async () => {
    const res = await page.context().request.post(`${server.url}/api/accounts`, {
      data: {
        username: 'gz-enterprise',
        password: PASSWORD,
        passwordConfirm: PASSWORD,
        mobile: '13800138001',
        email: 'it@gz.example.com',
        enterpriseName: '贵阳示范装备有限公司',
        creditCode: '91350100M000100Y43',
        enterpriseType: 'production',
        industry: 'C35',
        sizeBand: '100-200',
        revenue: 52000,
        region: '520100',
      },
    });
    expect(res.status(), await res.text()).toBe(201);
    await page.goto(`${server.url}/#/`);
    await page.getByRole('button', { name: /新建自诊断/ }).click();
    await page.getByRole('button', { name: /开始答题/ }).click();
    await page.locator('.ant-modal-confirm').getByRole('button', { name: /开始答题/ }).click();
    // The variant just published for Guizhou, not the bundled one for the same province.
    await page.getByText('贵州省 E2E 自诊断').first().waitFor();
    for (let node = 0; node < 5; node++) {
      await page.locator('div.question').first().waitFor();
      const questions = page.locator('div.question');
      for (let i = 0, n = await questions.count(); i < n; i++) await questions.nth(i).getByRole('radio').first().check();
      const next = page.getByRole('button', { name: /下一步/ });
      if (await next.isDisabled()) break;
      await next.click();
    }
    await page.getByText(/已保存/).first().waitFor({ timeout: 10_000 });
    await page.screenshot({ path: `${OUT}/16-runtime-answered.png`, fullPage: false });
    await page.locator('.answer-buttons').getByRole('button', { name: /提\s*交/ }).click();
    await page.locator('.ant-modal-confirm').getByRole('button', { name: /提\s*交/ }).click();
    await page.getByRole('heading', { name: '自诊断结果' }).waitFor({ timeout: 20_000 });
    const result = await page.locator('main').innerText();
    expect(result).toContain('贵州省智能制造奖励');
    expect(result).toContain('50');
    await page.screenshot({ path: `${OUT}/17-runtime-result.png`, fullPage: true });

    await page.getByRole('button', { name: /返回首页/ }).click();
    await page.getByRole('button', { name: /新建自诊断/ }).click();
    await page.locator('.ant-modal-confirm').getByText('贵州省企业每月最多自诊断 1 次').waitFor();
    await page.screenshot({ path: `${OUT}/18-runtime-limit.png`, fullPage: false });
  });

  it('the base publishes 1.1.0; the variant\'s next draft is rebased onto it, with the conflict listed for a decision', async () => {
    await page.context().request.delete(`${server.url}/api/session`);
    await login('author1');
    await row('e2e-small').getByRole('link', { name: /查\s*看/ }).click();
    await nav('版本与发布');
    await page.getByRole('button', { name: '另存为 1.1.0 草稿' }).click();
    await page.locator('.editor-toolbar').getByText('e2e-small@1.1.0').waitFor();
    await nav('等级与阈值');
    await page.getByLabel('L1 阈值').fill('0.7');
    await nav('规则');
    await activePane().getByLabel('提示（中文）').fill('每月最多自诊断 3 次（1.1.0 修订）');
    await nav('版本与发布');
    // The semantic diff against the published version names the threshold and the limit.
    await page.getByLabel('旧版本').click();
    await page.locator('.ant-select-item-option', { hasText: '1.0.0' }).click();
    await page.locator('.diff-table').getByText('/levels[1]/threshold').waitFor();
    await page.locator('.diff-table').getByText(/rules\/limits\[limit-1\]\/message/).waitFor();
    await shot('19-diff');
    await saved();
    await publish('1.1.0');
    await logout();

    await login('gz-admin');
    await row('e2e-guizhou').getByRole('link', { name: /查\s*看/ }).click();
    await nav('版本与变体');
    await page.getByRole('button', { name: '另存为 1.1.0 草稿' }).click();
    await page.locator('.editor-toolbar').getByText('e2e-guizhou@1.1.0').waitFor();
    await nav('版本与变体');
    await page.getByLabel('新的基础版本').click();
    await page.locator('.ant-select-item-option', { hasText: '1.1.0' }).click();
    const conflicts = page.locator('.conflicts');
    await conflicts.getByText(/limits\[limit-1\]\/message/).waitFor();
    await shot('20-rebase-conflicts');
    await page.getByRole('button', { name: '变基到 e2e-small@1.1.0' }).click();
    await page.locator('.editor-toolbar').getByText('变体，基于 e2e-small@1.1.0').waitFor({ timeout: 15_000 });
    await nav('等级与阈值');
    expect(Number(await page.getByLabel('L1 阈值').inputValue())).toBe(0.7);
    await nav('规则');
    expect(await activePane().getByLabel('提示（中文）').inputValue()).toBe('贵州省企业每月最多自诊断 1 次');
    await shot('21-rebased');
  });

  it('two tabs on one draft: the later save is not silently lost or overwriting; the author loads the latest or overwrites', async () => {
    const url = page.url();
    const other = await page.context().newPage();
    other.on('pageerror', (e) => problems.push(`page error (second tab): ${e.message}`));
    await other.goto(url);
    await other.locator('.editor-toolbar').getByText('e2e-guizhou@1.1.0').waitFor();
    const threshold = (p: Page) => p.getByLabel('L1 阈值');
    const savedIn = (p: Page) => p.locator('.editor-toolbar [role=status]').getByText('已保存').waitFor({ timeout: 15_000 });
    await other.locator('.editor-nav').getByText('等级与阈值', { exact: true }).click();
    await threshold(other).fill('0.71');
    await savedIn(other);
    // The first tab, still at the revision it opened, edits too: it is told, and nothing is overwritten.
    await nav('等级与阈值');
    await threshold(page).fill('0.65');
    const banner = page.locator('.conflict-banner');
    await banner.getByText('此草稿已在别处保存过，您的修改尚未保存').waitFor({ timeout: 15_000 });
    await page.locator('.editor-toolbar [role=status]').getByText('未保存：有冲突').waitFor();
    await shot('22-conflict', false);
    const stored = async () => (await page.context().request.get(`${server.url}/api/rulesets/e2e-guizhou/1.1.0/record`)).json();
    expect((await stored()).document.levels[0].threshold).toBe(0.71);
    // Loading the latest drops this tab's change and shows the other's.
    await banner.getByRole('button', { name: '载入最新版本（放弃我的修改）' }).click();
    await page.locator('.editor-toolbar').getByText('e2e-guizhou@1.1.0').waitFor();
    await nav('等级与阈值');
    expect(Number(await threshold(page).inputValue())).toBe(0.71);
    // Now the second tab is the stale one; its author overwrites, knowingly.
    await threshold(page).fill('0.66');
    await saved();
    await threshold(other).fill('0.72');
    await other.locator('.conflict-banner').getByRole('button', { name: '用我的版本覆盖' }).click();
    await other.locator('.ant-modal-confirm').getByRole('button', { name: '用我的版本覆盖' }).click();
    await savedIn(other);
    expect((await stored()).document.levels[0].threshold).toBe(0.72);
    await other.close();
  });

  it('raised no page errors and no server errors', () => {
    expect(problems).toEqual([]);
  });
});
