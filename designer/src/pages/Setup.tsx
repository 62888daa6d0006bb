// The first platform administrator, from the one-time link the server prints on its first start.
import { useState } from 'react';
import { Alert, Button, Card, Form, Input } from 'antd';
import { api, ApiError } from '../api.ts';
import { useT } from '../i18n.tsx';
import { useSession } from '../session.tsx';
import { navigate } from '../../../ui/router.tsx';

export function SetupPage({ token }: { token: string }) {
  const t = useT();
  const { refresh } = useSession();
  const [error, setError] = useState<string>();
  const [form] = Form.useForm();
  return (
    <Card title={t('setup.title')} className="narrow-card">
      <p>{t('setup.intro')}</p>
      <Form
        form={form}
        layout="vertical"
        onFinish={async (v: { username: string; password: string; passwordConfirm: string }) => {
          setError(undefined);
          try {
            await api.setup(token, v.username, v.password, v.passwordConfirm);
            // The link is spent: replace it in the history (Back must not reopen the form), and go
            // to the list as the new administrator.
            await refresh();
            navigate('/', { replace: true });
          } catch (e) {
            const err = e as ApiError;
            setError(err.details?.length ? err.details.map((d) => d.message).join('；') : err.message);
          }
        }}
      >
        <Form.Item name="username" label={t('common.username')} rules={[{ required: true }]}>
          <Input autoComplete="username" />
        </Form.Item>
        <Form.Item name="password" label={t('common.password')} rules={[{ required: true }]}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item name="passwordConfirm" label={t('setup.confirmPassword')} rules={[{ required: true }]}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} />}
        <Button type="primary" htmlType="submit" block>
          {t('common.create')}
        </Button>
      </Form>
    </Card>
  );
}
