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
              ↑ {t('上移', 'Up')}
            </Button>
            <Button size="small" onClick={() => replace(moveNode(doc, id, 1))}>
              ↓ {t('下移', 'Down')}
            </Button>
            <Popconfirm
              title={t(`删除该节点及其下的全部内容（含 ${questions} 道直属题目）？可撤销。`, `Delete this node and everything below it (${questions} questions of its own)? Undo brings it back.`)}
              onConfirm={() => (replace(removeNode(doc, id)), onSelect(entry.parent ? `n:${entry.parent.id}` : ''))}
            >
              <Button size="small" danger>
                {t('删除', 'Delete')}
              </Button>
            </Popconfirm>
          </Space>
        )
      }
    >
      <FieldRow label={t('标识', 'Id')} path={[...path, 'id']} help={t('修改后，题目、等级矩阵、权重和裁剪规则中的引用随之更新', 'Questions, the level matrix, weights and tailoring rules follow a rename')}>
        <Space.Compact>
          <Input aria-label={t('节点标识', 'Node id')} value={draftId} disabled={readOnly} status={idOk ? undefined : 'error'} onChange={(e) => setDraftId(e.target.value)} onPressEnter={() => idOk && (replace(renameNode(doc, id, draftId)), onSelect(`n:${draftId}`))} />
          <Button disabled={readOnly || !idOk || draftId === id} onClick={() => (replace(renameNode(doc, id, draftId)), onSelect(`n:${draftId}`))}>
            {t('改名', 'Rename')}
          </Button>
        </Space.Compact>
        {idTaken && <Typography.Text type="danger">{t('该标识已被使用', 'That id is taken')}</Typography.Text>}
      </FieldRow>
      <I18nField path={[...path, 'name']} label={t('名称', 'Name')} />
      <I18nField path={[...path, 'description']} label={t('说明', 'Description')} optional multiline />
      <SwitchField path={[...path, 'mandatory']} label={t('必选（不可裁剪）', 'Mandatory (never tailored out)')} />
      <SwitchField path={[...path, 'tailorable']} label={t('企业可裁剪', 'Enterprises may tailor it out')} />
      {!readOnly && (
        <FieldRow label={t('添加', 'Add')} path={[]}>
          <Space wrap>
            <Button
              onClick={() => {
                const cid = freshId(childLayer?.id ?? 'node', index.nodes.map((n) => n.id));
                replace(addNode(doc, id, { id: cid, name: { zh: `${tx(childLayer?.name) || t('子节点', 'Child')} ${(entry.node.children?.length ?? 0) + 1}` } }));
                onExpand(`n:${id}`);
                onSelect(`n:${cid}`);
              }}
            >
              + {t(`添加下级${tx(childLayer?.name)}`, `Add a ${tx(childLayer?.name) || 'child'}`)}
            </Button>
            {entry.isLeaf && (
              <>
                <Select
                  aria-label={t('题目所属等级', 'Level of the new question')}
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
                  + {t('添加题目', 'Add question')}
                </Button>
              </>
            )}
          </Space>
        </FieldRow>
      )}
    </Card>
  );
}

