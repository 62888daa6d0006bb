// Tailoring rules, submission limits and policies: each a json-rules-engine condition built with
// the condition builder (raw JSON beside it), plus how results count.
import { useEffect, useState } from 'react';
import { Button, Card, Collapse, Input, InputNumber, Select, Space, Tabs, Tag, Typography } from 'antd';
import { indexRuleset, type Condition, type RuleKind } from '../../../engine/index.ts';
import { useT, useText } from '../i18n.tsx';
import { useEditor } from '../editor/EditorContext.tsx';
import { BaseHint, FieldRow, I18nField, NumberField, SelectField } from '../editor/fields.tsx';
import { useReveal } from '../editor/useReveal.ts';
import { ConditionBuilder } from '../components/ConditionBuilder.tsx';
import { freshId, IdInput, ListActions } from './common.tsx';

const EMPTY: Record<RuleKind, Condition> = {
  tailoring: { all: [{ fact: 'industryType', operator: 'equal', value: '' }] },
  limits: { all: [{ fact: 'diagnosesInWindow', params: { unit: 'month', count: 1, mode: 'calendar', which: 'started' }, operator: 'greaterThanInclusive', value: 3 }] },
  policies: { all: [{ fact: 'level', operator: 'greaterThanInclusive', value: 1 }] },
};

export function RulesSection() {
  const t = useT();
  const { target } = useEditor();
  const [tab, setTab] = useState<RuleKind | 'counting'>('limits');
  useEffect(() => {
    const kind = target.select?.split(':')[0];
    if (kind === 'tailoring' || kind === 'limits' || kind === 'policies') setTab(kind);
    else if (target.pointer?.startsWith('/counting')) setTab('counting');
  }, [target.seq]);
  useReveal();
  return (
    <Card size="small" title={t('规则', 'Rules')}>
      <Tabs
        className="rules-tabs"
        activeKey={tab}
        onChange={(k) => setTab(k as typeof tab)}
        items={[
          { key: 'tailoring', label: t('裁剪规则', 'Tailoring'), children: <RuleList kind="tailoring" /> },
          { key: 'limits', label: t('提交限制', 'Submission limits'), children: <RuleList kind="limits" /> },
          { key: 'policies', label: t('政策', 'Policies'), children: <RuleList kind="policies" /> },
          { key: 'counting', label: t('结果计数', 'Counting'), children: <Counting /> },
        ]}
      />
    </Card>
  );
}

function Counting() {
  const t = useT();
  return (
    <>
      <SelectField
        path={['counting', 'result']}
        label={t('企业的有效结果', 'The enterprise\'s result')}
        options={[
          { value: 'last', label: t('最近一次完成的自诊断', 'The last finished diagnosis') },
          { value: 'best', label: t('最好的一次', 'The best one') },
        ]}
      />
      <NumberField path={['counting', 'utcOffsetMinutes']} label={t('时区（相对 UTC 的分钟数）', 'Time zone (minutes from UTC)')} min={-720} max={840} help={t('按自然月、年计数的限制以此时区划分，如 480 为北京时间', 'Calendar months and years in limits follow this zone; 480 is Beijing time')} />
    </>
  );
}

function RuleList({ kind }: { kind: RuleKind }) {
  const t = useT();
  const tx = useText();
  const { doc, edit, readOnly, target } = useEditor();
  const rules = doc.rules[kind] as { id: string; name: { zh: string; en?: string } }[];
  const [open, setOpen] = useState<string[]>(() => (rules[0] ? ['0'] : []));
  useEffect(() => {
    const [k, i] = target.select?.split(':') ?? [];
    if (k === kind && i) setOpen((o) => [...new Set([...o, i])]);
  }, [target.seq]);
  const add = () => {
    const id = freshId(kind === 'limits' ? 'limit' : kind === 'policies' ? 'policy' : 'tailoring', rules.map((r) => r.id));
    const name = { zh: t('新规则', 'New rule') };
    const rule =
      kind === 'tailoring'
        ? { id, name, conditions: EMPTY.tailoring, effect: 'allowExclude', nodes: [] }
        : kind === 'limits'
          ? { id, name, severity: 'blocking', conditions: EMPTY.limits, message: { zh: t('已达到提交次数上限', 'The submission limit is reached') } }
          : { id, name, kind: 'award', text: { zh: t('政策内容', 'What the policy grants') }, conditions: EMPTY.policies };
    edit(['rules', kind, rules.length], rule);
    setOpen((o) => [...o, String(rules.length)]);
  };
  return (
    <>
      {!rules.length && <Typography.Paragraph type="secondary">{t('还没有规则。', 'No rules yet.')}</Typography.Paragraph>}
      <Collapse
        activeKey={open}
        onChange={(k) => setOpen(k as string[])}
        items={rules.map((r, i) => ({
          key: String(i),
          label: (
            <Space>
              <Typography.Text strong>{tx(r.name)}</Typography.Text>
              <Typography.Text type="secondary">{r.id}</Typography.Text>
              <BaseTag kind={kind} index={i} />
            </Space>
          ),
          extra: <span onClick={(e) => e.stopPropagation()}><ListActions path={['rules', kind]} index={i} length={rules.length} /></span>,
          children: <RuleEditor kind={kind} index={i} />,
        }))}
      />
      {!readOnly && (
        <Button style={{ marginTop: 8 }} onClick={add}>
          + {kind === 'tailoring' ? t('添加裁剪规则', 'Add tailoring rule') : kind === 'limits' ? t('添加提交限制', 'Add limit') : t('添加政策', 'Add policy')}
        </Button>
      )}
    </>
  );
}

/** In a variant: whether a rule is the base's, changed, or new. */
function BaseTag({ kind, index }: { kind: RuleKind; index: number }) {
  const t = useT();
  const { base, doc, baseAt } = useEditor();
  if (!base) return null;
  const b = baseAt(['rules', kind, index]);
  if (!b.present) return <Tag color="purple">{t('变体新增', 'Added by the variant')}</Tag>;
  return JSON.stringify(b.value) === JSON.stringify(doc.rules[kind][index]) ? <Tag>{t('同基础', 'As the base')}</Tag> : <Tag color="orange">{t('已覆盖基础', 'Overrides the base')}</Tag>;
}

function RuleEditor({ kind, index }: { kind: RuleKind; index: number }) {
  const t = useT();
  const tx = useText();
  const { doc, edit, readOnly } = useEditor();
  const path = ['rules', kind, index];
  const rule = doc.rules[kind][index] as unknown as Record<string, unknown> & { conditions: Condition };
  const model = indexRuleset(doc);
  const choices: Record<string, { value: string; label: string }[]> = {
    industryType: doc.industryTypes.map((it) => ({ value: it.id, label: tx(it.name) })),
    level: doc.levels.map((l) => ({ value: String(l.number), label: `${l.code} ${tx(l.name)}` })),
  };
  return (
    <div className="rule-editor" data-pointer={`/rules/${kind}/${index}`}>
      <FieldRow label={t('标识', 'Id')} path={[...path, 'id']}>
        <IdInput path={[...path, 'id']} label={t('规则标识', 'Rule id')} />
      </FieldRow>
      <I18nField path={[...path, 'name']} label={t('名称', 'Name')} />
      {kind === 'tailoring' && (
        <>
          <SelectField
            path={[...path, 'effect']}
            label={t('效果', 'Effect')}
            options={[
              { value: 'allowExclude', label: t('允许裁剪这些节点', 'These nodes may be tailored out') },
              { value: 'forbidExclude', label: t('不许裁剪这些节点', 'These nodes may not be tailored out') },
            ]}
          />
          <SelectField path={[...path, 'nodes']} label={t('节点', 'Nodes')} mode="multiple" options={model.nodes.map((n) => ({ value: n.id, label: `${'　'.repeat(n.depth)}${tx(n.node.name)}` }))} />
          <I18nField path={[...path, 'message']} label={t('提示', 'Message')} optional />
        </>
      )}
      {kind === 'limits' && (
        <>
          <SelectField
            path={[...path, 'severity']}
            label={t('严重程度', 'Severity')}
            options={[
              { value: 'blocking', label: t('阻止开始新的自诊断', 'Blocks a new diagnosis') },
              { value: 'advisory', label: t('仅提醒', 'Advises only') },
            ]}
          />
          <I18nField path={[...path, 'message']} label={t('提示', 'Message')} />
        </>
      )}
      {kind === 'policies' && (
        <>
          <SelectField
            path={[...path, 'kind']}
            label={t('类型', 'Kind')}
            options={[
              { value: 'award', label: t('奖励', 'Award') },
              { value: 'requirement', label: t('要求', 'Requirement') },
              { value: 'notice', label: t('通知', 'Notice') },
            ]}
          />
          <I18nField path={[...path, 'text']} label={t('内容', 'Text')} multiline />
          <FieldRow label={t('金额', 'Amount')} path={[...path, 'amount']}>
            <Space>
              <InputNumber
                aria-label={t('金额', 'Amount')}
                disabled={readOnly}
                min={0}
                value={(rule.amount as { value: number } | undefined)?.value}
                onChange={(v) => edit([...path, 'amount'], typeof v === 'number' ? { value: v, unit: (rule.amount as { unit?: unknown } | undefined)?.unit ?? { zh: '万元', en: '10k CNY' } } : undefined)}
              />
              <Input
                aria-label={t('金额单位', 'Amount unit')}
                disabled={readOnly || !rule.amount}
                style={{ width: 120 }}
                value={(rule.amount as { unit?: { zh: string } } | undefined)?.unit?.zh ?? ''}
                onChange={(e) => edit([...path, 'amount', 'unit', 'zh'], e.target.value)}
              />
            </Space>
          </FieldRow>
          <I18nField path={[...path, 'source']} label={t('依据', 'Source')} optional />
        </>
      )}
      <FieldRow label={t('条件', 'Conditions')} path={[...path, 'conditions']}>
        <ConditionBuilder kind={kind} value={rule.conditions} onChange={(c) => edit([...path, 'conditions'], c, `${path.join('/')}/conditions`)} choices={choices} readOnly={readOnly} />
      </FieldRow>
    </div>
  );
}
