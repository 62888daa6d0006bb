// 忘记用户名: enterprise name + credit code + registered mobile; the server answers with a message
// (the username goes by SMS when they match, and a support request is recorded either way). Where
// the enterprise is (optional) sends a request that matches no registration to that region's
// administrators instead of the platform's.
import { useMemo, useState } from 'react';
import { Alert, Button, Cascader, Form, Input, Result, Typography } from 'antd';
import { api, ApiError, type Reference } from '../api.ts';
import { pick, useI18n } from '../i18n.tsx';
import { useAsync } from '../util.tsx';
import { Link } from '../../../ui/router.tsx';
import { AuthCard } from '../components/AuthCard.tsx';
import { MobileField } from '../components/MobileField.tsx';

export function ForgotUsernamePage() {
  const { t, locale } = useI18n();
  const reference = useAsync(() => api.reference(), []);
  type RegionOption = { value: string; label: string; children?: RegionOption[] };
  const regionOptions = useMemo(() => {
    const conv = (n: Reference['regions'][number]): RegionOption => ({ value: n.code, label: pick(n.name, locale), ...(n.children?.length ? { children: n.children.map(conv) } : {}) });
    return (reference.data?.regions ?? []).map(conv);
  }, [reference.data, locale]);
  const [message, setMessage] = useState<string>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const onFinish = async (v: { enterpriseName: string; creditCode: string; mobile: string; region?: string[] }) => {
    setBusy(true);
    setError(undefined);
    try {
      const region = v.region?.[v.region.length - 1];
      const r = await api.recoverUsername({ enterpriseName: v.enterpriseName.trim(), creditCode: v.creditCode.trim(), mobile: v.mobile.trim(), ...(region ? { region } : {}) });
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
            <Form.Item label={t('forgotUsername.region')} name="region" extra={t('forgotUsername.regionHelp')}>
              <Cascader
                options={regionOptions}
                placeholder={t('register.regionPlaceholder')}
                changeOnSelect
                showSearch={{ filter: (input, path) => path.some((o) => String(o.label).toLowerCase().includes(input.toLowerCase())) }}
              />
            </Form.Item>
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
