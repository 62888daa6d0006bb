// The platform's reference data as cascader options (registration and the profile page pick from them alike).
import { useMemo } from 'react';
import type { Reference } from '../api.ts';
import { pick, type Locale } from '../i18n.tsx';

export interface CascaderOption {
  value: string;
  label: string;
  children?: CascaderOption[];
}

/** GB/T 4754 sections with their divisions, "C35 专用设备制造业". */
export function useIndustryOptions(reference: Reference, locale: Locale): CascaderOption[] {
  return useMemo(
    () =>
      reference.industries.map((s) => ({
        value: s.code,
        label: `${s.code} ${pick(s.name, locale)}`,
        children: s.divisions.map((d) => ({ value: d.code, label: `${d.code} ${pick(d.name, locale)}` })),
      })),
    [reference, locale],
  );
}

/** The region tree: provinces, their cities and districts (and the platform's parks). */
export function useRegionOptions(reference: Reference, locale: Locale): CascaderOption[] {
  return useMemo(() => {
    const conv = (n: Reference['regions'][number]): CascaderOption => ({ value: n.code, label: pick(n.name, locale), ...(n.children?.length ? { children: n.children.map(conv) } : {}) });
    return reference.regions.map(conv);
  }, [reference, locale]);
}
