// Versions of the open ruleset: the semantic diff between any two (or against this draft), a new
// draft version, and for a variant its overrides beside the base's values and rebasing onto a newer base.
import { useEffect, useMemo, useState } from 'react';
import { Alert, Button, Card, Empty, Radio, Select, Space, Table, Tag, Typography } from 'antd';
import { compareVersions, diffRulesets, overlayOf, rebaseVariant, setAtPath, type Change, type RebaseConflict, type Ruleset } from '../../../engine/index.ts';
import { api, type RulesetListItem } from '../api.ts';
import { useT } from '../i18n.tsx';
import { useEditor } from '../editor/EditorContext.tsx';
import { bump, editorPath, errorText } from '../pages/RulesetList.tsx';
import { navigate } from '../../../ui/router.tsx';

const CURRENT = '(current)';
const show = (v: unknown) => (v === undefined ? '—' : typeof v === 'string' ? v : JSON.stringify(v));

export function VersionsSection() {
  const t = useT();
  const { doc, meta, base } = useEditor();
  const [list, setList] = useState<RulesetListItem[]>([]);
  useEffect(() => void api.rulesets().then(setList, () => {}), []);
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      {base && meta.overlay && <Overrides base={base} />}
      {base && meta.overlay && meta.status === 'draft' && <Rebase list={list} />}
      <Diff versions={list.filter((r) => r.id === doc.id).sort((a, b) => compareVersions(b.version, a.version))} />
      <NewVersion list={list} />
    </Space>
  );
}

function ChangeTable({ changes, beforeTitle, afterTitle }: { changes: Change[]; beforeTitle: string; afterTitle: string }) {
  const t = useT();
  const categories: Record<string, string> = {
    question: t('versions.category.question'),
    model: t('versions.category.model'),
    threshold: t('versions.category.threshold'),
    level: t('versions.category.level'),
    weights: t('versions.category.weights'),
    band: t('versions.category.band'),
    scoring: t('versions.category.scoring'),
    limit: t('versions.category.limit'),
    policy: t('versions.category.policy'),
    tailoring: t('versions.category.tailoring'),
    flow: t('versions.category.flow'),
    report: t('versions.category.report'),
    test: t('versions.category.test'),
    identity: t('versions.category.identity'),
  };
  const ops = { added: <Tag color="green">{t('versions.op.added')}</Tag>, removed: <Tag color="red">{t('versions.op.removed')}</Tag>, changed: <Tag color="blue">{t('versions.op.changed')}</Tag> };
  if (!changes.length) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('versions.noDifferences')} />;
  return (
    <Table<Change>
      size="small"
      className="diff-table"
      rowKey={(c) => `${c.op}${c.path}`}
      dataSource={changes}
      pagination={changes.length > 50 ? { pageSize: 50 } : false}
      columns={[
        { title: t('versions.col.category'), width: 90, render: (_, c) => categories[c.category] ?? c.category, filters: [...new Set(changes.map((c) => c.category))].map((c) => ({ text: categories[c] ?? c, value: c })), onFilter: (v, c) => c.category === v },
        { title: '', width: 70, render: (_, c) => ops[c.op] },
        { title: t('versions.where'), width: '26%', render: (_, c) => <Typography.Text code className="diff-path">{c.path}</Typography.Text> },
        { title: beforeTitle, render: (_, c) => <span className="diff-before">{show(c.before)}</span> },
        { title: afterTitle, render: (_, c) => <span className="diff-after">{show(c.after)}</span> },
      ]}
    />
  );
}

function Overrides({ base }: { base: Ruleset }) {
  const t = useT();
  const { doc } = useEditor();
  const changes = useMemo(() => diffRulesets(base, doc).filter((c) => !/^\/(id|version|status|extends)$/.test(c.path)), [base, doc]);
  const stored = useMemo(() => Object.keys(overlayOf(base, doc)).filter((k) => !['id', 'version', 'extends', 'status'].includes(k)), [base, doc]);
  return (
    <Card size="small" title={t('versions.overridesHeading', { id: base.id, version: base.version })} className="overrides">
      <Typography.Paragraph type="secondary">
        {t('versions.storedNote', { keys: stored.join(t('versions.listSeparator')) || t('versions.storedNone') })}
      </Typography.Paragraph>
      <ChangeTable changes={changes} beforeTitle={t('versions.baseValue')} afterTitle={t('versions.variant')} />
    </Card>
  );
}

function Diff({ versions }: { versions: RulesetListItem[] }) {
  const t = useT();
  const { doc, meta } = useEditor();
  const [a, setA] = useState<string>();
  const [b, setB] = useState<string>(CURRENT);
  const [docs, setDocs] = useState<Record<string, Ruleset>>({});
  const [error, setError] = useState<string>();
  useEffect(() => {
    const older = versions.find((v) => v.version !== doc.version);
    if (!a && older) setA(older.version);
  }, [versions]);
  useEffect(() => {
    for (const v of [a, b]) if (v && v !== CURRENT && !docs[v]) api.record(doc.id, v).then((r) => setDocs((d) => ({ ...d, [v]: r.document })), (e) => setError(errorText(e)));
  }, [a, b]);
  const get = (v?: string) => (v === CURRENT ? doc : v ? docs[v] : undefined);
  const da = get(a);
  const db = get(b);
  const changes = useMemo(() => (da && db ? diffRulesets(da, db) : undefined), [da, db]);
  const options = [{ value: CURRENT, label: t(meta.status === 'draft' ? 'versions.currentDraft' : 'versions.currentVersion', { version: doc.version }) }, ...versions.filter((v) => v.version !== doc.version).map((v) => ({ value: v.version, label: `${v.version} · ${v.status === 'published' ? t('versions.status.published') : t('versions.status.draft')}` }))];
  return (
    <Card size="small" title={t('versions.diffHeading')}>
      <Space wrap style={{ marginBottom: 8 }}>
        <Select aria-label={t('versions.olderVersion')} style={{ minWidth: 200 }} value={a} onChange={setA} options={options} placeholder={t('versions.chooseVersion')} />
        →
        <Select aria-label={t('versions.newerVersion')} style={{ minWidth: 200 }} value={b} onChange={setB} options={options} />
      </Space>
      {error && <Alert type="error" showIcon message={error} />}
      {versions.length <= 1 && <Typography.Paragraph type="secondary">{t('versions.singleVersion')}</Typography.Paragraph>}
      {changes && <ChangeTable changes={changes} beforeTitle={a ?? ''} afterTitle={b === CURRENT ? doc.version : b} />}
    </Card>
  );
}

function NewVersion({ list }: { list: RulesetListItem[] }) {
  const t = useT();
  const { doc, meta } = useEditor();
  const [error, setError] = useState<string>();
  const taken = new Set(list.filter((r) => r.id === doc.id).map((r) => r.version));
  let next = bump(doc.version);
  while (taken.has(next)) next = bump(next);
  const create = async () => {
    try {
      const copy: Ruleset = { ...doc, version: next, status: 'draft' };
      if (meta.overlay) await api.createVariant({ base: meta.overlay.extends, id: doc.id, version: next, document: copy });
      else {
        const { extends: _e, ...rest } = copy;
        await api.create(rest as Ruleset);
      }
      navigate(editorPath(doc.id, next));
    } catch (e) {
      setError(errorText(e));
    }
  };
  return (
    <Card size="small" title={t('versions.newVersion')}>
      <Typography.Paragraph>{t('versions.newVersionNote', { next })}</Typography.Paragraph>
      <Button onClick={create}>{t('versions.saveAs', { next })}</Button>
      {error && <Alert type="error" showIcon message={error} style={{ marginTop: 8 }} />}
    </Card>
  );
}

function Rebase({ list }: { list: RulesetListItem[] }) {
  const t = useT();
  const { doc, base, revision } = useEditor();
  const [target, setTarget] = useState<string>();
  const [plan, setPlan] = useState<{ resolved: Ruleset; conflicts: RebaseConflict[]; newBase: Ruleset }>();
  const [choices, setChoices] = useState<Record<string, 'variant' | 'base'>>({});
  const [error, setError] = useState<string>();
  const newer = list.filter((r) => r.id === base!.id && r.status === 'published' && compareVersions(r.version, base!.version) > 0);
  if (!newer.length)
    return (
      <Card size="small" title={t('versions.rebase')}>
        <Typography.Text type="secondary">{t('versions.noNewerBase', { id: base!.id, version: base!.version })}</Typography.Text>
      </Card>
    );
  const prepare = async (version: string) => {
    setTarget(version);
    try {
      const newBase = await api.document(base!.id, version);
      const r = rebaseVariant(base!, newBase, overlayOf(base!, doc));
      setPlan({ ...r, newBase });
      setChoices(Object.fromEntries(r.conflicts.map((c) => [c.path, 'variant'])));
    } catch (e) {
      setError(errorText(e));
    }
  };
  const apply = async () => {
    if (!plan) return;
    let next = plan.resolved;
    for (const c of plan.conflicts) if (choices[c.path] === 'base') next = setAtPath(next, c.path, c.base);
    try {
      // The server stores the overlay against the base named in `extends`; reopen to edit against it.
      await api.save({ ...next, id: doc.id, version: doc.version, status: 'draft' }, revision.current);
      location.reload();
    } catch (e) {
      setError(errorText(e));
    }
  };
  return (
    <Card size="small" title={t('versions.rebaseHeading')}>
      <Space wrap>
        <Typography.Text>{t('versions.newerBases')}</Typography.Text>
        <Select aria-label={t('versions.newBaseVersion')} style={{ minWidth: 160 }} value={target} onChange={prepare} options={newer.map((r) => ({ value: r.version, label: r.version }))} placeholder={t('versions.chooseVersion')} />
      </Space>
      {error && <Alert type="error" showIcon message={error} />}
      {plan && (
        <div style={{ marginTop: 12 }}>
          {plan.conflicts.length === 0 ? (
            <Alert type="success" showIcon message={t('versions.noConflicts')} />
          ) : (
            <>
              <Alert type="warning" showIcon message={t('versions.conflicts', { n: plan.conflicts.length })} />
              <Table<RebaseConflict>
                size="small"
                rowKey="path"
                className="conflicts"
                pagination={false}
                dataSource={plan.conflicts}
                columns={[
                  { title: t('versions.where'), render: (_, c) => <Typography.Text code>{c.path}</Typography.Text> },
                  { title: t('versions.oldBase'), render: (_, c) => show(c.original) },
                  {
                    title: t('versions.take'),
                    render: (_, c) => (
                      <Radio.Group value={choices[c.path]} onChange={(e) => setChoices((x) => ({ ...x, [c.path]: e.target.value }))}>
                        <Radio value="variant">
                          {t('versions.takeVariant')}
                          {show(c.variant)}
                        </Radio>
                        <Radio value="base">
                          {t('versions.takeBase')}
                          {show(c.base)}
                        </Radio>
                      </Radio.Group>
                    ),
                  },
                ]}
              />
            </>
          )}
          <Button type="primary" style={{ marginTop: 8 }} onClick={apply}>
            {t('versions.rebaseTo', { id: base!.id, version: target! })}
          </Button>
        </div>
      )}
    </Card>
  );
}
