// 忘记密码: a code is sent to the registered mobile (username + mobile), then code + new password twice.
import { useState } from 'react';
import { Alert, Button, Form, Input, Result, Steps, Typography } from 'antd';
import { api, ApiError, pointerParts } from '../api.ts';
import { useI18n } from '../i18n.tsx';
import { Link, navigate } from '../../../ui/router.tsx';
import { AuthCard } from '../components/AuthCard.tsx';
import { NewPasswordFields } from '../components/NewPasswordFields.tsx';
import { MobileField } from '../components/MobileField.tsx';

export function ForgotPasswordPage() {
  const { t } = useI18n();
  const [step, setStep] = useState(0);
  const [username, setUsername] = useState('');
  const [info, setInfo] = useState<string>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [resetForm] = Form.useForm();

  const request = async (v: { username: string; mobile: string }) => {
    setBusy(true);
    setError(undefined);
    try {
      const r = await api.requestPasswordReset(v.username.trim(), v.mobile.trim());
      setUsername(v.username.trim());
      setInfo(r.message);
      setStep(1);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  const confirm = async (v: { code: string; password: string; passwordConfirm: string }) => {
    setBusy(true);
    setError(undefined);
    try {
      await api.confirmPasswordReset({ username, code: v.code.trim(), password: v.password, passwordConfirm: v.passwordConfirm });
      setStep(2);
    } catch (e) {
      if (e instanceof ApiError) {
        const details = e.details.length ? e.details : e.field ? [{ field: e.field, message: e.message }] : [];
        const known = ['code', 'password', 'passwordConfirm'];
        const fields = details.filter((d) => known.includes(pointerParts(d.field)[0]));
        resetForm.setFields(fields.map((d) => ({ name: pointerParts(d.field)[0], errors: [d.message] })));
        if (!fields.length) setError(e.message);
      } else setError(String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <AuthCard title={t('forgotPassword.title')}>
      <Steps
        size="small"
        current={step}
        className="auth-steps"
        items={[{ title: t('forgotPassword.stepRequest') }, { title: t('forgotPassword.stepReset') }, { title: t('forgotPassword.stepDone') }]}
      />
      {error && <Alert type="error" showIcon title={error} className="form-alert" role="alert" />}
      {step === 0 && (
        <>
          <Typography.Paragraph type="secondary">{t('forgotPassword.intro')}</Typography.Paragraph>
          <Form layout="vertical" onFinish={request} name="password-reset-request">
            <Form.Item label={t('forgotPassword.username')} name="username" rules={[{ required: true, whitespace: true, message: t('login.usernameRequired') }]}>
              <Input autoComplete="username" autoFocus />
            </Form.Item>
            <MobileField label={t('forgotPassword.mobile')} requiredMessage={t('register.mobileInvalid')} invalidMessage={t('register.mobileInvalid')} />
            <Button type="primary" htmlType="submit" block loading={busy}>
              {t('forgotPassword.send')}
            </Button>
          </Form>
        </>
      )}
      {step === 1 && (
        <>
          {info && <Alert type="info" showIcon title={info} className="form-alert" role="status" />}
          <Form form={resetForm} layout="vertical" onFinish={confirm} name="password-reset-confirm">
            <Form.Item
              label={t('forgotPassword.code')}
              name="code"
              extra={t('forgotPassword.codeHelp')}
              rules={[
                { required: true, message: t('forgotPassword.codeInvalid') },
                { pattern: /^\s*\d{6}\s*$/, message: t('forgotPassword.codeInvalid') },
              ]}
            >
              <Input autoComplete="one-time-code" inputMode="numeric" maxLength={6} autoFocus className="mono" />
            </Form.Item>
            <NewPasswordFields />
            <Button type="primary" htmlType="submit" block loading={busy}>
              {t('forgotPassword.submit')}
            </Button>
            <Button type="link" block onClick={() => setStep(0)}>
              {t('forgotPassword.resend')}
            </Button>
          </Form>
        </>
      )}
      {step === 2 && (
        <Result
          status="success"
          title={t('forgotPassword.done')}
          extra={
            <Button type="primary" onClick={() => navigate('/login')}>
              {t('forgotPassword.toLogin')}
            </Button>
          }
        />
      )}
      <div className="auth-links">
        <Link to="/login">{t('common.back')}</Link>
      </div>
    </AuthCard>
  );
}
