// Levels with their thresholds, and the matrix of which sub-domains carry requirements at which level.
import { Button, Card, Checkbox, Input, InputNumber, Space, Table, Typography } from 'antd';
import { indexRuleset, type Level } from '../../../engine/index.ts';
import { useT, useText } from '../i18n.tsx';
import { useEditor } from '../editor/EditorContext.tsx';
import { BaseHint } from '../editor/fields.tsx';
import { useReveal } from '../editor/useReveal.ts';
import { ListActions } from './common.tsx';

export function LevelsSection() {
  const t = useT();
  const tx = useText();
  const { doc, edit, readOnly } = useEditor();
  useReveal();
  const model = indexRuleset(doc);
  const count = (leaf: string, level: number) => doc.questions.filter((q) => q.subDomain === leaf && q.level === level).length;
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Card size="small" title={t('等级与阈值', 'Levels and thresholds')} extra={<Typography.Text type="secondary">{t('等级得分 Xₙ 达到阈值即达到该等级', 'A level is reached when its score Xₙ reaches the threshold')}</Typography.Text>}>
        <Table<Level>
          size="small"
          pagination={false}
          rowKey={(_, i) => String(i)}
          dataSource={doc.levels}
          columns={[
            { title: t('序号', 'No.'), width: 80, render: (_, l, i) => <InputNumber aria-label={t('等级序号', 'Level number')} disabled={readOnly} min={1} value={l.number} onChange={(v) => edit(['levels', i, 'number'], v ?? 1)} /> },
            { title: t('代码', 'Code'), width: 80, render: (_, l, i) => <Input aria-label={t('等级代码', 'Level code')} disabled={readOnly} value={l.code} onChange={(e) => edit(['levels', i, 'code'], e.target.value)} /> },
            { title: t('名称（中文）', 'Name (Chinese)'), render: (_, l, i) => <Input aria-label={t('等级名称（中文）', 'Level name (Chinese)')} disabled={readOnly} value={l.name.zh} onChange={(e) => edit(['levels', i, 'name', 'zh'], e.target.value)} /> },
            { title: t('名称（英文）', 'Name (English)'), render: (_, l, i) => <Input aria-label={t('等级名称（英文）', 'Level name (English)')} disabled={readOnly} value={l.name.en ?? ''} onChange={(e) => edit(['levels', i, 'name', 'en'], e.target.value || undefined)} /> },
            {
              title: t('阈值', 'Threshold'),
              width: 150,
              render: (_, l, i) => (
                <div data-pointer={`/levels/${i}/threshold`}>
                  <InputNumber aria-label={t(`${l.code} 阈值`, `${l.code} threshold`)} disabled={readOnly} min={0} max={1} step={0.05} value={l.threshold} onChange={(v) => edit(['levels', i, 'threshold'], v ?? 0)} />
                  <BaseHint path={['levels', i, 'threshold']} />
                </div>
              ),
            },
            { title: '', width: 110, render: (_, _l, i) => <ListActions path={['levels']} index={i} length={doc.levels.length} /> },
          ]}
        />
        {!readOnly && (
          <Button
            size="small"
            style={{ marginTop: 8 }}
            onClick={() => {
              const n = Math.max(0, ...doc.levels.map((l) => l.number)) + 1;
              edit(['levels', doc.levels.length], { number: n, code: `L${n}`, name: { zh: `${n} 级` }, threshold: 0.8, subDomains: [] });
            }}
          >
            + {t('添加等级', 'Add level')}
          </Button>
        )}
      </Card>
      <Card size="small" title={t('子域 × 等级', 'Sub-domains × levels')} extra={<Typography.Text type="secondary">{t('勾选表示该子域在该等级有要求；数字为题目数', 'Ticked: the sub-domain has requirements at that level; the figure counts its questions')}</Typography.Text>}>
        <Table
          size="small"
          pagination={false}
          scroll={{ y: 480 }}
          rowKey="id"
          dataSource={model.leaves.map((l) => ({ id: l.id, name: l.path.map((p) => tx(model.nodeById.get(p)!.node.name)).join(' / ') }))}
          columns={[
            { title: t('子域', 'Sub-domain'), dataIndex: 'name' },
            ...doc.levels.map((l, i) => ({
              title: l.code,
              width: 80,
              render: (_: unknown, row: { id: string }) => (
                <Space size={4}>
                  <Checkbox
                    aria-label={`${row.id} ${l.code}`}
                    disabled={readOnly}
                    checked={l.subDomains.includes(row.id)}
                    onChange={(e) => edit(['levels', i, 'subDomains'], e.target.checked ? [...l.subDomains, row.id] : l.subDomains.filter((s) => s !== row.id))}
                  />
                  <Typography.Text type="secondary">{count(row.id, l.number) || ''}</Typography.Text>
                </Space>
              ),
            })),
          ]}
        />
      </Card>
    </Space>
  );
}
