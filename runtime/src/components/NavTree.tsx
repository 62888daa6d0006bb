// The answering page's navigation tree: element / domain / sub-domain with each node's question count,
// answered and remaining counts and its status (未开始 / 答题中 / 已完成), then its questions.
import { useMemo } from 'react';
import { Tree, Typography } from 'antd';
import type { DataNode } from 'antd/es/tree/index.js';
import { CheckOutlined } from '@ant-design/icons';
import type { AnswerValue, NavigationNode, NodeStatus } from '../api.ts';
import { pick, useI18n } from '../i18n.tsx';

export interface Counted {
  node: NavigationNode;
  name: string;
  total: number;
  answered: number;
  status: NodeStatus;
  parents: string[];
  children: Counted[];
  /** Every question id under the node, in order. */
  questionIds: string[];
}

/** The tree's counts recomputed from the answers held on the page (they change before the server knows). */
export function countTree(nodes: NavigationNode[], answers: Record<string, AnswerValue>, locale: 'zh' | 'en', parents: string[] = []): Counted[] {
  return nodes.map((node) => {
    const children = countTree(node.children ?? [], answers, locale, [...parents, node.id]);
    const own = node.questions ?? [];
    const questionIds = [...own.map((q) => q.id), ...children.flatMap((c) => c.questionIds)];
    const answered = questionIds.filter((id) => answers[id] !== undefined && answers[id] !== null).length;
    const total = questionIds.length;
    const status: NodeStatus = answered === 0 ? 'notStarted' : answered === total ? 'done' : 'inProgress';
    return { node, name: pick(node.name, locale), total, answered, status, parents, children, questionIds };
  });
}

/** The nodes that carry questions (the sub-domains), in the tree's order: 上一步 / 下一步 walk them. */
export function leavesOf(tree: Counted[]): Counted[] {
  return tree.flatMap((c) => [...((c.node.questions ?? []).length ? [c] : []), ...leavesOf(c.children)]);
}

export function findNode(tree: Counted[], id: string): Counted | undefined {
  for (const c of tree) {
    if (c.node.id === id) return c;
    const found = findNode(c.children, id);
    if (found) return found;
  }
  return undefined;
}

export const STATUS_CLASS: Record<NodeStatus, string> = { notStarted: 'status-not-started', inProgress: 'status-in-progress', done: 'status-done' };

export function StatusDot({ status }: { status: NodeStatus }) {
  return <span className={`status-dot ${STATUS_CLASS[status]}`} aria-hidden="true" />;
}

export function Legend() {
  const { t } = useI18n();
  return (
    <ul className="legend" aria-label={t('answer.legend')}>
      {(['notStarted', 'inProgress', 'done'] as const).map((s) => (
        <li key={s}>
          <span className={`legend-box ${STATUS_CLASS[s]}`} aria-hidden="true" />
          {t(`answer.status.${s}`)}
        </li>
      ))}
    </ul>
  );
}

export function NavTree({
  tree,
  current,
  expanded,
  onExpand,
  onSelectNode,
  onSelectQuestion,
  answers,
}: {
  tree: Counted[];
  current: string | undefined;
  expanded: string[];
  onExpand: (keys: string[]) => void;
  onSelectNode: (id: string) => void;
  onSelectQuestion: (nodeId: string, questionId: string) => void;
  answers: Record<string, AnswerValue>;
}) {
  const { t, paren } = useI18n();
  const data = useMemo(() => {
    const conv = (c: Counted): DataNode => {
      const statusText = t(`answer.status.${c.status}`);
      const questions: DataNode[] = (c.node.questions ?? []).map((q) => {
        const done = answers[q.id] !== undefined && answers[q.id] !== null;
        return {
          key: `q:${c.node.id}:${q.id}`,
          isLeaf: true,
          title: (
            <span className={done ? 'nav-question nav-question-done' : 'nav-question'}>
              <span className="mono">{q.number}</span>
              {done && <CheckOutlined aria-hidden="true" />}
              <span className="sr-only">{paren(done ? t('answer.status.done') : t('answer.status.notStarted'))}</span>
            </span>
          ),
        };
      });
      return {
        key: c.node.id,
        title: (
          <span className={`nav-node nav-layer-${c.parents.length}`}>
            <span className="nav-name">
              <StatusDot status={c.status} />
              <span>{c.name}</span>
              <span className="sr-only">{paren(statusText)}</span>
              <span className="nav-total">{t('answer.total', { n: c.total })}</span>
            </span>
            <Typography.Text type="secondary" className="nav-counts">
              {t('answer.counts', { answered: c.answered, remaining: c.total - c.answered })}
            </Typography.Text>
          </span>
        ),
        children: [...c.children.map(conv), ...questions],
      };
    };
    return tree.map(conv);
  }, [tree, answers, t, paren]);

  return (
    <Tree
      className="nav-tree"
      treeData={data}
      blockNode
      showLine={false}
      selectedKeys={current ? [current] : []}
      expandedKeys={expanded}
      onExpand={(keys) => onExpand(keys.map(String))}
      onSelect={(keys, info) => {
        const key = String(info.node.key);
        if (key.startsWith('q:')) {
          const [, nodeId, qid] = key.split(':');
          onSelectQuestion(nodeId, qid);
        } else onSelectNode(key);
      }}
    />
  );
}
