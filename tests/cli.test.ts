import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const CMMM = 'rulesets/cmmm/gbt39116-2020.json';
const ladder = (...args: string[]) => {
  const r = spawnSync(process.execPath, ['bin/ladder.js', ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};
const dir = mkdtempSync(join(tmpdir(), 'ladder-cli-'));
const file = (name: string, content: unknown) => {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
};

describe('ladder CLI', () => {
  it('lints the bundled ruleset without errors', () => {
    const r = ladder('lint', CMMM);
    expect(r.stdout).toMatch(/cmmm-gbt39116@1\.1\.0 — \d+ 题 questions, 0 错误 errors/);
    expect(r.code).toBe(0);
  });

  it('scores answers to JSON on stdout: the result as the result page tells it, with a trace when asked', () => {
    const r = ladder('score', CMMM, 'rulesets/cmmm/examples/answers-level2.json', '--explain');
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.ruleset).toMatchObject({ id: 'cmmm-gbt39116', version: '1.1.0' });
    expect(result).toMatchObject({ level: 2, levelName: '二级（规范级）', total: { text: '2.55' }, profile: { level: 3, layer: { name: '能力域' } }, gap: { targetLevel: 3 } });
    expect(result.trace[0].nodes.map((n: { id: string }) => n.id)).toEqual(['e.personnel', 'e.technology', 'e.resources', 'e.manufacturing']);
    expect(result.trace[0].formula).toContain('权重占比');
  });

  it('checks the tailoring as the server does, and tells the policies that apply to the enterprise the file names', () => {
    const refused = ladder('score', CMMM, file('no-production.json', { industryType: 'discrete', excluded: ['d.production'], answers: {} }));
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('/excluded/0');
    expect(refused.stderr).toContain('不可裁剪');
    const guizhou = JSON.parse(readFileSync('rulesets/cmmm/variants/guizhou.json', 'utf8'));
    const base = JSON.parse(readFileSync(CMMM, 'utf8'));
    const best = Object.fromEntries(
      base.questions.map((q: { id: string; options?: { id: string; score?: number }[] }) => [q.id, [...(q.options ?? [])].sort((a, b) => (b.score ?? 0) - (a.score ?? 0))[0].id]),
    );
    const answers = file('guizhou-top.json', { industryType: 'discrete', enterprise: { region: '520100' }, answers: best, levels: [1, 2, 3, 4, 5] });
    const r = ladder('score', 'rulesets/cmmm/variants/guizhou.json', answers);
    expect(r.code, r.stderr).toBe(0);
    const view = JSON.parse(r.stdout);
    expect(view.level).toBe(5);
    expect(view.policies.map((p: { id: string }) => p.id)).toContain(guizhou.rules.policies.find((p: { id: string }) => p.id === 'gz-level-5').id);
  });

  it('refuses a missing file, invalid JSON, an unknown question and an option that does not exist', () => {
    const missing = ladder('lint', join(dir, 'nope.json'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('文件不存在 (file not found)');

    const invalid = ladder('score', CMMM, file('bad.json', '{"industryType": "discrete", '));
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toContain('不是有效的 JSON');

    const unknown = ladder('score', CMMM, file('unknown.json', { industryType: 'discrete', answers: { 'L9-9.9.9': 'A' } }));
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('/answers/L9-9.9.9: 不存在的题目 "L9-9.9.9" (no question "L9-9.9.9")');

    const option = ladder('score', CMMM, file('option.json', { industryType: 'discrete', answers: { 'L1-1.1.1': 'E' } }));
    expect(option.code).toBe(2);
    expect(option.stderr).toContain('题目 1.1.1 没有选项 "E"');

    const shape = ladder('score', CMMM, file('shape.json', { answers: [] }));
    expect(shape.code).toBe(2);
    expect(shape.stderr).toContain('/industryType');
  });

  it('refuses "not applicable" where the question does not offer it', () => {
    const r = ladder('score', CMMM, file('na.json', { industryType: 'discrete', answers: { 'L1-1.1.1': 'N/A' } }));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('不可选择"企业不涉及此题目"');
  });

  it('exits 1 with findings when a ruleset has lint errors', () => {
    const broken = JSON.parse(readFileSync(CMMM, 'utf8'));
    broken.scoring.weightSets[0].weights['e.personnel'] = 0.2;
    const r = ladder('lint', file('broken.json', broken));
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('weights-sum');
  });

  it('diffs a provincial variant against its base', () => {
    const r = ladder('diff', CMMM, 'rulesets/cmmm/variants/shanghai.json');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('+ [limit] /rules/limits[sh-six-months-apart]');
    expect(r.stdout).toContain('~ [identity] /id: "cmmm-gbt39116" → "cmmm-gbt39116-shanghai"');
  });

  it('runs the tests stored in the bundled rulesets', () => {
    const r = ladder('test', CMMM, 'rulesets/cmmm-2024-draft/wd2024005768.json');
    expect(r.stdout).toMatch(/\d+ passed, 0 failed/);
    expect(r.code).toBe(0);
  });

  it('prints usage for an unknown command', () => {
    const r = ladder('frobnicate');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown command "frobnicate"');
  });
});

describe('ladder report', () => {
  it('renders the HTML report without a server', () => {
    const out = join(dir, 'report.html');
    const r = ladder('report', CMMM, 'rulesets/cmmm/examples/answers-level2.json', '--out', out);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('二级（规范级）, S = 2.55');
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('示例装备制造有限公司');
    expect(html).toMatch(/data-field="level">二级（规范级）</);
    expect(html).toMatch(/data-field="total">2\.55</);
  });

  it('renders the PDF with Chromium', () => {
    const out = join(dir, 'report.pdf');
    const r = ladder('report', CMMM, 'rulesets/cmmm/examples/answers-level2.json', '--out', out);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(out).subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('asks for --out', () => {
    const r = ladder('report', CMMM, 'rulesets/cmmm/examples/answers-level2.json');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--out');
  });
});
