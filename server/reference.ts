// Reference data shipped with Ladder: GB/T 4754-2017 industries, GB/T 2260 regions, and the
// national platform's registration options. Read once at start-up; the region tree then also
// takes in the regions the platform creates (server/regions/).
import { readFileSync } from 'node:fs';
import { RegionTree } from './regions/tree.ts';

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
  /** GB/T 2260 as shipped. */
  regions: RegionNode[];
  /** GB/T 2260 with the regions the platform created; regionPath and regionName read it. */
  regionTree: RegionTree;
  defaultRuleset: string;
  defaultIndustryType: string;
  /** 规模以上工业企业: annual revenue (万元) at or above which the platform counts an enterprise as 规上. */
  aboveScale: { minRevenue: number };
  /** Division code → section and division. */
  division(code: string): { section: IndustrySection; division: IndustrySection['divisions'][number] } | undefined;
  /** Region codes from the province (or a group at the top) down to `code`, or undefined for an unknown region. */
  regionPath(code: string): string[] | undefined;
  regionName(code: string): Named | undefined;
}

const read = (name: string) => JSON.parse(readFileSync(new URL(`./data/${name}`, import.meta.url), 'utf8'));

export function loadReference(): ReferenceData {
  const registration = read('registration.json');
  const industries: IndustrySection[] = read('industries.json').sections;
  const regions: RegionNode[] = read('regions.json').regions;
  const divisions = new Map(industries.flatMap((section) => section.divisions.map((division) => [division.code, { section, division }] as const)));
  const regionTree = new RegionTree(regions);
  return {
    enterpriseTypes: registration.enterpriseTypes,
    sizeBands: registration.sizeBands,
    industryTypes: registration.industryTypes,
    industries,
    regions,
    regionTree,
    defaultRuleset: registration.defaultRuleset,
    defaultIndustryType: registration.defaultIndustryType,
    aboveScale: { minRevenue: registration.aboveScale.minRevenue },
    division: (code) => divisions.get(code),
    regionPath: (code) => regionTree.get(code)?.path,
    regionName: (code) => regionTree.get(code)?.name,
  };
}
