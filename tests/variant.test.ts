import { describe, expect, it } from 'vitest';
import { diffRulesets, EngineError, overlayOf, rebaseVariant, resolveVariant, setAtPath, validateRuleset, type Overlay } from '../engine/index.ts';
import { q, smallRuleset } from './fixtures/small.ts';

const overlay = (extra: Record<string, unknown>): Overlay => ({ id: 'small-sh', version: '1.0.0', extends: 'small@1.0.0', ...extra }) as Overlay;

describe('variants', () => {
  it('merges an overlay by id, keeps the rest of the base, and validates', () => {
    const base = smallRuleset();
    const v = resolveVariant(
      base,
      overlay({
        title: { zh: '上海', en: 'Shanghai' },
        rules: {
          limits: [{ id: 'max-3', conditions: { all: [{ fact: 'diagnosesInWindow', params: { unit: 'month', count: 1 }, operator: 'greaterThanInclusive', value: 2 }] } }],
          policies: [{ id: 'p', name: { zh: '政策', en: 'Policy' }, kind: 'notice', text: { zh: '说明', en: 'Note' }, conditions: { all: [] } }],
        },
        levels: [{ number: 2, code: 'L2', threshold: 0.85 }],
        questions: [{ id: 'L2-3.1', $delete: true }, q('L2-3.2', 'design', 2)],
      }),
    );
    expect(validateRuleset(v).ok).toBe(true);
    expect(v.id).toBe('small-sh');
    expect(v.extends).toBe('small@1.0.0');
    expect(v.rules.limits[0].severity).toBe('blocking'); // kept from the base
    expect((v.rules.limits[0].conditions as { all: { value: number }[] }).all[0].value).toBe(2);
    expect(v.levels[1].threshold).toBe(0.85);
    expect(v.levels[1].name.zh).toBe('规范级');
    expect(v.questions.map((x) => x.id)).toEqual(['L1-1.1', 'L1-1.2', 'L1-2.1', 'L1-2.2', 'L1-3.1', 'L2-1.1', 'L2-2.1', 'L2-3.2']);
    expect(base.levels[1].threshold).toBe(0.8); // the base is untouched
  });

  it('refuses an overlay made for another base', () => {
    expect(() => resolveVariant(smallRuleset(), { ...overlay({}), extends: 'small@2.0.0' })).toThrow(EngineError);
  });

  it('diffs two rulesets by category and key', () => {
    const a = smallRuleset();
    const b = smallRuleset();
    b.version = '1.1.0';
    b.questions[0].text.zh = '改写后的题目';
    b.questions.splice(1, 1);
    b.questions.push(q('L2-1.2', 'strategy', 2));
    b.scoring.weightSets[0].weights['e.people'] = 0.5;
    b.levels[0].threshold = 0.75;
    b.rules.limits[0].severity = 'advisory';
    const changes = diffRulesets(a, b);
    const brief = changes.map((c) => `${c.op} ${c.category} ${c.path}`);
    expect(brief).toEqual(
      expect.arrayContaining([
        'changed identity /version',
        'changed question /questions[L1-1.1]/text/zh',
        'removed question /questions[L1-1.2]',
        'added question /questions[L2-1.2]',
        'changed weights /scoring/weightSets[discrete]/weights/e.people',
        'changed threshold /levels[1]/threshold',
        'changed limit /rules/limits[max-3]/severity',
      ]),
    );
    expect(changes).toHaveLength(7);
    const reworded = changes.find((c) => c.path === '/questions[L1-1.1]/text/zh')!;
    expect(reworded).toMatchObject({ before: '题目 L1-1.1', after: '改写后的题目', pointer: '/questions/0/text/zh' });
    expect(changes.find((c) => c.op === 'removed')!.pointer).toBe('/questions/1');
  });
});

describe('overlays from edited rulesets, and rebasing', () => {
  it('finds the smallest overlay that reproduces a variant', () => {
    const base = smallRuleset();
    const variant = smallRuleset();
    variant.id = 'small-gz';
    variant.levels[1].threshold = 0.85;
    variant.questions = variant.questions.filter((x) => x.id !== 'L2-3.1');
    variant.questions.push(q('L2-3.2', 'design', 2));
    variant.rules.limits[0].severity = 'advisory';
    delete variant.questions[0].explanation;
    const overlay = overlayOf(base, variant);
    expect(resolveVariant(base, overlay)).toEqual({ ...variant, extends: 'small@1.0.0' });
    expect(Object.keys(overlay).sort()).toEqual(['extends', 'id', 'levels', 'questions', 'rules', 'version']);
    expect(overlay.levels).toEqual([{ threshold: 0.85, number: 2, code: 'L2' }]);
    expect(overlay.rules).toEqual({ limits: [{ severity: 'advisory', id: 'max-3' }] });
  });

  it('replaces an array whole when the variant reorders it', () => {
    const base = smallRuleset();
    const variant = smallRuleset();
    variant.questions.reverse();
    const overlay = overlayOf(base, variant);
    expect(resolveVariant(base, overlay).questions.map((x) => x.id)).toEqual(variant.questions.map((x) => x.id));
  });

  it('rebases a variant onto a newer base: the base changes come through, the variant ones stay, clashes are listed', () => {
    const oldBase = smallRuleset();
    const variant = smallRuleset();
    variant.id = 'small-gz';
    variant.levels[1].threshold = 0.85;
    variant.rules.limits[0].severity = 'advisory';
    const overlay = overlayOf(oldBase, variant);
    const newBase = smallRuleset();
    newBase.version = '1.1.0';
    newBase.levels[1].threshold = 0.75;
    newBase.questions[0].text.zh = '新版题目';
    (newBase.rules.limits[0].conditions as { all: { value: number }[] }).all[0].value = 4;
    const { overlay: rebased, resolved, conflicts } = rebaseVariant(oldBase, newBase, overlay);
    expect(rebased.extends).toBe('small@1.1.0');
    expect(resolved.questions[0].text.zh).toBe('新版题目');
    expect((resolved.rules.limits[0].conditions as { all: { value: number }[] }).all[0].value).toBe(4);
    expect(resolved.rules.limits[0].severity).toBe('advisory');
    expect(resolved.levels[1].threshold).toBe(0.85);
    expect(conflicts).toEqual([{ path: '/levels[2]/threshold', original: 0.8, base: 0.75, variant: 0.85 }]);
  });
});

describe('the bundled variants', () => {
  it('come back as the same overlays from their resolved form', async () => {
    const { loadRulesetFile } = await import('../cli/rulesetFiles.ts');
    const base = loadRulesetFile('rulesets/cmmm/gbt39116-2020.json');
    for (const file of ['rulesets/cmmm/variants/shanghai.json', 'rulesets/cmmm/variants/guizhou.json']) {
      const resolved = loadRulesetFile(file);
      const overlay = overlayOf(base, resolved);
      expect(resolveVariant(base, overlay)).toEqual(resolved);
      expect(Object.keys(overlay).sort()).toEqual(['description', 'extends', 'id', 'regions', 'rules', 'title', 'version']);
    }
  });
});

describe('setAtPath', () => {
  it('writes through keyed arrays the way diffs and rebase conflicts name places, so an author can take the base\'s side of a conflict', () => {
    const a = smallRuleset();
    const b = structuredClone(a);
    b.levels[1].threshold = 0.5;
    b.questions[0].text.zh = '改过的题目';
    const changes = diffRulesets(a, b);
    let back = a;
    for (const c of changes) back = setAtPath(back, c.path, c.after);
    expect(back).toEqual(b);
    // Removing by path drops the keyed element.
    const gone = setAtPath(a, `/questions[${a.questions[0].id}]`, undefined);
    expect(gone.questions.map((q) => q.id)).not.toContain(a.questions[0].id);
    expect(a.questions).toHaveLength(gone.questions.length + 1);
  });
});
