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
    if (Object.keys(w.answers).length) return { industryType: w.industryType || doc.industryTypes[0].id, excluded: w.excluded, answers: w.answers, from: t('预览中的答案', 'the preview\'s answers') };
    const test = doc.tests?.[0];
    if (test) return { industryType: test.industryType, excluded: test.excluded ?? [], answers: testAnswers(doc, test), from: t(`测试用例 ${test.id}`, `test case ${test.id}`) };
    return { industryType: doc.industryTypes[0].id, excluded: [], answers: {}, from: t('空白答案', 'no answers') };
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
      <Card size="small" title={t('报告', 'Report')}>
        <FieldRow label={t('模板', 'Template')} path={['report', 'template']}>
          <Select
            aria-label={t('报告模板', 'Report template')}
            style={{ minWidth: 240 }}
            disabled={readOnly}
            value={doc.report.template}
            options={templates.map((x) => ({ value: x.id, label: `${x.name} (${x.id})` }))}
            onChange={(v) => edit(['report', 'template'], v)}
          />
        </FieldRow>
        {template?.sections && (
          <FieldRow label={t('章节', 'Sections')} path={['report', 'sections']}>
            <Checkbox.Group
              disabled={readOnly}
              value={doc.report.sections}
              onChange={(v) => edit(['report', 'sections'], template.sections!.filter((s) => (v as string[]).includes(s)))}
              options={template.sections.map((s) => ({ value: s, label: s }))}
            />
          </FieldRow>
        )}
        <Typography.Text type="secondary">{t(`预览使用${source.from}，示例企业为虚构。`, `The preview uses ${source.from}, for a fictitious sample enterprise.`)}</Typography.Text>{' '}
        <Button size="small" onClick={refresh} loading={busy}>
          {t('刷新预览', 'Refresh the preview')}
        </Button>
      </Card>
      {error && <Alert type="error" showIcon message={error} />}
      {!schemaValid && <Alert type="warning" showIcon message={t('文档有格式错误，修正后才能预览报告', 'Fix the format errors to preview the report')} />}
      <Card size="small" className="report-preview" bodyStyle={{ padding: 0 }}>
        {html ? <iframe title={t('报告预览', 'Report preview')} srcDoc={html} sandbox="" className="report-frame" /> : <Spin style={{ margin: 32 }} />}
      </Card>
    </Space>
  );
}
