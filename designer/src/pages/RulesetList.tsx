// The rulesets on the platform with their versions and status: create, open, duplicate, import and
// export JSON, derive a region's variant, discard a draft.
import { useEffect, useMemo, useState } from 'react';
import { App, Button, Card, Form, Input, Modal, Popconfirm, Select, Space, Table, Tag, TreeSelect, Typography, Upload } from 'antd';
import { blankRuleset, compareVersions, isOverlay, parseJson, validateRuleset, type Overlay, type Ruleset } from '../../../engine/index.ts';
import { api, ApiError, type RegionNode, type RulesetListItem } from '../api.ts';
import { useT } from '../i18n.tsx';
import { useSession } from '../session.tsx';
import { navigate } from '../../../ui/router.tsx';
import { problemText } from '../problems.ts';

const ID_PATTERN = /^[A-Za-z0-9_.-]+$/;
const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?$/;

export const editorPath = (id: string, version: string) => `/edit/${encodeURIComponent(id)}/${encodeURIComponent(version)}`;

export function downloadJson(name: string, value: unknown) {
  const url = URL.createObjectURL(new Blob([JSON.stringify(value, null, 2) + '\n'], { type: 'application/json' }));
  const a = Object.assign(document.createElement('a'), { href: url, download: name });
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

type Dialog = { kind: 'new' } | { kind: 'duplicate'; from: RulesetListItem } | { kind: 'variant'; base?: string } | undefined;

export function RulesetListPage() {
  const t = useT();
  const { message } = App.useApp();
  const { session } = useSession();
  const [items, setItems] = useState<RulesetListItem[]>();
  const [dialog, setDialog] = useState<Dialog>();
  const [error, setError] = useState<string>();
  const role = session!.user.role;
  const authors = role !== 'regionAdmin';

  const load = () => api.rulesets().then(setItems, (e) => setError((e as Error).message));
  useEffect(() => void load(), []);

  const rows = useMemo(() => [...(items ?? [])].sort((a, b) => a.id.localeCompare(b.id) || compareVersions(b.version, a.version)), [items]);

  const importJson = async (file: File) => {
    const parsed = parseJson(await file.text());
    if (!parsed.ok) return void message.error(problemText(parsed.problems));
    try {
      const value = parsed.value as Record<string, unknown>;
      if (isOverlay(value)) {
        const o = value as Overlay;
        const { id, version, extends: base, ...overlay } = o;
        await api.createVariant({ base, id, version, overlay });
        navigate(editorPath(id, version));
      } else {
        const v = validateRuleset(value);
        if (!v.ok) return void message.error(problemText(v.problems));
        const saved = await api.create(v.value);
        navigate(editorPath(saved.id, saved.version));
      }
    } catch (e) {
      message.error(errorText(e));
    }
  };

  return (
    <Card
      title={t('规则集', 'Rulesets')}
      extra={
        <Space wrap>
          {authors && (
            <Button type="primary" onClick={() => setDialog({ kind: 'new' })}>
              {t('新建规则集', 'New ruleset')}
            </Button>
          )}
          <Button onClick={() => setDialog({ kind: 'variant' })}>{t('新建地区变体', 'New regional variant')}</Button>
          <Upload accept=".json,application/json" showUploadList={false} beforeUpload={(f) => (void importJson(f), false)}>
            <Button>{t('导入 JSON', 'Import JSON')}</Button>
          </Upload>
        </Space>
      }
    >
      {error && <Typography.Text type="danger">{error}</Typography.Text>}
      <Table<RulesetListItem>
        rowKey={(r) => `${r.id}@${r.version}`}
        loading={!items}
        dataSource={rows}
        pagination={false}
        columns={[
          { title: t('规则集', 'Ruleset'), render: (_, r) => <><a href={`#${editorPath(r.id, r.version)}`}>{r.title}</a><br /><Typography.Text type="secondary">{r.id}</Typography.Text></> },
          { title: t('版本', 'Version'), dataIndex: 'version' },
          { title: t('状态', 'Status'), render: (_, r) => (r.status === 'published' ? <Tag color="green">{t('已发布', 'Published')}</Tag> : <Tag color="orange">{t('草稿', 'Draft')}</Tag>) },
          { title: t('基于', 'Extends'), render: (_, r) => r.extends ?? '—' },
          { title: t('地区', 'Regions'), render: (_, r) => r.regions.join(', ') || '—' },
          { title: t('题目', 'Questions'), dataIndex: 'questions' },
          {
            title: t('操作', 'Actions'),
            render: (_, r) => (
              <Space wrap size="small">
                <Button size="small" href={`#${editorPath(r.id, r.version)}`}>{r.status === 'draft' ? t('编辑', 'Edit') : t('查看', 'View')}</Button>
                {authors && !r.extends && <Button size="small" onClick={() => setDialog({ kind: 'duplicate', from: r })}>{t('复制', 'Duplicate')}</Button>}
                {r.status === 'published' && <Button size="small" onClick={() => setDialog({ kind: 'variant', base: `${r.id}@${r.version}` })}>{t('派生变体', 'Derive variant')}</Button>}
                <Button size="small" onClick={async () => downloadJson(`${r.id}-${r.version}.json`, r.extends ? (await api.record(r.id, r.version)).overlay : (await api.record(r.id, r.version)).document)}>
                  {t('导出 JSON', 'Export JSON')}
                </Button>
                {r.status === 'draft' && (
                  <Popconfirm title={t('删除这个草稿？此操作不能撤销。', 'Discard this draft? This cannot be undone.')} onConfirm={async () => (await api.discard(r.id, r.version).catch((e) => message.error(errorText(e))), load())}>
                    <Button size="small" danger>{t('删除草稿', 'Discard draft')}</Button>
                  </Popconfirm>
                )}
              </Space>
            ),
          },
        ]}
      />
      {dialog?.kind === 'new' && <NewRulesetDialog onClose={() => setDialog(undefined)} />}
      {dialog?.kind === 'duplicate' && <DuplicateDialog from={dialog.from} onClose={() => setDialog(undefined)} />}
      {dialog?.kind === 'variant' && <VariantDialog bases={rows.filter((r) => r.status === 'published')} initialBase={dialog.base} onClose={() => setDialog(undefined)} />}
    </Card>
  );
}

export function errorText(e: unknown): string {
  const err = e as ApiError;
  if (err.details?.length) return err.details.map((d) => (d.field ? `${d.field}: ${d.message}` : d.message)).join('；');
  return err.message;
}

const idRules = (t: (zh: string, en: string) => string) => [
  { required: true, message: t('请输入标识', 'Enter an identifier') },
  { pattern: ID_PATTERN, message: t('标识只能包含字母、数字和 _ . -', 'Letters, digits and _ . - only') },
];
const versionRules = (t: (zh: string, en: string) => string) => [
  { required: true, message: t('请输入版本号', 'Enter a version') },
  { pattern: SEMVER, message: t('版本号格式为 主.次.修订，如 1.0.0', 'A version looks like 1.0.0') },
];

function NewRulesetDialog({ onClose }: { onClose: () => void }) {
  const t = useT();
  const [form] = Form.useForm();
  const [error, setError] = useState<string>();
  const submit = async (v: { id: string; zh: string; en?: string }) => {
    try {
      const [templates, reference] = await Promise.all([api.reportTemplates(), api.reference()]);
      const template = templates[0];
      const doc = blankRuleset({ id: v.id, title: { zh: v.zh, ...(v.en ? { en: v.en } : {}) }, template: template?.id ?? 'report', sections: template?.sections, industryTypes: reference.industryTypes });
      await api.create(doc);
      navigate(editorPath(doc.id, doc.version));
    } catch (e) {
      setError(errorText(e));
    }
  };
  return (
    <Modal open title={t('新建规则集', 'New ruleset')} onCancel={onClose} onOk={() => form.submit()} okText={t('创建', 'Create')} cancelText={t('取消', 'Cancel')}>
      <Form form={form} layout="vertical" onFinish={submit}>
        <Form.Item name="id" label={t('标识', 'Identifier')} rules={idRules(t)} extra={t('如 cmmm-2026；创建后不能修改', 'e.g. cmmm-2026; it cannot change later')}>
          <Input />
        </Form.Item>
        <TitleFields />
        {error && <Typography.Text type="danger">{error}</Typography.Text>}
      </Form>
    </Modal>
  );
}

function DuplicateDialog({ from, onClose }: { from: RulesetListItem; onClose: () => void }) {
  const t = useT();
  const [form] = Form.useForm();
  const [error, setError] = useState<string>();
  const submit = async (v: { id: string; version: string }) => {
    try {
      const source = (await api.record(from.id, from.version)).document;
      const { extends: _base, ...rest } = source;
      const doc: Ruleset = { ...rest, id: v.id, version: v.version, status: 'draft' };
      await api.create(doc);
      navigate(editorPath(doc.id, doc.version));
    } catch (e) {
      setError(errorText(e));
    }
  };
  return (
    <Modal open title={t(`复制 ${from.id}@${from.version}`, `Duplicate ${from.id}@${from.version}`)} onCancel={onClose} onOk={() => form.submit()} okText={t('复制', 'Duplicate')} cancelText={t('取消', 'Cancel')}>
      <p>{t('同一标识下的新版本用于修订标准；新标识用于另起一个规则集。', 'A new version under the same identifier revises the standard; a new identifier starts another ruleset.')}</p>
      <Form form={form} layout="vertical" initialValues={{ id: from.id, version: bump(from.version) }} onFinish={submit}>
        <Form.Item name="id" label={t('标识', 'Identifier')} rules={idRules(t)}>
          <Input />
        </Form.Item>
        <Form.Item name="version" label={t('版本', 'Version')} rules={versionRules(t)}>
          <Input />
        </Form.Item>
        {error && <Typography.Text type="danger">{error}</Typography.Text>}
      </Form>
    </Modal>
  );
}

/** The bilingual title of a new ruleset or variant (form fields zh, en). */
function TitleFields() {
  const t = useT();
  return (
    <>
      <Form.Item name="zh" label={t('名称（中文）', 'Title (Chinese)')} rules={[{ required: true, message: t('请输入中文名称', 'Enter the Chinese title') }]}>
        <Input />
      </Form.Item>
      <Form.Item name="en" label={t('名称（英文）', 'Title (English)')}>
        <Input />
      </Form.Item>
    </>
  );
}

export const bump = (v: string) => {
  const m = /^(\d+)\.(\d+)\.(\d+)/.exec(v);
  return m ? `${m[1]}.${Number(m[2]) + 1}.0` : v;
};

interface RegionOption {
  value: string;
  title: string;
  disabled: boolean;
  children?: RegionOption[];
}
/** GB/T 2260 regions only: a ruleset's `regions` are six-digit codes, never the platform's own parks or groups. */
export const regionTree = (nodes: RegionNode[], allowed: (code: string) => boolean): RegionOption[] =>
  nodes.filter((n) => !n.custom).map((n) => ({ value: n.code, title: `${n.name.label} ${n.code}`, disabled: !allowed(n.code), ...(n.children ? { children: regionTree(n.children, allowed) } : {}) }));

function VariantDialog({ bases, initialBase, onClose }: { bases: RulesetListItem[]; initialBase?: string; onClose: () => void }) {
  const t = useT();
  const { session } = useSession();
  const [form] = Form.useForm();
  const [error, setError] = useState<string>();
  const [regions, setRegions] = useState<RegionNode[]>([]);
  const mine = session!.user.region;
  useEffect(() => void api.reference().then((r) => setRegions(r.regions)), []);
  // A region administrator picks within its own region; the server checks the same.
  const allowed = (code: string) => !mine || code.startsWith(mine.replace(/0+$/, ''));
  const tree = useMemo(() => regionTree(regions, allowed), [regions]);
  const submit = async (v: { base: string; id: string; version: string; regions: string[]; zh: string; en?: string }) => {
    try {
      await api.createVariant({ base: v.base, id: v.id, version: v.version, overlay: { title: { zh: v.zh, ...(v.en ? { en: v.en } : {}) }, regions: v.regions } });
      navigate(editorPath(v.id, v.version));
    } catch (e) {
      setError(errorText(e));
    }
  };
  return (
    <Modal open title={t('新建地区变体', 'New regional variant')} onCancel={onClose} onOk={() => form.submit()} okText={t('创建', 'Create')} cancelText={t('取消', 'Cancel')} width={620}>
      <p>{t('变体只保存与基础规则集不同之处；本地区企业默认使用它。', 'A variant stores only what differs from its base; enterprises in its regions get it by default.')}</p>
      <Form form={form} layout="vertical" initialValues={{ base: initialBase, version: '1.0.0', regions: mine ? [mine] : [] }} onFinish={submit}>
        <Form.Item name="base" label={t('基础规则集（已发布）', 'Base ruleset (published)')} rules={[{ required: true, message: t('请选择基础规则集', 'Choose a base') }]}>
          <Select options={bases.map((b) => ({ value: `${b.id}@${b.version}`, label: `${b.title} · ${b.id}@${b.version}` }))} />
        </Form.Item>
        <Form.Item name="id" label={t('变体标识', 'Variant identifier')} rules={idRules(t)} extra={t('如 cmmm-guizhou', 'e.g. cmmm-guizhou')}>
          <Input />
        </Form.Item>
        <Form.Item name="version" label={t('版本', 'Version')} rules={versionRules(t)}>
          <Input />
        </Form.Item>
        <TitleFields />
        <Form.Item name="regions" label={t('适用地区', 'Regions')} rules={[{ required: true, message: t('请选择地区', 'Choose the regions') }]}>
          <TreeSelect treeData={tree} multiple showSearch treeNodeFilterProp="title" aria-label={t('适用地区', 'Regions')} />
        </Form.Item>
        {error && <Typography.Text type="danger">{error}</Typography.Text>}
      </Form>
    </Modal>
  );
}
