// Structural edits of the model that keep a ruleset consistent: a node's id is referenced by
// questions, the level matrix, weight tables and tailoring rules, so renaming, adding or removing
// it updates all of them in one step (and one undo).
import { indexRuleset, type ModelNode, type Question, type Ruleset, type WeightSet } from '../../../engine/index.ts';

type NodeVisitor = (nodes: ModelNode[]) => ModelNode[];

/** Applies `f` to every sibling list in the tree (the roots first). */
function mapSiblings(nodes: ModelNode[], f: NodeVisitor): ModelNode[] {
  return f(nodes).map((n) => (n.children ? { ...n, children: mapSiblings(n.children, f) } : n));
}

const mapWeights = (r: Ruleset, f: (w: Record<string, number>) => Record<string, number>): Ruleset['scoring']['weightSets'] =>
  r.scoring.weightSets.map((s: WeightSet) => ({
    ...s,
    weights: f(s.weights),
    ...(s.levelWeights ? { levelWeights: Object.fromEntries(Object.entries(s.levelWeights).map(([k, w]) => [k, f(w)])) } : {}),
  }));

const renameKey = (w: Record<string, number>, from: string, to: string) => Object.fromEntries(Object.entries(w).map(([k, v]) => [k === from ? to : k, v]));

export function renameNode(r: Ruleset, from: string, to: string): Ruleset {
  if (from === to) return r;
  const swap = (id: string) => (id === from ? to : id);
  return {
    ...r,
    model: { ...r.model, nodes: mapSiblings(r.model.nodes, (ns) => ns.map((n) => (n.id === from ? { ...n, id: to } : n))) },
    questions: r.questions.map((q) => (q.subDomain === from ? { ...q, subDomain: to } : q)),
    levels: r.levels.map((l) => ({ ...l, subDomains: l.subDomains.map(swap) })),
    scoring: { ...r.scoring, weightSets: mapWeights(r, (w) => renameKey(w, from, to)) },
    rules: { ...r.rules, tailoring: r.rules.tailoring.map((t) => ({ ...t, nodes: t.nodes.map(swap) })) },
  };
}

export function findNode(nodes: ModelNode[], id: string): { node: ModelNode; siblings: ModelNode[]; parent?: ModelNode } | undefined {
  const walk = (list: ModelNode[], parent?: ModelNode): ReturnType<typeof findNode> => {
    for (const n of list) {
      if (n.id === id) return { node: n, siblings: list, parent };
      const hit = n.children && walk(n.children, n);
      if (hit) return hit;
    }
    return undefined;
  };
  return walk(nodes);
}

export const subtreeIds = (n: ModelNode): string[] => [n.id, ...(n.children ?? []).flatMap(subtreeIds)];

/**
 * Adds a leaf `node` under `parentId` (at the top when undefined). Where the siblings' weights were
 * equal, every weight set shares the weight equally again; otherwise the new node gets 0 and lint
 * points at the sum. The new leaf is asked at the levels its sibling leaves are asked at; when the
 * parent was itself a leaf, the new child takes over its questions and its cells.
 */
export function addNode(r: Ruleset, parentId: string | undefined, node: ModelNode): Ruleset {
  const parent = parentId ? findNode(r.model.nodes, parentId)?.node : undefined;
  const siblingsBefore = parentId ? (parent?.children ?? []) : r.model.nodes;
  const ids = [...siblingsBefore.map((s) => s.id), node.id];
  const nodes = parentId
    ? mapSiblings(r.model.nodes, (ns) => ns.map((n) => (n.id === parentId ? { ...n, children: [...(n.children ?? []), node] } : n)))
    : [...r.model.nodes, node];
  const share = (w: Record<string, number>) => {
    const old = siblingsBefore.map((s) => w[s.id] ?? 0);
    if (!old.every((x) => Math.abs(x - old[0]) < 1e-9)) return { ...w, [node.id]: 0 };
    const each = Math.round((1 / ids.length) * 1e6) / 1e6;
    const next = { ...w };
    ids.forEach((id, i) => (next[id] = i === ids.length - 1 ? Math.round((1 - each * (ids.length - 1)) * 1e6) / 1e6 : each));
    return next;
  };
  const splitsLeaf = parent !== undefined && !parent.children?.length;
  const siblingLeaves = siblingsBefore.filter((s) => !s.children?.length).map((s) => s.id);
  const levels = r.levels.map((l) => {
    if (splitsLeaf) return l.subDomains.includes(parentId!) ? { ...l, subDomains: l.subDomains.map((s) => (s === parentId ? node.id : s)) } : l;
    return siblingLeaves.some((s) => l.subDomains.includes(s)) ? { ...l, subDomains: [...l.subDomains, node.id] } : l;
  });
  // A node deeper than the declared layers brings its layer along, combining like the layer above it.
  const depth = parentId ? (indexRuleset(r).nodeById.get(parentId)?.depth ?? 0) + 1 : 0;
  let layers = r.model.layers;
  let aggregation = r.scoring.aggregation;
  if (depth >= layers.length) {
    const n = layers.length + 1;
    const id = `layer-${n}`;
    const above = layers[layers.length - 1];
    layers = [...layers, { id, name: { zh: `第 ${n} 层`, en: `Layer ${n}` } }];
    aggregation = { ...aggregation, layers: { ...aggregation.layers, [id]: aggregation.layers[above.id] ?? 'mean' } };
  }
  return {
    ...r,
    model: { layers, nodes },
    questions: splitsLeaf ? r.questions.map((q) => (q.subDomain === parentId ? { ...q, subDomain: node.id } : q)) : r.questions,
    levels,
    scoring: { ...r.scoring, aggregation, weightSets: r.scoring.weightSets.map((s) => ({ ...s, weights: share(s.weights) })) },
  };
}

/** Removes a node with everything below it: its questions, its cells in the level matrix, its weights and its place in tailoring rules. */
export function removeNode(r: Ruleset, id: string): Ruleset {
  const hit = findNode(r.model.nodes, id);
  if (!hit) return r;
  const gone = new Set(subtreeIds(hit.node));
  const drop = (w: Record<string, number>) => Object.fromEntries(Object.entries(w).filter(([k]) => !gone.has(k)));
  return {
    ...r,
    model: { ...r.model, nodes: mapSiblings(r.model.nodes, (ns) => ns.filter((n) => !gone.has(n.id))) },
    questions: r.questions.filter((q) => !gone.has(q.subDomain)),
    levels: r.levels.map((l) => ({ ...l, subDomains: l.subDomains.filter((s) => !gone.has(s)) })),
    scoring: { ...r.scoring, weightSets: mapWeights(r, drop) },
    rules: { ...r.rules, tailoring: r.rules.tailoring.map((t) => ({ ...t, nodes: t.nodes.filter((n) => !gone.has(n)) })) },
  };
}

/** Moves a node among its siblings by `delta` places. */
export function moveNode(r: Ruleset, id: string, delta: number): Ruleset {
  return {
    ...r,
    model: {
      ...r.model,
      nodes: mapSiblings(r.model.nodes, (ns) => {
        const i = ns.findIndex((n) => n.id === id);
        const j = i + delta;
        if (i < 0 || j < 0 || j >= ns.length) return ns;
        const copy = ns.slice();
        [copy[i], copy[j]] = [copy[j], copy[i]];
        return copy;
      }),
    },
  };
}

/** Adds a question to a leaf at a level, putting the leaf into that level's matrix when it is not yet there. */
export function addQuestion(r: Ruleset, q: Question): Ruleset {
  return {
    ...r,
    questions: [...r.questions, q],
    levels: r.levels.map((l) => (l.number === q.level && !l.subDomains.includes(q.subDomain) ? { ...l, subDomains: [...l.subDomains, q.subDomain] } : l)),
  };
}

/** A new single-choice question whose options follow the ruleset's scale (A, B, C… with its labels and scores). */
export function newQuestion(r: Ruleset, subDomain: string, level: number): Question {
  const taken = new Set(r.questions.map((q) => q.id));
  let n = r.questions.length + 1;
  while (taken.has(`q${n}`)) n++;
  const inCell = r.questions.filter((q) => q.subDomain === subDomain && q.level === level).length;
  return {
    id: `q${n}`,
    number: `${level}.${subDomain}.${inCell + 1}`,
    subDomain,
    level,
    kind: 'single',
    text: { zh: '新题目' },
    options: r.scoring.scale.map((s, i) => ({ id: String.fromCharCode(65 + i), label: s.label, score: s.score })),
  };
}
