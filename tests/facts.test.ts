// The fact catalog is what the designer offers and lint accepts; these tests hold it to the
// rulesets we ship and to the facts the engine really computes, so neither can drift from it.
import { describe, expect, it } from 'vitest';
import {
  FACTS,
  OPERATORS,
  RULE_KINDS,
  conditionLeaves,
  defaultParams,
  defaultValue,
  factInfo,
  isEngineOperator,
  limitFacts,
  policyFacts,
  score,
  tailoringFacts,
  type EnterpriseFacts,
  type FactInfo,
  type PastDiagnosis,
  type RuleKind,
} from '../engine/index.ts';
import { matchingRules } from '../engine/rules.ts';
import { bundledRulesetFiles, loadRulesetFile } from '../cli/rulesetFiles.ts';
import { smallRuleset } from './fixtures/small.ts';

// Required<>: a new enterprise fact fails type-checking here until the catalog test below sees it.
const enterprise: Required<EnterpriseFacts> = {
  industryType: 'discrete',
  enterpriseType: 'private',
  industry: 'C35',
  regionPath: ['520000', '520100'],
  sizeBand: 'medium',
  revenue: 2600,
  aboveScale: true,
  benchmark: false,
};

const now = new Date('2026-03-20T12:00:00+08:00');
// Chosen so that moving any parameter of a limit fact off its default changes the fact's value.
const history: PastDiagnosis[] = [
  { id: 'e', startedAt: '2026-03-18T09:00:00+08:00' },
  { id: 'a', startedAt: '2026-03-15T09:00:00+08:00' },
  { id: 'b', startedAt: '2026-02-25T09:00:00+08:00' },
  { id: 'c', startedAt: '2026-01-25T09:00:00+08:00', finishedAt: '2026-01-25T18:00:00+08:00' },
  { id: 'd', startedAt: '2025-06-01T09:00:00+08:00', finishedAt: '2025-06-02T09:00:00+08:00' },
];

function engineFacts(kind: RuleKind): Record<string, unknown> {
  const r = smallRuleset();
  if (kind === 'tailoring') return { ...tailoringFacts(enterprise) };
  if (kind === 'limits') return limitFacts(r, history, now, enterprise);
  const answers = Object.fromEntries(r.questions.filter((q) => q.level === 1).map((q) => [q.id, 'D']));
  return { ...policyFacts(score(r, { industryType: 'discrete', answers }), enterprise) };
}

const valueOf = (facts: Record<string, unknown>, fact: FactInfo, params = defaultParams(fact) ?? {}) => {
  const v = facts[fact.name];
  return typeof v === 'function' ? v(params) : v;
};

const typeOf = (v: unknown) =>
  typeof v === 'number' ? 'number' : typeof v === 'string' ? 'string' : typeof v === 'boolean' ? 'boolean' : Array.isArray(v) && v.every((x) => typeof x === 'string') ? 'stringList' : `other: ${JSON.stringify(v)}`;

describe('the fact catalog', () => {
  it('covers every fact and operator the bundled rulesets use, for the kind of rule that uses it', () => {
    const files = bundledRulesetFiles();
    expect(files.some((f) => f.includes('variants'))).toBe(true);
    const used: string[] = [];
    const outside: string[] = [];
    for (const file of files) {
      const r = loadRulesetFile(file);
      for (const kind of RULE_KINDS) {
        for (const rule of r.rules[kind]) {
          for (const { leaf } of conditionLeaves(rule.conditions)) {
            used.push(`${kind} ${leaf.fact} ${leaf.operator}`);
            if (!factInfo(kind, leaf.fact)?.operators.includes(leaf.operator)) outside.push(`${file} ${rule.id}: ${leaf.fact} ${leaf.operator}`);
          }
        }
      }
    }
    expect(outside).toEqual([]);
    // The variants' policies and limits are seen only once their overlays are resolved.
    expect(used).toEqual(expect.arrayContaining(['policies regionPath contains', 'policies level equal', 'limits monthsSinceLast lessThan', 'limits diagnosesInWindow greaterThanInclusive']));
  });

  it.each(RULE_KINDS)('names exactly the %s facts the engine computes, each with the value type it produces', (kind) => {
    const facts = engineFacts(kind);
    expect(FACTS[kind].map((f) => f.name).sort()).toEqual(Object.keys(facts).sort());
    for (const fact of FACTS[kind]) expect(typeOf(valueOf(facts, fact)), fact.name).toBe(fact.valueType);
  });

  it('gives limit facts the parameter names, choices and defaults the engine reads', () => {
    const facts = engineFacts('limits');
    const withParams = FACTS.limits.filter((f) => f.params);
    expect(withParams.map((f) => f.name)).toEqual(['diagnosesInWindow', 'daysSinceLast', 'monthsSinceLast']);
    for (const fact of withParams) {
      const defaults = defaultParams(fact)!;
      expect(valueOf(facts, fact, {}), `${fact.name} without params`).toBe(valueOf(facts, fact, defaults));
      for (const p of fact.params!) {
        if (p.kind === 'enum') expect(p.choices!.map((c) => c.value)).toContain(p.default);
        const others = p.kind === 'enum' ? p.choices!.map((c) => c.value).filter((v) => v !== p.default) : [Number(p.default) + 1];
        for (const other of others) expect(valueOf(facts, fact, { ...defaults, [p.name]: other }), `${fact.name} ${p.name}=${other}`).not.toBe(valueOf(facts, fact, defaults));
      }
    }
  });

  it('offers only operators json-rules-engine runs, and each fact\'s operators run on it', async () => {
    expect(OPERATORS.filter((o) => !isEngineOperator(o.name))).toEqual([]);
    expect(isEngineOperator('equals')).toBe(false);
    expect(isEngineOperator('not:someFact:in')).toBe(true);
    for (const kind of RULE_KINDS) {
      for (const fact of FACTS[kind]) {
        for (const operator of fact.operators) {
          expect(OPERATORS.map((o) => o.name), `${fact.name} ${operator}`).toContain(operator);
          const conditions = { all: [{ fact: fact.name, operator, value: defaultValue(fact, operator), params: defaultParams(fact) }] };
          await expect(matchingRules([{ id: 'r', conditions }], engineFacts(kind)), `${kind} ${fact.name} ${operator}`).resolves.toBeInstanceOf(Set);
        }
      }
    }
  });

  it('labels the region operators by what they do to the region path', async () => {
    const holds = async (operator: string, value: unknown) => (await matchingRules([{ id: 'r', conditions: { all: [{ fact: 'regionPath', operator, value }] } }], engineFacts('policies'))).has('r');
    // The enterprise is in Guiyang (520100), Guizhou (520000).
    expect(await holds('contains', '520000')).toBe(true);
    expect(await holds('doesNotContain', '520000')).toBe(false);
    expect(await holds('someFact:in', ['310000', '520000'])).toBe(true);
    expect(await holds('someFact:in', ['310000'])).toBe(false);
    expect(await holds('everyFact:notIn', ['310000'])).toBe(true);
    expect(await holds('everyFact:notIn', ['310000', '520100'])).toBe(false);
  });

  it('writes every label and help text in Chinese and English', () => {
    const texts = [...OPERATORS.map((o) => o.label), ...RULE_KINDS.flatMap((k) => FACTS[k].flatMap((f) => [f.label, ...(f.help ? [f.help] : []), ...(f.params ?? []).flatMap((p) => [p.label, ...(p.choices ?? []).map((c) => c.label)])]))];
    expect(texts.filter((t) => !t.zh.trim() || !t.en.trim() || !/[\u4e00-\u9fff]/.test(t.zh))).toEqual([]);
  });
});
