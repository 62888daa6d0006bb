// 能力域裁剪: the enterprise ticks the domains it does not answer. Which domains are mandatory or
// excludable comes from the outline (the ruleset and its tailoring rules), never from code.
import { useState } from 'react';
import { Alert, App, Button, Card, Checkbox, Table, Tag, Tooltip, Typography } from 'antd';
import { LockOutlined } from '@ant-design/icons';
import { api, type Diagnosis, type Outline } from '../api.ts';
import { useI18n } from '../i18n.tsx';
import { Link } from '../../../ui/router.tsx';

type Choice = Outline['tailoring'][number];

export function TailoringPage({ diagnosis, outline, onStarted }: { diagnosis: Diagnosis; outline: Outline; onStarted: (d: Diagnosis) => void }) {
  const { t, list, colon, paren } = useI18n();
  const { modal } = App.useApp();
  const [excluded, setExcluded] = useState<string[]>(diagnosis.excluded ?? []);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const layer = outline.tailoringLayer;
  const mandatory = outline.tailoring.filter((c) => c.mandatory || !c.excludable);
  const optional = outline.tailoring.filter((c) => c.excludable);
  const toggle = (id: string, on: boolean) => setExcluded((x) => (on ? [...x.filter((y) => y !== id), id] : x.filter((y) => y !== id)));

  const start = () => {
    const names = outline.tailoring.filter((c) => excluded.includes(c.id)).map((c) => c.name);
    modal.confirm({
      title: t('tailoring.confirmTitle'),
      content: (
        <>
          <p>{names.length ? t('tailoring.confirmSome', { names: list(names), layer }) : t('tailoring.confirmNone', { layer })}</p>
          <p>
            <strong>{t('tailoring.confirmLocked')}</strong>
          </p>
        </>
      ),
      okText: t('tailoring.start'),
      cancelText: t('common.cancel'),
      onOk: async () => {
        setBusy(true);
        setError(undefined);
        try {
          onStarted(await api.tailor(diagnosis.id, excluded));
        } catch (e) {
          setError((e as Error).message);
        } finally {
          setBusy(false);
        }
      },
    });
  };

  return (
    <div className="page page-narrow">
      <div className="breadcrumbs">
        <Link to="/">{t('nav.selfDiagnosis')}</Link> / {t('tailoring.title', { layer })}
      </div>
      <Typography.Title level={1}>{t('tailoring.title', { layer })}</Typography.Title>
      <Typography.Paragraph type="secondary">
        {t('tailoring.model')}
        {colon}
        {diagnosis.ruleset.title}
        {paren(`${diagnosis.ruleset.id}@${diagnosis.ruleset.version}`)}
      </Typography.Paragraph>
      <Card>
        <Typography.Paragraph>{t('tailoring.intro', { layer })}</Typography.Paragraph>
        <Typography.Paragraph strong>{t('tailoring.instruction', { layer })}</Typography.Paragraph>
        <Typography.Paragraph className="tailoring-note">
          {optional.length
            ? t('tailoring.note', { mandatory: list(mandatory.map((c) => c.name)), optional: list(optional.map((c) => c.name)) })
            : t('tailoring.noteNoOptional', { mandatory: list(mandatory.map((c) => c.name)) })}
        </Typography.Paragraph>
        <Alert type="warning" showIcon title={t('tailoring.locked', { layer })} className="tailoring-warning" />
        {error && <Alert type="error" showIcon title={error} className="form-alert" role="alert" />}
        <Table<Choice>
          rowKey="id"
          size="middle"
          pagination={false}
          dataSource={outline.tailoring}
          rowClassName={(c) => (c.excludable ? '' : 'row-mandatory')}
          columns={[
            {
              title: t('tailoring.colExclude'),
              key: 'exclude',
              width: 120,
              align: 'center',
              render: (_, c) =>
                c.excludable ? (
                  <Checkbox checked={excluded.includes(c.id)} onChange={(e) => toggle(c.id, e.target.checked)} aria-label={t('tailoring.excludeLabel', { name: c.name })} />
                ) : (
                  <Tooltip title={c.reason ?? t('tailoring.mandatory')}>
                    <Checkbox checked={false} disabled aria-label={`${c.name}${colon}${c.reason ?? t('tailoring.mandatory')}`} />
                  </Tooltip>
                ),
            },
            { title: t('tailoring.colName', { layer }), dataIndex: 'name', render: (name: string, c) => (c.excludable ? name : <span className="mandatory-name"><LockOutlined aria-hidden="true" /> {name}</span>) },
            {
              title: t('tailoring.colKind'),
              key: 'kind',
              render: (_, c) =>
                c.mandatory ? (
                  <Tag color="blue">{t('tailoring.mandatory')}</Tag>
                ) : c.excludable ? (
                  <Tag color="default">{t('tailoring.optional')}</Tag>
                ) : (
                  <Tooltip title={c.reason}>
                    <Tag color="orange">{t('tailoring.notExcludable')}</Tag>
                  </Tooltip>
                ),
            },
          ]}
        />
        <div className="actions-bar">
          <Button type="primary" size="large" onClick={start} loading={busy}>
            {t('tailoring.start')}
          </Button>
        </div>
      </Card>
    </div>
  );
}
