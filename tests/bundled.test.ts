// The bundled rulesets: complete, lint-clean, and scorable with no code of their own.
import { describe, expect, it } from 'vitest';
import { applicablePolicies, checkLimits, cellKey, indexRuleset, lint, policyFacts, runRulesetTests, score, type Ruleset } from '../engine/index.ts';
import { bundledRulesetFiles, loadRulesetFile } from '../cli/rulesetFiles.ts';

const CMMM = 'rulesets/cmmm/gbt39116-2020.json';
const DRAFT = 'rulesets/cmmm-2024-draft/wd2024005768.json';
const all = (r: Ruleset, level: number, option: string) => Object.fromEntries(r.questions.filter((q) => q.level === level).map((q) => [q.id, option]));

describe.each(bundledRulesetFiles())('%s', (file) => {
  const r = loadRulesetFile(file);

  it('has no lint errors or warnings (notes on uncertain cells are information)', () => {
    expect(lint(r).filter((f) => f.severity !== 'info').map((f) => `${f.severity} ${f.code} ${f.pointer} ${f.message.en}`)).toEqual([]);
  });

  it('passes the test cases stored in it', () => {
    const outcomes = runRulesetTests(r);
    expect(outcomes.length).toBeGreaterThan(0);
    expect(outcomes.filter((o) => !o.passed).map((o) => `${o.id}: ${o.failures}`)).toEqual([]);
  });

  it('has several questions in every (sub-domain, level) cell, with options A–D on the satisfaction scale', () => {
    const index = indexRuleset(r);
    for (const level of r.levels) {
      for (const leaf of level.subDomains) expect((index.cell.get(cellKey(leaf, level.number)) ?? []).length, `${leaf} L${level.number}`).toBeGreaterThanOrEqual(2);
    }
    for (const q of r.questions) {
      expect(q.options!.map((o) => `${o.id}${o.score}`)).toEqual(['A0', 'B0.5', 'C0.8', 'D1']);
      expect(q.explanation?.zh.length).toBeGreaterThan(5);
    }
  });
});

describe('the CMMM 2020 ruleset', () => {
  const r = loadRulesetFile(CMMM);

  it('has 4 elements, 12 domains, 20 sub-domains and 5 levels', () => {
    const index = indexRuleset(r);
    expect([0, 1, 2].map((d) => index.nodes.filter((n) => n.depth === d).length)).toEqual([4, 12, 20]);
    expect(r.levels.map((l) => l.name.zh)).toEqual(['规划级', '规范级', '集成级', '优化级', '引领级']);
  });

  it('asks 56 questions at level 1 and about 60 at each level above, whatever the industry type', () => {
    for (const industryType of ['discrete', 'process']) {
      const asked = (level: number) => r.questions.filter((q) => q.level === level && (!q.industryTypes || q.industryTypes.includes(industryType))).length;
      expect(asked(1), industryType).toBe(56);
      for (const level of [2, 3, 4, 5]) expect(asked(level), `${industryType} L${level}`).toBeGreaterThanOrEqual(50);
    }
  });
});

describe('the provincial variants', () => {
  const facts = { industryType: 'discrete' };
  const history = (...dates: string[]) => dates.map((startedAt, i) => ({ id: String(i), startedAt }));

  it('Shanghai keeps 3 a month blocking, names the day a new one is possible, and treats twice a year 6 months apart as a recommendation', async () => {
    const sh = loadRulesetFile('rulesets/cmmm/variants/shanghai.json');
    const now = new Date('2026-11-20T10:00:00+08:00');
    const fourth = await checkLimits(sh, history('2026-11-01T10:00:00+08:00', '2026-11-05T10:00:00+08:00', '2026-11-10T10:00:00+08:00'), now, facts);
    expect(fourth.allowed).toBe(false);
    expect(fourth.refusals[0].message.zh).toContain('不得超过 3 次');
    // A rolling month: possible again a month after the first of the three, not "next month".
    expect(fourth.refusals[0].message.zh).toContain('2026-12-01 10:00 起可新建自诊断');
    expect(fourth.refusals[0].message.zh).not.toContain('下月');
    const finished = (...dates: string[]) => dates.map((d, i) => ({ id: String(i), startedAt: d, finishedAt: d }));
    // Less than 6 months since the last: a note, never a refusal.
    const soon = await checkLimits(sh, finished('2026-02-01T10:00:00+08:00', '2026-08-01T10:00:00+08:00'), now, facts);
    expect(soon).toMatchObject({ allowed: true, reminders: [] });
    expect(soon.warnings.map((w) => w.id)).toEqual(['sh-six-months-apart']);
    // Six months passed: the home page reminds; nothing warns.
    const due = await checkLimits(sh, finished('2026-04-01T10:00:00+08:00'), now, facts);
    expect(due).toMatchObject({ allowed: true, warnings: [] });
    expect(due.reminders.map((w) => w.id)).toEqual(['sh-six-months-passed']);
    // the base ruleset has no such advice
    const base = await checkLimits(loadRulesetFile(CMMM), finished('2026-02-01T10:00:00+08:00', '2026-08-01T10:00:00+08:00'), now, facts);
    expect([...base.warnings, ...base.reminders]).toEqual([]);
  });

  it('Guizhou offers 200万元 at level 3 to an enterprise in Guizhou only, on a certificate', async () => {
    const gz = loadRulesetFile('rulesets/cmmm/variants/guizhou.json');
    const answers = { ...all(gz, 1, 'D'), ...all(gz, 2, 'D'), ...all(gz, 3, 'C'), ...all(gz, 4, 'B') };
    const result = score(gz, { industryType: 'discrete', answers });
    expect(result.level).toBe(3);
    const inGuizhou = await applicablePolicies(gz, policyFacts(result, { ...facts, regionPath: ['520000', '520100'] }));
    expect(inGuizhou.map((p) => [p.policy.id, p.policy.amount?.value, p.status])).toEqual([
      ['gz-level-3', 200, 'mayApply'],
      ['gz-digital-lines', undefined, 'applies'],
    ]);
    expect(await applicablePolicies(gz, policyFacts(result, { ...facts, regionPath: ['310000'] }))).toEqual([]);
  });
});

describe('the 2024 draft: a second model with no code of its own', () => {
  const r = loadRulesetFile(DRAFT);

  it('has 5 domains and 25 sub-domains, no element layer', () => {
    const index = indexRuleset(r);
    expect(index.roots.map((n) => n.node.name.zh)).toEqual(['组织战略', '工厂建设', '研发设计', '生产作业', '业务运营']);
    expect(index.leaves).toHaveLength(25);
  });

  it('scores with the process weights of the draft (生产作业 42%)', () => {
    const answers = all(r, 1, 'A');
    for (const q of r.questions.filter((x) => x.level === 1 && indexRuleset(r).nodeById.get(x.subDomain)!.parent!.id === 'd.production')) answers[q.id] = 'D';
    expect(score(r, { industryType: 'process', answers }).levels[0].score).toBeCloseTo(0.42, 9);
    expect(score(r, { industryType: 'discrete', answers }).levels[0].score).toBeCloseTo(0.37, 9);
  });
});
