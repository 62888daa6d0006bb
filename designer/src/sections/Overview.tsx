// Identity and vocabulary: title, description, standard, regions, industry types, model layers.
import { Button, Card, Input, Space, Table, TreeSelect, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { api, type RegionNode } from '../api.ts';
import { useT } from '../i18n.tsx';
import { useEditor } from '../editor/EditorContext.tsx';
import { FieldRow, I18nField, TextInput } from '../editor/fields.tsx';
import { useReveal } from '../editor/useReveal.ts';
import { IdInput, ListActions } from './common.tsx';
import { regionTree } from '../pages/RulesetList.tsx';

export function OverviewSection() {
  const t = useT();
  const { doc, edit, readOnly } = useEditor();
  useReveal();
  const [regions, setRegions] = useState<RegionNode[]>([]);
  useEffect(() => void api.reference().then((r) => setRegions(r.regions), () => {}), []);
  const tree = useMemo(() => regionTree(regions, () => true), [regions]);
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Card title={t('overview.heading')} size="small">
        <FieldRow label={t('overview.idVersion')} path={['id']}>
          <Typography.Text code>
            {doc.id}@{doc.version}
          </Typography.Text>
        </FieldRow>
        <I18nField path={['title']} label={t('overview.title')} />
        <I18nField path={['description']} label={t('overview.description')} multiline />
        {doc.standard ? (
          <>
            <FieldRow label={t('overview.standardCode')} path={['standard', 'code']}>
              <TextInput path={['standard', 'code']} label={t('overview.standardCode')} placeholder="GB/T 39116-2020" required />
            </FieldRow>
            <I18nField path={['standard', 'name']} label={t('overview.standardName')} />
            <I18nField path={['standard', 'note']} label={t('overview.standardNote')} optional multiline />
          </>
        ) : (
          !readOnly && (
            <FieldRow label={t('overview.standard')} path={['standard']}>
              <Button size="small" style={{ alignSelf: 'flex-start' }} onClick={() => edit(['standard'], { code: '', name: { zh: doc.title.zh } })}>
                + {t('overview.addStandard')}
              </Button>
            </FieldRow>
          )
        )}
        <FieldRow label={t('overview.regions')} path={['regions']} help={t('overview.regionsHint')}>
          <TreeSelect
            aria-label={t('overview.regions')}
            style={{ minWidth: 320 }}
            treeData={tree}
            multiple
            showSearch
            treeNodeFilterProp="title"
            value={doc.regions ?? []}
            disabled={readOnly}
            onChange={(v: string[]) => edit(['regions'], v.length ? v : undefined)}
          />
        </FieldRow>
      </Card>
      <Card title={t('overview.industryTypes')} size="small" extra={<Typography.Text type="secondary">{t('overview.industryTypesHint')}</Typography.Text>}>
        <NamedList path={['industryTypes']} newItem={(n) => ({ id: `type-${n}`, name: { zh: `行业类型 ${n}` } })} />
      </Card>
      <Card title={t('overview.layers')} size="small" extra={<Typography.Text type="secondary">{t('overview.layersHint')}</Typography.Text>}>
        <NamedList path={['model', 'layers']} newItem={(n) => ({ id: `layer-${n}`, name: { zh: `层级 ${n}` } })} />
      </Card>
    </Space>
  );
}

/** A list of { id, name } entries edited in a table. */
function NamedList({ path, newItem }: { path: (string | number)[]; newItem: (n: number) => { id: string; name: { zh: string; en?: string } } }) {
  const t = useT();
  const { doc, edit, readOnly } = useEditor();
  const items = path.reduce<unknown>((v, k) => (v as Record<string, unknown>)[k], doc) as { id: string; name: { zh: string; en?: string } }[];
  return (
    <>
      <Table
        size="small"
        pagination={false}
        rowKey={(_, i) => String(i)}
        dataSource={items}
        columns={[
          { title: t('common.id'), width: 180, render: (_, _r, i) => <IdInput path={[...path, i, 'id']} /> },
          {
            title: t('overview.nameZh'),
            render: (_, r, i) => <Input aria-label={t('overview.nameZh')} disabled={readOnly} value={r.name.zh} onChange={(e) => edit([...path, i, 'name', 'zh'], e.target.value)} />,
          },
          {
            title: t('overview.nameEn'),
            render: (_, r, i) => <Input aria-label={t('overview.nameEn')} disabled={readOnly} value={r.name.en ?? ''} onChange={(e) => edit([...path, i, 'name', 'en'], e.target.value || undefined)} />,
          },
          { title: '', width: 130, render: (_, _r, i) => <ListActions path={path} index={i} length={items.length} /> },
        ]}
      />
      {!readOnly && (
        <Button size="small" style={{ marginTop: 8 }} onClick={() => edit([...path, items.length], newItem(items.length + 1))}>
          + {t('overview.add')}
        </Button>
      )}
    </>
  );
}
