// 用户管理: the users an administrator manages (a platform administrator everyone, a region
// administrator its region and below), searched by username or mobile, filtered by role, region and
// state, a page at a time; creating staff, disabling and enabling, resetting a password (a temporary
// one shown once) and ending sessions, each confirmed first. The server decides the scope.
import { StateFilter } from './StateFilter.tsx';
import { useState } from 'react';
import { Alert, App, Button, Card, Form, Input, Modal, Popconfirm, Radio, Select, Space, Table, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useI18n, type MessageKey } from '../../i18n.tsx';
import { useSession } from '../../session.tsx';
import { formatDateTime, useAsync } from '../../util.tsx';
import { adminApi, type AdminUser, type NewStaff, type Role, type StaffRole, type UserQuery } from './adminApi.ts';
import { RegionSelect } from './regionChoice.tsx';

const ROLES: Role[] = ['enterprise', 'regionAdmin', 'rulesetAuthor', 'platformAdmin', 'assessor'];
const ROLE_COLORS: Record<Role, string> = { enterprise: 'default', regionAdmin: 'blue', rulesetAuthor: 'purple', platformAdmin: 'gold', assessor: 'cyan' };

export const roleName = (t: (k: MessageKey) => string, role: Role) => t(`admin.role.${role}` as MessageKey);

export function UsersPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const { session } = useSession();
  const platform = session?.user.role === 'platformAdmin';
  const [q, setQ] = useState<UserQuery>({ page: 1, pageSize: 20 });
  const list = useAsync(() => adminApi.users(q), [JSON.stringify(q)]);
  const set = (patch: Partial<UserQuery>) => setQ((old) => ({ ...old, page: 1, ...patch }));
  const [creating, setCreating] = useState(false);
  const [resetting, setResetting] = useState<AdminUser>();

  const act = async (work: () => Promise<string>) => {
    try {
      message.success(await work());
      list.reload();
    } catch (err) {
      message.error((err as Error).message);
    }
  };
  const toggle = (u: AdminUser) =>
    act(async () => {
      const r = await adminApi.setUserDisabled(u.id, !u.disabledAt);
      return u.disabledAt ? t('admin.users.enabled', { name: u.username }) : t('admin.users.disabled', { name: u.username, count: r.sessionsEnded });
    });
  const endSessions = (u: AdminUser) =>
    act(async () => {
      const r = await adminApi.endSessions(u.id);
      return t('admin.sessionsEnded', { count: r.sessionsEnded });
    });
  const me = session?.user.id;

  return (
    <div className="page page-wide admin-page">
      <div className="page-heading">
        <Typography.Title level={1}>{t('admin.users.title')}</Typography.Title>
        <Button type="primary" icon={<PlusOutlined aria-hidden="true" />} onClick={() => setCreating(true)}>
          {t('admin.users.create')}
        </Button>
      </div>
      <Card>
        <div className="admin-filters" role="search">
          <Input.Search allowClear placeholder={t('admin.users.search')} aria-label={t('admin.users.search')} onSearch={(v) => set({ q: v.trim() || undefined })} style={{ width: 240 }} />
          <Select<Role | 'all'>
            aria-label={t('admin.role')}
            style={{ width: 150 }}
            value={q.role ?? 'all'}
            onChange={(v) => set({ role: v === 'all' ? undefined : v })}
            options={[{ value: 'all', label: t('admin.allRoles') }, ...ROLES.filter((r) => platform || r === 'enterprise' || r === 'regionAdmin').map((r) => ({ value: r, label: roleName(t, r) }))]}
          />
          <RegionSelect width={220} value={q.region} onChange={(v) => set({ region: v })} placeholder={t('admin.region')} ariaLabel={t('admin.region')} />
          <StateFilter value={q.status} onChange={(v) => set({ status: v })} />
        </div>
        {list.error && <Alert type="error" showIcon title={list.error.message} style={{ marginBottom: 12 }} />}
        <Table<AdminUser>
          size="small"
          rowKey="id"
          className="admin-users"
          loading={list.loading}
          dataSource={list.data?.items ?? []}
          scroll={{ x: 1150 }}
          onChange={(p) => setQ((old) => ({ ...old, page: p.current ?? 1, pageSize: p.pageSize ?? 20 }))}
          pagination={{ current: q.page, pageSize: q.pageSize, total: list.data?.total ?? 0, showSizeChanger: true, showTotal: (total) => t('admin.users.total', { total }) }}
          columns={[
            {
              title: t('admin.username'),
              fixed: 'left',
              width: 170,
              render: (_, u) => (
                <Space size={4} wrap>
                  <span>{u.username}</span>
                  {u.id === me && <Tag>{t('admin.you')}</Tag>}
                  {u.disabledAt && <Tag color="red">{t('admin.disabledState')}</Tag>}
                  {u.enterpriseDisabled && <Tag color="orange">{t('admin.enterpriseDisabled')}</Tag>}
                </Space>
              ),
            },
            { title: t('admin.role'), width: 170, render: (_, u) => <Tag color={ROLE_COLORS[u.role]}>{roleName(t, u.role)}</Tag> },
            { title: t('admin.region'), width: 160, ellipsis: true, render: (_, u) => u.region?.name ?? <Typography.Text type="secondary">{t('admin.nationwide')}</Typography.Text> },
            { title: t('admin.enterprise'), width: 180, ellipsis: true, render: (_, u) => u.enterprise?.name ?? '—' },
            { title: t('admin.mobile'), width: 120, render: (_, u) => u.mobile ?? '—' },
            { title: t('admin.createdAt'), width: 140, render: (_, u) => formatDateTime(u.createdAt) },
            {
              title: t('admin.actions'),
              width: 300,
              render: (_, u) =>
                u.id === me ? (
                  <Typography.Text type="secondary">{t('admin.users.ownAccount')}</Typography.Text>
                ) : (
                  <Space size={0} wrap>
                    <Popconfirm
                      title={u.disabledAt ? t('admin.users.enableConfirm', { name: u.username }) : t('admin.users.disableConfirm', { name: u.username })}
                      description={u.disabledAt ? undefined : t('admin.users.disableNote')}
                      okText={t('common.ok')}
                      cancelText={t('common.cancel')}
                      okButtonProps={{ danger: !u.disabledAt }}
                      onConfirm={() => toggle(u)}
                    >
                      <Button type="link" size="small" danger={!u.disabledAt}>
                        {u.disabledAt ? t('admin.enable') : t('admin.disable')}
                      </Button>
                    </Popconfirm>
                    <Button type="link" size="small" onClick={() => setResetting(u)}>
                      {t('admin.users.resetPassword')}
                    </Button>
                    <Popconfirm title={t('admin.users.endSessionsConfirm', { name: u.username })} okText={t('common.ok')} cancelText={t('common.cancel')} onConfirm={() => endSessions(u)}>
                      <Button type="link" size="small">
                        {t('admin.users.endSessions')}
                      </Button>
                    </Popconfirm>
                  </Space>
                ),
            },
          ]}
        />
      </Card>
      <CreateUser
        open={creating}
        platform={platform}
        onClose={(created) => {
          setCreating(false);
          if (created) {
            message.success(t('admin.users.created', { name: created }));
            list.reload();
          }
        }}
      />
      <ResetPassword user={resetting} onClose={() => setResetting(undefined)} />
    </div>
  );
}

/** A password that passes the platform's rules (letters and digits, 12 characters), to hand over. */
function generatePassword(): string {
  const letters = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ';
  const digits = '23456789';
  const all = letters + digits;
  const random = new Uint32Array(12);
  crypto.getRandomValues(random);
  const chars = Array.from(random, (n, i) => (i === 0 ? letters : i === 5 ? digits : all)[n % (i === 0 ? letters : i === 5 ? digits : all).length]);
  return chars.join('');
}

function CreateUser({ open, platform, onClose }: { open: boolean; platform: boolean; onClose: (created?: string) => void }) {
  const { t } = useI18n();
  const [form] = Form.useForm<NewStaff>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string>();
  const role = Form.useWatch('role', form) as StaffRole | undefined;
  const roles: StaffRole[] = platform ? ['regionAdmin', 'rulesetAuthor', 'platformAdmin'] : ['regionAdmin'];
  const submit = async (values: NewStaff) => {
    setSaving(true);
    setError(undefined);
    try {
      const body: NewStaff = { ...values, ...(values.mobile ? {} : { mobile: undefined }), ...(values.role === 'regionAdmin' ? {} : { region: undefined }) };
      const created = await adminApi.createUser(body);
      form.resetFields();
      onClose(created.username);
    } catch (err) {
      const e = err as Error & { field?: string; details?: { field: string; message: string }[] };
      const fields = (e.details?.length ? e.details : e.field ? [{ field: e.field, message: e.message }] : []).map((d) => ({ name: d.field.replace(/^\//, '') as keyof NewStaff, errors: [d.message] }));
      if (fields.length) form.setFields(fields);
      else setError(e.message);
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal
      open={open}
      title={t('admin.users.create')}
      okText={t('admin.users.createOk')}
      cancelText={t('common.cancel')}
      confirmLoading={saving}
      onOk={() => form.submit()}
      onCancel={() => onClose()}
      destroyOnHidden
      forceRender
    >
      {!platform && <Alert type="info" showIcon title={t('admin.users.regionAdminOnly')} style={{ marginBottom: 12 }} />}
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Form<NewStaff>
        form={form}
        layout="vertical"
        name="create-user"
        initialValues={{ role: 'regionAdmin' }}
        onFinish={(v) => void submit(v)}
        // The server's word on a field stands until that field changes.
        onValuesChange={(changed) => form.setFields(Object.keys(changed).map((name) => ({ name: name as keyof NewStaff, errors: [] })))}
        requiredMark
      >
        <Form.Item name="role" label={t('admin.role')} rules={[{ required: true }]}>
          <Radio.Group optionType="button" options={roles.map((r) => ({ value: r, label: roleName(t, r) }))} />
        </Form.Item>
        {role === 'regionAdmin' && (
          <Form.Item name="region" label={t('admin.users.region')} extra={t('admin.users.regionHelp')} rules={[{ required: true, message: t('admin.users.regionRequired') }]}>
            <RegionSelect id="create-user-region" placeholder={t('admin.users.regionPlaceholder')} ariaLabel={t('admin.users.region')} />
          </Form.Item>
        )}
        <Form.Item name="username" label={t('admin.username')} extra={t('register.usernameHelp')} rules={[{ required: true, message: t('common.required') }, { pattern: /^[A-Za-z0-9_.-]{3,32}$/, message: t('register.usernameHelp') }]}>
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item name="mobile" label={t('admin.mobileOptional')} rules={[{ pattern: /^1[3-9]\d{9}$/, message: t('admin.mobileInvalid') }]}>
          <Input inputMode="numeric" autoComplete="off" />
        </Form.Item>
        <Form.Item label={t('admin.users.initialPassword')} extra={t('admin.users.initialPasswordHelp')} required>
          <Space.Compact style={{ width: '100%' }}>
            <Form.Item name="password" noStyle rules={[{ required: true, message: t('common.required') }]}>
              <Input.Password autoComplete="new-password" aria-label={t('admin.users.initialPassword')} />
            </Form.Item>
            <Button
              onClick={() => {
                const p = generatePassword();
                form.setFieldsValue({ password: p, passwordConfirm: p });
              }}
            >
              {t('admin.users.generate')}
            </Button>
          </Space.Compact>
        </Form.Item>
        <Form.Item name="passwordConfirm" label={t('admin.users.passwordConfirm')} dependencies={['password']} rules={[{ required: true, message: t('common.required') }]}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function ResetPassword({ user, onClose }: { user?: AdminUser; onClose: () => void }) {
  const { t } = useI18n();
  const [mode, setMode] = useState<'temporary' | 'set'>('temporary');
  const [form] = Form.useForm<{ password: string; passwordConfirm: string }>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string>();
  const [done, setDone] = useState<{ temporaryPassword?: string; sessionsEnded: number }>();
  const close = () => {
    setDone(undefined);
    setError(undefined);
    setMode('temporary');
    form.resetFields();
    onClose();
  };
  const submit = async (values?: { password: string; passwordConfirm: string }) => {
    if (!user) return;
    setSaving(true);
    setError(undefined);
    try {
      setDone(await adminApi.resetPassword(user.id, values ?? {}));
    } catch (err) {
      const e = err as Error & { field?: string };
      if (e.field === '/password' || e.field === '/passwordConfirm') form.setFields([{ name: e.field.slice(1) as 'password', errors: [e.message] }]);
      else setError(e.message);
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal
      open={!!user}
      title={t('admin.users.resetTitle', { name: user?.username ?? '' })}
      onCancel={close}
      destroyOnHidden
      forceRender
      footer={
        done ? (
          <Button type="primary" onClick={close}>
            {t('common.close')}
          </Button>
        ) : (
          <Space>
            <Button onClick={close}>{t('common.cancel')}</Button>
            <Button type="primary" danger loading={saving} onClick={() => (mode === 'temporary' ? void submit() : form.submit())}>
              {t('admin.users.resetOk')}
            </Button>
          </Space>
        )
      }
    >
      {done ? (
        <Space direction="vertical" style={{ width: '100%' }}>
          {done.temporaryPassword ? (
            <>
              <Typography.Paragraph>{t('admin.users.temporaryIs')}</Typography.Paragraph>
              <Typography.Paragraph className="temporary-password" copyable={{ text: done.temporaryPassword }} code>
                {done.temporaryPassword}
              </Typography.Paragraph>
              <Alert type="warning" showIcon title={t('admin.users.temporaryOnce')} />
            </>
          ) : (
            <Alert type="success" showIcon title={t('admin.users.passwordSet')} />
          )}
          <Typography.Text type="secondary">{t('admin.sessionsEnded', { count: done.sessionsEnded })}</Typography.Text>
        </Space>
      ) : (
        <>
          <Typography.Paragraph>{t('admin.users.resetNote')}</Typography.Paragraph>
          {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
          <Radio.Group
            value={mode}
            onChange={(e) => setMode(e.target.value)}
            options={[
              { value: 'temporary', label: t('admin.users.modeTemporary') },
              { value: 'set', label: t('admin.users.modeSet') },
            ]}
            style={{ marginBottom: 12 }}
          />
          {mode === 'set' && (
            <Form form={form} layout="vertical" name="reset-password" onFinish={(v) => void submit(v)}>
              <Form.Item name="password" label={t('admin.users.newPassword')} extra={t('register.passwordHelp')} rules={[{ required: true, message: t('common.required') }]}>
                <Input.Password autoComplete="new-password" />
              </Form.Item>
              <Form.Item name="passwordConfirm" label={t('admin.users.passwordConfirm')} rules={[{ required: true, message: t('common.required') }]}>
                <Input.Password autoComplete="new-password" />
              </Form.Item>
            </Form>
          )}
        </>
      )}
    </Modal>
  );
}
