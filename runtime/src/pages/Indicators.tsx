// 成效类指标: for each indicator a value and the enterprise's own formula ("0" and "无" when it does not
// apply). The draft is saved with PUT; 提交 finishes the self-diagnosis.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Autosave, type AutosaveStatus } from '../../../ui/autosave.ts';
import { Alert, App, Button, Card, Col, Form, Input, InputNumber, Row, Space, Tooltip, Typography } from 'antd';
import { QuestionCircleOutlined, SaveOutlined, SendOutlined } from '@ant-design/icons';
import { api, ApiError, pointerParts, type Diagnosis, type IndicatorEntry, type Outline } from '../api.ts';
import { useI18n } from '../i18n.tsx';
import { Link } from '../../../ui/router.tsx';
import { formatScore, formatTime, xName } from '../util.tsx';

type Values = Record<string, { value?: number | null; formula?: string }>;

export function IndicatorsPage({ diagnosis, outline, onFinished }: { diagnosis: Diagnosis; outline: Outline; onFinished: (d: Diagnosis) => void }) {
  const { t, paren } = useI18n();
  const { modal } = App.useApp();
  const [form] = Form.useForm<Values>();
  const spec = outline.indicators;
  const [draft, setDraft] = useState<AutosaveStatus>({ status: 'saved' });
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const collect = useCallback((): Record<string, IndicatorEntry> => {
    const v = form.getFieldsValue(true) as Values;
    const out: Record<string, IndicatorEntry> = {};
    for (const f of spec.fields) {
      const e = v[f.id] ?? {};
      out[f.id] = { value: typeof e.value === 'number' ? e.value : null, formula: (e.formula ?? '').trim() };
    }
    return out;
  }, [form, spec.fields]);

  // Drafts save a moment after the last edit; submitting closes the autosave first, so no draft
  // can arrive after the diagnosis finished (a 409).
  const autosave = useMemo(
    () =>
      new Autosave<Record<string, IndicatorEntry>>({
        delayMs: 1500,
        save: async (values) => (await api.saveIndicators(diagnosis.id, values))?.savedAt,
        onStatus: setDraft,
      }),
    [diagnosis.id],
  );
  useEffect(() => {
    // Open while mounted (React's strict mode mounts twice in development).
    autosave.reopen();
    return () => void autosave.close({ save: false });
  }, [autosave]);

  const applyErrors = (e: ApiError) => {
    const byField = new Map<string, string[]>();
    const rest: string[] = [];
    for (const d of e.details.length ? e.details : [{ field: e.field ?? '', message: e.message }]) {
      const parts = pointerParts(d.field);
      const last = parts[parts.length - 1];
      const id = last === 'value' || last === 'formula' ? parts[parts.length - 2] : last;
      const sub = last === 'formula' ? 'formula' : 'value';
      if (id && spec.fields.some((f) => f.id === id)) byField.set(`${id}.${sub}`, [...(byField.get(`${id}.${sub}`) ?? []), d.message]);
      else rest.push(d.message);
    }
    form.setFields([...byField].map(([k, errors]) => ({ name: k.split('.') as [string, 'value' | 'formula'], errors })));
    setError(rest.length ? rest.join('；') : t('indicators.failed'));
  };

  const submit = async () => {
    try {
      await form.validateFields();
    } catch {
      setError(t('indicators.failed'));
      return;
    }
    setError(undefined);
    modal.confirm({
      title: t('indicators.confirmTitle'),
      content: t('indicators.confirm'),
      okText: t('indicators.submit'),
      cancelText: t('common.cancel'),
      onOk: async () => {
        setBusy(true);
        // No draft from now on, and none still on its way when the submit goes.
        await autosave.close({ save: false });
        try {
          const r = await api.submitIndicators(diagnosis.id, collect());
          onFinished(r.diagnosis);
        } catch (e) {
          autosave.reopen();
          if (e instanceof ApiError) applyErrors(e);
          else setError(String(e));
        } finally {
          setBusy(false);
        }
      },
    });
  };

  const last = diagnosis.levelResults[diagnosis.levelResults.length - 1];
  const lastLevel = last ? outline.levels.find((l) => l.number === last.level) : undefined;
  const initial: Values = Object.fromEntries(spec.fields.map((f) => [f.id, { value: diagnosis.indicators?.[f.id]?.value ?? undefined, formula: diagnosis.indicators?.[f.id]?.formula ?? '' }]));

  return (
    <div className="page page-narrow">
      <div className="breadcrumbs">
        <Link to="/">{t('nav.selfDiagnosis')}</Link> / {spec.title}
      </div>
      <Typography.Title level={1}>{spec.title || t('indicators.title')}</Typography.Title>
      {last && lastLevel && (
        <Alert
          type={last.reached ? 'success' : 'warning'}
          showIcon
          className="level-outcome"
          title={
            last.reached
              ? t('level.reachedLast', { name: lastLevel.name, x: xName(last.level), score: formatScore(last.score) })
              : t('level.notReached', { name: lastLevel.name, x: xName(last.level), score: formatScore(last.score), threshold: formatScore(last.threshold ?? lastLevel.threshold) })
          }
        />
      )}
      <Card title={<h2 className="card-title">{t('indicators.heading')}</h2>}>
        {spec.note && <Alert type="info" showIcon title={spec.note} className="indicators-note" />}
        {error && <Alert type="error" showIcon title={error} className="form-alert" role="alert" />}
        <Form<Values>
          form={form}
          layout="vertical"
          initialValues={initial}
          name="indicators"
          onValuesChange={() => {
            setError(undefined);
            autosave.change(collect());
          }}
          scrollToFirstError={{ block: 'center', focus: true }}
        >
          {spec.fields.map((f) => (
            <fieldset key={f.id} className="indicator-row">
              <Row gutter={16} align="top">
                <Col xs={24} md={9}>
                  <legend className="indicator-label">
                    {f.label}
                    {f.unit ? paren(f.unit) : ''}
                    {f.help && (
                      <Tooltip title={f.help} trigger={['hover', 'focus', 'click']}>
                        <Button type="text" size="small" icon={<QuestionCircleOutlined aria-hidden="true" />} aria-label={f.help} />
                      </Tooltip>
                    )}
                  </legend>
                </Col>
                <Col xs={24} sm={10} md={6}>
                  <Form.Item
                    name={[f.id, 'value']}
                    label={<span className="indicator-sub">{t('indicators.value')}</span>}
                    required={f.valueRequired}
                    rules={f.valueRequired ? [{ required: true, type: 'number', message: t('indicators.valueRequired', { na: spec.notApplicableValue }) }] : []}
                  >
                    <InputNumber className="full-width" aria-label={t('indicators.valueOf', { label: f.label })} suffix={f.unit || undefined} />
                  </Form.Item>
                </Col>
                <Col xs={24} sm={14} md={9}>
                  <Form.Item
                    name={[f.id, 'formula']}
                    label={<span className="indicator-sub">{t('indicators.formula')}</span>}
                    required={f.formulaRequired}
                    rules={f.formulaRequired ? [{ required: true, whitespace: true, message: t('indicators.formulaRequired', { na: spec.notApplicableFormula }) }] : []}
                  >
                    <Input aria-label={t('indicators.formulaOf', { label: f.label })} maxLength={1000} />
                  </Form.Item>
                </Col>
              </Row>
            </fieldset>
          ))}
        </Form>
        <div className="actions-bar indicators-actions">
          <span className="save-indicator" role="status" aria-live="polite">
            {draft.status === 'saving' ? (
              t('answer.saving')
            ) : draft.status === 'error' ? (
              <span className="save-error">{t('answer.saveError', { message: (draft.error as Error).message })}</span>
            ) : draft.status === 'saved' && draft.at ? (
              t('indicators.draftSaved', { time: formatTime(draft.at) })
            ) : null}
          </span>
          <Space wrap>
            <Button
              icon={<SaveOutlined aria-hidden="true" />}
              onClick={() => {
                autosave.change(collect());
                void autosave.flush();
              }}
            >
              {t('indicators.saveDraft')}
            </Button>
            <Button type="primary" size="large" icon={<SendOutlined aria-hidden="true" />} loading={busy} onClick={() => void submit()}>
              {t('indicators.submit')}
            </Button>
          </Space>
        </div>
      </Card>
    </div>
  );
}
