// Edits of a json-rules-engine condition tree for the condition builder. Each returns a new tree and
// leaves the old one untouched, so React sees the change and undo keeps its history intact.
import { FACTS, defaultParams, defaultValue, factInfo, isLeaf, operatorInfo, type Condition, type ConditionLeaf, type RuleKind } from '../../../engine/index.ts';

export type GroupType = 'all' | 'any' | 'not';
/** Child indexes from the root: a group's i-th condition, or 0 for what a `not` negates. */
export type TreePath = number[];

type Group = { all?: Condition[]; any?: Condition[]; not?: Condition; name?: string; priority?: number };

export function groupType(c: Condition): GroupType | undefined {
  const g = c as Group;
  return Array.isArray(g.all) ? 'all' : Array.isArray(g.any) ? 'any' : g.not !== undefined && typeof g.not === 'object' ? 'not' : undefined;
}

export function childrenOf(c: Condition): Condition[] {
  const type = groupType(c);
  if (!type) return [];
  const g = c as Group;
  return type === 'not' ? [g.not!] : g[type]!;
}

/** The same group with other children (a `not` takes the first). */
function withChildren(c: Condition, children: Condition[]): Condition {
  const type = groupType(c)!;
  const { name, priority } = c as Group;
  const extra = { ...(name !== undefined ? { name } : {}), ...(priority !== undefined ? { priority } : {}) };
  return (type === 'not' ? { not: children[0], ...extra } : { [type]: children, ...extra }) as Condition;
}

export function nodeAt(root: Condition, path: TreePath): Condition | undefined {
  let node: Condition | undefined = root;
  for (const i of path) node = node && childrenOf(node)[i];
  return node;
}

export function updateAt(root: Condition, path: TreePath, update: (c: Condition) => Condition): Condition {
  if (!path.length) return update(root);
  const [i, ...rest] = path;
  const children = childrenOf(root);
  if (i < 0 || i >= children.length) throw new RangeError(`no condition at ${path.join('/')}`);
  return withChildren(root, children.map((c, j) => (j === i ? updateAt(c, rest, update) : c)));
}

export const replaceAt = (root: Condition, path: TreePath, node: Condition): Condition => updateAt(root, path, () => node);

/**
 * Removes the condition at path. A `not` cannot stand without what it negates, so removing that
 * removes the `not` too; removing everything leaves an empty "all" group, which always holds.
 */
export function removeAt(root: Condition, path: TreePath): Condition {
  if (!path.length) return { all: [] };
  const parentPath = path.slice(0, -1);
  const parent = nodeAt(root, parentPath);
  if (!parent) throw new RangeError(`no condition at ${path.join('/')}`);
  if (groupType(parent) === 'not') return removeAt(root, parentPath);
  const i = path[path.length - 1];
  return updateAt(root, parentPath, (g) => withChildren(g, childrenOf(g).filter((_, j) => j !== i)));
}

/**
 * Adds a condition at the end of the group at path. A `not` negates one condition, so adding to it
 * adds to the group it negates, or makes one: not(a) plus b is not(all of a, b).
 */
export function appendChild(root: Condition, path: TreePath, child: Condition): Condition {
  return updateAt(root, path, (g) => {
    const type = groupType(g);
    if (!type) throw new TypeError(`the condition at ${path.join('/') || 'the root'} is not a group`);
    if (type !== 'not') return withChildren(g, [...childrenOf(g), child]);
    const inner = childrenOf(g)[0];
    return withChildren(g, [groupType(inner) === 'all' || groupType(inner) === 'any' ? withChildren(inner, [...childrenOf(inner), child]) : { all: [inner, child] }]);
  });
}

/**
 * The group at path as another type, meaning kept where it can be: a group of several turning
 * into `not` is negated as a whole, and a `not` turns back into the group it was negating.
 */
export function setGroupType(root: Condition, path: TreePath, type: GroupType): Condition {
  return updateAt(root, path, (g) => {
    const from = groupType(g);
    if (!from) throw new TypeError(`the condition at ${path.join('/') || 'the root'} is not a group`);
    if (from === type) return g;
    const { name, priority } = g as Group;
    const extra = { ...(name !== undefined ? { name } : {}), ...(priority !== undefined ? { priority } : {}) };
    const children = childrenOf(g);
    if (type === 'not') return { not: children.length === 1 ? children[0] : { [from]: children }, ...extra } as Condition;
    if (from === 'not') {
      const inner = children[0];
      return { [type]: groupType(inner) === type ? childrenOf(inner) : [inner], ...extra } as Condition;
    }
    return { [type]: children, ...extra } as Condition;
  });
}

/** Whether the builder can show this leaf as selects: a catalogued fact and operator, and no `path` into the fact. */
export function isVisualLeaf(c: Condition, kind: RuleKind): c is Condition & ConditionLeaf {
  if (!isLeaf(c) || c.path !== undefined) return false;
  return factInfo(kind, c.fact)?.operators.includes(c.operator) === true;
}

/** A condition on `fact` (the kind's first fact when not given) with its first operator and default parameters. */
export function newLeaf(kind: RuleKind, fact: string = FACTS[kind][0].name): ConditionLeaf {
  const info = factInfo(kind, fact);
  if (!info) throw new RangeError(`no fact "${fact}" for ${kind} rules`);
  const operator = info.operators[0];
  const params = defaultParams(info);
  return { fact, operator, value: defaultValue(info, operator), ...(params ? { params } : {}) };
}

/** Another fact: operator, value and parameters start over, since the old ones may not fit it. */
export function withFact(leaf: ConditionLeaf, kind: RuleKind, fact: string): ConditionLeaf {
  const { name, priority } = leaf;
  return { ...newLeaf(kind, fact), ...(name !== undefined ? { name } : {}), ...(priority !== undefined ? { priority } : {}) };
}

/** Another operator: the value is kept, wrapped in or taken out of a list when the operator wants the other shape. */
export function withOperator(leaf: ConditionLeaf, kind: RuleKind, operator: string): ConditionLeaf {
  const list = operatorInfo(operator)?.arity === 'list';
  const info = factInfo(kind, leaf.fact);
  const blank = (v: unknown) => v === undefined || v === null || v === '';
  let value = leaf.value;
  if (list && !Array.isArray(value)) value = blank(value) ? [] : [value];
  else if (!list && Array.isArray(value)) value = value.length ? value[0] : info ? defaultValue(info, operator) : '';
  return { ...leaf, operator, value };
}

export function withParam(leaf: ConditionLeaf, name: string, value: unknown): ConditionLeaf {
  return { ...leaf, params: { ...leaf.params, [name]: value } };
}
