// Form fields bound to a path in the open ruleset. Each field shows, in a variant, the base's value
// beside its own when they differ, and carries data-pointer so the lint panel can scroll to it.
import type { ReactNode } from 'react';
import { Input, InputNumber, Select, Switch, Tooltip, Typography } from 'antd';
import { pointerOf } from '../../../engine/index.ts';
import { getIn, type Path } from '../docPath.ts';
import { useT } from '../i18n.tsx';
import { useEditor } from './EditorContext.tsx';

export const pointerOfPath = (path: Path) => (path.length ? pointerOf(...path) : '');

const show = (v: unknown): string => (v === undefined ? '—' : typeof v === 'object' && v !== null && 'zh' in v ? String((v as { zh: string }).zh) : typeof v === 'string' ? v : JSON.stringify(v));

/** "基础值 …" when the open ruleset is a variant and differs from its base at this path. */
export function BaseHint({ path }: { path: Path }) {
  const { base, doc, baseAt } = useEditor();
  const t = useT();
  if (!base) return null;
  const mine = getIn(doc, path);
  const b = baseAt(path);
  if (b.present && JSON.stringify(b.value) === JSON.stringify(mine)) return null;
  // Absent from both, or inside something the variant adds as a whole (tagged there once).
  if (!b.present && (mine === undefined || (path.length > 1 && !baseAt(path.slice(0, -1)).present))) return null;
  return (
    <Typography.Text className="base-hint" type="warning">
      {b.present ? `${t('fields.base')}：${show(b.value)}` : t('fields.notInBase')}
    </Typography.Text>
  );
}

export function FieldRow({ label, path, children, help }: { label: ReactNode; path: Path; children: ReactNode; help?: ReactNode }) {
  return (
    <div className="field-row" data-pointer={pointerOfPath(path)}>
      <label className="field-label">{label}</label>
      <div className="field-control">
        {children}
        {help && <div className="field-help">{help}</div>}
        <BaseHint path={path} />
      </div>
    </div>
  );
}

export function TextInput({ path, label, required, multiline, placeholder }: { path: Path; label: string; required?: boolean; multiline?: boolean; placeholder?: string }) {
  const { doc, edit, readOnly } = useEditor();
  const value = (getIn(doc, path) as string | undefined) ?? '';
  const onChange = (v: string) => edit(path, v === '' && !required ? undefined : v);
  const props = { value, 'aria-label': label, placeholder, disabled: readOnly, status: required && !value ? ('error' as const) : undefined };
  return multiline ? <Input.TextArea {...props} autoSize={{ minRows: 2, maxRows: 8 }} onChange={(e) => onChange(e.target.value)} /> : <Input {...props} onChange={(e) => onChange(e.target.value)} />;
}

/** A bilingual text ({zh, en}): Chinese required, English optional; an optional text disappears when both are empty. */
export function I18nField({ path, label, optional, multiline }: { path: Path; label: string; optional?: boolean; multiline?: boolean }) {
  const { doc, edit, readOnly } = useEditor();
  const t = useT();
  const value = getIn(doc, path) as { zh: string; en?: string } | undefined;
  const set = (lang: 'zh' | 'en', v: string) => {
    const next = { ...(value ?? { zh: '' }), [lang]: v };
    if (lang === 'en' && v === '') delete next.en;
    edit(path, optional && !next.zh && !next.en ? undefined : next, `${path.join('/')}/${lang}`);
  };
  const Box = multiline ? Input.TextArea : Input;
  return (
    <FieldRow label={label} path={path}>
      <div className="i18n-field">
        <Box
          aria-label={`${label}（${t('fields.chinese')}）`}
          value={value?.zh ?? ''}
          status={!optional && !value?.zh ? 'error' : undefined}
          disabled={readOnly}
          placeholder={t('fields.chinese')}
          onChange={(e) => set('zh', e.target.value)}
          {...(multiline ? { autoSize: { minRows: 2, maxRows: 8 } } : {})}
        />
        <Box
          aria-label={`${label}（${t('fields.english')}）`}
          value={value?.en ?? ''}
          disabled={readOnly}
          placeholder="English"
          onChange={(e) => set('en', e.target.value)}
          {...(multiline ? { autoSize: { minRows: 2, maxRows: 8 } } : {})}
        />
      </div>
    </FieldRow>
  );
}

export function NumberField({ path, label, min, max, step, optional, help }: { path: Path; label: string; min?: number; max?: number; step?: number; optional?: boolean; help?: ReactNode }) {
  const { doc, edit, readOnly } = useEditor();
  const value = getIn(doc, path) as number | undefined;
  return (
    <FieldRow label={label} path={path} help={help}>
      <NumberInput value={value} label={label} min={min} max={max} step={step} disabled={readOnly} onChange={(v) => edit(path, v === null && optional ? undefined : (v ?? 0))} />
    </FieldRow>
  );
}

export function NumberInput({ value, label, onChange, min, max, step, disabled }: { value: number | undefined; label: string; onChange: (v: number | null) => void; min?: number; max?: number; step?: number; disabled?: boolean }) {
  return <InputNumber aria-label={label} value={value} min={min} max={max} step={step ?? 1} disabled={disabled} onChange={(v) => onChange(typeof v === 'number' ? v : null)} />;
}

export function SwitchField({ path, label, help }: { path: Path; label: string; help?: ReactNode }) {
  const { doc, edit, readOnly } = useEditor();
  return (
    <FieldRow label={label} path={path} help={help}>
      <Switch aria-label={label} checked={getIn(doc, path) === true} disabled={readOnly} onChange={(v) => edit(path, v)} />
    </FieldRow>
  );
}

export function SelectField<V extends string | number>({ path, label, options, optional, help, mode }: { path: Path; label: string; options: { value: V; label: string }[]; optional?: boolean; help?: ReactNode; mode?: 'multiple' }) {
  const { doc, edit, readOnly } = useEditor();
  return (
    <FieldRow label={label} path={path} help={help}>
      <Select
        aria-label={label}
        style={{ minWidth: 220 }}
        value={getIn(doc, path) as V}
        options={options}
        mode={mode}
        allowClear={optional}
        disabled={readOnly}
        onChange={(v) => edit(path, v === undefined || (Array.isArray(v) && !v.length && optional) ? undefined : v)}
      />
    </FieldRow>
  );
}

/** A small "?" with the reason a control is there. */
export const Why = ({ children }: { children: ReactNode }) => (
  <Tooltip title={children}>
    <Typography.Text type="secondary" style={{ cursor: 'help' }}>
      {' '}
      ⓘ
    </Typography.Text>
  </Tooltip>
);
