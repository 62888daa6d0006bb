// The first start: the one-time setup link creates the first platform administrator, after which
// the form gives way to the designer (and the spent link leads there, not back to the form); the
// list names regions, not codes.
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { chromiumPath, CHROMIUM_ARGS } from '../../server/chromium.ts';
import { startServer } from './server.ts';

const OUT = 'test-artifacts/setup';
let server: Awaited<ReturnType<typeof startServer>>;
let browser: Browser;
let page: Page;
const problems: string[] = [];

beforeAll(async () => {
  mkdirSync(OUT, { recursive: true });
  server = await startServer();
  browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
  page = await (await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' })).newPage();
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

it('creates the first administrator from the printed link, then shows the designer, not the form', { timeout: 120_000 }, async () => {
  const link = server.logs.join('').match(/\/designer\/#setup=([\w-]+)/);
  expect(link, server.logs.join('')).toBeTruthy();
  await page.goto(`${server.url}/designer/#setup=${link![1]}`);
  await page.getByLabel('用户名').fill('first-admin');
  await page.getByLabel('密码', { exact: true }).fill('first-admin-2026');
  await page.getByLabel('确认密码').fill('first-admin-2026');
  await page.getByRole('button', { name: /创\s*建/ }).click();
  // The ruleset list, as the new administrator: the form is gone.
  await page.locator('.designer-user').getByText('first-admin').waitFor({ timeout: 15_000 });
  await page.getByText('规则集', { exact: true }).first().waitFor();
  expect(await page.getByLabel('确认密码').count()).toBe(0);
  expect(page.url()).not.toContain('setup=');
  // Bundled variants are listed by their regions' names.
  const shanghai = page.locator('tr', { has: page.getByText('cmmm-gbt39116-shanghai', { exact: true }) });
  await shanghai.getByRole('cell', { name: '上海市', exact: true }).waitFor();
  expect(await shanghai.getByText('310000').count()).toBe(0);
  await page.screenshot({ path: `${OUT}/after-setup.png` });
  // The spent link, opened again while logged in, leads to the list.
  await page.goto(`${server.url}/designer/#setup=${link![1]}`);
  await page.getByText('规则集', { exact: true }).first().waitFor();
  await page.waitForFunction(() => !location.hash.includes('setup='));
  expect(await page.getByLabel('确认密码').count()).toBe(0);
  expect(problems).toEqual([]);
});
