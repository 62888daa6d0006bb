// The condition builder's tree edits: what an author's click does to the rule's JSON.
import { describe, expect, it } from 'vitest';
import { validateCondition, type Condition } from '../engine/index.ts';
import {
  appendChild,
  childrenOf,
  isVisualLeaf,
  newLeaf,
  nodeAt,
  removeAt,
  replaceAt,
  setGroupType,
  withFact,
  withOperator,
  withParam,
} from '../designer/src/components/conditionTree.ts';

const region = { fact: 'regionPath', operator: 'contains', value: '520000' };
const level = (n: number) => ({ fact: 'level', operator: 'equal', value: n });
// Guizhou, at level 3 or 4, and not small.
const parts = (): Condition[] => [region, { any: [level(3), level(4)] }, { not: { fact: 'sizeBand', operator: 'equal', value: 'small' } }];
const tree = (): Condition => ({ all: parts(), name: 'gz' });

describe('condition tree edits', () => {
  it('find a condition by its path through groups and negations', () => {
    expect(nodeAt(tree(), [1, 0])).toEqual(level(3));
    expect(nodeAt(tree(), [2, 0])).toEqual({ fact: 'sizeBand', operator: 'equal', value: 'small' });
    expect(nodeAt(tree(), [0, 0])).toBeUndefined();
  });

  it('replace one condition and leave the original tree and untouched branches as they were', () => {
    const before = tree();
    const snapshot = JSON.stringify(before);
    const after = replaceAt(before, [1, 1], level(5));
    expect(JSON.stringify(before)).toBe(snapshot);
    expect(after).toEqual({ all: [region, { any: [level(3), level(5)] }, parts()[2]], name: 'gz' });
    expect(childrenOf(after)[0]).toBe(childrenOf(before)[0]);
  });

  it('add a condition or a group at the end of a group', () => {
    const added = appendChild(appendChild(tree(), [1], level(5)), [], { any: [] });
    expect(nodeAt(added, [1, 2])).toEqual(level(5));
    expect(childrenOf(added)).toHaveLength(4);
    expect(nodeAt(added, [3])).toEqual({ any: [] });
    expect(() => appendChild(tree(), [0], level(5))).toThrow(/not a group/);
  });

  it('add to a "not" by adding to what it negates', () => {
    expect(nodeAt(appendChild(tree(), [2], level(5)), [2])).toEqual({ not: { all: [{ fact: 'sizeBand', operator: 'equal', value: 'small' }, level(5)] } });
    expect(appendChild({ not: { any: [region] } }, [], level(5))).toEqual({ not: { any: [region, level(5)] } });
  });

  it('delete a condition; deleting what a "not" negates deletes the "not"', () => {
    expect(childrenOf(nodeAt(removeAt(tree(), [1, 0]), [1])!)).toEqual([level(4)]);
    expect(removeAt(tree(), [2, 0])).toEqual({ all: [region, { any: [level(3), level(4)] }], name: 'gz' });
    expect(removeAt({ not: region }, [0])).toEqual({ all: [] });
  });

  it('change a group between all, any and not without losing its conditions', () => {
    const any = setGroupType(tree(), [], 'any');
    expect(any).toStrictEqual({ any: parts(), name: 'gz' });
    // Several conditions are negated as a whole; back to "all" restores them.
    const negated = setGroupType(tree(), [], 'not');
    expect(negated).toEqual({ not: { all: parts() }, name: 'gz' });
    expect(setGroupType(negated, [], 'all')).toEqual(tree());
    // One condition is negated directly; "any" of a negated "all" keeps the "all" inside.
    expect(setGroupType({ all: [region] }, [], 'not')).toEqual({ not: region });
    expect(setGroupType({ not: { all: [region, level(3)] } }, [], 'any')).toEqual({ any: [{ all: [region, level(3)] }] });
    expect(() => setGroupType(tree(), [0], 'any')).toThrow(/not a group/);
  });

  it('keep every edited tree valid against the ruleset schema', () => {
    let c: Condition = { all: [] };
    c = appendChild(c, [], newLeaf('limits'));
    c = appendChild(c, [], { any: [] });
    c = appendChild(c, [1], newLeaf('policies', 'regionPath'));
    c = setGroupType(c, [1], 'not');
    c = replaceAt(c, [0], withOperator(newLeaf('limits', 'monthsSinceLast'), 'limits', 'in'));
    expect(validateCondition(c)).toEqual({ ok: true, value: c });
  });
});

describe('condition rows', () => {
  it('start a new condition on a fact with its first operator, an empty value and the default window', () => {
    expect(newLeaf('limits')).toEqual({ fact: 'diagnosesInWindow', operator: 'equal', value: 0, params: { unit: 'month', count: 1, mode: 'rolling', which: 'started' } });
    expect(newLeaf('policies', 'regionPath')).toEqual({ fact: 'regionPath', operator: 'contains', value: '' });
    expect(() => newLeaf('tailoring', 'level')).toThrow(/no fact "level" for tailoring/);
  });

  it('start over when the fact changes, keeping only the name', () => {
    const leaf = { fact: 'diagnosesInWindow', operator: 'greaterThanInclusive', value: 3, params: { unit: 'year', count: 2 }, name: 'yearly' };
    expect(withFact(leaf, 'limits', 'industryType')).toEqual({ fact: 'industryType', operator: 'equal', value: '', name: 'yearly' });
    expect(withFact(leaf, 'limits', 'monthsSinceLast')).toEqual({ fact: 'monthsSinceLast', operator: 'equal', value: 0, params: { which: 'started' }, name: 'yearly' });
  });

  it('keep the value when the operator changes, as a list for "is one of" and back', () => {
    const one = { fact: 'industryType', operator: 'equal', value: 'process' };
    const list = withOperator(one, 'tailoring', 'in');
    expect(list).toEqual({ fact: 'industryType', operator: 'in', value: ['process'] });
    expect(withOperator(list, 'tailoring', 'notEqual')).toEqual({ fact: 'industryType', operator: 'notEqual', value: 'process' });
    expect(withOperator({ ...one, value: '' }, 'tailoring', 'notIn').value).toEqual([]);
    expect(withOperator({ fact: 'level', operator: 'in', value: [] }, 'policies', 'greaterThan').value).toBe(0);
  });

  it('set one parameter and keep the others', () => {
    expect(withParam(newLeaf('limits'), 'unit', 'year').params).toEqual({ unit: 'year', count: 1, mode: 'rolling', which: 'started' });
  });

  it('show as selects only conditions on a known fact and operator without a path', () => {
    expect(isVisualLeaf(region, 'policies')).toBe(true);
    expect(isVisualLeaf(region, 'limits')).toBe(true);
    expect(isVisualLeaf(level(3), 'limits')).toBe(false);
    expect(isVisualLeaf({ ...region, operator: 'equal' }, 'policies')).toBe(false);
    expect(isVisualLeaf({ ...region, path: '0' }, 'policies')).toBe(false);
    expect(isVisualLeaf({ condition: 'named' }, 'policies')).toBe(false);
    expect(isVisualLeaf({ all: [] }, 'policies')).toBe(false);
  });
});
