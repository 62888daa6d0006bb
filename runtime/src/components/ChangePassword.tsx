// 修改密码: the current password and a new one. The server ends the user's other sessions (other
// browsers, other devices); this one stays.
import { useState } from 'react';
import { Alert, App, Form, Input, Modal, Typography } from 'antd';
import { api, ApiError, pointerParts } from '../api.ts';
import { useI18n } from '../i18n.tsx';
import { NewPasswordFields } from './NewPasswordFields.tsx';

interface Values {
  currentPassword: string;
  password: string;
  passwordConfirm: string;
}

export function ChangePassword({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const close = () => {
    form.resetFields();
    setError(undefined);
    onClose();
  };
  const submit = async (v: Values) => {
    setBusy(true);
    setError(undefined);
    try {
      await api.changePassword(v);
      message.success(t('account.passwordChanged'));
      close();
    } catch (e) {
      const field = e instanceof ApiError ? pointerParts(e.field)[0] : undefined;
      if (e instanceof ApiError && (field === 'currentPassword' || field === 'password' || field === 'passwordConfirm')) form.setFields([{ name: field, errors: [e.message] }]);
      else setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open={open} title={t('account.changePassword')} okText={t('account.changePassword')} cancelText={t('common.cancel')} confirmLoading={busy} onOk={() => form.submit()} onCancel={close} destroyOnHidden>
      <Typography.Paragraph type="secondary">{t('account.changePasswordNote')}</Typography.Paragraph>
      {error && <Alert type="error" showIcon title={error} className="form-alert" role="alert" />}
      <Form form={form} layout="vertical" onFinish={submit} name="change-password">
        <Form.Item label={t('account.currentPassword')} name="currentPassword" rules={[{ required: true, message: t('login.passwordRequired') }]}>
          <Input.Password autoComplete="current-password" autoFocus />
        </Form.Item>
        <NewPasswordFields />
      </Form>
    </Modal>
  );
}
