// The "all / active / disabled" filter of the administration lists (users, enterprises).
import { Select } from 'antd';
import { useI18n } from '../../i18n.tsx';

export type AccountState = 'active' | 'disabled';

export function StateFilter({ value, onChange }: { value?: AccountState; onChange: (v?: AccountState) => void }) {
  const { t } = useI18n();
  return (
    <Select<'all' | AccountState>
      aria-label={t('admin.status')}
      style={{ width: 120 }}
      value={value ?? 'all'}
      onChange={(v) => onChange(v === 'all' ? undefined : v)}
      options={[
        { value: 'all', label: t('admin.allStatuses') },
        { value: 'active', label: t('admin.active') },
        { value: 'disabled', label: t('admin.disabledState') },
      ]}
    />
  );
}
