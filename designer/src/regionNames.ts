// Region codes as people know them: "贵州省" rather than 520000, from the platform's region tree.
import { useEffect, useState } from 'react';
import { api, type RegionNode } from './api.ts';

let loading: Promise<Map<string, string>> | undefined;

function index(nodes: RegionNode[], into = new Map<string, string>()) {
  for (const n of nodes) {
    into.set(n.code, n.name.label);
    if (n.children) index(n.children, into);
  }
  return into;
}

/** `name(code)`: the region's label once the tree has loaded (the code until then, or for a code the tree lacks). */
export function useRegionNames(): (code: string) => string {
  const [names, setNames] = useState<Map<string, string>>();
  useEffect(() => {
    loading ??= api.reference().then((r) => index(r.regions));
    loading.then(setNames, () => (loading = undefined));
  }, []);
  return (code) => names?.get(code) ?? code;
}
