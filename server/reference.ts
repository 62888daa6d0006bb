// Reference data shipped with Ladder: GB/T 4754-2017 industries, GB/T 2260 regions, and the
// national platform's registration options. Read once at start-up.
import { readFileSync } from 'node:fs';

interface Named {
  zh: string;
  en?: string;
}

export interface IndustrySection {
  code: string;
  name: Named;
  divisions: { code: string; name: Named; industryType?: string }[];
}

export interface RegionNode {
  code: string;
  name: Named;
  children?: RegionNode[];
}

export interface ReferenceData {
  enterpriseTypes: { id: string; name: Named }[];
  sizeBands: { id: string; name: Named }[];
  /** The industry types the platform files enterprises under (GB/T 4754 divisions map to them); rulesets key weights and questions by these ids. */
  industryTypes: { id: string; name: Named }[];
  industries: IndustrySection[];
  regions: RegionNode[];
  defaultRuleset: string;
  defaultIndustryType: string;
  /** Division code → section and division. */
  division(code: string): { section: IndustrySection; division: IndustrySection['divisions'][number] } | undefined;
  /** Region codes from the province down to `code`, or undefined for an unknown region. */
  regionPath(code: string): string[] | undefined;
  regionName(code: string): Named | undefined;
}

const read = (name: string) => JSON.parse(readFileSync(new URL(`./data/${name}`, import.meta.url), 'utf8'));

export function loadReference(): ReferenceData {
  const registration = read('registration.json');
  const industries: IndustrySection[] = read('industries.json').sections;
  const regions: RegionNode[] = read('regions.json').regions;
  const divisions = new Map(industries.flatMap((section) => section.divisions.map((division) => [division.code, { section, division }] as const)));
  const paths = new Map<string, { path: string[]; name: Named }>();
  const walk = (nodes: RegionNode[], above: string[]) => {
    for (const n of nodes) {
      paths.set(n.code, { path: [...above, n.code], name: n.name });
      walk(n.children ?? [], [...above, n.code]);
    }
  };
  walk(regions, []);
  return {
    enterpriseTypes: registration.enterpriseTypes,
    sizeBands: registration.sizeBands,
    industryTypes: registration.industryTypes,
    industries,
    regions,
    defaultRuleset: registration.defaultRuleset,
    defaultIndustryType: registration.defaultIndustryType,
    division: (code) => divisions.get(code),
    regionPath: (code) => paths.get(code)?.path,
    regionName: (code) => paths.get(code)?.name,
  };
}
