// The designer's pure editing logic: edits at a path, undo history, model edits that keep every
// reference consistent, where lint findings are edited, and a variant's base values.
import { describe, expect, it } from 'vitest';
import { lint, validateRuleset } from '../../engine/index.ts';
import { getIn, moveIn, pathOfPointer, setIn } from '../../designer/src/docPath.ts';
import { record, redo, startHistory, undo, COALESCE_MS } from '../../designer/src/history.ts';
import { addNode, addQuestion, newQuestion, removeNode, renameNode } from '../../designer/src/editor/modelEdits.ts';
import { locate } from '../../designer/src/editor/locate.ts';
import { baseValueAt } from '../../designer/src/editor/EditorContext.tsx';
import { smallRuleset } from '../fixtures/small.ts';

describe('edits at a path', () => {
  it('copies only what lies on the path, removes with undefined, and reads pointers back', () => {
    const r = smallRuleset();
    const next = setIn(r, ['questions', 0, 'text', 'zh'], '新的题目');
    expect(next.questions[0].text.zh).toBe('新的题目');
    expect(r.questions[0].text.zh).not.toBe('新的题目');
    expect(next.questions[1]).toBe(r.questions[1]);
    expect(next.model).toBe(r.model);
    expect(setIn(r, ['questions', 0], undefined).questions).toHaveLength(r.questions.length - 1);
    expect(setIn(r, ['questions', 0, 'explanation'], undefined).questions[0]).not.toHaveProperty('explanation');
    const moved = moveIn(r, ['questions'], 0, 2);
    expect(moved.questions[2].id).toBe(r.questions[0].id);
    expect(pathOfPointer(r, '/questions/3/options/1/score')).toEqual(['questions', 3, 'options', 1, 'score']);
    expect(getIn(r, pathOfPointer(r, '/model/nodes/1/children/0/id'))).toBe('production');
  });
});

describe('undo history', () => {
  it('undoes a burst of typing in one field as one step, separate fields as separate steps', () => {
    let h = startHistory('');
    h = record(h, 'a', 'text', 1000);
    h = record(h, 'ab', 'text', 1100);
    h = record(h, 'abc', 'text', 1200);
    h = record(h, 'abc!', 'other', 1300);
    h = record(h, 'abc!?', 'other', 1300 + COALESCE_MS + 1);
    expect(h.present).toBe('abc!?');
    h = undo(h);
    expect(h.present).toBe('abc!');
    h = undo(h);
    expect(h.present).toBe('abc');
    h = undo(h);
    expect(h.present).toBe('');
    h = redo(redo(h));
    expect(h.present).toBe('abc!');
    // A new edit after undo drops the redo branch.
    h = record(undo(h), 'x', 'text', 9000);
    expect(redo(h).present).toBe('x');
  });
});

describe('model edits', () => {
  it('renaming a sub-domain updates questions, the level matrix, weights and tailoring rules; the result lints as before', () => {
    const r = smallRuleset();
    const before = lint(r).map((f) => f.code);
    const renamed = renameNode(r, 'design', 'product-design');
    expect(renamed.questions.filter((q) => q.subDomain === 'design')).toEqual([]);
    expect(renamed.questions.some((q) => q.subDomain === 'product-design')).toBe(true);
    expect(renamed.levels.flatMap((l) => l.subDomains)).not.toContain('design');
    expect(renamed.scoring.weightSets[0].weights['product-design']).toBe(0.25);
    expect(lint(renamed).map((f) => f.code)).toEqual(before);
  });

  it('adding a sibling shares equal weights, asks it where its siblings are asked, and a question makes it complete', () => {
    const r = smallRuleset();
    const added = addNode(r, 'e.people', { id: 'skills', name: { zh: '技能', en: 'Skills' } });
    expect(added.scoring.weightSets[1].weights).toMatchObject({ 'e.people': 0.5, 'e.make': 0.5 });
    const levelsWithStrategy = r.levels.filter((l) => l.subDomains.includes('strategy')).map((l) => l.number);
    expect(added.levels.filter((l) => l.subDomains.includes('skills')).map((l) => l.number)).toEqual(levelsWithStrategy);
    let complete = added;
    for (const n of levelsWithStrategy) complete = addQuestion(complete, newQuestion(complete, 'skills', n));
    expect(validateRuleset(complete).ok).toBe(true);
    expect(lint(complete).filter((f) => f.severity === 'error')).toEqual([]);
  });

  it('adding a child to a leaf hands it the leaf\'s questions and cells, and a layer when the tree grows deeper', () => {
    const r = smallRuleset();
    const split = addNode(r, 'strategy', { id: 'strategy-plan', name: { zh: '规划' } });
    expect(split.questions.filter((q) => q.subDomain === 'strategy')).toEqual([]);
    expect(split.questions.filter((q) => q.subDomain === 'strategy-plan')).toHaveLength(r.questions.filter((q) => q.subDomain === 'strategy').length);
    expect(split.model.layers).toHaveLength(r.model.layers.length + 1);
    expect(lint(split).filter((f) => f.severity === 'error')).toEqual([]);
  });

  it('removing a node removes what hangs on it, leaving no dangling reference', () => {
    const r = smallRuleset();
    const removed = removeNode(r, 'design');
    expect(removed.questions.some((q) => q.subDomain === 'design')).toBe(false);
    expect(JSON.stringify(removed.levels)).not.toContain('"design"');
    expect(removed.rules.tailoring.flatMap((t) => t.nodes)).not.toContain('design');
    expect(lint(removed).filter((f) => f.code === 'unknown-reference' || f.code.startsWith('reference'))).toEqual([]);
  });
});

describe('finding the place of a lint finding', () => {
  it('sends a question, a node, weights and a limit to their editors', () => {
    const r = smallRuleset();
    expect(locate(r, '/questions/2/options/0/score')).toMatchObject({ section: 'model', select: `q:${r.questions[2].id}` });
    expect(locate(r, '/model/nodes/1/children/1/name/en')).toMatchObject({ section: 'model', select: 'n:design' });
    expect(locate(r, '/scoring/weightSets/1/weights')).toMatchObject({ section: 'scoring', select: 'w:1' });
    expect(locate(r, '/rules/limits/0/conditions')).toMatchObject({ section: 'rules', select: 'limits:0' });
    expect(locate(r, '/levels/1/threshold')).toMatchObject({ section: 'levels', pointer: '/levels/1/threshold' });
  });
});

describe("a variant's base values", () => {
  it('are matched by id through keyed arrays, so a reordered or added entry compares with the right one', () => {
    const base = smallRuleset();
    const variant = structuredClone(base);
    variant.rules.limits.unshift({ id: 'new', name: { zh: '新' }, severity: 'advisory', conditions: { all: [] }, message: { zh: '提示' } });
    variant.levels[1].threshold = 0.7;
    expect(baseValueAt(variant, base, ['rules', 'limits', 1, 'id'])).toEqual({ present: true, value: base.rules.limits[0].id });
    expect(baseValueAt(variant, base, ['rules', 'limits', 0])).toEqual({ present: false });
    expect(baseValueAt(variant, base, ['levels', 1, 'threshold'])).toEqual({ present: true, value: base.levels[1].threshold });
  });
});
