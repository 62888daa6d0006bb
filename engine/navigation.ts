// The answering page's navigation tree: per node, its question count, answered and remaining
// counts, and status (未开始 / 答题中 / 已完成).
import type { AnswerValue, Ruleset } from './schema/ruleset.ts';
import { indexRuleset, type IndexedNode } from './model.ts';
import { applicableQuestions } from './tailoring.ts';

export type NodeStatus = 'notStarted' | 'inProgress' | 'done';

export interface NavigationNode {
  id: string;
  layer: string;
  name: { zh: string; en?: string };
  total: number;
  answered: number;
  remaining: number;
  status: NodeStatus;
  children: NavigationNode[];
  questions: { id: string; number: string; answered: boolean }[];
}

export function navigationTree(
  ruleset: Ruleset,
  options: { level: number; excluded?: string[]; industryType: string; answers: Record<string, AnswerValue | null | undefined> },
): NavigationNode[] {
  const index = indexRuleset(ruleset);
  const questions = applicableQuestions(ruleset, { excluded: options.excluded ?? [], industryType: options.industryType, level: options.level });
  const byLeaf = new Map<string, typeof questions>();
  for (const q of questions) byLeaf.set(q.subDomain, [...(byLeaf.get(q.subDomain) ?? []), q]);
  const build = (n: IndexedNode): NavigationNode | undefined => {
    const children = n.children.map(build).filter((c): c is NavigationNode => c !== undefined);
    const own = (byLeaf.get(n.id) ?? []).map((q) => ({ id: q.id, number: q.number, answered: options.answers[q.id] !== undefined && options.answers[q.id] !== null }));
    const total = own.length + children.reduce((s, c) => s + c.total, 0);
    if (total === 0) return undefined;
    const answered = own.filter((q) => q.answered).length + children.reduce((s, c) => s + c.answered, 0);
    const status: NodeStatus = answered === 0 ? 'notStarted' : answered === total ? 'done' : 'inProgress';
    return { id: n.id, layer: n.layerId, name: n.node.name, total, answered, remaining: total - answered, status, children, questions: own };
  };
  return index.roots.map(build).filter((n): n is NavigationNode => n !== undefined);
}
