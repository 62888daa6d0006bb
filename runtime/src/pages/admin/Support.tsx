// 服务请求: the support requests an administrator handles (a platform administrator every one, a
// region administrator its region's and those below), filtered by status, region and text, a page
// at a time; a drawer reads one, changes its status and answers it, by text message if asked. The
// server decides the scope and whether the mobile is shown in full.
import { useEffect, useState } from 'react';
import { Alert, App, Button, Card, Checkbox, Descriptions, Drawer, Empty, Form, Grid, Input, Select, Space, Table, Tag, Timeline, Typography, type TableColumnsType } from 'antd';
import { useI18n, type MessageKey } from '../../i18n.tsx';
import { formatDateTime, useAsync } from '../../util.tsx';
import { RegionSelect } from './regionChoice.tsx';
import { roleName } from './Users.tsx';
import { supportApi, SUPPORT_STATUSES, type AuditEntry, type SupportQuery, type SupportRequest, type SupportStatus } from './supportApi.ts';

export const STATUS_COLORS: Record<SupportStatus, string> = { open: 'gold', inProgress: 'blue', resolved: 'green', rejected: 'default' };

export const statusName = (t: (k: MessageKey) => string, s: SupportStatus) => t(`support.status.${s}` as MessageKey);

/** Who acted, as the server lets the reader see it: the username, or the role alone. */
export const actorName = (t: (k: MessageKey) => string, who: AuditEntry['actor'] | SupportRequest['replies'][number]['by']) =>
  !who ? t('audit.system') : (who.username ?? (who.role === 'unknown' ? who.id : roleName(t, who.role as Parameters<typeof roleName>[1])));

export function SupportPage() {
  const { t } = useI18n();
  const [q, setQ] = useState<SupportQuery>({ page: 1, pageSize: 20, status: 'open' });
  const list = useAsync(() => supportApi.list(q), [JSON.stringify(q)]);
  const set = (patch: Partial<SupportQuery>) => setQ((old) => ({ ...old, page: 1, ...patch }));
  const [open, setOpen] = useState<string>();
  const narrow = !Grid.useBreakpoint().md;

  const wide: TableColumnsType<SupportRequest> = [
    { title: t('support.createdAt'), width: 140, render: (_, r) => formatDateTime(r.createdAt) },
    { title: t('support.kind'), width: 100, render: () => t('support.kind.usernameRecovery') },
    { title: t('admin.enterprise'), width: 200, ellipsis: true, render: (_, r) => r.enterpriseName },
    { title: t('register.creditCode'), width: 180, render: (_, r) => <span className="mono">{r.creditCode}</span> },
    { title: t('admin.mobile'), width: 120, render: (_, r) => r.mobile },
    { title: t('admin.region'), width: 140, ellipsis: true, render: (_, r) => r.region?.name ?? <Typography.Text type="secondary">{t('support.platformOnly')}</Typography.Text> },
    { title: t('support.statusLabel'), width: 100, render: (_, r) => <Tag color={STATUS_COLORS[r.status]}>{statusName(t, r.status)}</Tag> },
    {
      title: t('admin.actions'),
      width: 90,
      fixed: 'right',
      render: (_, r) => (
        <Button type="link" size="small" onClick={(e) => (e.stopPropagation(), setOpen(r.id))}>
          {t('support.handle')}
        </Button>
      ),
    },
  ];
  // On a phone: one column telling the request, the status beside it; a tap opens it.
  const compact: TableColumnsType<SupportRequest> = [
    {
      title: t('admin.enterprise'),
      render: (_, r) => (
        <div>
          <div>{r.enterpriseName}</div>
          <div className="audit-row-meta">
            {formatDateTime(r.createdAt)} · {r.region?.name ?? t('support.platformOnly')} · {r.mobile}
          </div>
        </div>
      ),
    },
    { title: t('support.statusLabel'), width: 90, render: (_, r) => <Tag color={STATUS_COLORS[r.status]}>{statusName(t, r.status)}</Tag> },
  ];

  return (
    <div className="page page-wide admin-page">
      <div className="page-heading">
        <Typography.Title level={1}>{t('support.title')}</Typography.Title>
      </div>
      <Typography.Paragraph type="secondary">{t('support.intro')}</Typography.Paragraph>
      <Card>
        <div className="admin-filters">
          <Select<SupportStatus | 'all'>
            aria-label={t('support.statusLabel')}
            style={{ width: 140 }}
            value={q.status ?? 'all'}
            onChange={(v) => set({ status: v === 'all' ? undefined : v })}
            options={[{ value: 'all', label: t('support.allStatuses') }, ...SUPPORT_STATUSES.map((s) => ({ value: s, label: statusName(t, s) }))]}
          />
          <RegionSelect width={220} value={q.region} onChange={(v) => set({ region: v })} placeholder={t('admin.region')} ariaLabel={t('admin.region')} />
          <Input.Search allowClear placeholder={t('support.search')} aria-label={t('support.search')} onSearch={(v) => set({ q: v.trim() || undefined })} style={{ width: 260 }} />
        </div>
        {list.error && <Alert type="error" showIcon title={list.error.message} style={{ marginBottom: 12 }} />}
        <Table<SupportRequest>
          size="small"
          rowKey="id"
          className="support-requests"
          loading={list.loading}
          dataSource={list.data?.items ?? []}
          scroll={narrow ? undefined : { x: 980 }}
          onRow={(r) => ({ onClick: () => setOpen(r.id), style: { cursor: 'pointer' } })}
          onChange={(p) => setQ((old) => ({ ...old, page: p.current ?? 1, pageSize: p.pageSize ?? 20 }))}
          pagination={{ current: q.page, pageSize: q.pageSize, total: list.data?.total ?? 0, showSizeChanger: true, showTotal: (total) => t('support.total', { total }) }}
          locale={{ emptyText: <Empty description={t('support.none')} /> }}
          columns={narrow ? compact : wide}
        />
      </Card>
      <SupportDrawer id={open} onClose={() => setOpen(undefined)} onChanged={() => list.reload()} />
    </div>
  );
}

function SupportDrawer({ id, onClose, onChanged }: { id?: string; onClose: () => void; onChanged: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const one = useAsync(() => (id ? supportApi.get(id) : Promise.resolve(undefined)), [id]);
  const r = one.data;
  const narrow = !Grid.useBreakpoint().md;
  const [form] = Form.useForm<{ text: string; sms: boolean; resolve: boolean }>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string>();
  useEffect(() => {
    form.resetFields();
    setError(undefined);
  }, [id, form]);

  const changed = (next: SupportRequest) => {
    one.setData(next);
    onChanged();
  };
  const setStatus = async (status: SupportStatus) => {
    if (!r) return;
    try {
      changed(await supportApi.setStatus(r.id, status));
      message.success(t('support.statusChanged', { status: statusName(t, status) }));
    } catch (err) {
      message.error((err as Error).message);
    }
  };
  const reply = async (v: { text: string; sms: boolean; resolve: boolean }) => {
    if (!r) return;
    setSaving(true);
    setError(undefined);
    try {
      changed(await supportApi.reply(r.id, { text: v.text.trim(), sms: !!v.sms, ...(v.resolve ? { status: 'resolved' as const } : {}) }));
      form.resetFields();
      message.success(v.sms ? t('support.repliedSms') : t('support.replied'));
    } catch (err) {
      const e = err as Error & { field?: string };
      if (e.field === '/text') form.setFields([{ name: 'text', errors: [e.message] }]);
      else setError(e.message);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Drawer open={!!id} onClose={onClose} title={t('support.drawerTitle')} size={narrow ? '100%' : 640} className="support-drawer" destroyOnHidden>
      {one.error && <Alert type="error" showIcon title={one.error.message} />}
      {r && (
        <Space orientation="vertical" size="large" style={{ width: '100%' }}>
          <Descriptions column={1} size="small" bordered>
            <Descriptions.Item label={t('support.kind')}>{t('support.kind.usernameRecovery')}</Descriptions.Item>
            <Descriptions.Item label={t('admin.enterprise')}>{r.enterpriseName}</Descriptions.Item>
            <Descriptions.Item label={t('register.creditCode')}>
              <span className="mono">{r.creditCode}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t('admin.mobile')}>
              <Space orientation="vertical" size={0}>
                <span className="support-mobile">{r.mobile}</span>
                <Typography.Text type="secondary">{r.mobileShown ? t('support.mobileShown') : t('support.mobileMasked')}</Typography.Text>
              </Space>
            </Descriptions.Item>
            <Descriptions.Item label={t('support.matchedLabel')}>{r.matched ? <Tag color="green">{t('support.matched')}</Tag> : <Tag color="orange">{t('support.unmatched')}</Tag>}</Descriptions.Item>
            <Descriptions.Item label={t('admin.region')}>{r.region?.name ?? t('support.platformOnly')}</Descriptions.Item>
            <Descriptions.Item label={t('support.createdAt')}>{formatDateTime(r.createdAt)}</Descriptions.Item>
            <Descriptions.Item label={t('support.statusLabel')}>
              <Select<SupportStatus>
                aria-label={t('support.statusLabel')}
                className="support-status"
                size="small"
                style={{ width: 140 }}
                value={r.status}
                onChange={(s) => void setStatus(s)}
                options={SUPPORT_STATUSES.map((s) => ({ value: s, label: <Tag color={STATUS_COLORS[s]}>{statusName(t, s)}</Tag> }))}
              />
            </Descriptions.Item>
          </Descriptions>

          <div>
            <Typography.Title level={5}>{t('support.replies')}</Typography.Title>
            {r.replies.length ? (
              <Timeline
                items={r.replies.map((x) => ({
                  color: x.sentBySms ? 'green' : 'blue',
                  content: (
                    <div className="support-reply">
                      <Typography.Text type="secondary">
                        {formatDateTime(x.at)} · {actorName(t, x.by)} · {x.sentBySms ? t('support.viaSms') : t('support.notSent')}
                      </Typography.Text>
                      <Typography.Paragraph style={{ marginBottom: 0, whiteSpace: 'pre-wrap' }}>{x.text}</Typography.Paragraph>
                    </div>
                  ),
                }))}
              />
            ) : (
              <Typography.Text type="secondary">{t('support.noReplies')}</Typography.Text>
            )}
          </div>

          <Form form={form} layout="vertical" name="support-reply" initialValues={{ sms: true, resolve: true }} onFinish={(v) => void reply(v)}>
            {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
            <Form.Item name="text" label={t('support.replyLabel')} rules={[{ required: true, whitespace: true, message: t('support.replyRequired') }]}>
              <Input.TextArea rows={4} maxLength={300} showCount />
            </Form.Item>
            {/* Below the count, which sits under the box: what a text message starts with, and no passwords. */}
            <Typography.Paragraph type="secondary" className="support-reply-help">
              {t('support.replyHelp')}
            </Typography.Paragraph>
            <Form.Item name="sms" valuePropName="checked" style={{ marginBottom: 4 }}>
              <Checkbox>{t('support.sendSms')}</Checkbox>
            </Form.Item>
            <Form.Item name="resolve" valuePropName="checked">
              <Checkbox>{t('support.resolveToo')}</Checkbox>
            </Form.Item>
            <Button type="primary" htmlType="submit" loading={saving}>
              {t('support.sendReply')}
            </Button>
          </Form>
        </Space>
      )}
    </Drawer>
  );
}
