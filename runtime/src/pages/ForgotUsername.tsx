// 忘记用户名: enterprise name + credit code + registered mobile; the server answers with a message
// (the username goes by SMS when they match, and a support request is recorded either way).
import { useState } from 'react';
import { Alert, Button, Form, Input, Result, Typography } from 'antd';
import { api, ApiError } from '../api.ts';
import { useI18n } from '../i18n.tsx';
import { Link } from '../../../ui/router.tsx';
import { AuthCard } from '../components/AuthCard.tsx';
import { MobileField } from '../components/MobileField.tsx';

export function ForgotUsernamePage() {
  const { t } = useI18n();
  const [message, setMessage] = useState<string>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const onFinish = async (v: { enterpriseName: string; creditCode: string; mobile: string }) => {
    setBusy(true);
    setError(undefined);
    try {
      const r = await api.recoverUsername({ enterpriseName: v.enterpriseName.trim(), creditCode: v.creditCode.trim(), mobile: v.mobile.trim() });
      setMessage(r.message);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <AuthCard title={t('forgotUsername.title')}>
      {message ? (
        <Result status="success" title={t('forgotUsername.sent')} subTitle={<span role="status">{message}</span>} extra={<Link to="/login">{t('forgotPassword.toLogin')}</Link>} />
      ) : (
        <>
          <Typography.Paragraph type="secondary">{t('forgotUsername.intro')}</Typography.Paragraph>
          {error && <Alert type="error" showIcon title={error} className="form-alert" role="alert" />}
          <Form layout="vertical" onFinish={onFinish} name="username-recovery">
            <Form.Item label={t('register.enterpriseName')} name="enterpriseName" rules={[{ required: true, whitespace: true, message: `${t('register.enter')}${t('register.enterpriseName')}` }]}>
              <Input autoComplete="organization" autoFocus />
            </Form.Item>
            <Form.Item
              label={t('register.creditCode')}
              name="creditCode"
              rules={[
                { required: true, whitespace: true, message: `${t('register.enter')}${t('register.creditCode')}` },
                { len: 18, transform: (v: string) => v?.trim(), message: t('register.creditCodeHelp') },
              ]}
            >
              <Input maxLength={20} className="mono" />
            </Form.Item>
            <MobileField label={t('forgotPassword.mobile')} requiredMessage={t('register.mobileInvalid')} invalidMessage={t('register.mobileInvalid')} />
            <Button type="primary" htmlType="submit" block loading={busy}>
              {t('forgotUsername.submit')}
            </Button>
          </Form>
        </>
      )}
      <div className="auth-links">
        <Link to="/login">{t('common.back')}</Link>
      </div>
    </AuthCard>
  );
}
