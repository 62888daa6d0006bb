// The 2020 question bank read against the seeds and the reference: level 1 as the national
// platform shows it, no requirement asked twice, no concept newer than the standard, where each
// cell comes from, and tailoring of sub-domains inside a tailorable domain.
import { describe, expect, it } from 'vitest';
import { applicableQuestions, checkTailoring, indexRuleset, lint, tailoringChoices, type Question } from '../../engine/index.ts';
import { loadRulesetFile } from '../../cli/rulesetFiles.ts';

const r = loadRulesetFile('rulesets/cmmm/gbt39116-2020.json');
const draft = loadRulesetFile('rulesets/cmmm-2024-draft/wd2024005768.json');
const index = indexRuleset(r);
const domainOf = (q: Question) => index.nodeById.get(q.subDomain)!.path[1];
const words = (q: Question) => [q.text.zh, q.explanation?.zh ?? '', ...(q.options ?? []).map((o) => o.label.zh)].join(' ');

describe('level 1 follows the national platform (seed 000)', () => {
  // The platform's progress view at level 1: 人员 4, 技术 6, 资源 3, 设计 7, 生产 26, 物流 4, 销售 2, 服务 4.
  const SEEN: Record<string, number> = { 'e.personnel': 4, 'e.technology': 6, 'e.resources': 3, 'd.design': 7, 'd.production': 26, 'd.logistics': 4, 'd.sales': 2, 'd.service': 4 };
  const countsFor = (industryType: string) => {
    const counts: Record<string, number> = {};
    for (const q of applicableQuestions(r, { excluded: [], industryType, level: 1 })) {
      const path = index.nodeById.get(q.subDomain)!.path;
      const key = path[0] === 'e.manufacturing' ? path[1] : path[0];
      counts[key] = (counts[key] ?? 0) + 1;
    }
    return counts;
  };
  it.each(['discrete', 'process'])('asks as many questions per domain as the platform (%s)', (industryType) => {
    expect(countsFor(industryType)).toEqual(SEEN);
  });

  it('asks 1.1.2 about investment and 8.2.2 about recording repair service by IT means, as the platform does', () => {
    const at = (n: string) => r.questions.filter((q) => q.level === 1 && q.number === n);
    expect(at('1.1.2').map((q) => q.text.zh).join()).toMatch(/投资/);
    expect(at('8.2.2').map((q) => q.text.zh).join()).toMatch(/信息化手段.*维修服务过程|维修服务过程.*信息化/);
    expect(at('8.2.1').map((q) => q.text.zh).join()).toMatch(/产品服务部门/);
  });
});

describe('the bank asks each requirement once', () => {
  it.each(['discrete', 'process'])('no two questions a %s firm answers share a text', (industryType) => {
    const texts = applicableQuestions(r, { excluded: [], industryType }).map((q) => q.text.zh);
    expect(texts.length).toBe(new Set(texts).size);
  });

  // The pairs the standards reader found asking the same requirement twice.
  const PAIRS = [
    ['L1-3.1.1', 'L1-4.4.1'],
    ['L2-3.1.2', 'L2-4.4.2'],
    ['L3-3.1.1', 'L3-2.2.1'],
    ['L1-4.3.1', 'L1-5.2.2'],
    ['L4-4.2.1', 'L4-7.1.1'],
    ['L4-4.1.1', 'L4-4.5.1'],
    ['L5-4.1.1', 'L5-4.5.1'],
    ['L5-4.6.3', 'L5-4.7.3'],
    ['L5-3.1.3', 'L5-4.4.3'],
    ['L4-3.1.1', 'L4-4.3.1'],
    ['L4-3.1.1', 'L4-5.2.2'],
    ['L4-4.3.1', 'L4-5.2.2'],
  ];
  /** Character-bigram overlap of two texts: 1 for the same words, near 0 for different ones. */
  const overlap = (a: string, b: string) => {
    const grams = (s: string) => new Set([...s.replace(/[，。？、（）\s]/g, '')].map((c, i, all) => c + (all[i + 1] ?? '')).slice(0, -1));
    const x = grams(a);
    const y = grams(b);
    return [...x].filter((g) => y.has(g)).length / Math.max(1, Math.min(x.size, y.size));
  };
  it.each(PAIRS)('%s and %s, where both remain, ask different things', (a, b) => {
    const qa = index.questionById.get(a)?.question;
    const qb = index.questionById.get(b)?.question;
    if (!qa || !qb) return; // merged: one of them is gone
    expect(overlap(qa.text.zh, qb.text.zh)).toBeLessThan(0.6);
  });
});

describe('the 2020 model speaks the 2020 standard', () => {
  const NEWER = ['5G', 'TSN', 'IPv6', '碳足迹', '绿电', '数字孪生'];
  it('has no concept newer than its text', () => {
    const found = r.questions.flatMap((q) => NEWER.filter((w) => words(q).includes(w) || (q.text.en ?? '').includes(w)).map((w) => `${q.id}: ${w}`));
    expect(found).toEqual([]);
  });
  it('leaves them to the 2024 draft, which asks about each', () => {
    const all = draft.questions.map(words).join(' ');
    for (const w of NEWER) expect(all, w).toContain(w);
  });
});

describe('where each cell comes from', () => {
  // Reference §1.3: ◐ (uncertain) and ○ (probably none).
  const UNCERTAIN = ['data|1', 'integration|2', 'infosec|1', 'infosec|5', 'network|1', 'network|5', 'safety_env|1', 'safety_env|5', 'energy_mgmt|1', 'energy_mgmt|5', 'product_service|2'];
  it('every listed cell has a provenance, and only listed cells', () => {
    for (const l of r.levels) {
      expect(Object.keys(l.provenance ?? {}).sort(), `L${l.number}`).toEqual([...l.subDomains].sort());
      for (const p of Object.values(l.provenance ?? {})) expect(p.note?.zh.length).toBeGreaterThan(5);
    }
  });
  it('marks the reference\'s uncertain cells uncertain, the platform\'s seen cells platform, the rest the standard', () => {
    for (const l of r.levels)
      for (const [leaf, p] of Object.entries(l.provenance ?? {})) {
        const key = `${leaf}|${l.number}`;
        const expected = ['org_strategy|1', 'product_service|1'].includes(key) ? 'platform' : UNCERTAIN.includes(key) ? 'uncertain' : 'standard';
        expect(p.source, key).toBe(expected);
      }
    expect(r.levels[0].subDomains).not.toContain('integration');
  });
  it('lint reports the uncertain cells as information, nothing more', () => {
    const findings = lint(r);
    expect(findings.filter((f) => f.severity !== 'info')).toEqual([]);
    expect(findings.filter((f) => f.code === 'uncertain-cell').map((f) => f.pointer).sort()).toEqual(
      r.levels.flatMap((l, i) => Object.entries(l.provenance ?? {}).filter(([, p]) => p.source === 'uncertain').map(([leaf]) => `/levels/${i}/provenance/${leaf}`)).sort(),
    );
  });
});

describe('tailoring at any layer the ruleset marks tailorable', () => {
  const facts = { industryType: 'discrete' };
  it('lets an enterprise skip one sub-domain of a tailorable domain, nested under it', async () => {
    const choices = await tailoringChoices(r, facts);
    const design = choices.filter((c) => c.parent === 'd.design').map((c) => [c.id, c.excludable]);
    expect(design).toEqual([
      ['product_design', true],
      ['process_design', true],
    ]);
    expect(await checkTailoring(r, ['product_design'], facts)).toEqual([]);
    const left = applicableQuestions(r, { excluded: ['product_design'], industryType: 'discrete' });
    expect(left.some((q) => q.subDomain === 'product_design')).toBe(false);
    expect(left.some((q) => q.subDomain === 'process_design')).toBe(true);
  });
  it('never lets a sub-domain of a mandatory domain go', async () => {
    const problems = await checkTailoring(r, ['procurement'], facts);
    expect(problems.map((p) => p.code)).toEqual(['tailoring.notExcludable']);
  });
  it('offers "not applicable" exactly where the question can be tailored out', () => {
    for (const q of r.questions) {
      const tailorable = index.nodeById.get(q.subDomain)!.path.some((id) => index.nodeById.get(id)!.node.tailorable === true);
      expect(q.notApplicable === true, q.id).toBe(tailorable);
    }
    void domainOf;
  });
});
