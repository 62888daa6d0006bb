// Small controls the sections share: identifiers, row actions, JSON-free value entry.
import { Button, Input, Popconfirm, Space, Tooltip } from 'antd';
import { getIn, moveIn, type Path } from '../docPath.ts';
import { useT } from '../i18n.tsx';
import { useEditor } from '../editor/EditorContext.tsx';

const ID = /^[A-Za-z0-9_.-]+$/;

/** An identifier field: letters, digits, _ . - (marked red otherwise; lint names the clash of duplicates). */
export function IdInput({ path, label }: { path: Path; label?: string }) {
  const t = useT();
  const { doc, edit, readOnly } = useEditor();
  const value = String(getIn(doc, path) ?? '');
  return (
    <Tooltip title={ID.test(value) ? undefined : t('common.idPattern')}>
      <Input aria-label={label ?? t('common.id')} value={value} disabled={readOnly} status={ID.test(value) ? undefined : 'error'} onChange={(e) => edit(path, e.target.value)} />
    </Tooltip>
  );
}

/** Move up, move down and delete for the element `index` of the array at `path`. */
export function ListActions({ path, index, length, onDelete }: { path: Path; index: number; length: number; onDelete?: () => void }) {
  const t = useT();
  const { doc, edit, replace, readOnly } = useEditor();
  if (readOnly) return null;
  return (
    <Space size={2}>
      <Button size="small" type="text" aria-label={t('common.moveUp')} disabled={index === 0} onClick={() => replace(moveIn(doc, path, index, index - 1))}>
        ↑
      </Button>
      <Button size="small" type="text" aria-label={t('common.moveDown')} disabled={index === length - 1} onClick={() => replace(moveIn(doc, path, index, index + 1))}>
        ↓
      </Button>
      <Popconfirm title={t('common.deleteEntry')} onConfirm={() => (onDelete ? onDelete() : edit([...path, index], undefined))}>
        <Button size="small" type="text" danger aria-label={t('common.delete')}>
          ✕
        </Button>
      </Popconfirm>
    </Space>
  );
}

/** The next free identifier `prefix-N` among `taken`. */
export function freshId(prefix: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  for (let n = 1; ; n++) if (!used.has(`${prefix}-${n}`)) return `${prefix}-${n}`;
}
