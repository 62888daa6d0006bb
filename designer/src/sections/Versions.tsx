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
    question: t('题目', 'Question'),
    model: t('模型', 'Model'),
    threshold: t('阈值', 'Threshold'),
    level: t('等级', 'Level'),
    weights: t('权重', 'Weights'),
    band: t('分档', 'Band'),
    scoring: t('评分', 'Scoring'),
    limit: t('提交限制', 'Limit'),
    policy: t('政策', 'Policy'),
    tailoring: t('裁剪', 'Tailoring'),
    flow: t('流程', 'Flow'),
    report: t('报告', 'Report'),
    test: t('测试', 'Test'),
    identity: t('基本信息', 'Identity'),
  };
  const ops = { added: <Tag color="green">{t('新增', 'Added')}</Tag>, removed: <Tag color="red">{t('删除', 'Removed')}</Tag>, changed: <Tag color="blue">{t('修改', 'Changed')}</Tag> };
  if (!changes.length) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('没有差异', 'No differences')} />;
  return (
    <Table<Change>
      size="small"
      className="diff-table"
      rowKey={(c) => `${c.op}${c.path}`}
      dataSource={changes}
      pagination={changes.length > 50 ? { pageSize: 50 } : false}
      columns={[
        { title: t('类别', 'Category'), width: 90, render: (_, c) => categories[c.category] ?? c.category, filters: [...new Set(changes.map((c) => c.category))].map((c) => ({ text: categories[c] ?? c, value: c })), onFilter: (v, c) => c.category === v },
        { title: '', width: 70, render: (_, c) => ops[c.op] },
        { title: t('位置', 'Where'), width: '26%', render: (_, c) => <Typography.Text code className="diff-path">{c.path}</Typography.Text> },
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
    <Card size="small" title={t(`本变体覆盖的内容（基础：${base.id}@${base.version}）`, `What this variant overrides (base ${base.id}@${base.version})`)} className="overrides">
      <Typography.Paragraph type="secondary">
        {t(`只保存这些差异（${stored.join('、') || '无'}），其余沿用基础规则集。`, `Only these differences are stored (${stored.join(', ') || 'none'}); everything else comes from the base.`)}
      </Typography.Paragraph>
      <ChangeTable changes={changes} beforeTitle={t('基础值', 'Base value')} afterTitle={t('本变体', 'This variant')} />
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
  const options = [{ value: CURRENT, label: t(`当前${meta.status === 'draft' ? '草稿' : '版本'}（${doc.version}）`, `This ${meta.status === 'draft' ? 'draft' : 'version'} (${doc.version})`) }, ...versions.filter((v) => v.version !== doc.version).map((v) => ({ value: v.version, label: `${v.version} · ${v.status === 'published' ? t('已发布', 'published') : t('草稿', 'draft')}` }))];
  return (
    <Card size="small" title={t('版本差异', 'Differences between versions')}>
      <Space wrap style={{ marginBottom: 8 }}>
        <Select aria-label={t('旧版本', 'Older version')} style={{ minWidth: 200 }} value={a} onChange={setA} options={options} placeholder={t('选择版本', 'Choose a version')} />
        →
        <Select aria-label={t('新版本', 'Newer version')} style={{ minWidth: 200 }} value={b} onChange={setB} options={options} />
      </Space>
      {error && <Alert type="error" showIcon message={error} />}
      {versions.length <= 1 && <Typography.Paragraph type="secondary">{t('这个规则集只有一个版本。', 'This ruleset has a single version.')}</Typography.Paragraph>}
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
    <Card size="small" title={t('新版本', 'New version')}>
      <Typography.Paragraph>{t(`以当前内容另存为草稿 ${next}，在其中修订后再发布。`, `Save the current content as draft ${next}, revise it there and publish it.`)}</Typography.Paragraph>
      <Button onClick={create}>{t(`另存为 ${next} 草稿`, `Save as draft ${next}`)}</Button>
      {error && <Alert type="error" showIcon message={error} style={{ marginTop: 8 }} />}
    </Card>
  );
}

function Rebase({ list }: { list: RulesetListItem[] }) {
  const t = useT();
  const { doc, base } = useEditor();
  const [target, setTarget] = useState<string>();
  const [plan, setPlan] = useState<{ resolved: Ruleset; conflicts: RebaseConflict[]; newBase: Ruleset }>();
  const [choices, setChoices] = useState<Record<string, 'variant' | 'base'>>({});
  const [error, setError] = useState<string>();
  const newer = list.filter((r) => r.id === base!.id && r.status === 'published' && compareVersions(r.version, base!.version) > 0);
  if (!newer.length)
    return (
      <Card size="small" title={t('变基', 'Rebase')}>
        <Typography.Text type="secondary">{t(`基础规则集 ${base!.id} 没有比 ${base!.version} 更新的发布版本。`, `${base!.id} has no published version newer than ${base!.version}.`)}</Typography.Text>
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
      await api.save({ ...next, id: doc.id, version: doc.version, status: 'draft' });
      location.reload();
    } catch (e) {
      setError(errorText(e));
    }
  };
  return (
    <Card size="small" title={t('变基到新的基础版本', 'Rebase onto a newer base')}>
      <Space wrap>
        <Typography.Text>{t(`基础规则集已发布新版本：`, 'The base has newer versions: ')}</Typography.Text>
        <Select aria-label={t('新的基础版本', 'New base version')} style={{ minWidth: 160 }} value={target} onChange={prepare} options={newer.map((r) => ({ value: r.version, label: r.version }))} placeholder={t('选择版本', 'Choose a version')} />
      </Space>
      {error && <Alert type="error" showIcon message={error} />}
      {plan && (
        <div style={{ marginTop: 12 }}>
          {plan.conflicts.length === 0 ? (
            <Alert type="success" showIcon message={t('没有冲突：本变体的修改全部保留，基础的其他修改一并带入。', 'No conflicts: the variant keeps its changes and takes the base\'s others.')} />
          ) : (
            <>
              <Alert type="warning" showIcon message={t(`${plan.conflicts.length} 处基础与本变体都改过，请逐一决定`, `${plan.conflicts.length} places changed in both the base and this variant: decide each`)} />
              <Table<RebaseConflict>
                size="small"
                rowKey="path"
                className="conflicts"
                pagination={false}
                dataSource={plan.conflicts}
                columns={[
                  { title: t('位置', 'Where'), render: (_, c) => <Typography.Text code>{c.path}</Typography.Text> },
                  { title: t('原基础', 'Old base'), render: (_, c) => show(c.original) },
                  {
                    title: t('采用', 'Take'),
                    render: (_, c) => (
                      <Radio.Group value={choices[c.path]} onChange={(e) => setChoices((x) => ({ ...x, [c.path]: e.target.value }))}>
                        <Radio value="variant">
                          {t('本变体：', 'Variant: ')}
                          {show(c.variant)}
                        </Radio>
                        <Radio value="base">
                          {t('新基础：', 'New base: ')}
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
            {t(`变基到 ${base!.id}@${target}`, `Rebase onto ${base!.id}@${target}`)}
          </Button>
        </div>
      )}
    </Card>
  );
}
