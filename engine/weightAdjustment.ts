// Per-diagnosis weights: GB/T 39117's pre-assessment sets each domain's weight for the enterprise
// "结合行业和企业特点". The ruleset says which layers may move and how far; a diagnosis gives
// whole sibling groups (so each still sums to 1), each weight within its bounds.
import type { Ruleset, WeightSet } from './schema/ruleset.ts';
import { indexRuleset, type IndexedNode } from './model.ts';
import { text, type Problem } from './problem.ts';

/** Slack for sums and bounds typed as decimals. */
const TOLERANCE = 1e-6;

/** A node's weight in the set before any adjustment: the set's table, else an equal share of its group. */
export function defaultWeight(ruleset: Ruleset, weightSet: WeightSet | undefined, node: IndexedNode): number {
  const siblings = node.parent ? node.parent.children : indexRuleset(ruleset).roots;
  const table = weightSet?.weights;
  if (table && siblings.some((s) => table[s.id] !== undefined)) return table[node.id] ?? 0;
  return 1 / siblings.length;
}

/** Every reason the adjusted weights cannot be used, each at /weights/<node id>. */
export function checkWeightAdjustment(ruleset: Ruleset, weightSet: WeightSet | undefined, weights: Record<string, number>): Problem[] {
  const problems: Problem[] = [];
  const at = (id: string, zh: string, en: string) => problems.push({ code: 'weights.adjusted', pointer: `/weights/${id}`, message: text(zh, en) });
  const rule = ruleset.scoring.adjustableWeights;
  const index = indexRuleset(ruleset);
  const groups = new Map<IndexedNode | undefined, IndexedNode[]>();
  for (const [id, w] of Object.entries(weights)) {
    const node = index.nodeById.get(id);
    if (!node) {
      at(id, `不存在的节点 "${id}"`, `no node "${id}"`);
      continue;
    }
    const name = node.node.name.zh;
    if (!rule) {
      at(id, `本规则集不允许按企业调整权重（"${name}"）`, `this ruleset lets no diagnosis adjust weights ("${node.node.name.en ?? id}")`);
      continue;
    }
    if (!rule.layers.includes(node.layerId)) {
      const layers = rule.layers.map((l) => ruleset.model.layers.find((x) => x.id === l)?.name.zh ?? l).join('、');
      at(id, `"${name}" 的权重不可调整（可调整：${layers}）`, `the weight of "${node.node.name.en ?? id}" cannot be adjusted (adjustable layers: ${rule.layers.join(', ')})`);
      continue;
    }
    if (typeof w !== 'number' || !Number.isFinite(w) || w < 0 || w > 1) {
      at(id, `"${name}" 的权重应为 0 到 1 之间的数`, `the weight of "${node.node.name.en ?? id}" should be a number from 0 to 1`);
      continue;
    }
    const base = defaultWeight(ruleset, weightSet, node);
    const low = Math.max(0, base - rule.maxChange);
    const high = Math.min(1, base + rule.maxChange);
    if (w < low - TOLERANCE || w > high + TOLERANCE) {
      const fmt = (x: number) => String(+x.toFixed(4));
      at(id, `"${name}" 的权重 ${fmt(w)} 超出允许范围 [${fmt(low)}, ${fmt(high)}]（默认 ${fmt(base)}，最多调整 ${fmt(rule.maxChange)}）`, `the weight ${fmt(w)} of "${node.node.name.en ?? id}" is outside [${fmt(low)}, ${fmt(high)}] (default ${fmt(base)}, at most ${fmt(rule.maxChange)} either way)`);
    }
    const group = groups.get(node.parent) ?? [];
    group.push(node);
    groups.set(node.parent, group);
  }
  for (const [parent, given] of groups) {
    const siblings = parent ? parent.children : index.roots;
    const missing = siblings.filter((s) => weights[s.id] === undefined);
    const parentName = parent?.node.name.zh ?? '等级得分';
    if (missing.length) {
      at(missing[0].id, `调整 "${parentName}" 下的权重时须给出全部子节点的权重，缺少：${missing.map((m) => m.node.name.zh).join('、')}`, `adjusting the weights under "${parent?.node.name.en ?? parent?.id ?? 'the level score'}" needs all of its children; missing: ${missing.map((m) => m.id).join(', ')}`);
      continue;
    }
    const sum = siblings.reduce((s, n) => s + weights[n.id], 0);
    if (Math.abs(sum - 1) > TOLERANCE) at(given[0].id, `"${parentName}" 下各子节点的权重之和为 ${+sum.toFixed(6)}，应为 1`, `the weights under "${parent?.node.name.en ?? parent?.id ?? 'the level score'}" sum to ${+sum.toFixed(6)}, not 1`);
  }
  return problems;
}

export interface AdjustableWeightGroup {
  /** The node whose children share the weights (absent: the top of the model). */
  parent?: { id: string; name: { zh: string; en?: string } };
  nodes: { id: string; name: { zh: string; en?: string }; default: number; min: number; max: number }[];
}

/** The sibling groups an assessment may re-weight, each node with its default and its bounds (what checkWeightAdjustment allows). */
export function adjustableWeightGroups(ruleset: Ruleset, weightSet: WeightSet | undefined): AdjustableWeightGroup[] {
  const rule = ruleset.scoring.adjustableWeights;
  if (!rule) return [];
  const index = indexRuleset(ruleset);
  const groups = new Map<IndexedNode | undefined, IndexedNode[]>();
  for (const node of index.nodes) if (rule.layers.includes(node.layerId)) groups.set(node.parent, [...(groups.get(node.parent) ?? []), node]);
  return [...groups].map(([parent, nodes]) => ({
    ...(parent ? { parent: { id: parent.id, name: parent.node.name } } : {}),
    nodes: nodes.map((n) => {
      const base = defaultWeight(ruleset, weightSet, n);
      return { id: n.id, name: n.node.name, default: base, min: Math.max(0, base - rule.maxChange), max: Math.min(1, base + rule.maxChange) };
    }),
  }));
}
