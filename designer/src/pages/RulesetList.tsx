// The rulesets on the platform with their versions and status: create, open, duplicate, import and
// export JSON, derive a region's variant, discard a draft.
import { useEffect, useMemo, useState } from 'react';
import { App, Button, Card, Form, Input, Modal, Popconfirm, Select, Space, Table, Tag, TreeSelect, Typography, Upload } from 'antd';
import { blankRuleset, compareVersions, isOverlay, parseJson, validateRuleset, type Overlay, type Ruleset } from '../../../engine/index.ts';
import { useRegionNames } from '../regionNames.ts';
import { api, ApiError, type RegionNode, type RulesetListItem } from '../api.ts';
import { useT, type Translate } from '../i18n.tsx';
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
  const regionName = useRegionNames();

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
      title={t('list.heading')}
      extra={
        <Space wrap>
          {authors && (
            <Button type="primary" onClick={() => setDialog({ kind: 'new' })}>
              {t('list.newRuleset')}
            </Button>
          )}
          <Button onClick={() => setDialog({ kind: 'variant' })}>{t('list.newRegionalVariant')}</Button>
          <Upload accept=".json,application/json" showUploadList={false} beforeUpload={(f) => (void importJson(f), false)}>
            <Button>{t('list.importJson')}</Button>
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
          { title: t('list.col.ruleset'), render: (_, r) => <><a href={`#${editorPath(r.id, r.version)}`}>{r.title}</a><br /><Typography.Text type="secondary">{r.id}</Typography.Text></> },
          { title: t('list.version'), dataIndex: 'version' },
          { title: t('list.col.status'), render: (_, r) => (r.status === 'published' ? <Tag color="green">{t('common.published')}</Tag> : <Tag color="orange">{t('common.draft')}</Tag>) },
          { title: t('list.col.extends'), render: (_, r) => r.extends ?? '—' },
          { title: t('list.col.regions'), render: (_, r) => r.regions.map(regionName).join('、') || '—' },
          { title: t('list.col.questions'), dataIndex: 'questions' },
          {
            title: t('list.col.actions'),
            render: (_, r) => (
              <Space wrap size="small">
                <Button size="small" href={`#${editorPath(r.id, r.version)}`}>{r.status === 'draft' ? t('list.edit') : t('list.view')}</Button>
                {authors && !r.extends && <Button size="small" onClick={() => setDialog({ kind: 'duplicate', from: r })}>{t('list.duplicate')}</Button>}
                {r.status === 'published' && <Button size="small" onClick={() => setDialog({ kind: 'variant', base: `${r.id}@${r.version}` })}>{t('list.deriveVariant')}</Button>}
                <Button size="small" onClick={async () => downloadJson(`${r.id}-${r.version}.json`, r.extends ? (await api.record(r.id, r.version)).overlay : (await api.record(r.id, r.version)).document)}>
                  {t('common.exportJson')}
                </Button>
                {r.status === 'draft' && (
                  <Popconfirm title={t('list.discardConfirm')} onConfirm={async () => (await api.discard(r.id, r.version).catch((e) => message.error(errorText(e))), load())}>
                    <Button size="small" danger>{t('list.discardDraft')}</Button>
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

const idRules = (t: Translate) => [
  { required: true, message: t('list.idRequired') },
  { pattern: ID_PATTERN, message: t('common.idPattern') },
];
const versionRules = (t: Translate) => [
  { required: true, message: t('list.versionRequired') },
  { pattern: SEMVER, message: t('common.versionPattern') },
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
    <Modal open title={t('list.newRuleset')} onCancel={onClose} onOk={() => form.submit()} okText={t('common.create')} cancelText={t('common.cancel')}>
      <Form form={form} layout="vertical" onFinish={submit}>
        <Form.Item name="id" label={t('list.identifier')} rules={idRules(t)} extra={t('list.idExample')}>
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
    <Modal open title={t('list.duplicateTitle', { id: from.id, version: from.version })} onCancel={onClose} onOk={() => form.submit()} okText={t('list.duplicate')} cancelText={t('common.cancel')}>
      <p>{t('list.duplicateNote')}</p>
      <Form form={form} layout="vertical" initialValues={{ id: from.id, version: bump(from.version) }} onFinish={submit}>
        <Form.Item name="id" label={t('list.identifier')} rules={idRules(t)}>
          <Input />
        </Form.Item>
        <Form.Item name="version" label={t('list.version')} rules={versionRules(t)}>
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
      <Form.Item name="zh" label={t('list.titleZh')} rules={[{ required: true, message: t('list.titleZhRequired') }]}>
        <Input />
      </Form.Item>
      <Form.Item name="en" label={t('list.titleEn')}>
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
    <Modal open title={t('list.newRegionalVariant')} onCancel={onClose} onOk={() => form.submit()} okText={t('common.create')} cancelText={t('common.cancel')} width={620}>
      <p>{t('list.variantNote')}</p>
      <Form form={form} layout="vertical" initialValues={{ base: initialBase, version: '1.0.0', regions: mine ? [mine] : [] }} onFinish={submit}>
        <Form.Item name="base" label={t('list.base')} rules={[{ required: true, message: t('list.chooseBase') }]}>
          <Select options={bases.map((b) => ({ value: `${b.id}@${b.version}`, label: `${b.title} · ${b.id}@${b.version}` }))} />
        </Form.Item>
        <Form.Item name="id" label={t('list.variantIdentifier')} rules={idRules(t)} extra={t('list.variantIdExample')}>
          <Input />
        </Form.Item>
        <Form.Item name="version" label={t('list.version')} rules={versionRules(t)}>
          <Input />
        </Form.Item>
        <TitleFields />
        <Form.Item name="regions" label={t('list.regions')} rules={[{ required: true, message: t('list.chooseRegions') }]}>
          <TreeSelect treeData={tree} multiple showSearch treeNodeFilterProp="title" aria-label={t('list.regions')} />
        </Form.Item>
        {error && <Typography.Text type="danger">{error}</Typography.Text>}
      </Form>
    </Modal>
  );
}
