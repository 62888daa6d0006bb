// The public certificate lookup (证书查询) in headless Chromium, without an account: the link a
// QR code opens shows the certificate and whether it is valid; a search by name finds it; once
// revoked it says so, with the reason. Screenshots at 1440 and 390 go to test-artifacts/certificates/.
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { chromiumPath, CHROMIUM_ARGS } from '../../server/chromium.ts';
import { creditCodeFor } from '../../server/population.ts';
import { startServer } from './server.ts';

const OUT = 'test-artifacts/certificates';
const PASSWORD = 'cert-admin-2026';
let server: Awaited<ReturnType<typeof startServer>>;
let browser: Browser;
const problems: string[] = [];
let admin: Awaited<ReturnType<Browser['newContext']>>;

async function page(width: number): Promise<Page> {
  const p = await (await browser.newContext({ viewport: { width, height: 900 }, locale: 'zh-CN' })).newPage();
  p.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  p.on('response', (r) => r.url().includes('/api/') && r.status() >= 500 && problems.push(`HTTP ${r.status()} ${r.url()}`));
  return p;
}

beforeAll(async () => {
  mkdirSync(OUT, { recursive: true });
  server = await startServer({ LADDER_ADMIN_USERNAME: 'cert-admin', LADDER_ADMIN_PASSWORD: PASSWORD });
  browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
  admin = await browser.newContext();
  expect((await admin.request.post(`${server.url}/api/session`, { data: { username: 'cert-admin', password: PASSWORD } })).status()).toBe(200);
  const rulesets = await (await admin.request.get(`${server.url}/api/rulesets`)).json();
  const national = rulesets.find((r: { id: string; status: string; regions: string[] }) => r.id === 'cmmm-gbt39116' && r.status === 'published' && !r.regions.length);
  const res = await admin.request.post(`${server.url}/api/certificates`, {
    data: {
      number: 'CMMM-2025-00042',
      enterpriseName: '无锡精工装备有限公司',
      creditCode: creditCodeFor(42),
      ruleset: `${national.id}@${national.version}`,
      level: 3,
      scope: '人员、技术、资源、制造（设计、生产、物流、销售、服务）',
      body: '示例智能制造评估中心',
      issuedAt: '2025-03-15',
      validUntil: '2028-03-14',
    },
  });
  expect(res.status(), await res.text()).toBe(201);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

it('shows the certificate a QR code links to, finds it by name, and shows it revoked with the reason', { timeout: 120_000 }, async () => {
  const p = await page(1440);
  await p.goto(`${server.url}/#/certificates?number=CMMM-2025-00042`);
  const card = p.locator('.certificate');
  await card.getByText('有效', { exact: true }).waitFor();
  expect(await card.innerText()).toContain('三级（集成级）');
  expect(await card.innerText()).toContain('2028-03-14');
  await p.screenshot({ path: `${OUT}/01-valid-1440.png` });
  // A search by part of the name, from the login page's link.
  await p.goto(`${server.url}/#/login`);
  await p.getByRole('link', { name: '证书查询' }).click();
  await p.getByLabel('证书编号、企业名称或统一社会信用代码').fill('精工装备');
  await p.getByRole('button', { name: /^查\s*询$/ }).click();
  await p.locator('.certificate').getByText('CMMM-2025-00042').waitFor();
  await p.getByLabel('证书编号、企业名称或统一社会信用代码').fill('不存在的企业');
  await p.getByRole('button', { name: /^查\s*询$/ }).click();
  await p.getByText('没有找到符合的证书').waitFor();

  const revoked = await admin.request.put(`${server.url}/api/certificates/CMMM-2025-00042/status`, { data: { status: 'revoked', reason: '以不正当手段取得，予以撤销' } });
  expect(revoked.status()).toBe(200);
  const phone = await page(390);
  await phone.goto(`${server.url}/#/certificates?number=cmmm-2025-00042`);
  await phone.locator('.certificate').getByText('已撤销').waitFor();
  expect(await phone.locator('.certificate').innerText()).toContain('以不正当手段取得，予以撤销');
  await phone.screenshot({ path: `${OUT}/02-revoked-390.png`, fullPage: true });
  expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  expect(problems).toEqual([]);
});
