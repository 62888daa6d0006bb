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
    saved: <Tag color="green">{t('toolbar.saved')}</Tag>,
    pending: <Tag>{t('toolbar.pending')}</Tag>,
    saving: <Tag color="blue">{t('toolbar.saving')}</Tag>,
    readOnly: <Tag color="default">{t('toolbar.readOnly')}</Tag>,
    invalid: (
      <Tooltip title={t('toolbar.invalidHint')}>
        <Tag color="red">{t('toolbar.invalid')}</Tag>
      </Tooltip>
    ),
    error: <Tag color="red">{t('toolbar.error')}</Tag>,
    conflict: <Tag color="red">{t('toolbar.conflict')}</Tag>,
  }[save.state.state];

  const exportXlsx = async () => {
    try {
      if (!readOnly) await save.flush();
      location.href = api.questionSheetUrl(doc.id, doc.version);
    } catch {
      message.error(t('toolbar.exportInvalid'));
    }
  };

  const importXlsx = async (file: File) => {
    try {
      const { questions, weightSets, defaultWeightSet } = await api.importQuestionSheet(file);
      // A workbook without the weight sheets leaves the weights as they are.
      const scoring = weightSets ? { ...doc.scoring, weightSets, defaultWeightSet: defaultWeightSet ?? doc.scoring.defaultWeightSet } : doc.scoring;
      ed.replace({ ...doc, questions, scoring });
      message.success(weightSets ? t('toolbar.importedWithWeights', { n: questions.length, sets: weightSets.length }) : t('toolbar.imported', { n: questions.length }));
    } catch (e) {
      message.error(errorText(e));
    }
  };

  return (
    <div className="editor-toolbar">
      <Space wrap align="center">
        <Button href="#/" size="small">
          ← {t('toolbar.back')}
        </Button>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {tx(doc.title)}
        </Typography.Title>
        <Typography.Text type="secondary">
          {doc.id}@{doc.version}
        </Typography.Text>
        {meta.status === 'published' ? <Tag color="green">{t('common.published')}</Tag> : <Tag color="orange">{t('common.draft')}</Tag>}
        {meta.overlay && <Tag color="purple">{t('toolbar.variantOf', { base: meta.overlay.extends })}</Tag>}
        <span role="status" aria-live="polite">
          {stateText}
        </span>
        {save.state.state === 'error' && <Typography.Text type="danger">{save.state.message}</Typography.Text>}
      </Space>
      {save.state.state === 'conflict' && <ConflictBanner save={save} message={save.state.message} />}
      <Space wrap>
        <Button size="small" onClick={ed.undo} disabled={!ed.canUndo || readOnly} title="Ctrl+Z">
          {t('toolbar.undo')}
        </Button>
        <Button size="small" onClick={ed.redo} disabled={!ed.canRedo || readOnly} title="Ctrl+Y">
          {t('toolbar.redo')}
        </Button>
        <Button size="small" onClick={() => downloadJson(`${doc.id}-${doc.version}.json`, meta.overlay ?? doc)}>
          {t('common.exportJson')}
        </Button>
        <Button size="small" onClick={exportXlsx}>
          {t('toolbar.exportSheet')}
        </Button>
        {!readOnly && (
          <Upload accept=".xlsx" showUploadList={false} beforeUpload={(f) => (void importXlsx(f), false)}>
            <Button size="small">{t('toolbar.importSheet')}</Button>
          </Upload>
        )}
        {!readOnly && (
          <Button size="small" type="primary" onClick={() => setPublishing(true)}>
            {t('toolbar.publish')}
          </Button>
        )}
      </Space>
      {backup && (
        <Alert
          type="warning"
          showIcon
          className="backup-alert"
          message={t('toolbar.backupFound')}
          action={
            <Space>
              <Button size="small" onClick={() => (ed.replace(backup), setBackup(undefined))}>
                {t('toolbar.restore')}
              </Button>
              <Button size="small" onClick={() => (localStorage.removeItem(backupKey(doc.id, doc.version)), setBackup(undefined))}>
                {t('toolbar.discard')}
              </Button>
            </Space>
          }
        />
      )}
      {publishing && <PublishDialog save={save} onClose={() => setPublishing(false)} />}
    </div>
  );
}

/** Someone else saved this draft: the author chooses, nothing is overwritten silently. */
function ConflictBanner({ save, message: text }: { save: Autosave; message: string }) {
  const t = useT();
  const { modal, message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const overwrite = () =>
    modal.confirm({
      title: t('toolbar.conflictOverwriteTitle'),
      content: t('toolbar.conflictOverwriteNote'),
      okText: t('toolbar.conflictOverwrite'),
      okButtonProps: { danger: true },
      cancelText: t('common.cancel'),
      onOk: async () => {
        setBusy(true);
        try {
          await save.overwrite();
        } catch (e) {
          message.error(errorText(e));
        } finally {
          setBusy(false);
        }
      },
    });
  return (
    <Alert
      className="conflict-banner"
      type="error"
      showIcon
      role="alert"
      message={t('toolbar.conflictTitle')}
      description={text}
      action={
        <Space direction="vertical">
          <Button size="small" type="primary" onClick={save.reload} disabled={busy}>
            {t('toolbar.conflictReload')}
          </Button>
          <Button size="small" danger onClick={overwrite} loading={busy}>
            {t('toolbar.conflictOverwrite')}
          </Button>
        </Space>
      }
    />
  );
}

function PublishDialog({ save, onClose }: { save: Autosave; onClose: () => void }) {
  const t = useT();
  const { doc, findings, meta, goTo, revision } = useEditor();
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
      await api.publish(doc.id, doc.version, revision.current, v.version);
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
      title={t('toolbar.publishTitle')}
      onCancel={onClose}
      okText={t('toolbar.publish')}
      cancelText={t('common.cancel')}
      okButtonProps={{ disabled: blocked, loading: busy }}
      onOk={() => form.submit()}
    >
      <p>{t('toolbar.publishNote')}</p>
      {errors.length > 0 && (
        <Alert
          type="error"
          showIcon
          message={t('toolbar.publishErrors', { n: errors.length })}
          action={<Button size="small" onClick={() => (onClose(), goTo({ section: 'overview' }))}>{t('toolbar.show')}</Button>}
        />
      )}
      {failing.length > 0 && (
        <Alert
          type="error"
          showIcon
          message={t('toolbar.publishFailing', { n: failing.length })}
          description={failing.map((f) => `${f.id}: ${f.failures.join('; ')}`).join('\n')}
          action={<Button size="small" onClick={() => (onClose(), goTo({ section: 'tests' }))}>{t('toolbar.show')}</Button>}
        />
      )}
      <Form form={form} layout="vertical" initialValues={{ version: meta.overlay || !doc.version.startsWith('0.') ? doc.version : bump(doc.version) }} onFinish={submit} style={{ marginTop: 16 }}>
        <Form.Item
          name="version"
          label={t('toolbar.publishVersion')}
          rules={[{ required: true }, { pattern: /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?$/, message: t('common.versionPattern') }]}
        >
          <Input aria-label={t('toolbar.publishVersion')} />
        </Form.Item>
      </Form>
      {error && <Alert type="error" showIcon message={error} />}
    </Modal>
  );
}
