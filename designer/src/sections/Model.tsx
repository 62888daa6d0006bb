// The model tree and the question bank: nodes (elements, domains, sub-domains) with their questions
// per level; select one to edit it; search over the questions.
import { memo, useCallback, useDeferredValue, useEffect, useMemo, useState, type Key } from 'react';
import { Button, Card, Col, Empty, Input, List, Row, Space, Tag, Tree, Typography } from 'antd';
import type { DataNode } from 'antd/es/tree/index.js';
import { indexRuleset, type ModelNode, type Ruleset } from '../../../engine/index.ts';
import { useT, useText } from '../i18n.tsx';
import { useEditor } from '../editor/EditorContext.tsx';
import { useReveal } from '../editor/useReveal.ts';
import { addNode, findNode } from '../editor/modelEdits.ts';
import { freshId } from './common.tsx';
import { NodeEditor } from './NodeEditor.tsx';
import { QuestionEditor } from './QuestionEditor.tsx';

function treeData(doc: Ruleset, tx: (x: { zh: string; en?: string }) => string, levelLabel: (n: number) => string): DataNode[] {
  const byLeafLevel = new Map<string, { id: string; number: string; text: string }[]>();
  for (const q of doc.questions) {
    const key = `${q.subDomain}|${q.level}`;
    const list = byLeafLevel.get(key) ?? [];
    list.push({ id: q.id, number: q.number, text: tx(q.text) });
    byLeafLevel.set(key, list);
  }
  const levels = [...doc.levels].sort((a, b) => a.number - b.number);
  const walk = (n: ModelNode): DataNode => {
    const leaf = !n.children?.length;
    const groups: DataNode[] = leaf
      ? levels
          .filter((l) => byLeafLevel.has(`${n.id}|${l.number}`))
          .map((l) => ({
            key: `g:${n.id}:${l.number}`,
            title: levelLabel(l.number),
            selectable: false,
            children: byLeafLevel.get(`${n.id}|${l.number}`)!.map((q) => ({ key: `q:${q.id}`, title: `${q.number} ${q.text}`, isLeaf: true })),
          }))
      : [];
    return { key: `n:${n.id}`, title: tx(n.name), children: leaf ? groups : n.children!.map(walk) };
  };
  return doc.model.nodes.map(walk);
}

export function ModelSection() {
  const t = useT();
  const tx = useText();
  const { doc, target } = useEditor();
  const [selected, setSelected] = useState<string | undefined>(() => (target.select?.startsWith('q:') || target.select?.startsWith('n:') ? target.select : `n:${doc.model.nodes[0]?.id}`));
  const [expanded, setExpanded] = useState<Key[]>(() => doc.model.nodes.map((n) => `n:${n.id}`));
  const [search, setSearch] = useState('');
  // The tree and the search follow the document at a lower priority than the field being typed in,
  // so a keystroke in a question's text repaints the text box first (the designer's 50 ms budget).
  const deferred = useDeferredValue(doc);
  const index = indexRuleset(deferred);

  // A jump from the lint panel selects the node or question and opens the tree down to it.
  useEffect(() => {
    if (!target.select || !/^[qn]:/.test(target.select)) return;
    setSelected(target.select);
    const id = target.select.slice(2);
    const q = target.select.startsWith('q:') ? index.questionById.get(id)?.question : undefined;
    const leaf = q ? index.nodeById.get(q.subDomain) : index.nodeById.get(id);
    if (leaf) setExpanded((old) => [...new Set([...old, ...leaf.path.map((p) => `n:${p}`), ...(q ? [`g:${q.subDomain}:${q.level}`] : [])])]);
  }, [target.seq]);
  useReveal(true);

  const selectedIndex = selected?.startsWith('q:') ? doc.questions.findIndex((q) => q.id === selected.slice(2)) : -1;
  const selectedNode = selected?.startsWith('n:') ? findNode(doc.model.nodes, selected.slice(2)) : undefined;
  const onAdded = useCallback((id: string) => setSelected(`n:${id}`), []);

  return (
    <Row gutter={12} className="model-section">
      <Col span={9}>
        <ModelTree doc={deferred} selected={selected} expanded={expanded} search={search} onSearch={setSearch} onSelect={setSelected} onExpand={setExpanded} />
        <AddRoot onAdded={onAdded} />
      </Col>
      <Col span={15}>
        {selectedIndex >= 0 ? (
          <QuestionEditor key={selected} index={selectedIndex} onSelect={setSelected} />
        ) : selectedNode ? (
          <NodeEditor key={selectedNode.node.id} id={selectedNode.node.id} onSelect={setSelected} onExpand={(k) => setExpanded((old) => [...new Set([...old, k])])} />
        ) : (
          <Card size="small">
            <Empty description={t('model.choose')} />
          </Card>
        )}
      </Col>
    </Row>
  );
}


/** The tree (or the search results): memoised on the deferred document, so typing elsewhere does not re-render it. */
const ModelTree = memo(function ModelTree(props: {
  doc: Ruleset;
  selected?: string;
  expanded: Key[];
  search: string;
  onSearch: (s: string) => void;
  onSelect: (key: string) => void;
  onExpand: (keys: Key[]) => void;
}) {
  const { doc, selected, expanded, search, onSearch, onSelect, onExpand } = props;
  const t = useT();
  const tx = useText();
  const levelLabel = useCallback(
    (n: number) => {
      const l = doc.levels.find((x) => x.number === n);
      return l ? `${l.code} ${tx(l.name)}` : String(n);
    },
    [doc.levels, tx],
  );
  const data = useMemo(() => treeData(doc, tx, levelLabel), [doc.model, doc.questions, levelLabel, tx]);
  const matches = useMemo(() => {
    const s = search.trim().toLowerCase();
    if (!s) return [];
    return doc.questions.filter((q) => q.id.toLowerCase().includes(s) || q.number.includes(s) || q.text.zh.toLowerCase().includes(s) || (q.text.en ?? '').toLowerCase().includes(s)).slice(0, 200);
  }, [search, doc.questions]);
  return (
    <Card size="small" title={t('model.heading')} extra={<Typography.Text type="secondary">{t('model.questionCount', { n: doc.questions.length })}</Typography.Text>}>
      <Input.Search allowClear placeholder={t('model.searchPlaceholder')} aria-label={t('model.search')} value={search} onChange={(e) => onSearch(e.target.value)} style={{ marginBottom: 8 }} />
      {search.trim() ? (
        <List
          size="small"
          className="search-results"
          dataSource={matches}
          locale={{ emptyText: t('model.noMatch') }}
          renderItem={(q) => (
            <List.Item className={selected === `q:${q.id}` ? 'selected' : ''} onClick={() => onSelect(`q:${q.id}`)} style={{ cursor: 'pointer' }}>
              <span>
                <Tag>{levelLabel(q.level)}</Tag>
                {q.number} {tx(q.text)}
              </span>
            </List.Item>
          )}
        />
      ) : (
        <Tree
          className="model-tree"
          treeData={data}
          height={560}
          blockNode
          selectedKeys={selected ? [selected] : []}
          expandedKeys={expanded}
          onExpand={(keys) => onExpand(keys)}
          onSelect={(keys) => keys[0] && onSelect(String(keys[0]))}
        />
      )}
    </Card>
  );
});

function AddRoot({ onAdded }: { onAdded: (id: string) => void }) {
  const t = useT();
  const { doc, replace, readOnly } = useEditor();
  const layer = doc.model.layers[0];
  const tx = useText();
  if (readOnly) return null;
  return (
    <Space style={{ marginTop: 8 }}>
      <Button
        size="small"
        onClick={() => {
          const id = freshId(layer?.id ?? 'node', indexRuleset(doc).nodes.map((n) => n.id));
          replace(addNode(doc, undefined, { id, name: { zh: `${tx(layer?.name) || t('model.defaultNodeName')} ${doc.model.nodes.length + 1}` } }));
          onAdded(id);
        }}
      >
        + {t('model.addRoot', { layer: tx(layer?.name) || t('model.topNode') })}
      </Button>
    </Space>
  );
}
