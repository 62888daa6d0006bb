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
      <Card title={t('基本信息', 'Identity')} size="small">
        <FieldRow label={t('标识 · 版本', 'Identifier · version')} path={['id']}>
          <Typography.Text code>
            {doc.id}@{doc.version}
          </Typography.Text>
        </FieldRow>
        <I18nField path={['title']} label={t('名称', 'Title')} />
        <I18nField path={['description']} label={t('说明', 'Description')} multiline />
        {doc.standard ? (
          <>
            <FieldRow label={t('标准编号', 'Standard code')} path={['standard', 'code']}>
              <TextInput path={['standard', 'code']} label={t('标准编号', 'Standard code')} placeholder="GB/T 39116-2020" required />
            </FieldRow>
            <I18nField path={['standard', 'name']} label={t('标准名称', 'Standard name')} />
            <I18nField path={['standard', 'note']} label={t('标准说明', 'Note on the standard')} optional multiline />
          </>
        ) : (
          !readOnly && (
            <FieldRow label={t('所依据的标准', 'Standard')} path={['standard']}>
              <Button size="small" style={{ alignSelf: 'flex-start' }} onClick={() => edit(['standard'], { code: '', name: { zh: doc.title.zh } })}>
                + {t('添加标准信息', 'Add the standard it follows')}
              </Button>
            </FieldRow>
          )
        )}
        <FieldRow label={t('适用地区', 'Regions')} path={['regions']} help={t('这些地区的企业默认使用本规则集（最具体的地区优先）', 'Enterprises in these regions get this ruleset by default (the most specific region wins)')}>
          <TreeSelect
            aria-label={t('适用地区', 'Regions')}
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
      <Card title={t('行业类型', 'Industry types')} size="small" extra={<Typography.Text type="secondary">{t('权重集与题目按行业类型区分（如离散型、流程型）', 'Weight sets and questions can differ by industry type (e.g. discrete, process)')}</Typography.Text>}>
        <NamedList path={['industryTypes']} newItem={(n) => ({ id: `type-${n}`, name: { zh: `行业类型 ${n}` } })} />
      </Card>
      <Card title={t('模型层级', 'Model layers')} size="small" extra={<Typography.Text type="secondary">{t('自上而下，如 能力要素 → 能力域 → 能力子域', 'Top first, e.g. element → domain → sub-domain')}</Typography.Text>}>
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
          { title: t('标识', 'Id'), width: 180, render: (_, _r, i) => <IdInput path={[...path, i, 'id']} /> },
          {
            title: t('名称（中文）', 'Name (Chinese)'),
            render: (_, r, i) => <Input aria-label={t('名称（中文）', 'Name (Chinese)')} disabled={readOnly} value={r.name.zh} onChange={(e) => edit([...path, i, 'name', 'zh'], e.target.value)} />,
          },
          {
            title: t('名称（英文）', 'Name (English)'),
            render: (_, r, i) => <Input aria-label={t('名称（英文）', 'Name (English)')} disabled={readOnly} value={r.name.en ?? ''} onChange={(e) => edit([...path, i, 'name', 'en'], e.target.value || undefined)} />,
          },
          { title: '', width: 130, render: (_, _r, i) => <ListActions path={path} index={i} length={items.length} /> },
        ]}
      />
      {!readOnly && (
        <Button size="small" style={{ marginTop: 8 }} onClick={() => edit([...path, items.length], newItem(items.length + 1))}>
          + {t('添加', 'Add')}
        </Button>
      )}
    </>
  );
}
