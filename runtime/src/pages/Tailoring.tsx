// 能力域裁剪: the enterprise ticks the domains it does not answer. Which domains are mandatory or
// excludable comes from the outline (the ruleset and its tailoring rules), never from code.
import { useState } from 'react';
import { Alert, App, Button, Card, Checkbox, Table, Tag, Tooltip, Typography } from 'antd';
import { LockOutlined } from '@ant-design/icons';
import { api, type Diagnosis, type Outline } from '../api.ts';
import { useI18n } from '../i18n.tsx';
import { Link } from '../../../ui/router.tsx';

type Choice = Outline['tailoring'][number];
/** A choice with the listed parts below it (a domain and its sub-domains), as the table nests them. */
type Row = Choice & { children?: Row[] };

function nest(choices: Choice[]): Row[] {
  const rows = new Map<string, Row>(choices.map((c) => [c.id, { ...c }]));
  const top: Row[] = [];
  for (const c of choices) {
    const row = rows.get(c.id)!;
    const parent = c.parent ? rows.get(c.parent) : undefined;
    if (parent) (parent.children ??= []).push(row);
    else top.push(row);
  }
  return top;
}

export function TailoringPage({ diagnosis, outline, onStarted }: { diagnosis: Diagnosis; outline: Outline; onStarted: (d: Diagnosis) => void }) {
  const { t, list, colon, paren } = useI18n();
  const { modal } = App.useApp();
  const [excluded, setExcluded] = useState<string[]>(diagnosis.excluded ?? []);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const layer = outline.tailoringLayer;
  // The note names the top-level parts; the parts nested below them show in the table.
  const top = outline.tailoring.filter((c) => !c.parent);
  const mandatory = top.filter((c) => c.mandatory || !c.excludable);
  const optional = top.filter((c) => c.excludable);
  const rows = nest(outline.tailoring);
  const parentOf = new Map(outline.tailoring.map((c) => [c.id, c.parent]));
  /** Left out by a part above it that is ticked. */
  const coveredBy = (id: string) => {
    for (let p = parentOf.get(id); p; p = parentOf.get(p)) if (excluded.includes(p)) return p;
    return undefined;
  };
  const below = (id: string): string[] => outline.tailoring.filter((c) => c.parent === id).flatMap((c) => [c.id, ...below(c.id)]);
  // Ticking a part drops the ticks below it: they would say the same thing twice.
  const toggle = (id: string, on: boolean) =>
    setExcluded((x) => {
      const rest = x.filter((y) => y !== id && !(on && below(id).includes(y)));
      return on ? [...rest, id] : rest;
    });

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
        <Table<Row>
          rowKey="id"
          size="middle"
          pagination={false}
          dataSource={rows}
          expandable={{ defaultExpandAllRows: true, indentSize: 24 }}
          rowClassName={(c) => (c.excludable ? '' : 'row-mandatory')}
          columns={[
            {
              title: t('tailoring.colExclude'),
              key: 'exclude',
              width: 120,
              align: 'center',
              render: (_, c) =>
                c.excludable ? (
                  coveredBy(c.id) ? (
                    <Tooltip title={t('tailoring.coveredBy', { name: outline.tailoring.find((x) => x.id === coveredBy(c.id))?.name ?? '' })}>
                      <Checkbox checked disabled aria-label={t('tailoring.excludeLabel', { name: c.name })} />
                    </Tooltip>
                  ) : (
                    <Checkbox checked={excluded.includes(c.id)} onChange={(e) => toggle(c.id, e.target.checked)} aria-label={t('tailoring.excludeLabel', { name: c.name })} />
                  )
                ) : (
                  <Tooltip title={c.reason ?? t('tailoring.mandatory')}>
                    <Checkbox checked={false} disabled aria-label={`${c.name}${colon}${c.reason ?? t('tailoring.mandatory')}`} />
                  </Tooltip>
                ),
            },
            {
              title: t('tailoring.colName', { layer }),
              dataIndex: 'name',
              render: (name: string, c) => (
                <span className={c.parent ? 'tailoring-child' : undefined}>{c.excludable ? name : <span className="mandatory-name"><LockOutlined aria-hidden="true" /> {name}</span>}</span>
              ),
            },
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
