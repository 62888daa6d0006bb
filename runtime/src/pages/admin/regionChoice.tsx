// The regions an administrator works in, by name, for filters and for a new region administrator's
// region: the whole tree for a platform administrator, its own region and those below otherwise.
import { useMemo } from 'react';
import { TreeSelect } from 'antd';
import { api, type RegionTreeNode } from '../../api.ts';
import { useSession } from '../../session.tsx';
import { useAsync } from '../../util.tsx';

interface Option {
  value: string;
  title: string;
  children?: Option[];
}

function subtree(nodes: RegionTreeNode[], code: string): RegionTreeNode[] {
  for (const n of nodes) {
    if (n.code === code) return [n];
    const below = subtree(n.children ?? [], code);
    if (below.length) return below;
  }
  return [];
}

const options = (nodes: RegionTreeNode[]): Option[] => nodes.map((n) => ({ value: n.code, title: n.label, ...(n.children?.length ? { children: options(n.children) } : {}) }));

export function useRegionOptions() {
  const { session } = useSession();
  const regions = useAsync(() => api.regions(), []);
  const own = session?.user.role === 'regionAdmin' ? session.user.region : undefined;
  return useMemo(() => {
    const all = regions.data?.regions ?? [];
    return options(own ? subtree(all, own) : all);
  }, [regions.data, own]);
}

export function RegionSelect({ value, onChange, placeholder, ariaLabel, width, id }: { value?: string; onChange?: (v: string | undefined) => void; placeholder: string; ariaLabel: string; width?: number; id?: string }) {
  const treeData = useRegionOptions();
  return (
    <TreeSelect
      id={id}
      aria-label={ariaLabel}
      style={width ? { width } : { width: '100%' }}
      allowClear
      showSearch
      treeNodeFilterProp="title"
      placeholder={placeholder}
      value={value}
      onChange={(v?: string) => onChange?.(v || undefined)}
      treeData={treeData}
      treeDefaultExpandedKeys={treeData.length === 1 ? [treeData[0].value] : []}
      popupMatchSelectWidth={false}
    />
  );
}
