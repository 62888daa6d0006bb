// How answers become scores: the option scale, aggregation, weights per industry type (and per
// level), the treatment of tailored and not-applicable items, the total-score rule and the bands.
import { useEffect, useState } from 'react';
import { Button, Card, Checkbox, Input, InputNumber, Segmented, Space, Table, Tabs, Tag, Typography } from 'antd';
import { EPSILON, indexRuleset, type Band } from '../../../engine/index.ts';
import { useLocale, useT, useText } from '../i18n.tsx';
import { useEditor } from '../editor/EditorContext.tsx';
import { BaseHint, FieldRow, I18nField, NumberField, SelectField, SwitchField } from '../editor/fields.tsx';
import { useReveal } from '../editor/useReveal.ts';
import { freshId, IdInput, ListActions } from './common.tsx';

export function ScoringSection() {
  const t = useT();
  const { locale } = useLocale();
  const { doc } = useEditor();
  useReveal();
  const handling = [
    { value: 'renormalize', label: t('scoring.renormalize') },
    { value: 'zero', label: t('scoring.zero') },
    { value: 'full', label: t('scoring.full') },
  ];
  const agg = [
    { value: 'weighted', label: t('scoring.aggregation.weighted') },
    { value: 'mean', label: t('scoring.aggregation.mean') },
  ];
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <WeightSets />
      <Card size="small" title={t('scoring.totalHeading')}>
        <SelectField
          path={['scoring', 'total', 'rule']}
          label={t('scoring.totalRule')}
          options={[
            { value: 'passedPlusNext', label: t('scoring.rule.passedPlusNext') },
            { value: 'gatedSum', label: t('scoring.rule.gatedSum') },
          ]}
        />
        <NumberField path={['scoring', 'total', 'decimals']} label={t('scoring.decimals')} min={0} max={6} optional />
        <SelectField
          path={['scoring', 'levelBy']}
          label={t('scoring.levelBy')}
          options={[
            { value: 'consecutive', label: t('scoring.levelBy.consecutive') },
            { value: 'band', label: t('scoring.levelBy.band') },
          ]}
        />
        <Bands />
      </Card>
      <Card size="small" title={t('scoring.scaleHeading')}>
        <Scale />
        <SelectField path={['scoring', 'aggregation', 'level']} label={t('scoring.levelAggregation')} options={agg} />
        {doc.model.layers.map((l) => (
          <SelectField key={l.id} path={['scoring', 'aggregation', 'layers', l.id]} label={t('scoring.layerAggregation', { layer: locale === 'en' ? (l.name.en ?? l.name.zh) : l.name.zh })} options={agg} />
        ))}
        <SelectField path={['scoring', 'excluded', 'tailored']} label={t('scoring.tailored')} options={handling} />
        <SelectField path={['scoring', 'excluded', 'notApplicable']} label={t('scoring.notApplicable')} options={handling} />
        <SelectField
          path={['scoring', 'unanswered']}
          label={t('scoring.unanswered')}
          options={[
            { value: 'zero', label: t('scoring.zero') },
            { value: 'exclude', label: t('scoring.leaveOut') },
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
    <FieldRow label={t('scoring.scale')} path={path} help={t('scoring.scaleHint')}>
      <Table
        size="small"
        pagination={false}
        rowKey={(_, i) => String(i)}
        dataSource={scale}
        columns={[
          { title: t('scoring.scaleScoreCol'), width: 100, render: (_, s, i) => <InputNumber aria-label={t('scoring.scaleScore')} disabled={readOnly} min={0} max={1} step={0.1} value={s.score} onChange={(v) => edit([...path, i, 'score'], v ?? 0)} /> },
          { title: t('scoring.scaleLabelZhCol'), render: (_, s, i) => <Input aria-label={t('scoring.scaleLabelZh')} disabled={readOnly} value={s.label.zh} onChange={(e) => edit([...path, i, 'label', 'zh'], e.target.value)} /> },
          { title: t('scoring.scaleLabelEnCol'), render: (_, s, i) => <Input aria-label={t('scoring.scaleLabelEn')} disabled={readOnly} value={s.label.en ?? ''} onChange={(e) => edit([...path, i, 'label', 'en'], e.target.value || undefined)} /> },
          { title: '', width: 110, render: (_, _s, i) => <ListActions path={path} index={i} length={scale.length} /> },
        ]}
      />
      {!readOnly && (
        <Button size="small" style={{ marginTop: 6 }} onClick={() => edit([...path, scale.length], { score: 0, label: { zh: t('scoring.defaultStep') } })}>
          + {t('scoring.addStep')}
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
    <FieldRow label={t('scoring.bands')} path={path} help={t('scoring.bandsHint')}>
      <Table<Band>
        size="small"
        pagination={false}
        rowKey={(_, i) => String(i)}
        dataSource={bands}
        columns={[
          { title: t('scoring.bandMinCol'), width: 90, render: (_, b, i) => <InputNumber aria-label={t('scoring.bandMin')} disabled={readOnly} step={0.1} value={b.min} onChange={(v) => edit([...path, i, 'min'], v ?? 0)} /> },
          { title: t('scoring.bandMaxCol'), width: 90, render: (_, b, i) => <InputNumber aria-label={t('scoring.bandMax')} disabled={readOnly} step={0.1} value={b.max} onChange={(v) => edit([...path, i, 'max'], v ?? 0)} /> },
          { title: t('scoring.inclMax'), width: 70, render: (_, b, i) => <Checkbox aria-label={t('scoring.inclMaxAria')} disabled={readOnly} checked={b.inclusiveMax === true} onChange={(e) => edit([...path, i, 'inclusiveMax'], e.target.checked || undefined)} /> },
          { title: t('scoring.bandLevelCol'), width: 80, render: (_, b, i) => <InputNumber aria-label={t('scoring.bandLevel')} disabled={readOnly} min={0} value={b.level} onChange={(v) => edit([...path, i, 'level'], v ?? 0)} /> },
          { title: t('scoring.bandLabelCol'), render: (_, b, i) => <Input aria-label={t('scoring.bandLabel')} disabled={readOnly} value={b.label.zh} onChange={(e) => edit([...path, i, 'label', 'zh'], e.target.value)} /> },
          { title: '', width: 110, render: (_, _b, i) => <ListActions path={path} index={i} length={bands.length} /> },
        ]}
      />
      {!readOnly && (
        <Button size="small" style={{ marginTop: 6 }} onClick={() => edit([...path, bands.length], { min: bands.at(-1)?.max ?? 0, max: (bands.at(-1)?.max ?? 0) + 1, level: bands.length, label: { zh: t('scoring.defaultBand') } })}>
          + {t('scoring.addBand')}
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
      title={t('scoring.heading')}
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
            + {t('scoring.copySet')}
          </Button>
        )
      }
    >
      <SelectField path={['scoring', 'defaultWeightSet']} label={t('scoring.defaultSet')} options={sets.map((s) => ({ value: s.id, label: tx(s.name) }))} help={t('scoring.defaultSetHint')} />
      <Tabs
        activeKey={active}
        onChange={setActive}
        items={sets.map((s, i) => ({
          key: String(i),
          label: (
            <span>
              {tx(s.name)} {s.placeholder && <Tag color="orange">{t('scoring.placeholderTag')}</Tag>}
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
  const { locale } = useLocale();
  const { doc, edit, readOnly } = useEditor();
  const set = doc.scoring.weightSets[index];
  const path = ['scoring', 'weightSets', index];
  const [level, setLevel] = useState<'all' | number>('all');
  const model = indexRuleset(doc);
  const groups = [{ parent: undefined as string | undefined, ids: model.roots.map((r) => r.id) }, ...model.nodes.filter((n) => n.children.length).map((n) => ({ parent: n.id, ids: n.children.map((c) => c.id) }))];
  const overrides = level === 'all' ? undefined : set.levelWeights?.[String(level)];
  // A weight's field is named after its node: in English the node's English name, else its id.
  const weightLabel = (id: string) => {
    const name = model.nodeById.get(id)!.node.name;
    return t('scoring.weightOf', { node: locale === 'en' ? (name.en ?? id) : name.zh });
  };
  return (
    <div className="weight-set" data-pointer={`/scoring/weightSets/${index}`}>
      <FieldRow label={t('common.id')} path={[...path, 'id']}>
        <IdInput path={[...path, 'id']} label={t('scoring.setId')} />
      </FieldRow>
      <I18nField path={[...path, 'name']} label={t('scoring.setName')} />
      <SelectField path={[...path, 'industryType']} label={t('scoring.industryType')} options={doc.industryTypes.map((it) => ({ value: it.id, label: tx(it.name) }))} />
      <SwitchField path={[...path, 'placeholder']} label={t('scoring.placeholderField')} />
      <FieldRow label={t('scoring.weightLevel')} path={[...path, 'levelWeights']} help={t('scoring.weightLevelHint')}>
        <Segmented<string>
          value={String(level)}
          onChange={(v) => setLevel(v === 'all' ? 'all' : Number(v))}
          options={[{ value: 'all', label: t('scoring.general') }, ...doc.levels.map((l) => ({ value: String(l.number), label: l.code }))]}
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
              <Typography.Text strong>{g.parent ? tx(model.nodeById.get(g.parent)!.node.name) : t('scoring.topLevel')}</Typography.Text>
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
                  {t('scoring.levelOverride')}
                </Checkbox>
              )}
              <table className="weight-table">
                <tbody>
                  {g.ids.map((id, i) => (
                    <tr key={id} data-pointer={`/scoring/weightSets/${index}/weights/${id}`}>
                      <td>{tx(model.nodeById.get(id)!.node.name)}</td>
                      <td>
                        <InputNumber aria-label={weightLabel(id)} disabled={readOnly} min={0} max={1} step={0.05} value={values[i]} onChange={(v) => setValue(id, v ?? 0)} />
                      </td>
                      <td>{level === 'all' && <BaseHint path={[...path, 'weights', id]} />}</td>
                    </tr>
                  ))}
                  <tr className={ok ? 'sum-ok' : 'sum-bad'}>
                    <td>{t('scoring.sum')}</td>
                    <td>{explicit ? <Tag color={ok ? 'green' : 'red'}>{Number(sum.toFixed(6))}</Tag> : <Tag>{t('scoring.equalWeights')}</Tag>}</td>
                    <td>{!ok && <Typography.Text type="danger">{t('scoring.sumMustBeOne')}</Typography.Text>}</td>
                  </tr>
                </tbody>
              </table>
            </div>
          );
        })}
      </div>
      {!readOnly && doc.scoring.weightSets.length > 1 && (
        <Button size="small" danger onClick={() => edit(['scoring', 'weightSets', index], undefined)}>
          {t('scoring.deleteSet')}
        </Button>
      )}
    </div>
  );
}
