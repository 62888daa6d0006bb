// 企业自诊断: 新建自诊断 (after the eligibility check), 继续自诊断, and the results of past self-diagnoses.
import { useState } from 'react';
import { Alert, App, Button, Card, Descriptions, Empty, Grid, List, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { FileTextOutlined, PlayCircleOutlined, PlusOutlined, TrophyOutlined } from '@ant-design/icons';
import { api, ApiError, type DiagnosisSummary } from '../api.ts';
import { useI18n } from '../i18n.tsx';
import { isAdministrator, useSession } from '../session.tsx';
import { DashboardPage } from './Dashboard.tsx';
import { BodyApplicationsPage } from './assessment/Assessment.tsx';
import { navigate } from '../../../ui/router.tsx';
import { LoadError, useAsync } from '../util.tsx';
import { PdfDownload } from '../components/PdfDownload.tsx';

/** Administrators land on their region's dashboard; an assessment body's staff on its applications; enterprises on their self-diagnoses. */
export function HomePage() {
  const { session } = useSession();
  if (session?.user.role === 'assessor') return <BodyApplicationsPage />;
  return isAdministrator(session) ? <DashboardPage /> : <EnterpriseHome />;
}

function EnterpriseHome() {
  const { t } = useI18n();
  const { session } = useSession();
  const { modal, message } = App.useApp();
  const list = useAsync(() => api.diagnoses(), []);
  // The sub-platform of the enterprise's province (or city, park): its name and notice lead the page.
  const home = useAsync(() => api.home(), []);
  // The attempts left and the reminders that hold, read again whenever the list changes.
  const status = useAsync(() => api.eligibility(), [list.data]);
  const [creating, setCreating] = useState(false);
  const narrow = !Grid.useBreakpoint().md;

  const items = list.data?.items ?? [];
  const inProgress = items.find((d) => d.status === 'inProgress');

  const create = async (acknowledgeWarnings: boolean) => {
    try {
      const d = await api.createDiagnosis(acknowledgeWarnings);
      navigate(`/diagnosis/${d.id}`);
    } catch (e) {
      const err = e as ApiError;
      modal.error({ title: t('home.refusedTitle'), content: err.message, okText: t('common.ok') });
    }
  };

  const startNew = async () => {
    setCreating(true);
    try {
      const eligibility = await api.eligibility();
      if (!eligibility.allowed || eligibility.refusals.length) {
        const when = eligibility.nextAllowed ? [t('home.nextAllowed', { when: eligibility.nextAllowed.dateTime })] : [];
        modal.error({
          title: t('home.refusedTitle'),
          content: <Messages items={[...eligibility.refusals.map((r) => r.message), ...when]} />,
          okText: t('common.ok'),
        });
        return;
      }
      const extra = inProgress ? [t('home.inProgressConfirm')] : [];
      if (eligibility.warnings.length || extra.length) {
        modal.confirm({
          title: eligibility.warnings.length ? t('home.warningsTitle') : t('home.newConfirmTitle'),
          content: <Messages items={[...eligibility.warnings.map((w) => w.message), ...extra]} />,
          okText: eligibility.warnings.length ? t('home.warningsOk') : t('common.ok'),
          cancelText: t('common.cancel'),
          onOk: () => create(eligibility.warnings.length > 0),
        });
        return;
      }
      await create(false);
    } catch (e) {
      message.error((e as Error).message);
    } finally {
      setCreating(false);
    }
  };

  const enterprise = session?.enterprise;
  const sub = home.data?.subPlatform;
  if (session && session.user.role !== 'enterprise')
    return (
      <div className="page">
        <Typography.Title level={1}>{t('home.title')}</Typography.Title>
        <Alert type="info" showIcon title={t('home.notEnterprise')} />
      </div>
    );

  return (
    <div className="page">
      <div className="page-heading">
        <Typography.Title level={1}>{t('home.title')}</Typography.Title>
        <Space wrap>
          <Button type="primary" size="large" icon={<PlusOutlined aria-hidden="true" />} loading={creating} onClick={() => void startNew()}>
            {t('home.new')}
          </Button>
          <Button size="large" icon={<PlayCircleOutlined aria-hidden="true" />} disabled={!inProgress} onClick={() => inProgress && navigate(`/diagnosis/${inProgress.id}`)}>
            {t('home.continue')}
          </Button>
        </Space>
      </div>
      {enterprise && (
        <Descriptions size="small" className="enterprise-info" column={{ xs: 1, sm: 2 }}>
          <Descriptions.Item label={t('home.enterprise')}>{enterprise.name}</Descriptions.Item>
          <Descriptions.Item label={t('home.creditCode')}>
            <span className="mono">{enterprise.creditCode}</span>
          </Descriptions.Item>
        </Descriptions>
      )}
      {status.data?.quota && (
        <p className="quota" data-testid="quota">
          {status.data.quota.text}
          {status.data.quota.remaining === 0 && status.data.nextAllowed && <>{t('common.sentenceBreak')}{t('home.nextAllowed', { when: status.data.nextAllowed.dateTime })}</>}
        </p>
      )}
      {status.data?.reminders.map((r) => <Alert key={r.id} type="warning" showIcon className="reminder" title={r.message} />)}
      {sub && (
        <Alert
          type="success"
          className="sub-platform"
          title={sub.name}
          description={sub.notice.split('\n').filter(Boolean).map((p, i) => (
            <p key={i}>{p}</p>
          ))}
        />
      )}
      <Alert
        type="info"
        showIcon
        className="notes"
        title={t('home.notes')}
        description={
          <ol className="notes-list">
            <li>{t('home.note1')}</li>
            <li>{t('home.note2')}</li>
            <li>{t('home.note3')}</li>
          </ol>
        }
      />
      <Card title={<h2 className="card-title">{t('home.history')}</h2>} className="history-card">
        {list.error ? (
          <LoadError error={list.error} onRetry={list.reload} />
        ) : (
          narrow ? <HistoryList items={items} loading={list.loading && !list.data} onChanged={list.reload} /> : <HistoryTable items={items} loading={list.loading && !list.data} onChanged={list.reload} />
        )}
      </Card>
    </div>
  );
}

/** One message as a paragraph, several as a list. */
function Messages({ items }: { items: string[] }) {
  if (items.length === 1) return <p className="modal-message">{items[0]}</p>;
  return (
    <ul className="plain-list">
      {items.map((m) => (
        <li key={m}>{m}</li>
      ))}
    </ul>
  );
}

function Actions({ d, onChanged }: { d: DiagnosisSummary; onChanged: () => void }) {
  const { t } = useI18n();
  const { modal, message } = App.useApp();
  const discard = () =>
    modal.confirm({
      title: t('home.discardTitle'),
      content: t('home.discardConfirm'),
      okText: t('home.discard'),
      okButtonProps: { danger: true },
      cancelText: t('common.cancel'),
      onOk: async () => {
        try {
          await api.discardDiagnosis(d.id);
          message.success(t('home.discarded'));
          onChanged();
        } catch (e) {
          modal.error({ title: t('home.discardRefused'), content: (e as Error).message, okText: t('common.ok') });
        }
      },
    });
  return d.status === 'finished' ? (
    <Space size={4} wrap>
      <Button type="link" size="small" href={`#/diagnosis/${d.id}/result`}>
        {t('home.viewResult')}
      </Button>
      <Button type="link" size="small" icon={<FileTextOutlined aria-hidden="true" />} href={api.reportUrl(d.id)} target="_blank" rel="noopener">
        {t('home.viewReport')}
      </Button>
      <PdfDownload type="link" size="small" diagnosisId={d.id} />
    </Space>
  ) : (
    <Space size={4} wrap>
      <Button type="link" size="small" href={`#/diagnosis/${d.id}`}>
        {t('home.continueThis')}
      </Button>
      {d.phase.phase !== 'indicators' && (
        <Button type="link" size="small" danger onClick={discard}>
          {t('home.discard')}
        </Button>
      )}
    </Space>
  );
}

function StatusTag({ d }: { d: DiagnosisSummary }) {
  const { t } = useI18n();
  return d.status === 'finished' ? <Tag color="success">{t('home.status.finished')}</Tag> : <Tag color="processing">{t('home.status.inProgress')}</Tag>;
}

function CountsTag() {
  const { t } = useI18n();
  return (
    <Tooltip title={t('home.countsHint')}>
      <Tag color="gold" icon={<TrophyOutlined aria-hidden="true" />} className="counts-tag">
        {t('home.counts')}
      </Tag>
    </Tooltip>
  );
}

/** On a phone: one card per self-diagnosis instead of a wide table. */
function HistoryList({ items, loading, onChanged }: { items: DiagnosisSummary[]; loading: boolean; onChanged: () => void }) {
  const { t } = useI18n();
  return (
    <List
      loading={loading}
      dataSource={items}
      locale={{ emptyText: <Empty description={t('home.empty')} /> }}
      renderItem={(d) => (
        <List.Item className="history-item">
          <div className="history-item-head">
            <strong>{d.started.dateTime}</strong>
            <StatusTag d={d} />
            {d.counts && <CountsTag />}
          </div>
          <Descriptions size="small" column={1} className="history-item-body">
            <Descriptions.Item label={t('home.col.ruleset')}>
              <span className="mono">
                {d.ruleset.id}@{d.ruleset.version}
              </span>
            </Descriptions.Item>
            {d.status === 'finished' && <Descriptions.Item label={t('home.col.level')}>{d.levelName ?? d.level ?? '—'}</Descriptions.Item>}
            {d.status === 'finished' && <Descriptions.Item label={t('home.col.score')}>{d.totalText ?? '—'}</Descriptions.Item>}
          </Descriptions>
          <Actions d={d} onChanged={onChanged} />
        </List.Item>
      )}
    />
  );
}

function HistoryTable({ items, loading, onChanged }: { items: DiagnosisSummary[]; loading: boolean; onChanged: () => void }) {
  const { t } = useI18n();
  return (
    <Table<DiagnosisSummary>
      rowKey="id"
      size="middle"
      loading={loading}
      dataSource={items}
      pagination={items.length > 10 ? { pageSize: 10 } : false}
      scroll={{ x: 760 }}
      locale={{ emptyText: <Empty description={t('home.empty')} /> }}
      columns={[
        {
          title: t('home.col.date'),
          dataIndex: 'startedAt',
          render: (_: string, d) => (
            <span>
              {d.started.dateTime}
              {d.counts && <CountsTag />}
            </span>
          ),
        },
        {
          title: t('home.col.ruleset'),
          dataIndex: 'ruleset',
          render: (r: DiagnosisSummary['ruleset']) => (
            <Tooltip title={r.title}>
              <span className="mono">
                {r.id}@{r.version}
              </span>
            </Tooltip>
          ),
        },
        { title: t('home.col.level'), key: 'level', render: (_, d) => (d.status === 'finished' ? (d.levelName ?? (d.level !== undefined ? String(d.level) : '—')) : '—') },
        { title: t('home.col.score'), key: 'total', align: 'right', render: (_, d) => (d.status === 'finished' ? (d.totalText ?? '—') : '—') },
        {
          title: t('home.col.status'),
          dataIndex: 'status',
          render: (_: unknown, d) => <StatusTag d={d} />,
        },
        {
          title: t('home.col.actions'),
          key: 'actions',
          render: (_, d) => <Actions d={d} onChanged={onChanged} />,
        },
      ]}
    />
  );
}
