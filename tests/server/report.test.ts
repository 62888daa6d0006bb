import { beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { harness, enterpriseAgent, type Harness } from './harness.ts';
import { loadRulesetFile } from '../../cli/rulesetFiles.ts';

const cmmm = loadRulesetFile('rulesets/cmmm/gbt39116-2020.json');
const levelAnswers = (level: number, option: string) =>
  Object.fromEntries(cmmm.questions.filter((q) => q.level === level && q.subDomain !== 'logistics').map((q) => [q.id, option]));
/** The text inside the first element carrying data-field="name" (after `from`). */
const field = (html: string, name: string, from = 0) => html.slice(from).match(new RegExp(`data-field="${name}"[^>]*>([^<]*)<`))?.[1];

let h: Harness;
let agent: Awaited<ReturnType<typeof enterpriseAgent>>['agent'];
let id: string;
let html: string;

beforeAll(async () => {
  h = await harness();
  ({ agent } = await enterpriseAgent(h, { region: '520100' }));
  id = (await agent.post('/api/diagnoses').send({}).expect(201)).body.id;
  await agent.post(`/api/diagnoses/${id}/tailoring`).send({ excluded: ['d.logistics'] }).expect(200);
  expect((await agent.get(`/api/diagnoses/${id}/report`)).status).toBe(409);
  for (const [level, option] of [[1, 'D'], [2, 'D'], [3, 'C'], [4, 'B']] as const) {
    await agent.put(`/api/diagnoses/${id}/answers`).send({ answers: levelAnswers(level, option) }).expect(200);
    await agent.post(`/api/diagnoses/${id}/levels/${level}/submit`).expect(200);
  }
  const values = Object.fromEntries(cmmm.flow.indicators.fields.map((f, i) => [f.id, { value: i + 1, formula: `公式${i + 1}` }]));
  await agent.post(`/api/diagnoses/${id}/indicators/submit`).send({ values }).expect(200);
  const res = await agent.get(`/api/diagnoses/${id}/report`).expect(200);
  expect(res.type).toBe('text/html');
  html = res.text;
  mkdirSync('test-artifacts/reports', { recursive: true });
  writeFileSync('test-artifacts/reports/guizhou-level3.html', html);
});

describe('the HTML report of a finished diagnosis', () => {
  it('shows the level, S and the band table with the enterprise marked', () => {
    expect(field(html, 'level')).toBe('集成级');
    expect(field(html, 'total')).toBe('3.50');
    expect(html).toMatch(/class="current">2\.8 ≤ S &lt; 3\.8<br><b>◆ 本企业<\/b>/);
  });

  it('lists X1..X5 as scored', () => {
    const xs = [1, 2, 3, 4, 5].map((n) => field(html, 'x', html.indexOf(`data-level="${n}"`)));
    expect(xs).toEqual(['1.000', '1.000', '0.800', '0.500', '—']);
  });

  it('shows the gap to level 4 and the fewest changes that close it', () => {
    expect(field(html, 'shortfall')).toBe('0.300');
    const changes = html.slice(html.indexOf('最少改动')).match(/<td class="mono">/g) ?? [];
    expect(changes.length).toBeGreaterThan(0);
  });

  it('includes the radar, heat map, tailoring, indicators, Guizhou award, trend and method appendix', () => {
    expect(html).toContain('<svg');
    expect(html).toContain('class="heat"');
    expect(html).toMatch(/裁剪的能力域<\/h2><p>物流<\/p>/);
    expect(html).toContain('公式7');
    expect(html).toContain('贵州省成熟度3级奖励');
    expect(html).toContain('200 万元');
    expect(html).not.toContain('贵州省成熟度4级奖励');
    expect(html).toContain('附录：计分方法');
    expect(html).toContain('<html lang="zh-CN">');
  });

  it('renders in English on request and stays private to the enterprise', async () => {
    const en = (await agent.get(`/api/diagnoses/${id}/report`).set('Accept-Language', 'en').expect(200)).text;
    expect(en).toContain('<html lang="en">');
    expect(field(en, 'level')).toBe('Integrated');
    const other = await enterpriseAgent(h);
    expect((await other.agent.get(`/api/diagnoses/${id}/report`)).status).toBe(404);
  });
});
