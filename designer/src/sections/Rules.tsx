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
    <Card size="small" title={t('rules.heading')}>
      <Tabs
        className="rules-tabs"
        activeKey={tab}
        onChange={(k) => setTab(k as typeof tab)}
        items={[
          { key: 'tailoring', label: t('rules.tailoring'), children: <RuleList kind="tailoring" /> },
          { key: 'limits', label: t('rules.limits'), children: <RuleList kind="limits" /> },
          {
            key: 'policies',
            label: t('rules.policies'),
            children: (
              <>
                <RuleList kind="policies" />
                <Prerequisites />
              </>
            ),
          },
          { key: 'counting', label: t('rules.counting'), children: <Counting /> },
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
        label={t('rules.counting.result')}
        options={[
          { value: 'last', label: t('rules.counting.last') },
          { value: 'best', label: t('rules.counting.best') },
        ]}
      />
      <NumberField path={['counting', 'utcOffsetMinutes']} label={t('rules.timeZone')} min={-720} max={840} help={t('rules.timeZoneHint')} />
      <SelectField
        path={['counting', 'discarded']}
        label={t('rules.counting.discarded')}
        help={t('rules.counting.discardedHint')}
        options={[
          { value: 'count', label: t('rules.counting.discardedCount') },
          { value: 'ignore', label: t('rules.counting.discardedIgnore') },
        ]}
      />
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
    const name = { zh: t('rules.defaultName') };
    const rule =
      kind === 'tailoring'
        ? { id, name, conditions: EMPTY.tailoring, effect: 'allowExclude', nodes: [] }
        : kind === 'limits'
          ? { id, name, severity: 'blocking', conditions: EMPTY.limits, message: { zh: t('rules.defaultLimitMessage') } }
          : { id, name, kind: 'award', text: { zh: t('rules.defaultPolicyText') }, conditions: EMPTY.policies };
    edit(['rules', kind, rules.length], rule);
    setOpen((o) => [...o, String(rules.length)]);
  };
  return (
    <>
      {!rules.length && <Typography.Paragraph type="secondary">{t('rules.empty')}</Typography.Paragraph>}
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
          + {kind === 'tailoring' ? t('rules.add.tailoring') : kind === 'limits' ? t('rules.add.limits') : t('rules.add.policies')}
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
  if (!b.present) return <Tag color="purple">{t('rules.variantAdded')}</Tag>;
  return JSON.stringify(b.value) === JSON.stringify(doc.rules[kind][index]) ? <Tag>{t('rules.sameAsBase')}</Tag> : <Tag color="orange">{t('rules.overridesBase')}</Tag>;
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
      <FieldRow label={t('common.id')} path={[...path, 'id']}>
        <IdInput path={[...path, 'id']} label={t('rules.ruleId')} />
      </FieldRow>
      <I18nField path={[...path, 'name']} label={t('rules.name')} />
      {kind === 'tailoring' && (
        <>
          <SelectField
            path={[...path, 'effect']}
            label={t('rules.effect')}
            options={[
              { value: 'allowExclude', label: t('rules.effect.allowExclude') },
              { value: 'forbidExclude', label: t('rules.effect.forbidExclude') },
            ]}
          />
          <SelectField path={[...path, 'nodes']} label={t('rules.nodes')} mode="multiple" options={model.nodes.map((n) => ({ value: n.id, label: `${'　'.repeat(n.depth)}${tx(n.node.name)}` }))} />
          <I18nField path={[...path, 'message']} label={t('rules.message')} optional />
        </>
      )}
      {kind === 'limits' && (
        <>
          <SelectField
            path={[...path, 'severity']}
            label={t('rules.severity')}
            options={[
              { value: 'blocking', label: t('rules.severity.blocking') },
              { value: 'advisory', label: t('rules.severity.advisory') },
              { value: 'reminder', label: t('rules.severity.reminder') },
            ]}
          />
          <I18nField path={[...path, 'message']} label={t('rules.message')} />
          {rule.severity === 'blocking' && <Typography.Paragraph type="secondary" className="field-hint">{t('rules.messageDateHint')}</Typography.Paragraph>}
        </>
      )}
      {kind === 'policies' && (
        <>
          <SelectField
            path={[...path, 'kind']}
            label={t('rules.kind')}
            options={[
              { value: 'award', label: t('rules.kind.award') },
              { value: 'requirement', label: t('rules.kind.requirement') },
              { value: 'notice', label: t('rules.kind.notice') },
            ]}
          />
          <I18nField path={[...path, 'text']} label={t('rules.text')} multiline />
          <FieldRow label={t('rules.amount')} path={[...path, 'amount']}>
            <Space>
              <InputNumber
                aria-label={t('rules.amount')}
                disabled={readOnly}
                min={0}
                value={(rule.amount as { value: number } | undefined)?.value}
                onChange={(v) => edit([...path, 'amount'], typeof v === 'number' ? { value: v, unit: (rule.amount as { unit?: unknown } | undefined)?.unit ?? { zh: '万元', en: '10k CNY' } } : undefined)}
              />
              <Input
                aria-label={t('rules.amountUnit')}
                disabled={readOnly || !rule.amount}
                style={{ width: 120 }}
                value={(rule.amount as { unit?: { zh: string } } | undefined)?.unit?.zh ?? ''}
                onChange={(e) => edit([...path, 'amount', 'unit', 'zh'], e.target.value)}
              />
              <InputNumber
                aria-label={t('rules.amountMax')}
                placeholder={t('rules.amountMax')}
                disabled={readOnly || !rule.amount}
                min={0}
                value={(rule.amount as { max?: number } | undefined)?.max}
                onChange={(v) => edit([...path, 'amount', 'max'], typeof v === 'number' ? v : undefined)}
              />
            </Space>
          </FieldRow>
          <SelectField
            path={[...path, 'requires']}
            label={t('rules.requires')}
            help={t('rules.requiresHint')}
            mode="multiple"
            options={(doc.rules.prerequisites ?? []).map((p) => ({ value: p.id, label: tx(p.name) }))}
          />
          <I18nField path={[...path, 'source']} label={t('rules.source')} optional />
        </>
      )}
      <FieldRow label={t('rules.conditions')} path={[...path, 'conditions']}>
        <ConditionBuilder kind={kind} value={rule.conditions} onChange={(c) => edit([...path, 'conditions'], c, `${path.join('/')}/conditions`)} choices={choices} readOnly={readOnly} />
      </FieldRow>
    </div>
  );
}

/** What policies may require beyond the result (a certificate, a benchmark mark): met when their conditions hold, never when they have none. */
function Prerequisites() {
  const t = useT();
  const { doc, edit, readOnly } = useEditor();
  const list = doc.rules.prerequisites ?? [];
  return (
    <Card size="small" className="prerequisites" title={t('rules.prerequisites')} extra={<Typography.Text type="secondary">{t('rules.prerequisitesHint')}</Typography.Text>} style={{ marginTop: 16 }}>
      {list.map((p, i) => {
        const path = ['rules', 'prerequisites', i];
        return (
          <div key={i} className="rule-editor" data-pointer={`/rules/prerequisites/${i}`}>
            <Space align="start" wrap>
              <FieldRow label={t('common.id')} path={[...path, 'id']}>
                <IdInput path={[...path, 'id']} label={t('rules.prerequisiteId')} />
              </FieldRow>
              <ListActions path={['rules', 'prerequisites']} index={i} length={list.length} />
            </Space>
            <I18nField path={[...path, 'name']} label={t('rules.name')} />
            <FieldRow label={t('rules.prerequisiteMet')} path={[...path, 'conditions']}>
              {p.conditions ? (
                <ConditionBuilder kind="policies" value={p.conditions} onChange={(c) => edit([...path, 'conditions'], c)} choices={{}} readOnly={readOnly} />
              ) : (
                <Space>
                  <Typography.Text type="secondary">{t('rules.prerequisiteNever')}</Typography.Text>
                  {!readOnly && <Button size="small" onClick={() => edit([...path, 'conditions'], { all: [{ fact: 'benchmark', operator: 'equal', value: true }] })}>{t('rules.prerequisiteAddCondition')}</Button>}
                </Space>
              )}
            </FieldRow>
          </div>
        );
      })}
      {!readOnly && (
        <Button onClick={() => edit(['rules', 'prerequisites', list.length], { id: freshId('prerequisite', list.map((p) => p.id)), name: { zh: t('rules.defaultName') } })}>+ {t('rules.addPrerequisite')}</Button>
      )}
    </Card>
  );
}
