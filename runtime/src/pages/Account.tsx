// 账号设置: one's own account. An enterprise's user edits the e-mail and the enterprise's profile
// (checked by the server as at registration; name and credit code are the enterprise's identity
// and shown read-only), changes the mobile with a code sent to the new number, and changes the
// password. Staff see their username and change their password here.
import { useEffect, useMemo, useState } from 'react';
import { Alert, App, Button, Card, Cascader, Col, Descriptions, Form, Input, InputNumber, Radio, Row, Space, Typography } from 'antd';
import { LockOutlined } from '@ant-design/icons';
import { api, ApiError, pointerParts, type Account, type ProfileChange, type Reference } from '../api.ts';
import { pick, useI18n } from '../i18n.tsx';
import { useSession } from '../session.tsx';
import { Loaded, useAsync } from '../util.tsx';
import { ChangePassword } from '../components/ChangePassword.tsx';
import { useIndustryOptions, useRegionOptions } from '../components/referenceOptions.ts';
import { MobileField } from '../components/MobileField.tsx';

type Enterprise = NonNullable<Account['enterprise']>;

interface ProfileValues {
  email: string;
  enterpriseType: string;
  industry: string[];
  industryType: string;
  sizeBand: string;
  revenue: number;
  region: string[];
}

const PROFILE_FIELDS: (keyof ProfileValues)[] = ['email', 'enterpriseType', 'industry', 'industryType', 'sizeBand', 'revenue', 'region'];

/** 请输入电子邮箱 / Enter e-mail: the verb and the field's label, joined as each language does. */
const askFor = (locale: string) => (verb: string, label: string) => (locale === 'en' ? `${verb} ${label.toLowerCase()}` : `${verb}${label}`);

/** Shows an API error under the fields it names, and returns what is left for the top of the form. */
function showFieldErrors<T>(form: ReturnType<typeof Form.useForm<T>>[0], e: unknown, fields: string[]): string | undefined {
  if (!(e instanceof ApiError)) return String((e as Error)?.message ?? e);
  const details = e.details.length ? e.details : e.field ? [{ field: e.field, message: e.message }] : [];
  const byField = new Map<string, string[]>();
  const rest: string[] = [];
  for (const d of details) {
    const name = pointerParts(d.field)[0];
    if (name && fields.includes(name)) byField.set(name, [...(byField.get(name) ?? []), d.message]);
    else rest.push(d.message);
  }
  form.setFields([...byField].map(([name, errors]) => ({ name: name as never, errors })));
  return byField.size ? (rest.length ? rest.join('；') : undefined) : e.message;
}

export function AccountPage() {
  const { t } = useI18n();
  const account = useAsync(() => Promise.all([api.account(), api.reference()]), []);
  const [changing, setChanging] = useState(false);
  return (
    <div className="page page-narrow account-page">
      <div className="page-heading">
        <Typography.Title level={1}>{t('account.title')}</Typography.Title>
      </div>
      <Loaded a={account}>
        {([acc, reference]) => (
          <Space direction="vertical" size={16} className="full-width">
            <Card title={<h2 className="card-title">{t('account.login')}</h2>}>
              <Descriptions column={1} size="small" items={[{ key: 'username', label: t('account.username'), children: acc.user.username }]} />
              <Button icon={<LockOutlined aria-hidden="true" />} onClick={() => setChanging(true)} className="account-password">
                {t('account.changePassword')}
              </Button>
            </Card>
            {acc.enterprise && <MobileCard account={acc} onChanged={(a) => account.setData([a, reference])} />}
            {acc.enterprise && <ProfileCard account={acc} enterprise={acc.enterprise} reference={reference} onChanged={(a) => account.setData([a, reference])} />}
          </Space>
        )}
      </Loaded>
      <ChangePassword open={changing} onClose={() => setChanging(false)} />
    </div>
  );
}

function ProfileCard({ account, enterprise, reference, onChanged }: { account: Account; enterprise: Enterprise; reference: Reference; onChanged: (a: Account) => void }) {
  const { t, locale } = useI18n();
  const { message } = App.useApp();
  const { session, setSession } = useSession();
  const [form] = Form.useForm<ProfileValues>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  const industryOptions = useIndustryOptions(reference, locale);
  const regionOptions = useRegionOptions(reference, locale);

  const initial = useMemo<ProfileValues>(() => {
    const section = reference.industries.find((s) => s.divisions.some((d) => d.code === enterprise.industry));
    return {
      email: account.user.email ?? '',
      enterpriseType: enterprise.enterpriseType,
      industry: section ? [section.code, enterprise.industry] : [enterprise.industry],
      industryType: enterprise.industryType,
      sizeBand: enterprise.sizeBand,
      revenue: enterprise.revenue,
      region: enterprise.regionPath,
    };
  }, [account, enterprise, reference]);
  // Only when the stored values change (a save): reloading the same account (the language switched) keeps one's edits.
  const initialKey = JSON.stringify(initial);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  useEffect(() => form.setFieldsValue(initial), [form, initialKey]);

  const save = async (v: ProfileValues) => {
    // Only what changed: a new industry without a chosen manufacturing type takes the industry's own.
    const last = (p: string[]) => p[p.length - 1];
    const change: ProfileChange = {};
    if (v.email.trim() !== initial.email) change.email = v.email.trim();
    if (v.enterpriseType !== initial.enterpriseType) change.enterpriseType = v.enterpriseType;
    if (last(v.industry) !== last(initial.industry)) change.industry = last(v.industry);
    if (v.industryType !== initial.industryType) change.industryType = v.industryType;
    if (v.sizeBand !== initial.sizeBand) change.sizeBand = v.sizeBand;
    if (Number(v.revenue) !== initial.revenue) change.revenue = Number(v.revenue);
    if (last(v.region) !== last(initial.region)) change.region = last(v.region);
    if (!Object.keys(change).length) {
      message.info(t('account.nothingChanged'));
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      const updated = await api.updateProfile(change);
      onChanged(updated);
      if (session && updated.enterprise) setSession({ ...session, enterprise: updated.enterprise });
      message.success(t('account.profileSaved'));
    } catch (e) {
      setError(showFieldErrors(form, e, PROFILE_FIELDS) ?? t('account.saveFailed'));
    } finally {
      setBusy(false);
    }
  };

  const select = t('register.select');
  const enter = t('register.enter');
  const ask = askFor(locale);
  const half = { xs: 24, md: 12 };
  return (
    <Card title={<h2 className="card-title">{t('account.profile')}</h2>}>
      <Descriptions
        column={{ xs: 1, md: 2 }}
        size="small"
        items={[
          { key: 'name', label: t('register.enterpriseName'), children: enterprise.name },
          { key: 'code', label: t('register.creditCode'), children: <span className="mono">{enterprise.creditCode}</span> },
        ]}
      />
      <Typography.Paragraph type="secondary" className="account-identity-note">
        {t('account.identityNote')}
      </Typography.Paragraph>
      {error && <Alert type="error" showIcon title={error} className="form-alert" role="alert" />}
      <Form<ProfileValues> form={form} layout="vertical" onFinish={save} name="profile" initialValues={initial} scrollToFirstError={{ block: 'center', focus: true }}>
        <Row gutter={16}>
          <Col {...half}>
            <Form.Item label={t('register.email')} name="email" rules={[{ required: true, message: ask(enter, t('register.email')) }, { type: 'email', message: t('register.emailInvalid') }]}>
              <Input autoComplete="email" inputMode="email" maxLength={254} />
            </Form.Item>
          </Col>
          <Col xs={24}>
            <Form.Item label={t('register.enterpriseType')} name="enterpriseType" rules={[{ required: true, message: ask(select, t('register.enterpriseType')) }]}>
              <Radio.Group aria-label={t('register.enterpriseType')} options={reference.enterpriseTypes.map((x) => ({ value: x.id, label: pick(x.name, locale) }))} />
            </Form.Item>
          </Col>
          <Col xs={24}>
            <Form.Item label={t('register.industry')} name="industry" rules={[{ required: true, message: ask(select, t('register.industry')) }]}>
              <Cascader
                options={industryOptions}
                placeholder={t('register.industryPlaceholder')}
                allowClear={false}
                showSearch={{ filter: (input, path) => path.some((o) => String(o.label).toLowerCase().includes(input.toLowerCase())) }}
                expandTrigger="hover"
              />
            </Form.Item>
          </Col>
          <Col xs={24}>
            <Form.Item label={t('account.industryType')} name="industryType" extra={t('account.industryTypeHelp')}>
              <Radio.Group aria-label={t('account.industryType')} options={reference.industryTypes.map((x) => ({ value: x.id, label: pick(x.name, locale) }))} />
            </Form.Item>
          </Col>
          <Col xs={24}>
            <Form.Item label={t('register.sizeBand')} name="sizeBand" rules={[{ required: true, message: ask(select, t('register.sizeBand')) }]}>
              <Radio.Group aria-label={t('register.sizeBand')} options={reference.sizeBands.map((x) => ({ value: x.id, label: pick(x.name, locale) }))} />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item label={t('register.revenue')} name="revenue" rules={[{ required: true, message: ask(enter, t('register.revenue')) }]}>
              <InputNumber min={0} step={100} className="full-width" />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item label={t('register.region')} name="region" extra={t('register.regionHelp')} rules={[{ required: true, message: ask(select, t('register.region')) }]}>
              <Cascader
                options={regionOptions}
                placeholder={t('register.regionPlaceholder')}
                allowClear={false}
                showSearch={{ filter: (input, path) => path.some((o) => String(o.label).toLowerCase().includes(input.toLowerCase())) }}
                changeOnSelect={false}
              />
            </Form.Item>
          </Col>
        </Row>
        <Space wrap>
          <Button type="primary" htmlType="submit" loading={busy}>
            {t('account.saveProfile')}
          </Button>
          <Button onClick={() => form.setFieldsValue(initial)} disabled={busy}>
            {t('account.resetProfile')}
          </Button>
        </Space>
      </Form>
    </Card>
  );
}

const RESEND_SECONDS = 60;

function MobileCard({ account, onChanged }: { account: Account; onChanged: (a: Account) => void }) {
  const { t, locale } = useI18n();
  const ask = askFor(locale);
  const { message } = App.useApp();
  const [form] = Form.useForm<{ mobile: string; code: string }>();
  const [sentTo, setSentTo] = useState<string>();
  const [wait, setWait] = useState(0);
  const [busy, setBusy] = useState<'send' | 'confirm'>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    if (wait <= 0) return;
    const timer = setTimeout(() => setWait((w) => w - 1), 1000);
    return () => clearTimeout(timer);
  }, [wait]);

  const send = async () => {
    const { mobile } = await form.validateFields(['mobile']);
    setBusy('send');
    setError(undefined);
    try {
      await api.sendMobileCode(mobile.trim());
      setSentTo(mobile.trim());
      setWait(RESEND_SECONDS);
      message.success(t('account.codeSent'));
    } catch (e) {
      setError(showFieldErrors(form, e, ['mobile']));
    } finally {
      setBusy(undefined);
    }
  };
  const confirm = async (v: { mobile: string; code: string }) => {
    setBusy('confirm');
    setError(undefined);
    try {
      const updated = await api.confirmMobile(sentTo ?? v.mobile.trim(), v.code.trim());
      onChanged(updated);
      form.resetFields();
      setSentTo(undefined);
      setWait(0);
      message.success(t('account.mobileChanged'));
    } catch (e) {
      setError(showFieldErrors(form, e, ['mobile', 'code']));
    } finally {
      setBusy(undefined);
    }
  };

  return (
    <Card title={<h2 className="card-title">{t('account.mobile')}</h2>}>
      <Descriptions column={1} size="small" items={[{ key: 'mobile', label: t('account.currentMobile'), children: account.user.mobile ?? '—' }]} />
      <Typography.Paragraph type="secondary">{t('account.mobileNote')}</Typography.Paragraph>
      {error && <Alert type="error" showIcon title={error} className="form-alert" role="alert" />}
      <Form form={form} layout="vertical" onFinish={confirm} name="mobile-change">
        <Row gutter={16} align="bottom">
          <Col xs={24} md={12}>
            <MobileField label={t('account.newMobile')} requiredMessage={ask(t('register.enter'), t('account.newMobile'))} invalidMessage={t('register.mobileInvalid')} />
          </Col>
          <Col xs={24} md={12}>
            <Form.Item>
              <Button onClick={() => void send()} loading={busy === 'send'} disabled={wait > 0}>
                {wait > 0 ? t('account.resendIn', { seconds: wait }) : t('account.sendCode')}
              </Button>
            </Form.Item>
          </Col>
          {sentTo && (
            <>
              <Col xs={24} md={12}>
                <Form.Item label={t('account.code')} name="code" extra={t('account.codeHelp', { mobile: sentTo })} rules={[{ required: true, pattern: /^\s*\d{6}\s*$/, message: t('account.codeInvalid') }]}>
                  <Input inputMode="numeric" autoComplete="one-time-code" maxLength={6} className="mono" />
                </Form.Item>
              </Col>
              <Col xs={24} md={12}>
                <Form.Item>
                  <Button type="primary" htmlType="submit" loading={busy === 'confirm'}>
                    {t('account.confirmMobile')}
                  </Button>
                </Form.Item>
              </Col>
            </>
          )}
        </Row>
      </Form>
    </Card>
  );
}
