// The report template and its sections, previewed live with the current draft and the preview's
// answers (or the first test case's when the preview has none).
import { useEffect, useRef, useState } from 'react';
import { Alert, Button, Card, Checkbox, Select, Space, Spin, Typography } from 'antd';
import { testAnswers } from '../../../engine/index.ts';
import { api } from '../api.ts';
import { useLocale, useT } from '../i18n.tsx';
import { useEditor } from '../editor/EditorContext.tsx';
import { FieldRow } from '../editor/fields.tsx';
import { useReveal } from '../editor/useReveal.ts';
import { useWhatIf } from '../editor/whatIf.ts';
import { errorText } from '../pages/RulesetList.tsx';

export function ReportSection() {
  const t = useT();
  const { locale } = useLocale();
  const { doc, edit, readOnly, schemaValid } = useEditor();
  const w = useWhatIf();
  useReveal();
  const [templates, setTemplates] = useState<{ id: string; name: string; sections?: string[] }[]>([]);
  const [html, setHtml] = useState<string>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => void api.reportTemplates().then(setTemplates, (e) => setError(errorText(e))), []);

  const answerSource = (): { industryType: string; excluded: string[]; answers: Record<string, unknown>; from: string } => {
    if (Object.keys(w.answers).length) return { industryType: w.industryType || doc.industryTypes[0].id, excluded: w.excluded, answers: w.answers, from: t('report.source.preview') };
    const test = doc.tests?.[0];
    if (test) return { industryType: test.industryType, excluded: test.excluded ?? [], answers: testAnswers(doc, test), from: t('report.source.test', { id: test.id }) };
    return { industryType: doc.industryTypes[0].id, excluded: [], answers: {}, from: t('report.source.blank') };
  };
  const source = answerSource();

  const refresh = async () => {
    if (!schemaValid) return;
    setBusy(true);
    try {
      const { from: _from, ...body } = source;
      setHtml(await api.reportPreview({ document: doc, ...body, locale }));
      setError(undefined);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  useEffect(() => {
    clearTimeout(timer.current);
    timer.current = setTimeout(() => void refresh(), 800);
    return () => clearTimeout(timer.current);
  }, [doc, w, locale]);

  const template = templates.find((x) => x.id === doc.report.template);
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Card size="small" title={t('report.heading')}>
        <FieldRow label={t('report.template')} path={['report', 'template']}>
          <Select
            aria-label={t('report.templateSelect')}
            style={{ minWidth: 240 }}
            disabled={readOnly}
            value={doc.report.template}
            options={templates.map((x) => ({ value: x.id, label: `${x.name} (${x.id})` }))}
            onChange={(v) => edit(['report', 'template'], v)}
          />
        </FieldRow>
        {template?.sections && (
          <FieldRow label={t('report.sections')} path={['report', 'sections']}>
            <Checkbox.Group
              disabled={readOnly}
              value={doc.report.sections}
              onChange={(v) => edit(['report', 'sections'], template.sections!.filter((s) => (v as string[]).includes(s)))}
              options={template.sections.map((s) => ({ value: s, label: s }))}
            />
          </FieldRow>
        )}
        <Typography.Text type="secondary">{t('report.sourceNote', { source: source.from })}</Typography.Text>{' '}
        <Button size="small" onClick={refresh} loading={busy}>
          {t('report.refresh')}
        </Button>
      </Card>
      {error && <Alert type="error" showIcon message={error} />}
      {!schemaValid && <Alert type="warning" showIcon message={t('report.invalid')} />}
      <Card size="small" className="report-preview" bodyStyle={{ padding: 0 }}>
        {html ? <iframe title={t('report.frame')} srcDoc={html} sandbox="" className="report-frame" /> : <Spin style={{ margin: 32 }} />}
      </Card>
    </Space>
  );
}
