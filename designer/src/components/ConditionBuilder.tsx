// A rule's conditions edited as nested groups of "fact operator value" rows, or as JSON. Both views
// write the same json-rules-engine condition; neither hands on anything the ruleset schema refuses.
import { useEffect, useRef, useState, type JSX } from 'react';
import { Alert, Button, Card, Input, InputNumber, Select, Space, Tabs, Tag, Tooltip, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined, QuestionCircleOutlined } from '@ant-design/icons';
import { FACTS, factInfo, isLeaf, operatorInfo, parseJson, validateCondition, type Condition, type ConditionLeaf, type FactInfo, type Problem, type RuleKind } from '../../../engine/index.ts';
import { useT, useText } from '../i18n.tsx';
import { appendChild, childrenOf, groupType, isVisualLeaf, newLeaf, removeAt, replaceAt, setGroupType, withFact, withOperator, withParam, type GroupType, type TreePath } from './conditionTree.ts';

export type FactChoices = Partial<Record<string, { value: string; label: string }[]>>;

export interface ConditionBuilderProps {
  value: Condition;
  onChange: (c: Condition) => void;
  kind: RuleKind;
  /** Values to pick from per fact (industry types, region codes, …); a fact without any takes free input. */
  choices?: FactChoices;
  readOnly?: boolean;
}

interface Ctx {
  root: Condition;
  onChange: (c: Condition) => void;
  kind: RuleKind;
  choices: FactChoices;
  readOnly: boolean;
}

export function ConditionBuilder({ value, onChange, kind, choices = {}, readOnly = false }: ConditionBuilderProps): JSX.Element {
  const t = useT();
  const ctx: Ctx = { root: value, onChange, kind, choices, readOnly };
  const visual = (
    <Space orientation="vertical" style={{ width: '100%' }}>
      {/* json-rules-engine refuses to run a rule whose outermost condition is not a group. */}
      {!groupType(value) && (
        <Alert
          type="warning"
          showIcon
          title={t('condition.rootMustBeGroup')}
          action={
            !readOnly && (
              <Button size="small" onClick={() => onChange({ all: [value] })}>
                {t('condition.wrapInGroup')}
              </Button>
            )
          }
        />
      )}
      <ConditionNode node={value} path={[]} ctx={ctx} />
    </Space>
  );
  return (
    <div className="condition-builder">
      <Tabs
        size="small"
        items={[
          { key: 'visual', label: t('condition.visual'), children: visual },
          { key: 'json', label: 'JSON', children: <ConditionJson value={value} onChange={onChange} readOnly={readOnly} label={t('condition.json')} minRows={8} /> },
        ]}
      />
    </div>
  );
}

function ConditionNode({ node, path, ctx }: { node: Condition; path: TreePath; ctx: Ctx }) {
  if (groupType(node)) return <GroupCard node={node} path={path} ctx={ctx} />;
  if (isVisualLeaf(node, ctx.kind)) return <LeafRow leaf={node} path={path} ctx={ctx} />;
  return <RawRow node={node} path={path} ctx={ctx} />;
}

function GroupCard({ node, path, ctx }: { node: Condition; path: TreePath; ctx: Ctx }) {
  const t = useT();
  const type = groupType(node)!;
  const children = childrenOf(node);
  const { root, onChange, kind, readOnly } = ctx;
  const types: { value: GroupType; label: string }[] = [
    { value: 'all', label: t('condition.group.all') },
    { value: 'any', label: t('condition.group.any') },
    { value: 'not', label: t('condition.group.not') },
  ];
  return (
    <Card
      size="small"
      className="condition-group"
      data-group-type={type}
      title={<Select aria-label={t('condition.groupType')} value={type} options={types} disabled={readOnly} onChange={(v: GroupType) => onChange(setGroupType(root, path, v))} style={{ minWidth: 120 }} />}
      extra={
        !readOnly && (
          <Space size="small" wrap>
            {/* aria-label: else the icon's own label ("plus") becomes part of the button's name. */}
            <Button size="small" icon={<PlusOutlined />} aria-label={t('condition.addCondition')} onClick={() => onChange(appendChild(root, path, newLeaf(kind)))}>
              {t('condition.addCondition')}
            </Button>
            <Button size="small" icon={<PlusOutlined />} aria-label={t('condition.addGroup')} onClick={() => onChange(appendChild(root, path, { all: [] }))}>
              {t('condition.addGroup')}
            </Button>
            {path.length > 0 && <Button size="small" danger icon={<DeleteOutlined />} aria-label={t('condition.deleteGroup')} title={t('condition.deleteGroup')} onClick={() => onChange(removeAt(root, path))} />}
          </Space>
        )
      }
    >
      <Space orientation="vertical" style={{ width: '100%' }}>
        {children.map((c, i) => (
          <ConditionNode key={i} node={c} path={[...path, i]} ctx={ctx} />
        ))}
        {/* json-rules-engine treats an empty all or any as true: the rule always applies. */}
        {!children.length && <Typography.Text type="secondary">{t('condition.emptyGroup')}</Typography.Text>}
      </Space>
    </Card>
  );
}

function LeafRow({ leaf, path, ctx }: { leaf: ConditionLeaf; path: TreePath; ctx: Ctx }) {
  const t = useT();
  const text = useText();
  const { root, onChange, kind, readOnly } = ctx;
  const info = factInfo(kind, leaf.fact)!;
  const set = (next: ConditionLeaf) => onChange(replaceAt(root, path, next as Condition));
  return (
    <div className="condition-row" data-fact={leaf.fact}>
      <Space wrap>
        <Select
          aria-label={t('condition.fact')}
          value={leaf.fact}
          options={FACTS[kind].map((f) => ({ value: f.name, label: text(f.label) }))}
          showSearch={{ optionFilterProp: 'label' }}
          popupMatchSelectWidth={false}
          disabled={readOnly}
          onChange={(fact: string) => set(withFact(leaf, kind, fact))}
          style={{ minWidth: 160 }}
        />
        {info.help && (
          <Tooltip title={text(info.help)}>
            <QuestionCircleOutlined aria-label={t('condition.factInfo')} />
          </Tooltip>
        )}
        {(info.params ?? []).map((p) => {
          const label = text(p.label);
          const current = leaf.params?.[p.name] ?? p.default;
          return p.kind === 'enum' ? (
            <Select
              key={p.name}
              aria-label={label}
              prefix={label}
              value={String(current)}
              options={p.choices!.map((c) => ({ value: c.value, label: text(c.label) }))}
              popupMatchSelectWidth={false}
              disabled={readOnly}
              onChange={(v: string) => set(withParam(leaf, p.name, v))}
            />
          ) : (
            <InputNumber
              key={p.name}
              aria-label={label}
              prefix={label}
              value={typeof current === 'number' ? current : Number(current)}
              min={p.min}
              precision={0}
              disabled={readOnly}
              // An emptied box keeps the last count: the engine would otherwise fall back to 1 unseen.
              onChange={(v) => typeof v === 'number' && set(withParam(leaf, p.name, v))}
              style={{ width: 110 }}
            />
          );
        })}
        <Select
          aria-label={t('condition.operator')}
          value={leaf.operator}
          options={info.operators.map((o) => ({ value: o, label: text(operatorInfo(o)!.label) }))}
          popupMatchSelectWidth={false}
          disabled={readOnly}
          onChange={(op: string) => set(withOperator(leaf, kind, op))}
          style={{ minWidth: 120 }}
        />
        <ValueInput leaf={leaf} info={info} ctx={ctx} onValue={(value) => set({ ...leaf, value })} />
        {!readOnly && <Button danger icon={<DeleteOutlined />} aria-label={t('condition.deleteCondition')} title={t('condition.deleteCondition')} onClick={() => onChange(removeAt(root, path))} />}
      </Space>
    </div>
  );
}

function ValueInput({ leaf, info, ctx, onValue }: { leaf: ConditionLeaf; info: FactInfo; ctx: Ctx; onValue: (v: unknown) => void }) {
  const t = useT();
  const label = t('condition.value');
  const list = operatorInfo(leaf.operator)?.arity === 'list';
  const numeric = info.valueType === 'number';
  const given = ctx.choices[info.name];
  const values: unknown[] = list ? (Array.isArray(leaf.value) ? leaf.value : []) : leaf.value === '' || leaf.value == null ? [] : [leaf.value];
  const fromInput = (v: unknown) => (numeric ? Number(v) : String(v));
  const keep = (v: unknown) => !numeric || (typeof v === 'number' && Number.isFinite(v));
  const common = { 'aria-label': label, disabled: ctx.readOnly, style: { minWidth: 160 } };

  if (given) {
    // A value the list does not offer (typed in JSON, or dropped from the list since) stays visible.
    const options = [...given.map((c) => ({ value: fromInput(c.value) as string | number, label: c.label }))];
    for (const v of values) if (!options.some((o) => o.value === v)) options.push({ value: v as string | number, label: String(v) });
    return list ? (
      <Select {...common} mode="multiple" value={values as (string | number)[]} options={options} showSearch={{ optionFilterProp: 'label' }} popupMatchSelectWidth={false} onChange={(v: (string | number)[]) => onValue(v)} />
    ) : (
      <Select {...common} value={values[0] as string | number | undefined} options={options} showSearch={{ optionFilterProp: 'label' }} popupMatchSelectWidth={false} onChange={(v: string | number) => onValue(v)} />
    );
  }
  if (list)
    return (
      <Select
        {...common}
        mode="tags"
        value={values as (string | number)[]}
        tokenSeparators={[',', '，', ' ']}
        placeholder={t('condition.typeThenEnter')}
        onChange={(v: (string | number)[]) => onValue(v.map(fromInput).filter(keep))}
      />
    );
  if (info.valueType === 'boolean')
    return (
      <Select
        {...common}
        value={typeof leaf.value === 'boolean' ? leaf.value : undefined}
        options={[
          { value: true, label: t('condition.yes') },
          { value: false, label: t('condition.no') },
        ]}
        onChange={(v: boolean) => onValue(v)}
      />
    );
  if (numeric)
    return <InputNumber {...common} value={typeof leaf.value === 'number' ? leaf.value : null} precision={info.integer ? 0 : undefined} onChange={(v) => typeof v === 'number' && onValue(v)} />;
  return <Input {...common} value={typeof leaf.value === 'string' ? leaf.value : String(leaf.value ?? '')} onChange={(e) => onValue(e.target.value)} />;
}

/** A condition the selects cannot show (a named-condition reference, an unknown fact or operator, a path): kept, and editable as JSON. */
function RawRow({ node, path, ctx }: { node: Condition; path: TreePath; ctx: Ctx }) {
  const t = useT();
  const { root, onChange, kind, readOnly } = ctx;
  const why = !isLeaf(node)
    ? t('condition.namedReference')
    : !factInfo(kind, node.fact)
      ? t('condition.unknownFact', { fact: node.fact })
      : node.path !== undefined
        ? t('condition.withPath')
        : t('condition.operatorMismatch', { operator: node.operator });
  return (
    <div className="condition-row condition-raw">
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Space wrap>
          <Tag color="warning">{why}</Tag>
          <Typography.Text type="secondary">{t('condition.notVisual')}</Typography.Text>
          {!readOnly && <Button size="small" danger icon={<DeleteOutlined />} aria-label={t('condition.deleteCondition')} title={t('condition.deleteCondition')} onClick={() => onChange(removeAt(root, path))} />}
        </Space>
        <ConditionJson value={node} onChange={(c) => onChange(replaceAt(root, path, c))} readOnly={readOnly} label={t('condition.leafJson')} minRows={2} />
      </Space>
    </div>
  );
}

const pretty = (c: Condition) => JSON.stringify(c, null, 2);

/** JSON text of a condition: hands on each edit that parses and fits the schema, and says why the others do not. */
function ConditionJson({ value, onChange, readOnly, label, minRows }: { value: Condition; onChange: (c: Condition) => void; readOnly: boolean; label: string; minRows: number }) {
  const t = useT();
  const text = useText();
  const [source, setSource] = useState(() => pretty(value));
  const [problems, setProblems] = useState<Problem[]>([]);
  // What this box last handed on: a new value from outside (the visual view, undo) replaces the
  // text, while the echo of our own edit must not reformat what the author is typing.
  const emitted = useRef(JSON.stringify(value));
  useEffect(() => {
    const now = JSON.stringify(value);
    if (now === emitted.current) return;
    emitted.current = now;
    setSource(pretty(value));
    setProblems([]);
  }, [value]);

  const edit = (next: string) => {
    setSource(next);
    const parsed = parseJson(next);
    const checked = parsed.ok ? validateCondition(parsed.value) : parsed;
    if (!checked.ok) return setProblems(checked.problems);
    setProblems([]);
    emitted.current = JSON.stringify(checked.value);
    onChange(checked.value);
  };

  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Input.TextArea
        aria-label={label}
        aria-invalid={problems.length > 0}
        status={problems.length ? 'error' : undefined}
        value={source}
        readOnly={readOnly}
        spellCheck={false}
        autoSize={{ minRows, maxRows: 30 }}
        style={{ fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace' }}
        onChange={(e) => edit(e.target.value)}
      />
      {problems.length > 0 && (
        <Alert
          type="error"
          showIcon
          title={t('condition.invalid')}
          description={
            <ul style={{ margin: 0, paddingInlineStart: 18 }}>
              {problems.map((p, i) => (
                <li key={i}>
                  {p.pointer || '/'}: {text(p.message)}
                </li>
              ))}
            </ul>
          }
        />
      )}
    </Space>
  );
}
