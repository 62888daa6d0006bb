// The enterprise's way through a diagnosis: the first level, what follows reaching or missing a
// level, the answering rules, and the indicators page.
import { Button, Card, Checkbox, Input, Space, Table, Typography } from 'antd';
import type { IndicatorField } from '../../../engine/index.ts';
import { useT } from '../i18n.tsx';
import { useEditor } from '../editor/EditorContext.tsx';
import { I18nField, NumberField, SelectField, SwitchField, FieldRow } from '../editor/fields.tsx';
import { useReveal } from '../editor/useReveal.ts';
import { freshId, IdInput, ListActions } from './common.tsx';

export function FlowSection() {
  const t = useT();
  const { doc, edit, readOnly } = useEditor();
  useReveal();
  const actions = [
    { value: 'nextLevel', label: t('flow.action.nextLevel') },
    { value: 'indicators', label: t('flow.action.indicators') },
    { value: 'finish', label: t('flow.action.finish') },
  ];
  const fields = doc.flow.indicators.fields;
  const fpath = ['flow', 'indicators', 'fields'];
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Card size="small" title={t('flow.heading')}>
        <SelectField path={['flow', 'startLevel']} label={t('flow.startLevel')} options={doc.levels.map((l) => ({ value: l.number, label: `${l.code}` }))} />
        <SelectField path={['flow', 'onReached', 'action']} label={t('flow.onReached')} options={actions} />
        <NumberField path={['flow', 'onReached', 'delaySeconds']} label={t('flow.noticeSeconds')} min={0} optional />
        <SelectField path={['flow', 'onNotReached', 'action']} label={t('flow.onMissed')} options={actions} />
        <SelectField path={['flow', 'afterLastLevel', 'action']} label={t('flow.afterTop')} options={actions} />
        <SwitchField path={['flow', 'requireAllAnswered']} label={t('flow.requireAll')} />
        <SwitchField path={['flow', 'tailoringLocked']} label={t('flow.lockTailoring')} />
      </Card>
      <Card size="small" title={t('flow.indicatorsPage')}>
        <I18nField path={['flow', 'indicators', 'title']} label={t('flow.title')} />
        <I18nField path={['flow', 'indicators', 'note']} label={t('flow.note')} optional multiline />
        <NumberField path={['flow', 'indicators', 'notApplicableValue']} label={t('flow.naValue')} />
        <FieldRow label={t('flow.naFormula')} path={['flow', 'indicators', 'notApplicableFormula']}>
          <Input aria-label={t('flow.naFormula')} disabled={readOnly} value={doc.flow.indicators.notApplicableFormula} onChange={(e) => edit(['flow', 'indicators', 'notApplicableFormula'], e.target.value)} />
        </FieldRow>
        <Table<IndicatorField>
          size="small"
          pagination={false}
          rowKey={(_, i) => String(i)}
          dataSource={fields}
          columns={[
            { title: t('common.id'), width: 150, render: (_, _f, i) => <IdInput path={[...fpath, i, 'id']} label={t('flow.indicatorId')} /> },
            { title: t('flow.indicatorZh'), render: (_, f, i) => <Input aria-label={t('flow.indicatorZh')} disabled={readOnly} value={f.label.zh} onChange={(e) => edit([...fpath, i, 'label', 'zh'], e.target.value)} /> },
            { title: t('flow.indicatorEn'), render: (_, f, i) => <Input aria-label={t('flow.indicatorEn')} disabled={readOnly} value={f.label.en ?? ''} onChange={(e) => edit([...fpath, i, 'label', 'en'], e.target.value || undefined)} /> },
            { title: t('common.unit'), width: 90, render: (_, f, i) => <Input aria-label={t('common.unit')} disabled={readOnly} value={f.unit?.zh ?? ''} onChange={(e) => edit([...fpath, i, 'unit'], e.target.value ? { ...(f.unit ?? {}), zh: e.target.value } : undefined)} /> },
            { title: t('flow.valueRequired'), width: 80, render: (_, f, i) => <Checkbox aria-label={t('flow.valueRequired')} disabled={readOnly} checked={f.valueRequired} onChange={(e) => edit([...fpath, i, 'valueRequired'], e.target.checked)} /> },
            { title: t('flow.formulaRequired'), width: 80, render: (_, f, i) => <Checkbox aria-label={t('flow.formulaRequired')} disabled={readOnly} checked={f.formulaRequired} onChange={(e) => edit([...fpath, i, 'formulaRequired'], e.target.checked)} /> },
            { title: '', width: 110, render: (_, _f, i) => <ListActions path={fpath} index={i} length={fields.length} /> },
          ]}
        />
        {!readOnly && (
          <Button size="small" style={{ marginTop: 8 }} onClick={() => edit([...fpath, fields.length], { id: freshId('indicator', fields.map((f) => f.id)), label: { zh: t('flow.defaultIndicator') }, valueRequired: true, formulaRequired: true })}>
            + {t('flow.addIndicator')}
          </Button>
        )}
        <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
          {t('flow.indicatorsNote')}
        </Typography.Paragraph>
      </Card>
    </Space>
  );
}
