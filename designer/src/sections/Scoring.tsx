// How answers become scores: the option scale, aggregation, weights per industry type (and per
// level), the treatment of tailored and not-applicable items, the total-score rule and the bands.
import { useEffect, useState } from 'react';
import { Button, Card, Checkbox, Input, InputNumber, Segmented, Space, Table, Tabs, Tag, Typography } from 'antd';
import { EPSILON, indexRuleset, type Band } from '../../../engine/index.ts';
import { useT, useText } from '../i18n.tsx';
import { useEditor } from '../editor/EditorContext.tsx';
import { BaseHint, FieldRow, I18nField, NumberField, SelectField, SwitchField } from '../editor/fields.tsx';
import { useReveal } from '../editor/useReveal.ts';
import { freshId, IdInput, ListActions } from './common.tsx';

export function ScoringSection() {
  const t = useT();
  const { doc } = useEditor();
  useReveal();
  const handling = [
    { value: 'renormalize', label: t('剔除并按比例放大同级', 'Drop and rescale the siblings') },
    { value: 'zero', label: t('计 0 分', 'Count as 0') },
    { value: 'full', label: t('计满分', 'Count as full marks') },
  ];
  const agg = [
    { value: 'weighted', label: t('加权', 'Weighted') },
    { value: 'mean', label: t('平均', 'Mean') },
  ];
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <WeightSets />
      <Card size="small" title={t('总分与等级', 'Total score and level')}>
        <SelectField
          path={['scoring', 'total', 'rule']}
          label={t('总分 S 的算法', 'Total score S')}
          options={[
            { value: 'passedPlusNext', label: t('S = 连续达到的等级数 k + 下一级得分 Xₖ₊₁', 'S = k levels reached in a row + X(k+1)') },
            { value: 'gatedSum', label: t('S = X₁ + X₂ + …（加到第一个未达到的等级为止）', 'S = X1 + X2 + … up to the first level not reached') },
          ]}
        />
        <NumberField path={['scoring', 'total', 'decimals']} label={t('保留小数位', 'Decimals')} min={0} max={6} optional />
        <SelectField
          path={['scoring', 'levelBy']}
          label={t('等级判定', 'Level by')}
          options={[
            { value: 'consecutive', label: t('连续达到的最高等级', 'Highest level reached with all below it') },
            { value: 'band', label: t('按总分所在分档', 'Band of the total score') },
          ]}
        />
        <Bands />
      </Card>
      <Card size="small" title={t('评分标尺与汇总', 'Scale and aggregation')}>
        <Scale />
        <SelectField path={['scoring', 'aggregation', 'level']} label={t('等级得分的汇总', 'Level score from its top nodes')} options={agg} />
        {doc.model.layers.map((l) => (
          <SelectField key={l.id} path={['scoring', 'aggregation', 'layers', l.id]} label={t(`${l.name.zh}的汇总`, `${l.name.en ?? l.name.zh}: combine by`)} options={agg} />
        ))}
        <SelectField path={['scoring', 'excluded', 'tailored']} label={t('被裁剪的内容', 'Tailored-out items')} options={handling} />
        <SelectField path={['scoring', 'excluded', 'notApplicable']} label={t('“不涉及”的题目', 'Not-applicable answers')} options={handling} />
        <SelectField
          path={['scoring', 'unanswered']}
          label={t('未作答的题目', 'Unanswered questions')}
          options={[
            { value: 'zero', label: t('计 0 分', 'Count as 0') },
            { value: 'exclude', label: t('不计入', 'Leave out') },
          ]}
        />
      </Card>
    </Space>
  );
}

function Scale() {
  const t = useT();
  const { doc, edit, readOnly } = useEditor();
  const scale = doc.scoring.scale;
  const path = ['scoring', 'scale'];
  return (
    <FieldRow label={t('评分标尺', 'Option scale')} path={path} help={t('新题目的选项按此生成', 'New questions get these options')}>
      <Table
        size="small"
        pagination={false}
        rowKey={(_, i) => String(i)}
        dataSource={scale}
        columns={[
          { title: t('得分', 'Score'), width: 100, render: (_, s, i) => <InputNumber aria-label={t('标尺得分', 'Scale score')} disabled={readOnly} min={0} max={1} step={0.1} value={s.score} onChange={(v) => edit([...path, i, 'score'], v ?? 0)} /> },
          { title: t('名称（中文）', 'Label (Chinese)'), render: (_, s, i) => <Input aria-label={t('标尺名称（中文）', 'Scale label (Chinese)')} disabled={readOnly} value={s.label.zh} onChange={(e) => edit([...path, i, 'label', 'zh'], e.target.value)} /> },
          { title: t('名称（英文）', 'Label (English)'), render: (_, s, i) => <Input aria-label={t('标尺名称（英文）', 'Scale label (English)')} disabled={readOnly} value={s.label.en ?? ''} onChange={(e) => edit([...path, i, 'label', 'en'], e.target.value || undefined)} /> },
          { title: '', width: 110, render: (_, _s, i) => <ListActions path={path} index={i} length={scale.length} /> },
        ]}
      />
      {!readOnly && (
        <Button size="small" style={{ marginTop: 6 }} onClick={() => edit([...path, scale.length], { score: 0, label: { zh: t('新档', 'New step') } })}>
          + {t('添加', 'Add')}
        </Button>
      )}
    </FieldRow>
  );
}

function Bands() {
  const t = useT();
  const { doc, edit, readOnly } = useEditor();
  const bands = doc.scoring.bands;
  const path = ['scoring', 'bands'];
  return (
    <FieldRow label={t('分档表', 'Band table')} path={path} help={t('总分 S 落在 [下限, 上限) 时属于该档（勾选“含上限”则为闭区间）', 'S in [min, max) falls in the band ([min, max] when "incl. max")')}>
      <Table<Band>
        size="small"
        pagination={false}
        rowKey={(_, i) => String(i)}
        dataSource={bands}
        columns={[
          { title: t('下限', 'Min'), width: 90, render: (_, b, i) => <InputNumber aria-label={t('分档下限', 'Band min')} disabled={readOnly} step={0.1} value={b.min} onChange={(v) => edit([...path, i, 'min'], v ?? 0)} /> },
          { title: t('上限', 'Max'), width: 90, render: (_, b, i) => <InputNumber aria-label={t('分档上限', 'Band max')} disabled={readOnly} step={0.1} value={b.max} onChange={(v) => edit([...path, i, 'max'], v ?? 0)} /> },
          { title: t('含上限', 'Incl. max'), width: 70, render: (_, b, i) => <Checkbox aria-label={t('含上限', 'Inclusive max')} disabled={readOnly} checked={b.inclusiveMax === true} onChange={(e) => edit([...path, i, 'inclusiveMax'], e.target.checked || undefined)} /> },
          { title: t('等级', 'Level'), width: 80, render: (_, b, i) => <InputNumber aria-label={t('分档等级', 'Band level')} disabled={readOnly} min={0} value={b.level} onChange={(v) => edit([...path, i, 'level'], v ?? 0)} /> },
          { title: t('名称', 'Label'), render: (_, b, i) => <Input aria-label={t('分档名称', 'Band label')} disabled={readOnly} value={b.label.zh} onChange={(e) => edit([...path, i, 'label', 'zh'], e.target.value)} /> },
          { title: '', width: 110, render: (_, _b, i) => <ListActions path={path} index={i} length={bands.length} /> },
        ]}
      />
      {!readOnly && (
        <Button size="small" style={{ marginTop: 6 }} onClick={() => edit([...path, bands.length], { min: bands.at(-1)?.max ?? 0, max: (bands.at(-1)?.max ?? 0) + 1, level: bands.length, label: { zh: t('新分档', 'New band') } })}>
          + {t('添加分档', 'Add band')}
        </Button>
      )}
    </FieldRow>
  );
}

/** Weight sets: one tab each; a table per sibling group with its sum checked; per-level overrides. */
function WeightSets() {
  const t = useT();
  const tx = useText();
  const { doc, edit, readOnly, target } = useEditor();
  const sets = doc.scoring.weightSets;
  const [active, setActive] = useState('0');
  useEffect(() => {
    if (target.select?.startsWith('w:')) setActive(target.select.slice(2));
  }, [target.seq]);
  return (
    <Card
      size="small"
      title={t('权重', 'Weights')}
      extra={
        !readOnly && (
          <Button
            size="small"
            onClick={() => {
              const from = sets[Number(active)] ?? sets[0];
              edit(['scoring', 'weightSets', sets.length], { ...from, id: freshId('weights', sets.map((s) => s.id)), name: { zh: `${from.name.zh}（副本）` }, placeholder: undefined });
              setActive(String(sets.length));
            }}
          >
            + {t('复制为新权重集', 'Copy as a new weight set')}
          </Button>
        )
      }
    >
      <SelectField path={['scoring', 'defaultWeightSet']} label={t('默认权重集', 'Default weight set')} options={sets.map((s) => ({ value: s.id, label: tx(s.name) }))} help={t('没有为企业的行业类型设权重集时使用', 'Used when no set is made for the enterprise\'s industry type')} />
      <Tabs
        activeKey={active}
        onChange={setActive}
        items={sets.map((s, i) => ({
          key: String(i),
          label: (
            <span>
              {tx(s.name)} {s.placeholder && <Tag color="orange">{t('占位', 'placeholder')}</Tag>}
            </span>
          ),
          children: <WeightSetEditor index={i} />,
        }))}
      />
    </Card>
  );
}

function WeightSetEditor({ index }: { index: number }) {
  const t = useT();
  const tx = useText();
  const { doc, edit, readOnly } = useEditor();
  const set = doc.scoring.weightSets[index];
  const path = ['scoring', 'weightSets', index];
  const [level, setLevel] = useState<'all' | number>('all');
  const model = indexRuleset(doc);
  const groups = [{ parent: undefined as string | undefined, ids: model.roots.map((r) => r.id) }, ...model.nodes.filter((n) => n.children.length).map((n) => ({ parent: n.id, ids: n.children.map((c) => c.id) }))];
  const overrides = level === 'all' ? undefined : set.levelWeights?.[String(level)];
  return (
    <div className="weight-set" data-pointer={`/scoring/weightSets/${index}`}>
      <FieldRow label={t('标识', 'Id')} path={[...path, 'id']}>
        <IdInput path={[...path, 'id']} label={t('权重集标识', 'Weight set id')} />
      </FieldRow>
      <I18nField path={[...path, 'name']} label={t('名称', 'Name')} />
      <SelectField path={[...path, 'industryType']} label={t('行业类型', 'Industry type')} options={doc.industryTypes.map((it) => ({ value: it.id, label: tx(it.name) }))} />
      <SwitchField path={[...path, 'placeholder']} label={t('占位权重（非正式值）', 'Placeholder (not the official table)')} />
      <FieldRow label={t('适用等级', 'Level')} path={[...path, 'levelWeights']} help={t('可为某一等级单独设置某组权重；未设置时沿用通用权重', 'A level may override a group\'s weights; otherwise the general table applies')}>
        <Segmented<string>
          value={String(level)}
          onChange={(v) => setLevel(v === 'all' ? 'all' : Number(v))}
          options={[{ value: 'all', label: t('通用', 'General') }, ...doc.levels.map((l) => ({ value: String(l.number), label: l.code }))]}
        />
      </FieldRow>
      <div className="weight-groups">
        {groups.map((g) => {
          // A group none of whose nodes has a weight counts its nodes equally (the engine's rule).
          const inGeneral = g.ids.some((id) => set.weights[id] !== undefined);
          const overridden = overrides !== undefined && g.ids.some((id) => overrides[id] !== undefined);
          const general = inGeneral ? g.ids.map((id) => set.weights[id] ?? 0) : g.ids.map(() => Math.round(1e6 / g.ids.length) / 1e6);
          const values = level !== 'all' && overridden ? g.ids.map((id) => overrides![id] ?? 0) : general;
          const explicit = level === 'all' ? inGeneral : overridden || inGeneral;
          const sum = values.reduce((a, b) => a + b, 0);
          const ok = !explicit || Math.abs(sum - 1) <= 1e-6 + EPSILON;
          const table = level === 'all' ? [...path, 'weights'] : [...path, 'levelWeights', String(level)];
          const setValue = (id: string, v: number) => {
            if ((level !== 'all' && !overridden) || !explicit) {
              // The first change writes the whole group, so its other nodes keep the weights shown.
              const copy = Object.fromEntries(g.ids.map((x, i) => [x, x === id ? v : values[i]]));
              edit(table, { ...((level === 'all' ? set.weights : overrides) ?? {}), ...copy });
            } else edit([...table, id], v);
          };
          return (
            <div key={g.parent ?? '(root)'} className="weight-group">
              <Typography.Text strong>{g.parent ? tx(model.nodeById.get(g.parent)!.node.name) : t('顶层', 'Top level')}</Typography.Text>
              {level !== 'all' && (
                <Checkbox
                  style={{ marginLeft: 12 }}
                  disabled={readOnly}
                  checked={overridden}
                  onChange={(e) => {
                    const rest = Object.fromEntries(Object.entries(overrides ?? {}).filter(([k]) => !g.ids.includes(k)));
                    edit(table, e.target.checked ? { ...rest, ...Object.fromEntries(g.ids.map((x, i) => [x, values[i]])) } : Object.keys(rest).length ? rest : undefined);
                  }}
                >
                  {t('本等级单独设置', 'Own weights at this level')}
                </Checkbox>
              )}
              <table className="weight-table">
                <tbody>
                  {g.ids.map((id, i) => (
                    <tr key={id} data-pointer={`/scoring/weightSets/${index}/weights/${id}`}>
                      <td>{tx(model.nodeById.get(id)!.node.name)}</td>
                      <td>
                        <InputNumber aria-label={t(`${model.nodeById.get(id)!.node.name.zh} 权重`, `${model.nodeById.get(id)!.node.name.en ?? id} weight`)} disabled={readOnly} min={0} max={1} step={0.05} value={values[i]} onChange={(v) => setValue(id, v ?? 0)} />
                      </td>
                      <td>{level === 'all' && <BaseHint path={[...path, 'weights', id]} />}</td>
                    </tr>
                  ))}
                  <tr className={ok ? 'sum-ok' : 'sum-bad'}>
                    <td>{t('合计', 'Sum')}</td>
                    <td>{explicit ? <Tag color={ok ? 'green' : 'red'}>{Number(sum.toFixed(6))}</Tag> : <Tag>{t('未设置：等权', 'Not set: equal')}</Tag>}</td>
                    <td>{!ok && <Typography.Text type="danger">{t('同级权重之和应为 1', 'Sibling weights must sum to 1')}</Typography.Text>}</td>
                  </tr>
                </tbody>
              </table>
            </div>
          );
        })}
      </div>
      {!readOnly && doc.scoring.weightSets.length > 1 && (
        <Button size="small" danger onClick={() => edit(['scoring', 'weightSets', index], undefined)}>
          {t('删除此权重集', 'Delete this weight set')}
        </Button>
      )}
    </div>
  );
}
