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
          <Typography.Text type="secondary">{t('题目', 'Question')}</Typography.Text>
          {q.number}
        </Space>
      }
      extra={
        !readOnly && (
          <Space>
            <Button size="small" aria-label={t('在本格中上移', 'Move up in its cell')} disabled={neighbour(-1) < 0} onClick={() => replace(moveIn(doc, ['questions'], index, neighbour(-1)))}>
              ↑
            </Button>
            <Button size="small" aria-label={t('在本格中下移', 'Move down in its cell')} disabled={neighbour(1) < 0} onClick={() => replace(moveIn(doc, ['questions'], index, neighbour(1)))}>
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
              {t('复制', 'Copy')}
            </Button>
            <Popconfirm title={t('删除这道题？（可撤销）', 'Delete this question? (undo brings it back)')} onConfirm={() => (edit(['questions', index], undefined), onSelect(`n:${q.subDomain}`))}>
              <Button size="small" danger>
                {t('删除', 'Delete')}
              </Button>
            </Popconfirm>
          </Space>
        )
      }
    >
      <FieldRow label={t('标识', 'Id')} path={[...path, 'id']}>
        <IdInput path={[...path, 'id']} label={t('题目标识', 'Question id')} />
      </FieldRow>
      <FieldRow label={t('编号', 'Number')} path={[...path, 'number']}>
        <TextInput path={[...path, 'number']} label={t('题目编号', 'Question number')} required />
      </FieldRow>
      <FieldRow label={t('所属子域 · 等级', 'Sub-domain · level')} path={[...path, 'subDomain']}>
        <Space wrap>
          <Select
            aria-label={t('所属子域', 'Sub-domain')}
            style={{ minWidth: 220 }}
            disabled={readOnly}
            value={q.subDomain}
            showSearch
            optionFilterProp="label"
            options={leafOptions}
            onChange={(v) => moveTo({ subDomain: v })}
          />
          <Select aria-label={t('等级', 'Level')} style={{ minWidth: 140 }} disabled={readOnly} value={q.level} options={levelOptions} onChange={(v) => moveTo({ level: v })} />
        </Space>
      </FieldRow>
      <SelectField
        path={[...path, 'kind']}
        label={t('题型', 'Kind')}
        options={[
          { value: 'single', label: t('单选', 'Single choice') },
          { value: 'multiple', label: t('多选', 'Multiple choice') },
          { value: 'number', label: t('数值', 'Number') },
          { value: 'text', label: t('文字（不计分）', 'Text (not scored)') },
        ]}
      />
      <I18nField path={[...path, 'text']} label={t('题目', 'Question text')} multiline />
      <I18nField path={[...path, 'explanation']} label={t('解释说明', 'Explanation')} optional multiline />
      {scoredChoice && <OptionsTable index={index} />}
      {q.kind === 'multiple' && (
        <SelectField path={[...path, 'aggregate']} label={t('多选计分', 'Multiple-choice scoring')} optional options={[{ value: 'sum', label: t('求和（最多 1）', 'Sum (at most 1)') }, { value: 'max', label: t('取最高', 'Highest') }]} />
      )}
      {q.kind === 'number' && (
        <>
          <NumberField path={[...path, 'min']} label={t('最小值', 'Minimum')} optional />
          <NumberField path={[...path, 'max']} label={t('最大值', 'Maximum')} optional />
          <I18nField path={[...path, 'unit']} label={t('单位', 'Unit')} optional />
          <ScoreBands index={index} />
        </>
      )}
      <SwitchField path={[...path, 'notApplicable']} label={t('可选“企业不涉及此题目”', 'Offer "not applicable"')} />
      <FieldRow label={t('计分', 'Scored')} path={[...path, 'scored']}>
        <Switch aria-label={t('计分', 'Scored')} disabled={readOnly || q.kind === 'text'} checked={q.kind !== 'text' && q.scored !== false} onChange={(v) => edit([...path, 'scored'], v ? undefined : false)} />
      </FieldRow>
      <NumberField path={[...path, 'weight']} label={t('子域内权重', 'Weight in its sub-domain')} optional min={0} step={0.1} help={t('留空则与同格题目等权', 'Empty: equal to the other questions of its cell')} />
      <SelectField path={[...path, 'industryTypes']} label={t('适用行业类型', 'Industry types')} mode="multiple" optional options={doc.industryTypes.map((it) => ({ value: it.id, label: tx(it.name) }))} help={t('留空则适用于全部行业类型', 'Empty: all industry types')} />
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
    <FieldRow label={t('选项', 'Options')} path={path}>
      <Table<Option>
        size="small"
        className="options-table"
        tableLayout="fixed"
        pagination={false}
        rowKey={(_, i) => String(i)}
        dataSource={options}
        columns={[
          { title: t('标识', 'Id'), width: 64, render: (_, _o, i) => <IdInput path={[...path, i, 'id']} label={t('选项标识', 'Option id')} /> },
          { title: t('选项（中文）', 'Option (Chinese)'), render: (_, o, i) => <Input aria-label={t('选项（中文）', 'Option (Chinese)')} disabled={readOnly} value={o.label.zh} status={o.label.zh ? undefined : 'error'} onChange={(e) => edit([...path, i, 'label', 'zh'], e.target.value)} /> },
          { title: t('选项（英文）', 'Option (English)'), render: (_, o, i) => <Input aria-label={t('选项（英文）', 'Option (English)')} disabled={readOnly} value={o.label.en ?? ''} onChange={(e) => edit([...path, i, 'label', 'en'], e.target.value || undefined)} /> },
          {
            title: t('得分', 'Score'),
            width: 84,
            render: (_, o, i) => <InputNumber aria-label={t('选项得分', 'Option score')} disabled={readOnly} min={0} max={1} step={0.1} value={o.score} onChange={(v) => edit([...path, i, 'score'], typeof v === 'number' ? v : undefined)} />,
          },
          { title: '', width: 100, render: (_, _o, i) => <ListActions path={path} index={i} length={options.length} /> },
        ]}
      />
      {!readOnly && (
        <Space style={{ marginTop: 6 }}>
          <Button size="small" onClick={() => edit(path, [...options, { id: String.fromCharCode(65 + options.length), label: { zh: t('新选项', 'New option') }, score: 0 }])}>
            + {t('添加选项', 'Add option')}
          </Button>
          <Button size="small" onClick={() => edit(path, fromScale())}>
            {t('按评分标尺重置选项', 'Reset options from the scale')}
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
    <FieldRow label={t('数值分段计分', 'Score bands')} path={path} help={t('数值落在 [下限, 上限) 时得该分', 'A value in [min, max) scores the band\'s score')}>
      {bands.map((b, i) => (
        <Space key={i} style={{ marginBottom: 4 }}>
          <InputNumber aria-label={t('下限', 'Min')} disabled={readOnly} value={b.min} onChange={(v) => edit([...path, i, 'min'], v ?? 0)} />
          <InputNumber aria-label={t('上限', 'Max')} disabled={readOnly} value={b.max} onChange={(v) => edit([...path, i, 'max'], typeof v === 'number' ? v : undefined)} />
          <InputNumber aria-label={t('得分', 'Score')} disabled={readOnly} min={0} max={1} step={0.1} value={b.score} onChange={(v) => edit([...path, i, 'score'], v ?? 0)} />
          <ListActions path={path} index={i} length={bands.length} />
        </Space>
      ))}
      {!readOnly && (
        <Button size="small" onClick={() => edit(path, [...bands, { min: bands.at(-1)?.max ?? 0, score: 1 }])}>
          + {t('添加分段', 'Add band')}
        </Button>
      )}
    </FieldRow>
  );
}
