// The mainland mobile number field, shared by registration, password reset and username recovery.
import { Form, Input } from 'antd';

export const MOBILE_PATTERN = /^\s*1[3-9]\d{9}\s*$/;

export function MobileField({ label, requiredMessage, invalidMessage }: { label: string; requiredMessage: string; invalidMessage: string }) {
  return (
    <Form.Item
      label={label}
      name="mobile"
      rules={[
        { required: true, message: requiredMessage },
        { pattern: MOBILE_PATTERN, message: invalidMessage },
      ]}
    >
      <Input autoComplete="tel" inputMode="tel" maxLength={11} />
    </Form.Item>
  );
}
