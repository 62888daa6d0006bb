import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Overlay, Ruleset, parseJson, validateRuleset } from '../engine/index.ts';
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

  it('reports invalid JSON text', () => {
    const res = parseJson('{"id": ');
    expect(res.ok).toBe(false);
    expect(!res.ok && res.problems[0].message.zh).toContain('不是有效的 JSON');
  });
});
