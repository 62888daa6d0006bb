// One question: where it sits (sub-domain, level), its kind, text and explanation, its options with
// scores, the not-applicable choice, and the details of number questions.
import { useMemo } from 'react';
import { Button, Card, Input, InputNumber, Popconfirm, Select, Space, Switch, Table, Typography } from 'antd';
import { indexRuleset, type Option, type Question } from '../../../engine/index.ts';
import { useT, useText } from '../i18n.tsx';
import { useEditor } from '../editor/EditorContext.tsx';
import { FieldRow, I18nField, NumberField, SelectField, SwitchField, TextInput } from '../editor/fields.tsx';
import { addQuestion } from '../editor/modelEdits.ts';
import { moveIn } from '../docPath.ts';
import { freshId, IdInput, ListActions } from './common.tsx';

export function QuestionEditor({ index, onSelect }: { index: number; onSelect: (key: string) => void }) {
  const t = useT();
  const tx = useText();
  const { doc, edit, replace, readOnly } = useEditor();
  const q = doc.questions[index];
  const path = ['questions', index] as const;
  // Only the model and the levels feed these choices: not recomputed per keystroke in the text.
  const leafOptions = useMemo(() => {
    const model = indexRuleset(doc);
    return model.leaves.map((l) => ({ value: l.id, label: l.path.map((p) => tx(model.nodeById.get(p)!.node.name)).join(' / ') }));
  }, [doc.model, tx]);
  const levelOptions = useMemo(() => doc.levels.map((l) => ({ value: l.number, label: `${l.code} ${tx(l.name)}` })), [doc.levels, tx]);
  const scoredChoice = q.kind === 'single' || q.kind === 'multiple';

  /** The position of the previous (-1) or next (1) question of the same cell, or -1. */
  const neighbour = (step: -1 | 1) => {
    for (let i = index + step; i >= 0 && i < doc.questions.length; i += step) {
      const other = doc.questions[i];
      if (other.subDomain === q.subDomain && other.level === q.level) return i;
    }
    return -1;
  };

  // Moving a question to another cell keeps the level matrix in step.
  const moveTo = (patch: Partial<Question>) => {
    const moved = { ...q, ...patch };
    const without = { ...doc, questions: doc.questions.filter((_, i) => i !== index) };
    const withIt = addQuestion(without, moved);
    const questions = withIt.questions.slice(0, -1);
    questions.splice(index, 0, moved);
    replace({ ...withIt, questions });
  };

  return (
    <Card
      size="small"
      className="question-editor"
      title={
        <Space>
          <Typography.Text type="secondary">{t('question.heading')}</Typography.Text>
          {q.number}
        </Space>
      }
      extra={
        !readOnly && (
          <Space>
            <Button size="small" aria-label={t('question.moveUp')} disabled={neighbour(-1) < 0} onClick={() => replace(moveIn(doc, ['questions'], index, neighbour(-1)))}>
              ↑
            </Button>
            <Button size="small" aria-label={t('question.moveDown')} disabled={neighbour(1) < 0} onClick={() => replace(moveIn(doc, ['questions'], index, neighbour(1)))}>
              ↓
            </Button>
            <Button
              size="small"
              onClick={() => {
                const id = freshId(`${q.id}-copy`, doc.questions.map((x) => x.id));
                replace(addQuestion(doc, { ...q, id, number: `${q.number}′` }));
                onSelect(`q:${id}`);
              }}
            >
              {t('question.copy')}
            </Button>
            <Popconfirm title={t('question.deleteConfirm')} onConfirm={() => (edit(['questions', index], undefined), onSelect(`n:${q.subDomain}`))}>
              <Button size="small" danger>
                {t('common.delete')}
              </Button>
            </Popconfirm>
          </Space>
        )
      }
    >
      <FieldRow label={t('common.id')} path={[...path, 'id']}>
        <IdInput path={[...path, 'id']} label={t('question.questionId')} />
      </FieldRow>
      <FieldRow label={t('question.number')} path={[...path, 'number']}>
        <TextInput path={[...path, 'number']} label={t('question.questionNumber')} required />
      </FieldRow>
      <FieldRow label={t('question.placement')} path={[...path, 'subDomain']}>
        <Space wrap>
          <Select
            aria-label={t('question.subDomain')}
            style={{ minWidth: 220 }}
            disabled={readOnly}
            value={q.subDomain}
            showSearch
            optionFilterProp="label"
            options={leafOptions}
            onChange={(v) => moveTo({ subDomain: v })}
          />
          <Select aria-label={t('question.level')} style={{ minWidth: 140 }} disabled={readOnly} value={q.level} options={levelOptions} onChange={(v) => moveTo({ level: v })} />
        </Space>
      </FieldRow>
      <SelectField
        path={[...path, 'kind']}
        label={t('question.kind')}
        options={[
          { value: 'single', label: t('question.kind.single') },
          { value: 'multiple', label: t('question.kind.multiple') },
          { value: 'number', label: t('question.kind.number') },
          { value: 'text', label: t('question.kind.text') },
        ]}
      />
      <I18nField path={[...path, 'text']} label={t('question.text')} multiline />
      <I18nField path={[...path, 'explanation']} label={t('question.explanation')} optional multiline />
      {scoredChoice && <OptionsTable index={index} />}
      {q.kind === 'multiple' && (
        <SelectField path={[...path, 'aggregate']} label={t('question.multiScoring')} optional options={[{ value: 'sum', label: t('question.multiSum') }, { value: 'max', label: t('question.multiMax') }]} />
      )}
      {q.kind === 'number' && (
        <>
          <NumberField path={[...path, 'min']} label={t('question.minimum')} optional />
          <NumberField path={[...path, 'max']} label={t('question.maximum')} optional />
          <I18nField path={[...path, 'unit']} label={t('common.unit')} optional />
          <ScoreBands index={index} />
        </>
      )}
      <SwitchField path={[...path, 'notApplicable']} label={t('question.allowNA')} />
      <FieldRow label={t('question.scored')} path={[...path, 'scored']}>
        <Switch aria-label={t('question.scored')} disabled={readOnly || q.kind === 'text'} checked={q.kind !== 'text' && q.scored !== false} onChange={(v) => edit([...path, 'scored'], v ? undefined : false)} />
      </FieldRow>
      <NumberField path={[...path, 'weight']} label={t('question.weight')} optional min={0} step={0.1} help={t('question.weightHint')} />
      <SelectField path={[...path, 'industryTypes']} label={t('question.industryTypes')} mode="multiple" optional options={doc.industryTypes.map((it) => ({ value: it.id, label: tx(it.name) }))} help={t('question.industryTypesHint')} />
    </Card>
  );
}

function OptionsTable({ index }: { index: number }) {
  const t = useT();
  const { doc, edit, readOnly } = useEditor();
  const options = doc.questions[index].options ?? [];
  const path = ['questions', index, 'options'];
  const fromScale = (): Option[] => doc.scoring.scale.map((s, i) => ({ id: String.fromCharCode(65 + i), label: s.label, score: s.score }));
  return (
    <FieldRow label={t('question.options')} path={path}>
      <Table<Option>
        size="small"
        className="options-table"
        tableLayout="fixed"
        pagination={false}
        rowKey={(_, i) => String(i)}
        dataSource={options}
        columns={[
          { title: t('common.id'), width: 64, render: (_, _o, i) => <IdInput path={[...path, i, 'id']} label={t('question.optionId')} /> },
          { title: t('question.optionZh'), render: (_, o, i) => <Input aria-label={t('question.optionZh')} disabled={readOnly} value={o.label.zh} status={o.label.zh ? undefined : 'error'} onChange={(e) => edit([...path, i, 'label', 'zh'], e.target.value)} /> },
          { title: t('question.optionEn'), render: (_, o, i) => <Input aria-label={t('question.optionEn')} disabled={readOnly} value={o.label.en ?? ''} onChange={(e) => edit([...path, i, 'label', 'en'], e.target.value || undefined)} /> },
          {
            title: t('question.score'),
            width: 84,
            render: (_, o, i) => <InputNumber aria-label={t('question.optionScore')} disabled={readOnly} min={0} max={1} step={0.1} value={o.score} onChange={(v) => edit([...path, i, 'score'], typeof v === 'number' ? v : undefined)} />,
          },
          { title: '', width: 100, render: (_, _o, i) => <ListActions path={path} index={i} length={options.length} /> },
        ]}
      />
      {!readOnly && (
        <Space style={{ marginTop: 6 }}>
          <Button size="small" onClick={() => edit(path, [...options, { id: String.fromCharCode(65 + options.length), label: { zh: t('question.defaultOption') }, score: 0 }])}>
            + {t('question.addOption')}
          </Button>
          <Button size="small" onClick={() => edit(path, fromScale())}>
            {t('question.resetOptions')}
          </Button>
        </Space>
      )}
    </FieldRow>
  );
}

function ScoreBands({ index }: { index: number }) {
  const t = useT();
  const { doc, edit, readOnly } = useEditor();
  const bands = doc.questions[index].scoreBands ?? [];
  const path = ['questions', index, 'scoreBands'];
  return (
    <FieldRow label={t('question.bands')} path={path} help={t('question.bandsHint')}>
      {bands.map((b, i) => (
        <Space key={i} style={{ marginBottom: 4 }}>
          <InputNumber aria-label={t('question.bandMin')} disabled={readOnly} value={b.min} onChange={(v) => edit([...path, i, 'min'], v ?? 0)} />
          <InputNumber aria-label={t('question.bandMax')} disabled={readOnly} value={b.max} onChange={(v) => edit([...path, i, 'max'], typeof v === 'number' ? v : undefined)} />
          <InputNumber aria-label={t('question.score')} disabled={readOnly} min={0} max={1} step={0.1} value={b.score} onChange={(v) => edit([...path, i, 'score'], v ?? 0)} />
          <ListActions path={path} index={i} length={bands.length} />
        </Space>
      ))}
      {!readOnly && (
        <Button size="small" onClick={() => edit(path, [...bands, { min: bands.at(-1)?.max ?? 0, score: 1 }])}>
          + {t('question.addBand')}
        </Button>
      )}
    </FieldRow>
  );
}
