// The editor's toolbar: what is open and whether it is saved, undo and redo (also Ctrl+Z / Ctrl+Y),
// JSON and spreadsheet files, publishing.
import { useEffect, useState } from 'react';
import { Alert, App, Button, Form, Input, Modal, Space, Tag, Tooltip, Typography, Upload } from 'antd';
import { runRulesetTests, type Ruleset } from '../../../engine/index.ts';
import { api } from '../api.ts';
import { useT, useText } from '../i18n.tsx';
import { bump, downloadJson, editorPath, errorText } from '../pages/RulesetList.tsx';
import { navigate } from '../../../ui/router.tsx';
import { backupKey, readBackup, type Autosave } from './autosave.ts';
import { useEditor } from './EditorContext.tsx';

export function Toolbar({ save }: { save: Autosave }) {
  const t = useT();
  const tx = useText();
  const { message } = App.useApp();
  const ed = useEditor();
  const { doc, meta, readOnly } = ed;
  const [publishing, setPublishing] = useState(false);
  const [backup, setBackup] = useState<Ruleset>();

  useEffect(() => {
    const b = readBackup(doc.id, doc.version);
    if (b && JSON.stringify(b) !== JSON.stringify(doc) && meta.status === 'draft') setBackup(b);
    // Only when the ruleset opens: later backups are this session's own.
  }, []);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey)) return;
      const inJson = (e.target as HTMLElement | null)?.closest?.('.json-editor');
      if (inJson) return; // the JSON text area has its own undo
      if (e.key.toLowerCase() === 'z' && !e.shiftKey) (e.preventDefault(), ed.undo());
      else if (e.key.toLowerCase() === 'y' || (e.key.toLowerCase() === 'z' && e.shiftKey)) (e.preventDefault(), ed.redo());
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [ed.undo, ed.redo]);

  const stateText = {
    saved: <Tag color="green">{t('已保存', 'Saved')}</Tag>,
    pending: <Tag>{t('有未保存的修改', 'Unsaved changes')}</Tag>,
    saving: <Tag color="blue">{t('保存中…', 'Saving…')}</Tag>,
    readOnly: <Tag color="default">{t('只读', 'Read-only')}</Tag>,
    invalid: (
      <Tooltip title={t('文档不符合规则集格式，已暂存在此浏览器中；修正错误后自动保存到服务器。', 'The document does not fit the ruleset format; it is kept in this browser and saved to the server once the errors are fixed.')}>
        <Tag color="red">{t('未保存：文档有格式错误', 'Not saved: format errors')}</Tag>
      </Tooltip>
    ),
    error: <Tag color="red">{t('保存失败', 'Save failed')}</Tag>,
  }[save.state.state];

  const exportXlsx = async () => {
    try {
      if (!readOnly) await save.flush();
      location.href = api.questionSheetUrl(doc.id, doc.version);
    } catch {
      message.error(t('请先修正格式错误，草稿保存后才能导出', 'Fix the format errors first: the draft must be saved to export'));
    }
  };

  const importXlsx = async (file: File) => {
    try {
      const { questions } = await api.importQuestionSheet(file);
      ed.replace({ ...doc, questions });
      message.success(t(`已导入 ${questions.length} 道题目（可撤销）`, `Imported ${questions.length} questions (undo to take back)`));
    } catch (e) {
      message.error(errorText(e));
    }
  };

  return (
    <div className="editor-toolbar">
      <Space wrap align="center">
        <Button href="#/" size="small">
          ← {t('规则集', 'Rulesets')}
        </Button>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {tx(doc.title)}
        </Typography.Title>
        <Typography.Text type="secondary">
          {doc.id}@{doc.version}
        </Typography.Text>
        {meta.status === 'published' ? <Tag color="green">{t('已发布', 'Published')}</Tag> : <Tag color="orange">{t('草稿', 'Draft')}</Tag>}
        {meta.overlay && <Tag color="purple">{t(`变体，基于 ${meta.overlay.extends}`, `Variant of ${meta.overlay.extends}`)}</Tag>}
        <span role="status" aria-live="polite">
          {stateText}
        </span>
        {save.state.state === 'error' && <Typography.Text type="danger">{save.state.message}</Typography.Text>}
      </Space>
      <Space wrap>
        <Button size="small" onClick={ed.undo} disabled={!ed.canUndo || readOnly} title="Ctrl+Z">
          {t('撤销', 'Undo')}
        </Button>
        <Button size="small" onClick={ed.redo} disabled={!ed.canRedo || readOnly} title="Ctrl+Y">
          {t('重做', 'Redo')}
        </Button>
        <Button size="small" onClick={() => downloadJson(`${doc.id}-${doc.version}.json`, meta.overlay ?? doc)}>
          {t('导出 JSON', 'Export JSON')}
        </Button>
        <Button size="small" onClick={exportXlsx}>
          {t('导出题库 Excel', 'Export questions (Excel)')}
        </Button>
        {!readOnly && (
          <Upload accept=".xlsx" showUploadList={false} beforeUpload={(f) => (void importXlsx(f), false)}>
            <Button size="small">{t('导入题库 Excel', 'Import questions (Excel)')}</Button>
          </Upload>
        )}
        {!readOnly && (
          <Button size="small" type="primary" onClick={() => setPublishing(true)}>
            {t('发布', 'Publish')}
          </Button>
        )}
      </Space>
      {backup && (
        <Alert
          type="warning"
          showIcon
          className="backup-alert"
          message={t('此浏览器中保存有尚未保存到服务器的修改。', 'This browser holds changes that never reached the server.')}
          action={
            <Space>
              <Button size="small" onClick={() => (ed.replace(backup), setBackup(undefined))}>
                {t('恢复', 'Restore')}
              </Button>
              <Button size="small" onClick={() => (localStorage.removeItem(backupKey(doc.id, doc.version)), setBackup(undefined))}>
                {t('丢弃', 'Discard')}
              </Button>
            </Space>
          }
        />
      )}
      {publishing && <PublishDialog save={save} onClose={() => setPublishing(false)} />}
    </div>
  );
}

function PublishDialog({ save, onClose }: { save: Autosave; onClose: () => void }) {
  const t = useT();
  const { doc, findings, meta, goTo } = useEditor();
  const [form] = Form.useForm();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const errors = findings.filter((f) => f.severity === 'error');
  const failing = errors.length ? [] : runRulesetTests(doc).filter((r) => !r.passed);
  const blocked = errors.length > 0 || failing.length > 0;
  const submit = async (v: { version: string }) => {
    setBusy(true);
    setError(undefined);
    try {
      await save.flush();
      await api.publish(doc.id, doc.version, v.version);
      // Publishing under another number leaves no stale draft behind.
      if (v.version !== doc.version) await api.discard(doc.id, doc.version).catch(() => {});
      localStorage.removeItem(backupKey(doc.id, doc.version));
      onClose();
      navigate(editorPath(doc.id, v.version));
      location.reload();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open
      title={t('发布规则集', 'Publish the ruleset')}
      onCancel={onClose}
      okText={t('发布', 'Publish')}
      cancelText={t('取消', 'Cancel')}
      okButtonProps={{ disabled: blocked, loading: busy }}
      onOk={() => form.submit()}
    >
      <p>
        {t(
          '发布后该版本不能再修改；已开始的自诊断继续使用它们开始时的版本。',
          'Once published, this version never changes; diagnoses already begun stay on the version they began with.',
        )}
      </p>
      {errors.length > 0 && (
        <Alert
          type="error"
          showIcon
          message={t(`有 ${errors.length} 个错误，修正后才能发布`, `${errors.length} errors must be fixed before publishing`)}
          action={<Button size="small" onClick={() => (onClose(), goTo({ section: 'overview' }))}>{t('查看', 'Show')}</Button>}
        />
      )}
      {failing.length > 0 && (
        <Alert
          type="error"
          showIcon
          message={t(`有 ${failing.length} 个测试用例未通过`, `${failing.length} test cases fail`)}
          description={failing.map((f) => `${f.id}: ${f.failures.join('; ')}`).join('\n')}
          action={<Button size="small" onClick={() => (onClose(), goTo({ section: 'tests' }))}>{t('查看', 'Show')}</Button>}
        />
      )}
      <Form form={form} layout="vertical" initialValues={{ version: meta.overlay || !doc.version.startsWith('0.') ? doc.version : bump(doc.version) }} onFinish={submit} style={{ marginTop: 16 }}>
        <Form.Item
          name="version"
          label={t('发布的版本号', 'Version to publish as')}
          rules={[{ required: true }, { pattern: /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?$/, message: t('版本号格式为 主.次.修订，如 1.0.0', 'A version looks like 1.0.0') }]}
        >
          <Input aria-label={t('发布的版本号', 'Version to publish as')} />
        </Form.Item>
      </Form>
      {error && <Alert type="error" showIcon message={error} />}
    </Modal>
  );
}
