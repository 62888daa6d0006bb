// The first platform administrator, from the one-time link the server prints on its first start.
import { useState } from 'react';
import { Alert, Button, Card, Form, Input } from 'antd';
import { api, ApiError } from '../api.ts';
import { useT } from '../i18n.tsx';
import { useSession } from '../session.tsx';

export function SetupPage({ token }: { token: string }) {
  const t = useT();
  const { refresh } = useSession();
  const [error, setError] = useState<string>();
  const [form] = Form.useForm();
  return (
    <Card title={t('创建平台管理员', 'Create the platform administrator')} className="narrow-card">
      <p>{t('这是首次启动时生成的一次性设置链接。', 'This one-time link was printed when the platform first started.')}</p>
      <Form
        form={form}
        layout="vertical"
        onFinish={async (v: { username: string; password: string; passwordConfirm: string }) => {
          setError(undefined);
          try {
            await api.setup(token, v.username, v.password, v.passwordConfirm);
            history.replaceState(null, '', location.pathname + '#/');
            await refresh();
            location.hash = '#/';
          } catch (e) {
            const err = e as ApiError;
            setError(err.details?.length ? err.details.map((d) => d.message).join('；') : err.message);
          }
        }}
      >
        <Form.Item name="username" label={t('用户名', 'Username')} rules={[{ required: true }]}>
          <Input autoComplete="username" />
        </Form.Item>
        <Form.Item name="password" label={t('密码', 'Password')} rules={[{ required: true }]}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item name="passwordConfirm" label={t('确认密码', 'Confirm password')} rules={[{ required: true }]}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} />}
        <Button type="primary" htmlType="submit" block>
          {t('创建', 'Create')}
        </Button>
      </Form>
    </Card>
  );
}
