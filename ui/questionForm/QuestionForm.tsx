// The questions of one navigation node, rendered by @rjsf/antd from the engine's form (schema and
// uiSchema): the runtime's answering page and the designer's preview both show it.
// Custom templates keep the layout compact: each question is a labelled radio group with its ⓘ explanation
// in a popover; rjsf's own submit button is not rendered (the page has 上一步 / 下一步 / 保存 / 提交).
import { memo, useMemo } from 'react';
import Form from '@rjsf/antd';
import type { FieldTemplateProps, ObjectFieldTemplateProps, RegistryWidgetsType, RJSFSchema, UiSchema, WidgetProps } from '@rjsf/utils';
import { Button, Popover, Radio, Tag } from 'antd';
import { CheckCircleFilled, InfoCircleOutlined } from '@ant-design/icons';
import type { AnswerValue, GeneratedForm as FormResponse } from '../../engine/index.ts';
import { formatMessage, type Locale } from '../i18n.ts';
import { questionDomId } from './questionIds.ts';
import { formValidator } from './formValidator.ts';
import './QuestionForm.css';

export const NOT_APPLICABLE = 'N/A';

/** The question id of a field (its property name), from rjsf's field path. */
const questionIdOf = (path: FieldTemplateProps['fieldPathId']['path'] | undefined) => String(path?.[path.length - 1] ?? '');
/** The id of a question's title, from rjsf's field id (the same in the field template and in the widget). */
const titleDomId = (fieldId: string) => `${fieldId}__title`;

interface FormContext {
  levelName: string;
  answered: Set<string>;
  locale: Locale;
}

/** The form's own words, in either UI. */
const MESSAGES = {
  notApplicable: { zh: '企业不涉及此题目', en: 'Not applicable to this enterprise' },
  explanation: { zh: '题目解释', en: 'Explanation' },
  explanationOf: { zh: '题目 {number} 的解释', en: 'Explanation of question {number}' },
};
const say = (locale: Locale, key: keyof typeof MESSAGES, vars?: Record<string, string>) => formatMessage(locale, MESSAGES[key][locale], vars);

/** "规划级 | 1.1.1 text" → the level, the number and the text, to style them apart. */
function splitTitle(title: string, number: string | undefined) {
  const bar = title.indexOf(' | ');
  if (bar < 0) return { level: undefined, number: undefined, text: title };
  const level = title.slice(0, bar);
  let rest = title.slice(bar + 3);
  let num: string | undefined;
  if (number && rest.startsWith(`${number} `)) {
    num = number;
    rest = rest.slice(number.length + 1);
  }
  return { level, number: num, text: rest };
}

function Explanation({ number, text, locale }: { number?: string; text: string; locale: Locale }) {
  return (
    <Popover content={<div className="explanation">{text}</div>} title={say(locale, 'explanation')} trigger={['hover', 'focus', 'click']} placement="bottomLeft">
      <Button type="text" size="small" className="explain-button" icon={<InfoCircleOutlined aria-hidden="true" />} aria-label={number ? say(locale, 'explanationOf', { number }) : say(locale, 'explanation')} />
    </Popover>
  );
}

function FieldTemplate(props: FieldTemplateProps<Record<string, unknown>, RJSFSchema, FormContext>) {
  const { children, fieldPathId, label, rawHelp, rawErrors, schema, uiSchema, hidden, registry } = props;
  if (hidden) return <div className="rjsf-field-hidden">{children}</div>;
  // The root object: only its properties.
  if (schema.type === 'object') return children;
  const qid = questionIdOf(fieldPathId?.path);
  const options = (uiSchema?.['ui:options'] ?? {}) as { number?: string };
  const parts = splitTitle(label, options.number);
  const answered = registry.formContext?.answered?.has(qid);
  const isGroup = schema.type === 'array' || (schema.type === 'string' && Array.isArray(schema.oneOf));
  const TitleTag = isGroup ? 'div' : 'label';
  return (
    <div className={answered ? 'question question-answered' : 'question'} id={questionDomId(qid)} tabIndex={-1}>
      <div className="question-head">
        <TitleTag className="question-title" id={titleDomId(fieldPathId.$id)} {...(isGroup ? {} : { htmlFor: fieldPathId.$id })}>
          {parts.level && <span className="q-level">{parts.level}</span>}
          {parts.level && <span className="q-sep"> | </span>}
          {parts.number && <span className="q-number">{parts.number} </span>}
          <span className="q-text">{parts.text}</span>
        </TitleTag>
        {rawHelp && <Explanation number={parts.number} text={rawHelp} locale={registry.formContext?.locale ?? 'zh'} />}
        {answered && <CheckCircleFilled className="q-done" aria-hidden="true" />}
      </div>
      {schema.type === 'array' ? (
        <div role="group" aria-labelledby={titleDomId(fieldPathId.$id)}>
          {children}
        </div>
      ) : (
        children
      )}
      {rawErrors && rawErrors.length > 0 && (
        <div className="question-error" role="alert">
          {rawErrors.join('；')}
        </div>
      )}
    </div>
  );
}

function ObjectFieldTemplate(props: ObjectFieldTemplateProps) {
  return <div className="question-list">{props.properties.filter((p) => !p.hidden).map((p) => <div key={p.name}>{p.content}</div>)}</div>;
}

/** Options A–D as a vertical radio group labelled by the question's title; arrow keys move between options. */
function RadioWidget(props: WidgetProps) {
  const { id, options, value, disabled, readonly, onChange, onBlur, onFocus, htmlName } = props;
  const locale: Locale = (props.registry.formContext as FormContext | undefined)?.locale ?? 'zh';
  const enumOptions = options.enumOptions ?? [];
  return (
    <Radio.Group
      id={id}
      name={htmlName || id}
      vertical
      className="question-options"
      aria-labelledby={titleDomId(id)}
      disabled={disabled || readonly}
      value={value === undefined || value === null ? undefined : String(value)}
      onChange={(e) => onChange(enumOptions.find((o) => String(o.value) === e.target.value)?.value ?? e.target.value)}
      onBlur={() => onBlur(id, value)}
      onFocus={() => onFocus(id, value)}
    >
      {enumOptions.map((o, i) => (
        <Radio key={String(o.value)} value={String(o.value)} id={`${id}-${i}`} className={o.value === NOT_APPLICABLE ? 'option-na' : undefined}>
          {o.value === NOT_APPLICABLE ? <Tag className="na-tag">{say(locale, 'notApplicable')}</Tag> : o.label}
        </Radio>
      ))}
    </Radio.Group>
  );
}

const widgets: RegistryWidgetsType = { RadioWidget };
const templates = { FieldTemplate, ObjectFieldTemplate };

export const QuestionForm = memo(function QuestionForm({
  form,
  values,
  onChange,
  levelName,
  locale,
}: {
  form: FormResponse;
  values: Record<string, AnswerValue>;
  onChange: (changes: Record<string, AnswerValue | null>) => void;
  levelName: string;
  locale: Locale;
}) {
  const formData = useMemo(() => {
    const data: Record<string, AnswerValue> = {};
    for (const id of form.questionIds) if (values[id] !== undefined) data[id] = values[id];
    return data;
  }, [form, values]);
  const answered = useMemo(() => new Set(Object.keys(formData)), [formData]);
  const formContext = useMemo<FormContext>(() => ({ levelName, answered, locale }), [levelName, answered, locale]);
  return (
    <Form
      schema={form.schema as RJSFSchema}
      uiSchema={form.uiSchema as UiSchema}
      formData={formData}
      validator={formValidator}
      templates={templates}
      widgets={widgets}
      formContext={formContext}
      // The options are `oneOf` consts: without this rjsf would preselect option A of every question.
      experimental_defaultFormStateBehavior={{ constAsDefaults: 'never', emptyObjectFields: 'skipDefaults' }}
      noHtml5Validate
      showErrorList={false}
      onSubmit={() => undefined}
      onChange={(e) => {
        const next = (e.formData ?? {}) as Record<string, AnswerValue | undefined>;
        const changes: Record<string, AnswerValue | null> = {};
        for (const id of form.questionIds) {
          const before = formData[id];
          const after = next[id];
          if (JSON.stringify(before) !== JSON.stringify(after)) changes[id] = after === undefined || after === '' ? null : after;
        }
        if (Object.keys(changes).length) onChange(changes);
      }}
    />
  );
});
