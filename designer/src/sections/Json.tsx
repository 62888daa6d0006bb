// The whole ruleset as JSON, validated against the schema as the author types; applied to the
// editor (one undo step) only when it is a valid ruleset with the same id and version.
import { useEffect, useMemo, useState } from 'react';
import { Alert, Button, Card, Input, List, Space, Typography } from 'antd';
import { parseJson, validateRuleset, type Problem, type Ruleset } from '../../../engine/index.ts';
import { bilingual, useLocale, useT } from '../i18n.tsx';
import { useEditor } from '../editor/EditorContext.tsx';

export function JsonSection() {
  const t = useT();
  const { locale } = useLocale();
  const { doc, replace, readOnly } = useEditor();
  const pretty = useMemo(() => JSON.stringify(doc, null, 2), [doc]);
  const [text, setText] = useState(pretty);
  const [dirty, setDirty] = useState(false);
  useEffect(() => {
    if (!dirty) setText(pretty);
  }, [pretty]);
  const problems = useMemo((): Problem[] => {
    if (!dirty) return [];
    const parsed = parseJson(text);
    if (!parsed.ok) return parsed.problems;
    const v = validateRuleset(parsed.value);
    if (!v.ok) return v.problems;
    const r = parsed.value as Ruleset;
    if (r.id !== doc.id || r.version !== doc.version)
      return [{ code: 'identity', pointer: '/id', message: bilingual('json.identity', { id: doc.id, version: doc.version }) }];
    return [];
  }, [text, dirty]);
  return (
    <Card
      size="small"
      title="JSON"
      extra={
        !readOnly && (
          <Space>
            <Button size="small" disabled={!dirty} onClick={() => (setText(pretty), setDirty(false))}>
              {t('json.discard')}
            </Button>
            <Button size="small" type="primary" disabled={!dirty || problems.length > 0} onClick={() => (replace(JSON.parse(text)), setDirty(false))}>
              {t('json.apply')}
            </Button>
          </Space>
        )
      }
    >
      {dirty && problems.length === 0 && <Alert type="success" showIcon message={t('json.valid')} style={{ marginBottom: 8 }} />}
      {problems.length > 0 && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 8 }}
          message={t('json.problems', { n: problems.length })}
          description={
            <List size="small" dataSource={problems.slice(0, 20)} renderItem={(p) => <List.Item><Typography.Text code>{p.pointer || '/'}</Typography.Text> {locale === 'en' ? p.message.en : p.message.zh}</List.Item>} />
          }
        />
      )}
      <Input.TextArea
        className="json-editor"
        aria-label={t('json.editor')}
        value={text}
        readOnly={readOnly}
        spellCheck={false}
        autoSize={{ minRows: 20, maxRows: 40 }}
        onChange={(e) => (setText(e.target.value), setDirty(true))}
      />
    </Card>
  );
}
