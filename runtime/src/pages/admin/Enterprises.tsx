// 企业管理: the enterprises an administrator may read (a platform administrator all, a region
// administrator its region and below), searched by name or credit code, filtered by region,
// industry, size band and state, a page at a time; a drawer with the profile, its users and its
// diagnoses as the server tells them; disabling an enterprise (none of its users can log in).
import { StateFilter } from './StateFilter.tsx';
import { useState } from 'react';
import { Alert, App, Button, Card, Descriptions, Drawer, Empty, Grid, Input, Popconfirm, Select, Space, Table, Tag, Typography } from 'antd';
import { api } from '../../api.ts';
import { pick, useI18n } from '../../i18n.tsx';
import { formatDateTime, Loaded, useAsync } from '../../util.tsx';
import { adminApi, type AdminEnterprise, type EnterpriseQuery } from './adminApi.ts';
import { RegionSelect } from './regionChoice.tsx';
import { roleName } from './Users.tsx';

export function EnterprisesPage() {
  const { t, locale } = useI18n();
  const { message } = App.useApp();
  const [q, setQ] = useState<EnterpriseQuery>({ page: 1, pageSize: 20 });
  const list = useAsync(() => adminApi.enterprises(q), [JSON.stringify(q)]);
  const reference = useAsync(() => api.reference(), []);
  const set = (patch: Partial<EnterpriseQuery>) => setQ((old) => ({ ...old, page: 1, ...patch }));
  const [open, setOpen] = useState<string>();

  const toggle = async (e: AdminEnterprise) => {
    try {
      const r = await adminApi.setEnterpriseDisabled(e.id, !e.disabledAt);
      message.success(e.disabledAt ? t('admin.enterprises.enabled', { name: e.name }) : t('admin.enterprises.disabled', { name: e.name, count: r.sessionsEnded }));
      list.reload();
      return true;
    } catch (err) {
      message.error((err as Error).message);
      return false;
    }
  };

  const industries = (reference.data?.industries ?? []).flatMap((s) => [
    { value: s.code, label: `${s.code} ${pick(s.name, locale)}` },
    ...s.divisions.map((d) => ({ value: d.code, label: `　${d.code} ${pick(d.name, locale)}` })),
  ]);

  return (
    <div className="page page-wide admin-page">
      <div className="page-heading">
        <Typography.Title level={1}>{t('admin.enterprises.title')}</Typography.Title>
      </div>
      <Card>
        <div className="admin-filters" role="search">
          <Input.Search allowClear placeholder={t('admin.enterprises.search')} aria-label={t('admin.enterprises.search')} onSearch={(v) => set({ q: v.trim() || undefined })} style={{ width: 260 }} />
          <RegionSelect width={220} value={q.region} onChange={(v) => set({ region: v })} placeholder={t('admin.region')} ariaLabel={t('admin.region')} />
          <Select
            aria-label={t('dash.industry')}
            style={{ width: 220 }}
            allowClear
            showSearch
            optionFilterProp="label"
            placeholder={t('dash.industry')}
            value={q.industry}
            onChange={(v?: string) => set({ industry: v })}
            options={industries}
            popupMatchSelectWidth={false}
          />
          <Select
            aria-label={t('dash.sizeBand')}
            style={{ width: 140 }}
            allowClear
            placeholder={t('dash.sizeBand')}
            value={q.sizeBand}
            onChange={(v?: string) => set({ sizeBand: v })}
            options={(reference.data?.sizeBands ?? []).map((b) => ({ value: b.id, label: pick(b.name, locale) }))}
          />
          <StateFilter value={q.status} onChange={(v) => set({ status: v })} />
        </div>
        {list.error && <Alert type="error" showIcon title={list.error.message} style={{ marginBottom: 12 }} />}
        <Table<AdminEnterprise>
          size="small"
          rowKey="id"
          className="admin-enterprises"
          loading={list.loading}
          dataSource={list.data?.items ?? []}
          scroll={{ x: 1000 }}
          onChange={(p) => setQ((old) => ({ ...old, page: p.current ?? 1, pageSize: p.pageSize ?? 20 }))}
          pagination={{ current: q.page, pageSize: q.pageSize, total: list.data?.total ?? 0, showSizeChanger: true, showTotal: (total) => t('dash.total', { total }) }}
          columns={[
            {
              title: t('dash.name'),
              fixed: 'left',
              width: 240,
              render: (_, e) => (
                <Space size={4} wrap>
                  <Button type="link" size="small" className="link-cell" onClick={() => setOpen(e.id)}>
                    {e.name}
                  </Button>
                  {e.disabledAt && <Tag color="red">{t('admin.disabledState')}</Tag>}
                </Space>
              ),
            },
            { title: t('admin.enterprises.creditCode'), dataIndex: 'creditCode', width: 180 },
            { title: t('admin.region'), width: 160, ellipsis: true, render: (_, e) => <span title={e.regionPath.map((r) => r.name).join(' / ')}>{e.region.name}</span> },
            { title: t('dash.industry'), width: 170, ellipsis: true, render: (_, e) => <span title={`${e.industry} ${e.industryName}`}>{e.industryName}</span> },
            { title: t('dash.sizeBand'), width: 100, render: (_, e) => e.sizeBandName },
            { title: t('admin.enterprises.registeredAt'), width: 140, render: (_, e) => formatDateTime(e.createdAt) },
            {
              title: t('admin.actions'),
              width: 150,
              render: (_, e) => (
                <Space size={0}>
                  <Button type="link" size="small" onClick={() => setOpen(e.id)}>
                    {t('admin.enterprises.details')}
                  </Button>
                  <DisableEnterprise enterprise={e} onConfirm={() => toggle(e)} />
                </Space>
              ),
            },
          ]}
        />
      </Card>
      <EnterpriseDrawer id={open} onClose={() => setOpen(undefined)} onToggle={async (e) => (await toggle(e)) && undefined} />
    </div>
  );
}

function DisableEnterprise({ enterprise: e, onConfirm, block }: { enterprise: AdminEnterprise; onConfirm: () => unknown; block?: boolean }) {
  const { t } = useI18n();
  return (
    <Popconfirm
      title={e.disabledAt ? t('admin.enterprises.enableConfirm', { name: e.name }) : t('admin.enterprises.disableConfirm', { name: e.name })}
      description={e.disabledAt ? t('admin.enterprises.enableNote') : t('admin.enterprises.disableNote')}
      okText={t('common.ok')}
      cancelText={t('common.cancel')}
      okButtonProps={{ danger: !e.disabledAt }}
      onConfirm={onConfirm}
    >
      <Button type={block ? 'default' : 'link'} size={block ? 'middle' : 'small'} danger={!e.disabledAt}>
        {e.disabledAt ? t('admin.enable') : t('admin.disable')}
      </Button>
    </Popconfirm>
  );
}

function EnterpriseDrawer({ id, onClose, onToggle }: { id?: string; onClose: () => void; onToggle: (e: AdminEnterprise) => Promise<unknown> }) {
  const { t } = useI18n();
  const narrow = !Grid.useBreakpoint().md;
  const detail = useAsync(() => (id ? adminApi.enterprise(id) : Promise.resolve(undefined)), [id]);
  const diagnoses = useAsync(() => (id ? adminApi.diagnosesOf(id) : Promise.resolve(undefined)), [id]);
  return (
    <Drawer open={!!id} onClose={onClose} size={narrow ? '100%' : 640} title={detail.data?.enterprise.name ?? t('admin.enterprises.details')} className="enterprise-drawer">
      {id && (
        <Loaded a={detail}>
          {(d) =>
            d && (
              <Space direction="vertical" size="large" style={{ width: '100%' }}>
                {d.enterprise.disabledAt && <Alert type="error" showIcon title={t('admin.enterprises.isDisabled', { at: formatDateTime(d.enterprise.disabledAt) })} />}
                <Descriptions size="small" bordered column={1} title={t('admin.enterprises.profile')}>
                  <Descriptions.Item label={t('admin.enterprises.creditCode')}>{d.enterprise.creditCode}</Descriptions.Item>
                  <Descriptions.Item label={t('admin.region')}>{d.enterprise.regionPath.map((r) => r.name).join(' / ')}</Descriptions.Item>
                  {d.enterprise.groups.length > 0 && <Descriptions.Item label={t('admin.enterprises.groups')}>{d.enterprise.groups.map((g) => g.name).join('、')}</Descriptions.Item>}
                  <Descriptions.Item label={t('dash.industry')}>
                    {d.enterprise.industry} {d.enterprise.industryName}
                  </Descriptions.Item>
                  <Descriptions.Item label={t('admin.enterprises.type')}>{d.enterprise.enterpriseTypeName}</Descriptions.Item>
                  <Descriptions.Item label={t('dash.sizeBand')}>{d.enterprise.sizeBandName}</Descriptions.Item>
                  <Descriptions.Item label={t('admin.enterprises.revenue')}>{t('admin.enterprises.revenueValue', { value: d.enterprise.revenue })}</Descriptions.Item>
                  <Descriptions.Item label={t('admin.enterprises.registeredAt')}>{formatDateTime(d.enterprise.createdAt)}</Descriptions.Item>
                </Descriptions>
                <div>
                  <Typography.Title level={5}>{t('admin.enterprises.users')}</Typography.Title>
                  <Table
                    size="small"
                    rowKey="id"
                    pagination={false}
                    dataSource={d.users}
                    columns={[
                      { title: t('admin.username'), render: (_, u) => (u.disabledAt ? <Space size={4}><span>{u.username}</span><Tag color="red">{t('admin.disabledState')}</Tag></Space> : u.username) },
                      { title: t('admin.role'), render: (_, u) => roleName(t, u.role) },
                      { title: t('admin.mobile'), render: (_, u) => u.mobile ?? '—' },
                    ]}
                  />
                </div>
                <div>
                  <Typography.Title level={5}>{t('admin.enterprises.diagnoses')}</Typography.Title>
                  <Loaded a={diagnoses}>
                    {(list) => {
                      const items = list?.items ?? [];
                      const counted = items.find((x) => x.counts);
                      const last = items.find((x) => x.status === 'finished');
                      if (!items.length) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('admin.enterprises.noDiagnoses')} />;
                      return (
                        <Descriptions size="small" bordered column={1}>
                          <Descriptions.Item label={t('admin.enterprises.diagnosisCount')}>{items.length}</Descriptions.Item>
                          <Descriptions.Item label={t('admin.enterprises.lastResult')}>
                            {last ? (
                              <Space wrap>
                                <span>{last.levelName ?? '—'}</span>
                                {last.totalText && <Typography.Text type="secondary">{last.totalText}</Typography.Text>}
                                <Typography.Text type="secondary">{last.finished?.dateTime}</Typography.Text>
                                <Button size="small" href={api.reportUrl(last.id)} target="_blank">
                                  {t('dash.report')}
                                </Button>
                              </Space>
                            ) : (
                              t('admin.enterprises.noFinished')
                            )}
                          </Descriptions.Item>
                          {counted && counted.id !== last?.id && <Descriptions.Item label={t('admin.enterprises.counted')}>{`${counted.levelName ?? '—'} ${counted.finished?.dateTime ?? ''}`}</Descriptions.Item>}
                        </Descriptions>
                      );
                    }}
                  </Loaded>
                </div>
                <DisableEnterprise
                  block
                  enterprise={d.enterprise}
                  onConfirm={async () => {
                    await onToggle(d.enterprise);
                    detail.reload();
                  }}
                />
              </Space>
            )
          }
        </Loaded>
      )}
    </Drawer>
  );
}
