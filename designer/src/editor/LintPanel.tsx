// Lint findings and schema problems as the author works; each one takes the author to its place.
import { useMemo, useRef, useState } from 'react';
import { Empty, List, Segmented, Tag, Typography } from 'antd';
import { useLocale, useT } from '../i18n.tsx';
import { useEditor } from './EditorContext.tsx';
import { locate } from './locate.ts';

const SEVERITY_COLOR = { error: 'red', warning: 'gold', info: 'blue' } as const;

export function LintPanel() {
  const t = useT();
  const { locale } = useLocale();
  const { findings, doc, goTo, schemaValid } = useEditor();
  const [filter, setFilter] = useState<'all' | 'error' | 'warning' | 'info'>('all');
  // The list changes only when the findings do; the document is read when a finding is clicked.
  const latest = useRef(doc);
  latest.current = doc;
  const errors = findings.filter((f) => f.severity === 'error').length;
  const warnings = findings.filter((f) => f.severity === 'warning').length;
  const infos = findings.length - errors - warnings;
  const list = useMemo(() => {
    const shown = findings.filter((f) => filter === 'all' || f.severity === filter);
    if (!shown.length) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('lint.empty')} />;
    return (
      <List
        size="small"
        className="lint-list"
        dataSource={shown.slice(0, 300)}
        renderItem={(f) => (
          <List.Item className={`lint-item lint-${f.severity}`}>
            <button type="button" className="lint-jump" onClick={() => goTo(locate(latest.current, f.pointer))}>
              <Tag color={SEVERITY_COLOR[f.severity]}>{t(`lint.${f.severity}`)}</Tag>
              <span className="lint-message">{locale === 'en' ? f.message.en : f.message.zh}</span>
              <Typography.Text type="secondary" className="lint-pointer">
                {f.pointer || '/'}
              </Typography.Text>
            </button>
          </List.Item>
        )}
      />
    );
  }, [findings, filter, locale, goTo, t]);
  return (
    <div className="lint-panel" aria-label={t('lint.findings')}>
      <Typography.Title level={5}>
        {t('lint.heading')}{' '}
        <Tag color={errors ? 'red' : 'green'}>{errors ? t('lint.errorCount', { n: errors }) : t('lint.noErrors')}</Tag>
        <Tag>{t('lint.warningCount', { n: warnings })}</Tag>
        {infos > 0 && <Tag color="blue">{t('lint.infoCount', { n: infos })}</Tag>}
      </Typography.Title>
      {!schemaValid && <Typography.Paragraph type="danger">{t('lint.schemaFirst')}</Typography.Paragraph>}
      <Segmented
        size="small"
        value={filter}
        onChange={(v) => setFilter(v as typeof filter)}
        options={[
          { value: 'all', label: t('lint.filter.all') },
          { value: 'error', label: t('lint.filter.errors') },
          { value: 'warning', label: t('lint.filter.warnings') },
          { value: 'info', label: t('lint.filter.infos') },
        ]}
      />
      {list}
    </div>
  );
}
