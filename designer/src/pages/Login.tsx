// Log in to the designer with an author's or administrator's account.
import { useState } from 'react';
import { Alert, Button, Card, Form, Input } from 'antd';
import { api } from '../api.ts';
import { useT } from '../i18n.tsx';
import { useSession } from '../session.tsx';

export function LoginPage() {
  const t = useT();
  const { refresh } = useSession();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  return (
    <Card title={t('登录设计器', 'Log in to the designer')} className="narrow-card">
      <Form
        layout="vertical"
        onFinish={async (v: { username: string; password: string }) => {
          setBusy(true);
          setError(undefined);
          try {
            await api.login(v.username, v.password);
            await refresh();
          } catch (e) {
            setError((e as Error).message);
          } finally {
            setBusy(false);
          }
        }}
      >
        <Form.Item name="username" label={t('用户名', 'Username')} rules={[{ required: true, message: t('请输入用户名', 'Enter the username') }]}>
          <Input autoComplete="username" />
        </Form.Item>
        <Form.Item name="password" label={t('密码', 'Password')} rules={[{ required: true, message: t('请输入密码', 'Enter the password') }]}>
          <Input.Password autoComplete="current-password" />
        </Form.Item>
        {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} />}
        <Button type="primary" htmlType="submit" loading={busy} block>
          {t('登录', 'Log in')}
        </Button>
      </Form>
    </Card>
  );
}
