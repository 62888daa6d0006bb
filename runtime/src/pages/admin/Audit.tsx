// 操作日志: the audit log an administrator may read (a platform administrator all of it, a region
// administrator what was done about its region and those below), newest first, filtered by who
// acted, what was done (an action or a whole area), on what and when, a page at a time.
import { useState } from 'react';
import { Alert, Card, DatePicker, Grid, Input, Select, Space, Table, Tag, Tooltip, Typography, type TableColumnsType } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useI18n, type MessageKey } from '../../i18n.tsx';
import { formatDateTime, useAsync } from '../../util.tsx';
import { actorName } from './Support.tsx';
import { supportApi, type AuditEntry, type AuditQuery } from './supportApi.ts';

/** The areas the log's actions fall in (the part before the dot), in the order the filter lists them. */
const AREAS = ['region', 'group', 'ruleset', 'dashboard', 'user', 'enterprise', 'support', 'account', 'diagnosis', 'session', 'password', 'setup', 'assessmentBody', 'assessment'] as const;

/** Actions with a name of their own; others are shown as the log keeps them. */
const ACTIONS = [
  'region.create',
  'region.rename',
  'region.remove',
  'region.liaisons',
  'region.subPlatform',
  'group.addMember',
  'group.removeMember',
  'ruleset.create',
  'ruleset.createVariant',
  'ruleset.publish',
  'ruleset.discard',
  'dashboard.benchmark',
  'dashboard.unbenchmark',
  'dashboard.targets',
  'user.create',
  'user.disable',
  'user.enable',
  'user.resetPassword',
  'user.endSessions',
  'enterprise.disable',
  'enterprise.enable',
  'support.status',
  'support.reply',
  'account.register',
  'diagnosis.create',
  'diagnosis.discard',
  'diagnosis.submitLevel',
  'diagnosis.finish',
  'session.login',
  'password.change',
  'password.resetRequested',
  'password.reset',
  'setup.adminFromEnvironment',
  'setup.adminFromLink',
  'assessmentBody.create',
  'assessmentBody.update',
  'assessmentBody.suspend',
  'assessmentBody.reinstate',
  'assessment.apply',
  'assessment.accept',
  'assessment.decline',
  'assessment.withdraw',
] as const;
const NAMED = new Set<string>(ACTIONS);

export function actionName(t: (k: MessageKey) => string, action: string) {
  return NAMED.has(action) ? t(`audit.action.${action}` as MessageKey) : action;
}

/** What the entry keeps besides who, what and when, as `key: value` pairs (values as JSON where not plain). */
const detailText = (detail: unknown) => {
  if (detail === undefined || detail === null) return '';
  if (typeof detail !== 'object' || Array.isArray(detail)) return JSON.stringify(detail);
  return Object.entries(detail as Record<string, unknown>)
    .map(([k, v]) => `${k}: ${typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v)}`)
    .join(' · ');
};

export function AuditPage() {
  const { t } = useI18n();
  const [q, setQ] = useState<AuditQuery>({ page: 1, pageSize: 20 });
  const [range, setRange] = useState<[Dayjs | null, Dayjs | null] | null>(null);
  const list = useAsync(() => supportApi.audit(q), [JSON.stringify(q)]);
  const set = (patch: Partial<AuditQuery>) => setQ((old) => ({ ...old, page: 1, ...patch }));
  const narrow = !Grid.useBreakpoint().md;
  const target = (e: AuditEntry) =>
    e.targetName ? (
      <Tooltip title={e.target}>
        <span>{e.targetName}</span>
      </Tooltip>
    ) : (
      <span className="mono">{e.target ?? '—'}</span>
    );
  const detail = (e: AuditEntry) => {
    const text = detailText(e.detail);
    return text ? (
      <Typography.Text className="mono audit-detail" ellipsis={{ tooltip: text }}>
        {text}
      </Typography.Text>
    ) : (
      '—'
    );
  };
  const wide: TableColumnsType<AuditEntry> = [
    { title: t('audit.at'), width: 140, render: (_, e) => formatDateTime(e.at) },
    { title: t('audit.actor'), width: 150, ellipsis: true, render: (_, e) => actorName(t, e.actor) },
    {
      title: t('audit.action'),
      width: 190,
      render: (_, e) => (
        <Space orientation="vertical" size={0}>
          <span>{actionName(t, e.action)}</span>
          <Typography.Text type="secondary" className="mono audit-code">
            {e.action}
          </Typography.Text>
        </Space>
      ),
    },
    { title: t('audit.target'), width: 200, ellipsis: true, render: (_, e) => target(e) },
    { title: t('admin.region'), width: 130, ellipsis: true, render: (_, e) => (e.region ? <Tag>{e.region.name}</Tag> : '—') },
    { title: t('audit.detail'), render: (_, e) => detail(e) },
  ];
  // On a phone: one entry a row, what was done first, who and when below.
  const compact: TableColumnsType<AuditEntry> = [
    {
      title: t('audit.action'),
      render: (_, e) => (
        <div>
          <div>
            {actionName(t, e.action)} <span className="audit-code mono audit-row-meta">{e.action}</span>
          </div>
          <div>
            {target(e)}
            {e.region ? <Tag style={{ marginInlineStart: 6 }}>{e.region.name}</Tag> : null}
          </div>
          <div className="audit-row-meta">
            {formatDateTime(e.at)} · {actorName(t, e.actor)}
          </div>
          {e.detail !== undefined && <div className="audit-row-meta mono audit-detail-wrap">{detailText(e.detail)}</div>}
        </div>
      ),
    },
  ];

  return (
    <div className="page page-wide admin-page">
      <div className="page-heading">
        <Typography.Title level={1}>{t('audit.title')}</Typography.Title>
      </div>
      <Typography.Paragraph type="secondary">{t('audit.intro')}</Typography.Paragraph>
      <Card>
        <div className="admin-filters">
          <Input.Search allowClear placeholder={t('audit.actor')} aria-label={t('audit.actor')} onSearch={(v) => set({ actor: v.trim() || undefined })} style={{ width: 180 }} />
          <Select<string>
            allowClear
            showSearch
            optionFilterProp="label"
            aria-label={t('audit.action')}
            placeholder={t('audit.action')}
            style={{ width: 220 }}
            value={q.action}
            onChange={(v) => set({ action: v || undefined })}
            popupMatchSelectWidth={false}
            options={AREAS.map((area) => ({
              label: t(`audit.area.${area}` as MessageKey),
              title: area,
              options: [
                { value: `${area}.`, label: t('audit.allOf', { area: t(`audit.area.${area}` as MessageKey) }) },
                ...ACTIONS.filter((a) => a.startsWith(`${area}.`)).map((a) => ({ value: a, label: actionName(t, a) })),
              ],
            }))}
          />
          <Input.Search allowClear placeholder={t('audit.target')} aria-label={t('audit.target')} onSearch={(v) => set({ target: v.trim() || undefined })} style={{ width: 200 }} />
          <DatePicker.RangePicker
            showTime={{ format: 'HH:mm' }}
            format="YYYY-MM-DD HH:mm"
            aria-label={t('audit.time')}
            placeholder={[t('audit.from'), t('audit.to')]}
            value={range}
            presets={[
              { label: t('audit.today'), value: [dayjs().startOf('day'), dayjs().endOf('day')] },
              { label: t('audit.last7'), value: [dayjs().subtract(6, 'day').startOf('day'), dayjs().endOf('day')] },
              { label: t('audit.last30'), value: [dayjs().subtract(29, 'day').startOf('day'), dayjs().endOf('day')] },
            ]}
            onChange={(v) => {
              setRange(v);
              // The end minute is included: the log's `to` is exclusive.
              set({ from: v?.[0]?.startOf('minute').toISOString(), to: v?.[1]?.startOf('minute').add(1, 'minute').toISOString() });
            }}
          />
        </div>
        {list.error && <Alert type="error" showIcon title={list.error.message} style={{ marginBottom: 12 }} />}
        <Table<AuditEntry>
          size="small"
          rowKey={(e, i) => `${e.at}-${e.action}-${e.target ?? ''}-${i}`}
          className="audit-log"
          loading={list.loading}
          dataSource={list.data?.items ?? []}
          scroll={narrow ? undefined : { x: 1000 }}
          onChange={(p) => setQ((old) => ({ ...old, page: p.current ?? 1, pageSize: p.pageSize ?? 20 }))}
          pagination={{ current: q.page, pageSize: q.pageSize, total: list.data?.total ?? 0, showSizeChanger: true, pageSizeOptions: [20, 50, 100, 200], showTotal: (total) => t('audit.total', { total }) }}
          columns={narrow ? compact : wide}
        />
      </Card>
    </div>
  );
}
