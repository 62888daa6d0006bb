// A new password and its confirmation, checked as the server checks them: shared by the password
// reset and by changing one's password.
import { Form, Input } from 'antd';
import { useI18n } from '../i18n.tsx';

export const strongEnough = (v: string) => v.length >= 8 && /[A-Za-z]/.test(v) && /\d/.test(v);

export function NewPasswordFields() {
  const { t } = useI18n();
  return (
    <>
      <Form.Item
        label={t('forgotPassword.newPassword')}
        name="password"
        extra={t('register.passwordHelp')}
        rules={[
          { required: true, message: t('register.passwordHelp') },
          { validator: (_, v: string | undefined) => (!v || strongEnough(v) ? Promise.resolve() : Promise.reject(new Error(t('register.passwordHelp')))) },
        ]}
      >
        <Input.Password autoComplete="new-password" />
      </Form.Item>
      <Form.Item
        label={t('forgotPassword.newPasswordConfirm')}
        name="passwordConfirm"
        dependencies={['password']}
        rules={[
          { required: true, message: t('register.passwordMismatch') },
          ({ getFieldValue }) => ({
            validator: (_, v: string | undefined) => (!v || v === getFieldValue('password') ? Promise.resolve() : Promise.reject(new Error(t('register.passwordMismatch')))),
          }),
        ]}
      >
        <Input.Password autoComplete="new-password" />
      </Form.Item>
    </>
  );
}
