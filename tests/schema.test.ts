import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Overlay, Ruleset, parseJson, validateCondition, validateRuleset } from '../engine/index.ts';
import { smallRuleset } from './fixtures/small.ts';

const committed = (name: string) => JSON.parse(readFileSync(new URL(`../rulesets/schema/${name}`, import.meta.url), 'utf8'));

describe('the ruleset schema', () => {
  it('committed JSON Schema is the one the TypeScript types are declared with (run `npx ladder schema` after a change)', () => {
    expect(committed('ruleset.schema.json')).toEqual(JSON.parse(JSON.stringify(Ruleset)));
    expect(committed('overlay.schema.json')).toEqual(JSON.parse(JSON.stringify(Overlay)));
  });

  it('accepts a sound ruleset', () => {
    expect(validateRuleset(smallRuleset()).ok).toBe(true);
  });

  it('names the field and the reason, in Chinese and English, for each problem', () => {
    const r = smallRuleset() as unknown as Record<string, unknown>;
    delete r.id;
    (r.levels as { threshold: unknown }[])[0].threshold = 'high';
    (r.questions as Record<string, unknown>[])[2].kind = 'essay';
    (r.scoring as Record<string, unknown>).extra = 1;
    const res = validateRuleset(r);
    expect(res.ok).toBe(false);
    const problems = res.ok ? [] : res.problems;
    const at = (pointer: string) => problems.filter((p) => p.pointer === pointer);
    expect(at('/id')[0].message.zh).toContain('id');
    expect(at('/levels/0/threshold')[0].message).toEqual({ zh: '应当是 number 类型', en: 'must be number' });
    expect(at('/questions/2/kind').length).toBeGreaterThan(0);
    expect(at('/scoring/extra')[0].message.en).toContain('additional properties');
  });

  it('refuses ids that name what every JavaScript object has (issue 12: a node "__proto__" broke every report)', () => {
    for (const id of ['__proto__', 'constructor', 'prototype']) {
      const doc = smallRuleset();
      doc.model.nodes[0].id = id;
      const v = validateRuleset(doc);
      expect(v.ok, id).toBe(false);
      if (!v.ok) expect(v.problems.map((p) => p.pointer)).toContain('/model/nodes/0/id');
    }
    const fine = smallRuleset();
    fine.model.nodes[0].id = '__proto__x';
    expect(validateRuleset(fine).ok).toBe(true);
  });

  it('reports invalid JSON text', () => {
    const res = parseJson('{"id": ');
    expect(res.ok).toBe(false);
    expect(!res.ok && res.problems[0].message.zh).toContain('不是有效的 JSON');
  });
});

describe('a condition on its own (the designer\'s JSON view)', () => {
  const leaf = { fact: 'level', operator: 'equal', value: 3 };
  const samples: unknown[] = [
    { all: [leaf, { not: { any: [leaf, { condition: 'named' }] } }], name: 'n', priority: 1 },
    { fact: 'diagnosesInWindow', operator: 'greaterThan', value: 2, params: { unit: 'year' }, path: 'a.b' },
    { all: [{ fatc: 'level', operator: 'equal', value: 3 }] },
    { all: [], any: [] },
    { any: [{ fact: 'level', operator: 'equal' }] },
    { not: [leaf] },
    { all: 'level' },
    { all: [{ fact: '', operator: 'equal', value: 1 }] },
    { all: [leaf], extra: true },
    [leaf],
    null,
    'level = 3',
  ];

  it('accepts and refuses exactly what the ruleset schema does in a rule', () => {
    for (const conditions of samples) {
      const r = smallRuleset();
      (r.rules.limits[0] as { conditions: unknown }).conditions = conditions;
      expect(validateCondition(conditions).ok, JSON.stringify(conditions)).toBe(validateRuleset(r).ok);
    }
  });

  it('names the one thing wrong, at its pointer, in Chinese and English', () => {
    const misspelt = validateCondition({ all: [leaf, { fatc: 'level', operator: 'equal', value: 3 }] });
    expect(misspelt.ok ? [] : misspelt.problems).toEqual([
      { code: 'condition.shape', pointer: '/all/1', message: { zh: '条件应当有且只有 all、any、not、condition、fact 之一', en: 'a condition must have exactly one of all, any, not, condition, fact' } },
    ]);
    const noValue = validateCondition({ not: { fact: 'level', operator: 'equal' } });
    expect(noValue.ok ? [] : noValue.problems.map((p) => [p.pointer, p.message.en])).toEqual([['/not/value', 'must have required property value']]);
  });
});
