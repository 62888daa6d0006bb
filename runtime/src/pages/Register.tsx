// 用户注册: every field of the national platform's form, all required. The server's field errors
// (error.details) are shown under the matching fields; a 409 tells the user what to do.
import { useState } from 'react';
import { Alert, Button, Cascader, Col, Divider, Form, Input, InputNumber, Modal, Radio, Row, Select, Typography } from 'antd';
import { api, ApiError, pointerParts, type Reference, type Registration } from '../api.ts';
import { pick, useI18n } from '../i18n.tsx';
import { useSession } from '../session.tsx';
import { Link, navigate } from '../../../ui/router.tsx';
import { AuthCard } from '../components/AuthCard.tsx';
import { Loaded, useAsync } from '../util.tsx';
import { useIndustryOptions, useRegionOptions } from '../components/referenceOptions.ts';
import { MobileField } from '../components/MobileField.tsx';

interface Values extends Omit<Registration, 'industry' | 'region'> {
  industry: string[];
  region: string[];
}

const FIELDS: (keyof Values)[] = [
  'username',
  'password',
  'passwordConfirm',
  'mobile',
  'email',
  'enterpriseName',
  'creditCode',
  'enterpriseType',
  'industry',
  'sizeBand',
  'revenue',
  'region',
];

export function RegisterPage() {
  const reference = useAsync(() => api.reference(), []);
  const { t } = useI18n();
  return (
    <AuthCard title={t('register.title')} wide>
      <Loaded a={reference}>{(ref) => <RegisterForm reference={ref} />}</Loaded>
    </AuthCard>
  );
}

function RegisterForm({ reference }: { reference: Reference }) {
  const { t, locale } = useI18n();
  const { setSession } = useSession();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [modal, modalHolder] = Modal.useModal();

  const industryOptions = useIndustryOptions(reference, locale);
  const regionOptions = useRegionOptions(reference, locale);

  const onFinish = async (v: Values) => {
    setBusy(true);
    setError(undefined);
    const body: Registration = {
      username: v.username.trim(),
      password: v.password,
      passwordConfirm: v.passwordConfirm,
      mobile: v.mobile.trim(),
      email: v.email.trim(),
      enterpriseName: v.enterpriseName.trim(),
      creditCode: v.creditCode.trim(),
      enterpriseType: v.enterpriseType,
      industry: v.industry[v.industry.length - 1],
      sizeBand: v.sizeBand,
      revenue: Number(v.revenue),
      region: v.region[v.region.length - 1],
    };
    try {
      const session = await api.register(body);
      setSession(session);
      navigate('/', { replace: true });
    } catch (e) {
      if (!(e instanceof ApiError)) {
        setError(String(e));
        return;
      }
      // Every invalid field under its input; the rest at the top.
      const byField = new Map<keyof Values, string[]>();
      const rest: string[] = [];
      const details = e.details.length ? e.details : e.field ? [{ field: e.field, message: e.message }] : [];
      for (const d of details) {
        const name = pointerParts(d.field)[0] as keyof Values | undefined;
        if (name && FIELDS.includes(name)) byField.set(name, [...(byField.get(name) ?? []), d.message]);
        else rest.push(d.message);
      }
      form.setFields([...byField].map(([name, errors]) => ({ name, errors })));
      if (e.status === 409) {
        modal.error({
          title: t('register.conflictTitle'),
          content: (
            <>
              <p>{e.message}</p>
              {e.code === 'credit_code_registered' && (
                <p>
                  <a href="#/forgot-username" onClick={() => Modal.destroyAll()}>
                    {t('register.toForgotUsername')}
                  </a>
                </p>
              )}
            </>
          ),
          okText: t('common.ok'),
        });
        setError(e.message);
      } else if (byField.size) {
        setError(rest.length ? rest.join('；') : t('register.failed'));
        const first = FIELDS.find((f) => byField.has(f));
        if (first) form.scrollToField(first, { block: 'center', focus: true });
      } else setError(e.message);
    } finally {
      setBusy(false);
    }
  };

  const select = t('register.select');
  const enter = t('register.enter');
  const half = { xs: 24, md: 12 };

  return (
    <>
      {modalHolder}
      <Typography.Paragraph type="secondary">{t('register.intro')}</Typography.Paragraph>
      <Form<Values> form={form} layout="vertical" onFinish={onFinish} name="register" scrollToFirstError={{ block: 'center', focus: true }}>
        {error && <Alert type="error" showIcon title={error} className="form-alert" role="alert" />}
        <Divider titlePlacement="start">{t('register.account')}</Divider>
        <Row gutter={16}>
          <Col {...half}>
            <Form.Item
              label={t('register.username')}
              name="username"
              extra={t('register.usernameHelp')}
              rules={[
                { required: true, whitespace: true, message: `${enter}${t('register.username')}` },
                { pattern: /^[A-Za-z0-9_.-]{3,32}$/, message: t('register.usernameHelp') },
              ]}
            >
              <Input autoComplete="username" maxLength={32} />
            </Form.Item>
          </Col>
          <Col {...half} />
          <Col {...half}>
            <Form.Item
              label={t('register.password')}
              name="password"
              extra={t('register.passwordHelp')}
              rules={[
                { required: true, message: `${enter}${t('register.password')}` },
                {
                  validator: (_, v: string | undefined) =>
                    !v || (v.length >= 8 && /[A-Za-z]/.test(v) && /\d/.test(v)) ? Promise.resolve() : Promise.reject(new Error(t('register.passwordHelp'))),
                },
              ]}
            >
              <Input.Password autoComplete="new-password" maxLength={128} />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item
              label={t('register.passwordConfirm')}
              name="passwordConfirm"
              dependencies={['password']}
              rules={[
                { required: true, message: `${enter}${t('register.passwordConfirm')}` },
                ({ getFieldValue }) => ({
                  validator: (_, v: string | undefined) => (!v || v === getFieldValue('password') ? Promise.resolve() : Promise.reject(new Error(t('register.passwordMismatch')))),
                }),
              ]}
            >
              <Input.Password autoComplete="new-password" maxLength={128} />
            </Form.Item>
          </Col>
          <Col {...half}>
            <MobileField label={t('register.mobile')} requiredMessage={`${enter}${t('register.mobile')}`} invalidMessage={t('register.mobileInvalid')} />
          </Col>
          <Col {...half}>
            <Form.Item
              label={t('register.email')}
              name="email"
              rules={[
                { required: true, message: `${enter}${t('register.email')}` },
                { type: 'email', message: t('register.emailInvalid') },
              ]}
            >
              <Input autoComplete="email" inputMode="email" maxLength={254} />
            </Form.Item>
          </Col>
        </Row>
        <Divider titlePlacement="start">{t('register.enterprise')}</Divider>
        <Row gutter={16}>
          <Col {...half}>
            <Form.Item label={t('register.enterpriseName')} name="enterpriseName" rules={[{ required: true, whitespace: true, message: `${enter}${t('register.enterpriseName')}` }]}>
              <Input autoComplete="organization" maxLength={200} />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item
              label={t('register.creditCode')}
              name="creditCode"
              extra={t('register.creditCodeHelp')}
              rules={[
                { required: true, whitespace: true, message: `${enter}${t('register.creditCode')}` },
                { len: 18, transform: (v: string) => v?.trim(), message: t('register.creditCodeHelp') },
              ]}
            >
              <Input maxLength={20} className="mono" />
            </Form.Item>
          </Col>
          <Col xs={24}>
            <Form.Item label={t('register.enterpriseType')} name="enterpriseType" rules={[{ required: true, message: `${select}${t('register.enterpriseType')}` }]}>
              <Radio.Group aria-label={t('register.enterpriseType')} options={reference.enterpriseTypes.map((x) => ({ value: x.id, label: pick(x.name, locale) }))} />
            </Form.Item>
          </Col>
          <Col xs={24}>
            <Form.Item label={t('register.industry')} name="industry" rules={[{ required: true, message: `${select}${t('register.industry')}` }]}>
              <Cascader
                options={industryOptions}
                placeholder={t('register.industryPlaceholder')}
                showSearch={{ filter: (input, path) => path.some((o) => String(o.label).toLowerCase().includes(input.toLowerCase())) }}
                expandTrigger="hover"
              />
            </Form.Item>
          </Col>
          <Col xs={24}>
            <Form.Item label={t('register.sizeBand')} name="sizeBand" rules={[{ required: true, message: `${select}${t('register.sizeBand')}` }]}>
              <Radio.Group aria-label={t('register.sizeBand')} options={reference.sizeBands.map((x) => ({ value: x.id, label: pick(x.name, locale) }))} />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item label={t('register.revenue')} name="revenue" rules={[{ required: true, message: `${enter}${t('register.revenue')}` }]}>
              <InputNumber min={0} step={100} className="full-width" />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item label={t('register.region')} name="region" extra={t('register.regionHelp')} rules={[{ required: true, message: `${select}${t('register.region')}` }]}>
              <Cascader
                options={regionOptions}
                placeholder={t('register.regionPlaceholder')}
                showSearch={{ filter: (input, path) => path.some((o) => String(o.label).toLowerCase().includes(input.toLowerCase())) }}
                changeOnSelect={false}
              />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item>
          <Button type="primary" htmlType="submit" size="large" block loading={busy}>
            {t('register.submit')}
          </Button>
        </Form.Item>
      </Form>
      <div className="auth-links">
        <span>
          {t('register.haveAccount')} <Link to="/login">{t('register.login')}</Link>
        </span>
      </div>
    </>
  );
}
