// Levels with their thresholds, and the matrix of which sub-domains carry requirements at which
// level, with where each cell's questions come from (seen on the platform, the standard, uncertain).
import { Button, Card, Checkbox, Input, InputNumber, Select, Space, Table, Tooltip, Typography } from 'antd';
import { indexRuleset, type CellProvenance, type Level } from '../../../engine/index.ts';
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
      <Card size="small" title={t('levels.heading')} extra={<Typography.Text type="secondary">{t('levels.headingHint')}</Typography.Text>}>
        <Table<Level>
          size="small"
          pagination={false}
          rowKey={(_, i) => String(i)}
          dataSource={doc.levels}
          columns={[
            { title: t('levels.number'), width: 80, render: (_, l, i) => <InputNumber aria-label={t('levels.levelNumber')} disabled={readOnly} min={1} value={l.number} onChange={(v) => edit(['levels', i, 'number'], v ?? 1)} /> },
            { title: t('levels.code'), width: 80, render: (_, l, i) => <Input aria-label={t('levels.levelCode')} disabled={readOnly} value={l.code} onChange={(e) => edit(['levels', i, 'code'], e.target.value)} /> },
            { title: t('levels.nameZh'), render: (_, l, i) => <Input aria-label={t('levels.levelNameZh')} disabled={readOnly} value={l.name.zh} onChange={(e) => edit(['levels', i, 'name', 'zh'], e.target.value)} /> },
            { title: t('levels.nameEn'), render: (_, l, i) => <Input aria-label={t('levels.levelNameEn')} disabled={readOnly} value={l.name.en ?? ''} onChange={(e) => edit(['levels', i, 'name', 'en'], e.target.value || undefined)} /> },
            {
              title: <Tooltip title={t('levels.titleHint')}>{t('levels.titleZh')}</Tooltip>,
              render: (_, l, i) => (
                <Input
                  aria-label={t('levels.levelTitleZh')}
                  disabled={readOnly}
                  placeholder={l.name.zh}
                  value={l.title?.zh ?? ''}
                  onChange={(e) => edit(['levels', i, 'title'], e.target.value ? { ...l.title, zh: e.target.value } : undefined)}
                />
              ),
            },
            {
              title: t('levels.threshold'),
              width: 150,
              render: (_, l, i) => (
                <div data-pointer={`/levels/${i}/threshold`}>
                  <InputNumber aria-label={t('levels.thresholdOf', { code: l.code })} disabled={readOnly} min={0} max={1} step={0.05} value={l.threshold} onChange={(v) => edit(['levels', i, 'threshold'], v ?? 0)} />
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
            + {t('levels.addLevel')}
          </Button>
        )}
      </Card>
      <Card size="small" title={t('levels.matrix')} extra={<Typography.Text type="secondary">{t('levels.matrixHint')}</Typography.Text>}>
        <Table
          size="small"
          pagination={false}
          scroll={{ y: 480, x: 220 + doc.levels.length * 150 }}
          rowKey="id"
          dataSource={model.leaves.map((l) => ({ id: l.id, name: l.path.map((p) => tx(model.nodeById.get(p)!.node.name)).join(' / ') }))}
          columns={[
            { title: t('levels.subDomain'), dataIndex: 'name' },
            ...doc.levels.map((l, i) => ({
              title: l.code,
              width: 150,
              render: (_: unknown, row: { id: string }) => {
                const listed = l.subDomains.includes(row.id);
                const provenance = l.provenance?.[row.id];
                return (
                  <Space size={4} data-pointer={`/levels/${i}/provenance/${row.id}`}>
                    <Checkbox
                      aria-label={`${row.id} ${l.code}`}
                      disabled={readOnly}
                      checked={listed}
                      onChange={(e) => edit(['levels', i, 'subDomains'], e.target.checked ? [...l.subDomains, row.id] : l.subDomains.filter((s) => s !== row.id))}
                    />
                    <Typography.Text type="secondary">{count(row.id, l.number) || ''}</Typography.Text>
                    {listed && (
                      <Tooltip title={provenance?.note ? tx(provenance.note) : undefined}>
                        <Select<CellProvenance['source'] | ''>
                          size="small"
                          className={`provenance provenance-${provenance?.source ?? 'none'}`}
                          aria-label={t('levels.provenanceOf', { cell: `${row.id} ${l.code}` })}
                          disabled={readOnly}
                          value={provenance?.source ?? ''}
                          popupMatchSelectWidth={false}
                          options={[
                            { value: '', label: t('levels.provenance.none') },
                            { value: 'platform', label: t('levels.provenance.platform') },
                            { value: 'standard', label: t('levels.provenance.standard') },
                            { value: 'uncertain', label: t('levels.provenance.uncertain') },
                          ]}
                          onChange={(v) => edit(['levels', i, 'provenance', row.id], v ? { ...provenance, source: v } : undefined)}
                        />
                      </Tooltip>
                    )}
                  </Space>
                );
              },
            })),
          ]}
        />
      </Card>
    </Space>
  );
}
