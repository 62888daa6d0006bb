// An index over a ruleset's model tree and question bank, built once per ruleset and shared
// by tailoring, scoring, forms and lint so none of them walks the JSON again.
import type { Level, ModelNode, Question, Ruleset } from './schema/ruleset.ts';
import { pointerOf } from './problem.ts';

export interface IndexedNode {
  node: ModelNode;
  id: string;
  depth: number;
  layerId: string;
  parent?: IndexedNode;
  children: IndexedNode[];
  isLeaf: boolean;
  pointer: string;
  /** Ids from the root down to this node, inclusive. */
  path: string[];
}

export interface ModelIndex {
  ruleset: Ruleset;
  /** Nodes in document (pre-)order. */
  nodes: IndexedNode[];
  roots: IndexedNode[];
  nodeById: Map<string, IndexedNode>;
  leaves: IndexedNode[];
  questionById: Map<string, { question: Question; index: number }>;
  levelByNumber: Map<number, { level: Level; index: number }>;
  /** Levels ordered by number. */
  levels: Level[];
  /** "leafId|level" → questions in document order. */
  cell: Map<string, Question[]>;
}

export const cellKey = (leafId: string, level: number) => `${leafId}|${level}`;

const cache = new WeakMap<Ruleset, ModelIndex>();

export function indexRuleset(ruleset: Ruleset): ModelIndex {
  const hit = cache.get(ruleset);
  if (hit) return hit;
  const nodes: IndexedNode[] = [];
  const nodeById = new Map<string, IndexedNode>();
  const walk = (node: ModelNode, depth: number, parent: IndexedNode | undefined, pointer: string): IndexedNode => {
    const layer = ruleset.model.layers[Math.min(depth, ruleset.model.layers.length - 1)];
    const entry: IndexedNode = {
      node,
      id: node.id,
      depth,
      layerId: layer?.id ?? String(depth),
      parent,
      children: [],
      isLeaf: !node.children || node.children.length === 0,
      pointer,
      path: [...(parent?.path ?? []), node.id],
    };
    nodes.push(entry);
    if (!nodeById.has(node.id)) nodeById.set(node.id, entry);
    (node.children ?? []).forEach((child, i) => entry.children.push(walk(child, depth + 1, entry, `${pointer}/children/${i}`)));
    return entry;
  };
  const roots = ruleset.model.nodes.map((n, i) => walk(n, 0, undefined, pointerOf('model', 'nodes', i)));
  const questionById = new Map<string, { question: Question; index: number }>();
  const cell = new Map<string, Question[]>();
  ruleset.questions.forEach((question, index) => {
    if (!questionById.has(question.id)) questionById.set(question.id, { question, index });
    const key = cellKey(question.subDomain, question.level);
    const list = cell.get(key);
    if (list) list.push(question);
    else cell.set(key, [question]);
  });
  const levelByNumber = new Map<number, { level: Level; index: number }>();
  ruleset.levels.forEach((level, index) => {
    if (!levelByNumber.has(level.number)) levelByNumber.set(level.number, { level, index });
  });
  const index: ModelIndex = {
    ruleset,
    nodes,
    roots,
    nodeById,
    leaves: nodes.filter((n) => n.isLeaf),
    questionById,
    levelByNumber,
    levels: [...ruleset.levels].sort((a, b) => a.number - b.number),
    cell,
  };
  cache.set(ruleset, index);
  return index;
}

/** Whether a node or one of its ancestors is in the set. */
export function isUnder(node: IndexedNode, ids: ReadonlySet<string>): boolean {
  for (let n: IndexedNode | undefined = node; n; n = n.parent) if (ids.has(n.id)) return true;
  return false;
}

export const localized = (t: { zh: string; en?: string } | undefined, locale: 'zh' | 'en' = 'zh'): string =>
  !t ? '' : locale === 'en' ? t.en || t.zh : t.zh;
