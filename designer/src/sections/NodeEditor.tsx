// One node of the model: its id (renaming updates every reference), names, whether the standard
// makes it mandatory or lets enterprises tailor it out; add children or questions; move; delete.
import { useState } from 'react';
import { Button, Card, Input, Popconfirm, Select, Space, Typography } from 'antd';
import { indexRuleset } from '../../../engine/index.ts';
import { useT, useText } from '../i18n.tsx';
import { useEditor } from '../editor/EditorContext.tsx';
import { FieldRow, I18nField, SwitchField } from '../editor/fields.tsx';
import { addNode, addQuestion, moveNode, newQuestion, removeNode, renameNode } from '../editor/modelEdits.ts';
import { freshId } from './common.tsx';
import { pathOfPointer } from '../docPath.ts';

export function NodeEditor({ id, onSelect, onExpand }: { id: string; onSelect: (key: string) => void; onExpand: (key: string) => void }) {
  const t = useT();
  const tx = useText();
  const { doc, replace, readOnly } = useEditor();
  const index = indexRuleset(doc);
  const entry = index.nodeById.get(id)!;
  const [draftId, setDraftId] = useState(id);
  const [level, setLevel] = useState(doc.levels[0]?.number ?? 1);
  const path = pathOfPointer(doc, entry.pointer);
  const layer = doc.model.layers[Math.min(entry.depth, doc.model.layers.length - 1)];
  const childLayer = doc.model.layers[Math.min(entry.depth + 1, doc.model.layers.length - 1)];
  const childName = tx(childLayer?.name);
  const questions = doc.questions.filter((q) => q.subDomain === id).length;
  const idTaken = draftId !== id && index.nodeById.has(draftId);
  const idOk = /^[A-Za-z0-9_.-]+$/.test(draftId) && !idTaken;

  return (
    <Card
      size="small"
      className="node-editor"
      title={
        <Space>
          <Typography.Text type="secondary">{tx(layer?.name)}</Typography.Text>
          {tx(entry.node.name)}
        </Space>
      }
      extra={
        !readOnly && (
          <Space>
            <Button size="small" onClick={() => replace(moveNode(doc, id, -1))}>
              ↑ {t('node.moveUp')}
            </Button>
            <Button size="small" onClick={() => replace(moveNode(doc, id, 1))}>
              ↓ {t('node.moveDown')}
            </Button>
            <Popconfirm
              title={t('node.deleteConfirm', { n: questions })}
              onConfirm={() => (replace(removeNode(doc, id)), onSelect(entry.parent ? `n:${entry.parent.id}` : ''))}
            >
              <Button size="small" danger>
                {t('common.delete')}
              </Button>
            </Popconfirm>
          </Space>
        )
      }
    >
      <FieldRow label={t('common.id')} path={[...path, 'id']} help={t('node.idHint')}>
        <Space.Compact>
          <Input aria-label={t('node.nodeId')} value={draftId} disabled={readOnly} status={idOk ? undefined : 'error'} onChange={(e) => setDraftId(e.target.value)} onPressEnter={() => idOk && (replace(renameNode(doc, id, draftId)), onSelect(`n:${draftId}`))} />
          <Button disabled={readOnly || !idOk || draftId === id} onClick={() => (replace(renameNode(doc, id, draftId)), onSelect(`n:${draftId}`))}>
            {t('node.rename')}
          </Button>
        </Space.Compact>
        {idTaken && <Typography.Text type="danger">{t('node.idTaken')}</Typography.Text>}
      </FieldRow>
      <I18nField path={[...path, 'name']} label={t('node.name')} />
      <I18nField path={[...path, 'description']} label={t('node.description')} optional multiline />
      <SwitchField path={[...path, 'mandatory']} label={t('node.mandatory')} />
      <SwitchField path={[...path, 'tailorable']} label={t('node.tailorable')} />
      {!readOnly && (
        <FieldRow label={t('node.add')} path={[]}>
          <Space wrap>
            <Button
              onClick={() => {
                const cid = freshId(childLayer?.id ?? 'node', index.nodes.map((n) => n.id));
                replace(addNode(doc, id, { id: cid, name: { zh: `${childName || t('node.defaultChildName')} ${(entry.node.children?.length ?? 0) + 1}` } }));
                onExpand(`n:${id}`);
                onSelect(`n:${cid}`);
              }}
            >
              + {childName ? t('node.addChildOf', { layer: childName }) : t('node.addChild')}
            </Button>
            {entry.isLeaf && (
              <>
                <Select
                  aria-label={t('node.questionLevel')}
                  value={level}
                  onChange={setLevel}
                  style={{ minWidth: 140 }}
                  options={doc.levels.map((l) => ({ value: l.number, label: `${l.code} ${tx(l.name)}` }))}
                />
                <Button
                  type="primary"
                  onClick={() => {
                    const q = newQuestion(doc, id, level);
                    replace(addQuestion(doc, q));
                    onExpand(`g:${id}:${level}`);
                    onSelect(`q:${q.id}`);
                  }}
                >
                  + {t('node.addQuestion')}
                </Button>
              </>
            )}
          </Space>
        </FieldRow>
      )}
    </Card>
  );
}

