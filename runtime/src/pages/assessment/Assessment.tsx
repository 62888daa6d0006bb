// 正式评估 (GB/T 39117, seed 003 step 1). An enterprise applies to an accredited assessment body
// for a level on the application form its ruleset declares, and follows its applications; a body's
// staff list their body's applications, and its managers accept them (with the contract date) or
// decline them (with a reason). The server decides who sees what and whether an application may go.
import { lazy, Suspense, useState } from 'react';
import { Alert, App, Button, Card, DatePicker, Descriptions, Empty, Form, Input, Modal, Select, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { ApiError } from '../../api.ts';
import { useI18n, type MessageKey, type Translate } from '../../i18n.tsx';
import { formatDateTime, LoadError, Loading, useAsync } from '../../util.tsx';
import { assessmentApi, type Application, type ApplicationStatus } from './assessmentApi.ts';
import { PreAssessmentModal, TeamModal } from './PreAssessment.tsx';
import { useSession } from '../../session.tsx';
import { Link } from '../../../../ui/router.tsx';

// @rjsf is only needed here: loaded with the page.
const ApplicationFormFields = lazy(() => import('./ApplicationFormFields.tsx').then((m) => ({ default: m.ApplicationFormFields })));

const STATUS_COLORS: Record<ApplicationStatus, string> = { submitted: 'gold', accepted: 'green', declined: 'red', withdrawn: 'default' };
const statusTag = (t: Translate, s: ApplicationStatus) => <Tag color={STATUS_COLORS[s]}>{t(`assessment.status.${s}` as MessageKey)}</Tag>;

/** A value of the form as text: people by name and certificate number. */
function shown(v: unknown): string {
  if (Array.isArray(v)) return v.map((p: { name?: string; certificateNo?: string }) => `${p.name ?? ''}（${p.certificateNo ?? ''}）`).join('、') || '—';
  return v === undefined || v === null || v === '' ? '—' : String(v);
}

/** An error as the page shows it: the server's message, and each rule's or field's below it. */
function ErrorAlert({ error }: { error: ApiError }) {
  const lines = error.details.filter((d) => d.message && d.message !== error.message);
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      message={error.message}
      description={lines.length ? <ul className="plain-list">{lines.map((d) => <li key={d.field + d.message}>{d.message}</li>)}</ul> : undefined}
    />
  );
}

export function EnterpriseAssessmentPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const bodies = useAsync(() => assessmentApi.bodies(), []);
  const form = useAsync(() => assessmentApi.form(), []);
  const mine = useAsync(() => assessmentApi.applications({ pageSize: 50 }), []);
  const [body, setBody] = useState<string>();
  const [level, setLevel] = useState<number>();
  const [values, setValues] = useState<Record<string, unknown>>({});
  const [error, setError] = useState<ApiError>();
  const [sending, setSending] = useState(false);

  const apply = async () => {
    setError(undefined);
    if (!body || !level) {
      setError(new ApiError(400, 'invalid', t('assessment.chooseBodyAndLevel')));
      return;
    }
    setSending(true);
    try {
      await assessmentApi.apply({ body, targetLevel: level, values: values as never });
      message.success(t('assessment.applied'));
      setValues({});
      mine.reload();
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(0, 'client', String(e)));
    } finally {
      setSending(false);
    }
  };

  const withdraw = async (a: Application) => {
    try {
      await assessmentApi.withdraw(a.id);
      mine.reload();
    } catch (e) {
      if (e instanceof ApiError) message.error(e.message);
    }
  };

  const columns: TableColumnsType<Application> = [
    { title: t('assessment.body'), render: (_, a) => a.body.name },
    { title: t('assessment.targetLevel'), width: 130, render: (_, a) => a.targetLevelName },
    { title: t('assessment.statusLabel'), width: 100, render: (_, a) => statusTag(t, a.status) },
    { title: t('assessment.appliedAt'), width: 150, render: (_, a) => formatDateTime(a.createdAt) },
    {
      title: t('assessment.outcome'),
      render: (_, a) => (a.contractDate ? t('assessment.contractOn', { date: a.contractDate }) : (a.declineReason ?? '—')),
    },
    {
      title: t('admin.actions'),
      width: 90,
      render: (_, a) =>
        a.status === 'submitted' ? (
          <Button type="link" size="small" onClick={() => void withdraw(a)}>
            {t('assessment.withdraw')}
          </Button>
        ) : null,
    },
  ];

  const open = mine.data?.items.some((a) => a.status === 'submitted' || a.status === 'accepted');
  return (
    <div className="page page-wide">
      <div className="page-heading">
        <Typography.Title level={1}>{t('assessment.title')}</Typography.Title>
      </div>
      <Typography.Paragraph type="secondary">{t('assessment.intro')}</Typography.Paragraph>
      <Card title={t('assessment.apply')} className="assessment-apply">
        {form.error ? (
          form.error.code === 'no_assessment_scheme' ? <Alert type="info" showIcon message={form.error.message} /> : <LoadError error={form.error} onRetry={form.reload} />
        ) : !form.data || !bodies.data ? (
          <Loading />
        ) : open ? (
          <Alert type="info" showIcon message={t('assessment.oneOpen')} />
        ) : (
          <Form layout="vertical" onFinish={() => void apply()}>
            <Space wrap size="large" align="start">
              <Form.Item label={t('assessment.body')} required>
                <Select
                  aria-label={t('assessment.body')}
                  style={{ minWidth: 260, maxWidth: '100%' }}
                  value={body}
                  onChange={setBody}
                  placeholder={t('assessment.chooseBody')}
                  notFoundContent={<Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('assessment.noBodies')} />}
                  options={bodies.data.map((b) => ({ value: b.id, label: b.name }))}
                />
              </Form.Item>
              <Form.Item label={t('assessment.targetLevel')} required>
                <Select
                  aria-label={t('assessment.targetLevel')}
                  style={{ width: 140 }}
                  value={level}
                  onChange={setLevel}
                  placeholder={t('assessment.chooseLevel')}
                  options={form.data.targetLevels.map((l) => ({ value: l.level, label: l.name }))}
                />
              </Form.Item>
            </Space>
            <Typography.Title level={2} className="assessment-form-title">
              {form.data.title}
            </Typography.Title>
            <Suspense fallback={<Loading />}>
              <ApplicationFormFields schema={form.data.schema} uiSchema={form.data.uiSchema} values={values} onChange={setValues} />
            </Suspense>
            {error && <ErrorAlert error={error} />}
            <Button type="primary" htmlType="submit" loading={sending} style={{ marginTop: 16 }}>
              {t('assessment.submit')}
            </Button>
          </Form>
        )}
      </Card>
      <Card title={t('assessment.mine')} style={{ marginTop: 16 }}>
        {mine.error ? <LoadError error={mine.error} onRetry={mine.reload} /> : <Table className="my-applications" rowKey="id" size="small" loading={mine.loading} columns={columns} dataSource={mine.data?.items ?? []} pagination={false} scroll={{ x: 700 }} />}
      </Card>
    </div>
  );
}

/** A body's applications: its staff read them, its managers accept or decline the submitted ones. */
export function BodyApplicationsPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [status, setStatus] = useState<ApplicationStatus | undefined>('submitted');
  const list = useAsync(() => assessmentApi.applications({ status, pageSize: 100 }), [status]);
  // The fields' titles and their options' names, from the form of each ruleset the listed applications followed.
  const rulesets = [...new Set((list.data?.items ?? []).map((a) => `${a.ruleset.id}@${a.ruleset.version}`))].sort();
  const forms = useAsync(async () => {
    const out: Record<string, Record<string, { title: string; options: Record<string, string> }>> = {};
    for (const key of rulesets) {
      const at = key.lastIndexOf('@');
      const form = await assessmentApi.formOf({ id: key.slice(0, at), version: key.slice(at + 1) }).catch(() => undefined);
      const properties = (form?.schema.properties ?? {}) as Record<string, { title?: string; oneOf?: { const: string; title?: string }[] }>;
      out[key] = Object.fromEntries(
        Object.entries(properties).map(([id, p]) => [id, { title: p.title ?? id, options: Object.fromEntries((p.oneOf ?? []).map((o) => [o.const, o.title ?? o.const])) }]),
      );
    }
    return out;
  }, [rulesets.join(',')]);
  const fieldOf = (a: Application, id: string) => forms.data?.[`${a.ruleset.id}@${a.ruleset.version}`]?.[id];
  const [accepting, setAccepting] = useState<Application>();
  const [declining, setDeclining] = useState<Application>();
  const [teaming, setTeaming] = useState<Application>();
  const [preAssessing, setPreAssessing] = useState<Application>();
  const { session } = useSession();
  const me = session?.user.id;
  const [contractDate, setContractDate] = useState<Dayjs | null>(dayjs());
  const [reason, setReason] = useState('');
  const [error, setError] = useState<ApiError>();

  const act = async (work: () => Promise<unknown>) => {
    setError(undefined);
    try {
      await work();
      setAccepting(undefined);
      setDeclining(undefined);
      setReason('');
      message.success(t('assessment.done'));
      list.reload();
    } catch (e) {
      if (e instanceof ApiError) setError(e);
    }
  };

  const columns: TableColumnsType<Application> = [
    { title: t('admin.enterprise'), render: (_, a) => <div>{a.enterprise.name}<div className="audit-row-meta mono">{a.enterprise.creditCode}</div></div> },
    { title: t('assessment.targetLevel'), width: 130, render: (_, a) => a.targetLevelName },
    { title: t('assessment.statusLabel'), width: 100, render: (_, a) => statusTag(t, a.status) },
    { title: t('assessment.appliedAt'), width: 150, render: (_, a) => formatDateTime(a.createdAt) },
    {
      title: t('admin.actions'),
      width: 180,
      render: (_, a) =>
        a.status === 'submitted' ? (
          <Space size={0}>
            <Button type="link" size="small" onClick={() => (setError(undefined), setAccepting(a))}>
              {t('assessment.accept')}
            </Button>
            <Button type="link" size="small" danger onClick={() => (setError(undefined), setDeclining(a))}>
              {t('assessment.decline')}
            </Button>
          </Space>
        ) : a.status === 'accepted' ? (
          <Space size={0} wrap>
            <Button type="link" size="small" onClick={() => setTeaming(a)}>
              {a.preAssessment?.team ? t('assessment.teamOf', { n: a.preAssessment.team.members.length }) : t('assessment.setTeam')}
            </Button>
            {a.preAssessment?.team?.chief.id === me && (
              <Button type="link" size="small" onClick={() => setPreAssessing(a)}>
                {a.preAssessment?.confirmedAt ? t('assessment.preDone') : t('assessment.preAssess')}
              </Button>
            )}
            {a.preAssessment?.ready && a.preAssessment.team?.members.some((m) => m.id === me) && (
              <Link to={`/assessment/applications/${a.id}`} className="ant-btn ant-btn-link ant-btn-sm">
                {t('assessment.formal')}
              </Link>
            )}
          </Space>
        ) : null,
    },
  ];

  return (
    <div className="page page-wide admin-page">
      <div className="page-heading">
        <Typography.Title level={1}>{t('assessment.bodyTitle')}</Typography.Title>
      </div>
      <Typography.Paragraph type="secondary">{t('assessment.bodyIntro')}</Typography.Paragraph>
      <Card>
        <div className="admin-filters">
          <Select<ApplicationStatus | 'all'>
            aria-label={t('assessment.statusLabel')}
            style={{ width: 140 }}
            value={status ?? 'all'}
            onChange={(v) => setStatus(v === 'all' ? undefined : v)}
            options={[{ value: 'all', label: t('assessment.allStatuses') }, ...(['submitted', 'accepted', 'declined', 'withdrawn'] as const).map((s) => ({ value: s, label: t(`assessment.status.${s}` as MessageKey) }))]}
          />
        </div>
        {list.error ? (
          <LoadError error={list.error} onRetry={list.reload} />
        ) : (
          <Table
            className="body-applications"
            rowKey="id"
            size="small"
            loading={list.loading}
            columns={columns}
            dataSource={list.data?.items ?? []}
            pagination={false}
            scroll={{ x: 640 }}
            expandable={{
              expandedRowRender: (a) => (
                <Descriptions size="small" column={1} bordered>
                  {Object.entries(a.values).map(([k, v]) => (
                    <Descriptions.Item key={k} label={fieldOf(a, k)?.title ?? k}>
                      {typeof v === 'string' ? (fieldOf(a, k)?.options[v] ?? v) : shown(v)}
                    </Descriptions.Item>
                  ))}
                  {a.declineReason && <Descriptions.Item label={t('assessment.declineReason')}>{a.declineReason}</Descriptions.Item>}
                  {a.contractDate && <Descriptions.Item label={t('assessment.contractDate')}>{a.contractDate}</Descriptions.Item>}
                  {a.preAssessment?.team && (
                    <Descriptions.Item label={t('assessment.teamMembers')}>
                      {a.preAssessment.team.members.map((m) => (m.id === a.preAssessment!.team!.chief.id ? `${m.username}（${t('assessment.chief')}）` : m.username)).join('、')}
                    </Descriptions.Item>
                  )}
                  {a.preAssessment?.confirmedAt && (
                    <Descriptions.Item label={t('assessment.readiness')}>
                      {a.preAssessment.ready ? t('assessment.ready') : t('assessment.notReady')}
                      {a.preAssessment.readinessNote ? `：${a.preAssessment.readinessNote}` : ''}
                    </Descriptions.Item>
                  )}
                </Descriptions>
              ),
            }}
          />
        )}
      </Card>
      {teaming && <TeamModal application={teaming} onClose={() => setTeaming(undefined)} onSaved={() => (setTeaming(undefined), message.success(t('assessment.done')), list.reload())} />}
      {preAssessing && <PreAssessmentModal application={preAssessing} onClose={() => setPreAssessing(undefined)} onSaved={() => (setPreAssessing(undefined), message.success(t('assessment.done')), list.reload())} />}
      <Modal
        open={!!accepting}
        title={t('assessment.acceptTitle', { name: accepting?.enterprise.name ?? '' })}
        okText={t('assessment.accept')}
        onOk={() => accepting && contractDate && void act(() => assessmentApi.accept(accepting.id, contractDate.format('YYYY-MM-DD')))}
        onCancel={() => setAccepting(undefined)}
        destroyOnHidden
      >
        <Form layout="vertical">
          <Form.Item label={t('assessment.contractDate')} required>
            <DatePicker aria-label={t('assessment.contractDate')} value={contractDate} onChange={setContractDate} style={{ width: '100%' }} />
          </Form.Item>
        </Form>
        {error && <ErrorAlert error={error} />}
      </Modal>
      <Modal
        open={!!declining}
        title={t('assessment.declineTitle', { name: declining?.enterprise.name ?? '' })}
        okText={t('assessment.decline')}
        okButtonProps={{ danger: true }}
        onOk={() => declining && void act(() => assessmentApi.decline(declining.id, reason))}
        onCancel={() => setDeclining(undefined)}
        destroyOnHidden
      >
        <Form layout="vertical">
          <Form.Item label={t('assessment.declineReason')} required>
            <Input.TextArea aria-label={t('assessment.declineReason')} rows={3} maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} />
          </Form.Item>
        </Form>
        {error && <ErrorAlert error={error} />}
      </Modal>
    </div>
  );
}
