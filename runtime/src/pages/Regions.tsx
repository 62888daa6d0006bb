// Regions for administrators: the tree (GB/T 2260 plus the regions the platform creates: parks,
// districts, enterprise groups), and for the chosen region its liaisons and its sub-platform.
// A platform administrator creates, renames and deletes regions; a region administrator works
// on its own region and those below.
import { useEffect, useMemo, useState, type Key } from 'react';
import { App, Button, Card, Col, Descriptions, Empty, Form, Input, Modal, Popconfirm, Row, Select, Space, Switch, Table, Tag, Tree, Typography } from 'antd';
import type { DataNode } from 'antd/es/tree/index.js';
import { api, ApiError, type Liaison, type RegionTreeNode } from '../api.ts';
import { useI18n, type MessageKey } from '../i18n.tsx';
import { useSession } from '../session.tsx';
import { Loaded, useAsync } from '../util.tsx';
import { navigate } from '../../../ui/router.tsx';

const CREATABLE = ['city', 'district', 'park', 'group'] as const;

/** The subtree an administrator works in: everything for a platform administrator. */
function scope(nodes: RegionTreeNode[], region: string | undefined): RegionTreeNode[] {
  if (!region) return nodes;
  for (const n of nodes) {
    if (n.code === region) return [n];
    const below = scope(n.children ?? [], region);
    if (below.length) return below;
  }
  return [];
}

function find(nodes: RegionTreeNode[], code: string): RegionTreeNode | undefined {
  for (const n of nodes) {
    if (n.code === code) return n;
    const hit = find(n.children ?? [], code);
    if (hit) return hit;
  }
  return undefined;
}

export function RegionsPage() {
  const { t } = useI18n();
  const regions = useAsync(() => api.regions(), []);
  return (
    <div className="page page-wide regions-page">
      <Typography.Title level={1}>{t('regions.title')}</Typography.Title>
      <Loaded a={regions}>{(r) => <RegionsView all={r.regions} reload={regions.reload} />}</Loaded>
    </div>
  );
}

function RegionsView({ all, reload }: { all: RegionTreeNode[]; reload: () => void }) {
  const { t } = useI18n();
  const { session } = useSession();
  const platform = session?.user.role === 'platformAdmin';
  const mine = useMemo(() => scope(all, platform ? undefined : session?.user.region), [all, platform, session]);
  const [selected, setSelected] = useState<string | undefined>(mine.length === 1 ? mine[0].code : undefined);
  const [search, setSearch] = useState('');
  const data = useMemo(() => {
    const s = search.trim();
    const walk = (ns: RegionTreeNode[]): DataNode[] =>
      ns.flatMap((n) => {
        const children = walk(n.children ?? []);
        const hit = !s || n.label.includes(s) || n.code.includes(s);
        if (!hit && !children.length) return [];
        return [{ key: n.code, title: <span>{n.label} {n.custom && <Tag color="blue">{t(`regions.kind.${n.kind}` as MessageKey)}</Tag>}</span>, children: children.length ? children : undefined }];
      });
    return walk(mine);
  }, [mine, search, t]);
  // While searching, every branch that holds a match is open.
  const [expanded, setExpanded] = useState<Key[]>(mine.length === 1 ? [mine[0].code] : []);
  useEffect(() => {
    if (!search.trim()) return;
    const keys: Key[] = [];
    const walk = (ns: DataNode[]) => ns.forEach((n) => n.children && (keys.push(n.key), walk(n.children)));
    walk(data);
    setExpanded(keys);
  }, [data]);
  const region = selected ? find(all, selected) : undefined;
  return (
    <Row gutter={16}>
      <Col xs={24} md={9}>
        <Card>
          <Input.Search allowClear placeholder={t('regions.search')} aria-label={t('regions.search')} value={search} onChange={(e) => setSearch(e.target.value)} style={{ marginBottom: 8 }} />
          <Tree className="region-tree" treeData={data} height={560} blockNode selectedKeys={selected ? [selected] : []} expandedKeys={expanded} onExpand={setExpanded} onSelect={(k) => k[0] && setSelected(String(k[0]))} />
          {platform && <NewRegion parent={undefined} onCreated={(code) => (reload(), setSelected(code))} />}
        </Card>
      </Col>
      <Col xs={24} md={15}>
        {region ? (
          <RegionDetail key={region.code} region={region} platform={platform} onChanged={reload} onDeleted={() => (setSelected(undefined), reload())} onCreated={(code) => (reload(), setSelected(code))} />
        ) : (
          <Card>
            <Empty description={t('regions.choose')} />
          </Card>
        )}
      </Col>
    </Row>
  );
}

function RegionDetail({ region, platform, onChanged, onDeleted, onCreated }: { region: RegionTreeNode; platform: boolean; onChanged: () => void; onDeleted: () => void; onCreated: (code: string) => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [name, setName] = useState(region.name);
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Card
        title={<h2 className="card-title">{region.label}</h2>}
        extra={
          <Button onClick={() => navigate(`/dashboard/${encodeURIComponent(region.code)}`)}>
            {t('regions.openDashboard')}
          </Button>
        }
      >
        <Descriptions size="small" column={2}>
          <Descriptions.Item label={t('regions.code')}>
            <span className="mono">{region.code}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t('regions.kind')}>
            {t(`regions.kind.${region.kind}` as MessageKey)} {region.custom && <Tag>{t('regions.custom')}</Tag>}
          </Descriptions.Item>
        </Descriptions>
        {platform && region.custom && (
          <Space wrap style={{ marginTop: 8 }}>
            <Input aria-label={t('regions.name')} value={name.zh} onChange={(e) => setName({ ...name, zh: e.target.value })} style={{ width: 200 }} />
            <Input aria-label={t('regions.nameEn')} value={name.en ?? ''} onChange={(e) => setName({ ...name, en: e.target.value || undefined })} style={{ width: 200 }} />
            <Button onClick={async () => {
              try {
                await api.renameRegion(region.code, name);
                message.success(t('regions.saved'));
                onChanged();
              } catch (e) {
                message.error((e as Error).message);
              }
            }}>
              {t('regions.rename')}
            </Button>
            <Popconfirm title={t('regions.deleteConfirm')} onConfirm={async () => {
              try {
                await api.deleteRegion(region.code);
                onDeleted();
              } catch (e) {
                message.error((e as Error).message);
              }
            }}>
              <Button danger>{t('regions.delete')}</Button>
            </Popconfirm>
          </Space>
        )}
        {platform && region.kind !== 'group' && <NewRegion parent={region} onCreated={onCreated} />}
      </Card>
      <Liaisons code={region.code} />
      {region.kind !== 'group' && <SubPlatformCard code={region.code} />}
    </Space>
  );
}

function NewRegion({ parent, onCreated }: { parent?: RegionTreeNode; onCreated: (code: string) => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm();
  const kinds = parent ? CREATABLE.filter((k) => !(parent.kind === 'park' && k !== 'group') && !(parent.kind === 'district' && (k === 'city' || k === 'district')) && !(parent.kind === 'city' && k === 'city')) : (['group'] as const);
  return (
    <>
      <Button style={{ marginTop: 8 }} onClick={() => setOpen(true)}>
        + {parent ? t('regions.add') : t('regions.addTop')}
      </Button>
      <Modal open={open} title={parent ? `${t('regions.add')} · ${parent.label}` : t('regions.addTop')} onCancel={() => setOpen(false)} onOk={() => form.submit()}>
        <Form
          form={form}
          layout="vertical"
          initialValues={{ kind: kinds.includes('park' as never) ? 'park' : kinds[0] }}
          onFinish={async (v: { kind: (typeof CREATABLE)[number]; zh: string; en?: string }) => {
            try {
              const created = await api.createRegion({ parent: parent?.code, kind: v.kind, name: { zh: v.zh, ...(v.en ? { en: v.en } : {}) } });
              message.success(t('regions.created', { code: created.code }));
              setOpen(false);
              form.resetFields();
              onCreated(created.code);
            } catch (e) {
              const err = e as ApiError;
              form.setFields([{ name: err.field === '/name/zh' ? 'zh' : 'kind', errors: [err.message] }]);
            }
          }}
        >
          <Form.Item name="kind" label={t('regions.kind')}>
            <Select options={kinds.map((k) => ({ value: k, label: t(`regions.kind.${k}` as MessageKey) }))} />
          </Form.Item>
          <Form.Item name="zh" label={t('regions.name')} rules={[{ required: true, message: t('common.required') }]}>
            <Input />
          </Form.Item>
          <Form.Item name="en" label={t('regions.nameEn')}>
            <Input />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}

function Liaisons({ code }: { code: string }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const loaded = useAsync(() => api.liaisons(code), [code]);
  const [rows, setRows] = useState<Liaison[]>([]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  useEffect(() => void (loaded.data && setRows(loaded.data.liaisons)), [loaded.data]);
  const set = (i: number, patch: Partial<Liaison>) => setRows((r) => r.map((x, j) => (j === i ? { ...x, ...patch } : x)));
  const cell = (i: number, key: keyof Liaison, label: MessageKey) => (
    <Input aria-label={t(label)} value={rows[i][key] ?? ''} status={errors[`/liaisons/${i}/${key}`] ? 'error' : undefined} title={errors[`/liaisons/${i}/${key}`]} onChange={(e) => set(i, { [key]: e.target.value || (key === 'email' || key === 'unit' ? undefined : '') })} />
  );
  if (loaded.error?.status === 403) return null;
  return (
    <Card title={<h2 className="card-title">{t('regions.liaisons')}</h2>} className="liaisons">
      <Table<Liaison>
        size="small"
        rowKey={(_, i) => String(i)}
        pagination={false}
        dataSource={rows}
        columns={[
          { title: t('regions.liaison.name'), render: (_, _r, i) => cell(i, 'name', 'regions.liaison.name') },
          { title: t('regions.liaison.post'), render: (_, _r, i) => cell(i, 'post', 'regions.liaison.post') },
          { title: t('regions.liaison.mobile'), render: (_, _r, i) => cell(i, 'mobile', 'regions.liaison.mobile') },
          { title: t('regions.liaison.email'), render: (_, _r, i) => cell(i, 'email', 'regions.liaison.email') },
          { title: t('regions.liaison.unit'), render: (_, _r, i) => cell(i, 'unit', 'regions.liaison.unit') },
          { title: '', width: 50, render: (_, _r, i) => <Button type="text" danger aria-label="✕" onClick={() => setRows((r) => r.filter((_, j) => j !== i))}>✕</Button> },
        ]}
      />
      <Space style={{ marginTop: 8 }}>
        <Button onClick={() => setRows((r) => [...r, { name: '', post: '', mobile: '' }])}>+ {t('regions.addLiaison')}</Button>
        <Button
          type="primary"
          onClick={async () => {
            try {
              const saved = await api.saveLiaisons(code, rows);
              setRows(saved.liaisons);
              setErrors({});
              message.success(t('regions.saved'));
            } catch (e) {
              const err = e as ApiError;
              const list = err.details?.length ? err.details : [{ field: err.field ?? '', message: err.message }];
              setErrors(Object.fromEntries(list.map((d) => [d.field, d.message])));
              message.error(list.map((d) => d.message).join('；'));
            }
          }}
        >
          {t('regions.save')}
        </Button>
      </Space>
    </Card>
  );
}

function SubPlatformCard({ code }: { code: string }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const loaded = useAsync(() => Promise.all([api.subPlatform(code), api.rulesets()]), [code]);
  const [form] = Form.useForm();
  if (loaded.error?.status === 403 || loaded.error?.status === 404) return null;
  return (
    <Card title={<h2 className="card-title">{t('regions.subPlatform')}</h2>} className="sub-platform-card">
      <Loaded a={loaded}>
        {([sp, rulesets]) => (
          <Form
            form={form}
            layout="vertical"
            initialValues={{ enabled: sp.enabled, nameZh: sp.name?.zh, nameEn: sp.name?.en, noticeZh: sp.notice?.zh, noticeEn: sp.notice?.en, ruleset: sp.ruleset ?? '' }}
            onFinish={async (v: { enabled: boolean; nameZh: string; nameEn?: string; noticeZh?: string; noticeEn?: string; ruleset: string }) => {
              try {
                await api.saveSubPlatform(code, {
                  enabled: v.enabled,
                  name: { zh: v.nameZh ?? '', ...(v.nameEn ? { en: v.nameEn } : {}) },
                  notice: { zh: v.noticeZh ?? '', ...(v.noticeEn ? { en: v.noticeEn } : {}) },
                  ...(v.ruleset ? { ruleset: v.ruleset } : {}),
                });
                message.success(t('regions.saved'));
              } catch (e) {
                const err = e as ApiError;
                message.error(err.details?.length ? err.details.map((d) => d.message).join('；') : err.message);
              }
            }}
          >
            <Typography.Paragraph type="secondary">{t('regions.subPlatform.hint')}</Typography.Paragraph>
            <Form.Item name="enabled" label={t('regions.subPlatform.enabled')} valuePropName="checked">
              <Switch />
            </Form.Item>
            <Form.Item name="nameZh" label={t('regions.subPlatform.name')}>
              <Input />
            </Form.Item>
            <Form.Item name="nameEn" label={`${t('regions.subPlatform.name')} (English)`}>
              <Input />
            </Form.Item>
            <Form.Item name="noticeZh" label={t('regions.subPlatform.notice')}>
              <Input.TextArea autoSize={{ minRows: 3, maxRows: 10 }} />
            </Form.Item>
            <Form.Item name="noticeEn" label={`${t('regions.subPlatform.notice')} (English)`}>
              <Input.TextArea autoSize={{ minRows: 2, maxRows: 10 }} />
            </Form.Item>
            <Form.Item name="ruleset" label={t('regions.subPlatform.ruleset')}>
              <Select
                options={[
                  { value: '', label: t('regions.subPlatform.noRuleset') },
                  ...rulesets.filter((r) => r.status === 'published' && r.regions.includes(code)).map((r) => ({ value: `${r.id}@${r.version}`, label: `${r.title} (${r.id}@${r.version})` })),
                ]}
              />
            </Form.Item>
            <Button type="primary" htmlType="submit">
              {t('regions.save')}
            </Button>
          </Form>
        )}
      </Loaded>
    </Card>
  );
}
