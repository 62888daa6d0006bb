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
    { value: 'nextLevel', label: t('进入下一等级', 'Go on to the next level') },
    { value: 'indicators', label: t('进入成效指标页', 'Go to the indicators page') },
    { value: 'finish', label: t('结束并出结果', 'Finish with the result') },
  ];
  const fields = doc.flow.indicators.fields;
  const fpath = ['flow', 'indicators', 'fields'];
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Card size="small" title={t('答题流程', 'Answering flow')}>
        <SelectField path={['flow', 'startLevel']} label={t('起始等级', 'Start level')} options={doc.levels.map((l) => ({ value: l.number, label: `${l.code}` }))} />
        <SelectField path={['flow', 'onReached', 'action']} label={t('达到某等级后', 'After reaching a level')} options={actions} />
        <NumberField path={['flow', 'onReached', 'delaySeconds']} label={t('提示停留（秒）', 'Notice shown for (s)')} min={0} optional />
        <SelectField path={['flow', 'onNotReached', 'action']} label={t('未达到某等级时', 'After missing a level')} options={actions} />
        <SelectField path={['flow', 'afterLastLevel', 'action']} label={t('最高等级之后', 'After the top level')} options={actions} />
        <SwitchField path={['flow', 'requireAllAnswered']} label={t('须答完全部题目才能提交', 'Every question must be answered to submit')} />
        <SwitchField path={['flow', 'tailoringLocked']} label={t('开始答题后不能再改裁剪', 'Tailoring is locked once answering starts')} />
      </Card>
      <Card size="small" title={t('成效指标页', 'Indicators page')}>
        <I18nField path={['flow', 'indicators', 'title']} label={t('标题', 'Title')} />
        <I18nField path={['flow', 'indicators', 'note']} label={t('填写说明', 'Note')} optional multiline />
        <NumberField path={['flow', 'indicators', 'notApplicableValue']} label={t('不涉及时填的数值', 'Value when not applicable')} />
        <FieldRow label={t('不涉及时填的公式', 'Formula when not applicable')} path={['flow', 'indicators', 'notApplicableFormula']}>
          <Input aria-label={t('不涉及时填的公式', 'Formula when not applicable')} disabled={readOnly} value={doc.flow.indicators.notApplicableFormula} onChange={(e) => edit(['flow', 'indicators', 'notApplicableFormula'], e.target.value)} />
        </FieldRow>
        <Table<IndicatorField>
          size="small"
          pagination={false}
          rowKey={(_, i) => String(i)}
          dataSource={fields}
          columns={[
            { title: t('标识', 'Id'), width: 150, render: (_, _f, i) => <IdInput path={[...fpath, i, 'id']} label={t('指标标识', 'Indicator id')} /> },
            { title: t('指标（中文）', 'Indicator (Chinese)'), render: (_, f, i) => <Input aria-label={t('指标（中文）', 'Indicator (Chinese)')} disabled={readOnly} value={f.label.zh} onChange={(e) => edit([...fpath, i, 'label', 'zh'], e.target.value)} /> },
            { title: t('指标（英文）', 'Indicator (English)'), render: (_, f, i) => <Input aria-label={t('指标（英文）', 'Indicator (English)')} disabled={readOnly} value={f.label.en ?? ''} onChange={(e) => edit([...fpath, i, 'label', 'en'], e.target.value || undefined)} /> },
            { title: t('单位', 'Unit'), width: 90, render: (_, f, i) => <Input aria-label={t('单位', 'Unit')} disabled={readOnly} value={f.unit?.zh ?? ''} onChange={(e) => edit([...fpath, i, 'unit'], e.target.value ? { ...(f.unit ?? {}), zh: e.target.value } : undefined)} /> },
            { title: t('数值必填', 'Value required'), width: 80, render: (_, f, i) => <Checkbox aria-label={t('数值必填', 'Value required')} disabled={readOnly} checked={f.valueRequired} onChange={(e) => edit([...fpath, i, 'valueRequired'], e.target.checked)} /> },
            { title: t('公式必填', 'Formula required'), width: 80, render: (_, f, i) => <Checkbox aria-label={t('公式必填', 'Formula required')} disabled={readOnly} checked={f.formulaRequired} onChange={(e) => edit([...fpath, i, 'formulaRequired'], e.target.checked)} /> },
            { title: '', width: 110, render: (_, _f, i) => <ListActions path={fpath} index={i} length={fields.length} /> },
          ]}
        />
        {!readOnly && (
          <Button size="small" style={{ marginTop: 8 }} onClick={() => edit([...fpath, fields.length], { id: freshId('indicator', fields.map((f) => f.id)), label: { zh: t('新指标', 'New indicator') }, valueRequired: true, formulaRequired: true })}>
            + {t('添加指标', 'Add indicator')}
          </Button>
        )}
        <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
          {t('指标仅作信息收集，不影响等级与得分。', 'Indicators are collected for information; they do not change the level or the score.')}
        </Typography.Paragraph>
      </Card>
    </Space>
  );
}
