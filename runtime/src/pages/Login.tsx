// 登录: username and password; links to 注册, 忘记密码 and 忘记用户名.
import { useEffect, useState } from 'react';
import { Alert, Button, Form, Input, Space, Typography } from 'antd';
import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { api, ApiError } from '../api.ts';
import { useI18n } from '../i18n.tsx';
import { useSession } from '../session.tsx';
import { currentPath, Link, navigate } from '../../../ui/router.tsx';
import { AuthCard } from '../components/AuthCard.tsx';

/** Where to go after logging in: the page that asked for it, or home. */
export function nextPath(): string {
  const q = currentPath().split('?')[1] ?? '';
  const next = new URLSearchParams(q).get('next');
  return next && next.startsWith('/') && !next.startsWith('/login') ? next : '/';
}

export function LoginPage() {
  const { t } = useI18n();
  const { session, setSession } = useSession();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (session) navigate(nextPath(), { replace: true });
  }, [session]);

  const onFinish = async (v: { username: string; password: string }) => {
    setBusy(true);
    setError(undefined);
    try {
      const s = await api.login(v.username.trim(), v.password);
      setSession(s);
      navigate(nextPath(), { replace: true });
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <AuthCard title={t('login.title')}>
      <Form layout="vertical" onFinish={onFinish} requiredMark={false} name="login">
        {error && <Alert type="error" showIcon title={error} className="form-alert" role="alert" />}
        <Form.Item label={t('login.username')} name="username" rules={[{ required: true, whitespace: true, message: t('login.usernameRequired') }]}>
          <Input prefix={<UserOutlined aria-hidden="true" />} autoComplete="username" autoFocus size="large" />
        </Form.Item>
        <Form.Item label={t('login.password')} name="password" rules={[{ required: true, message: t('login.passwordRequired') }]}>
          <Input.Password prefix={<LockOutlined aria-hidden="true" />} autoComplete="current-password" size="large" />
        </Form.Item>
        <Form.Item>
          <Button type="primary" htmlType="submit" block size="large" loading={busy}>
            {t('login.submit')}
          </Button>
        </Form.Item>
      </Form>
      <div className="auth-links">
        <Space size="middle" wrap>
          <Link to="/forgot-password">{t('login.forgotPassword')}</Link>
          <Link to="/forgot-username">{t('login.forgotUsername')}</Link>
          <Link to="/certificates">{t('cert.title')}</Link>
        </Space>
        <span>
          {t('login.noAccount')} <Link to="/register">{t('login.register')}</Link>
        </span>
      </div>
      <Typography.Paragraph type="secondary" className="auth-note">
        {t('login.browserNote')}
      </Typography.Paragraph>
    </AuthCard>
  );
}
