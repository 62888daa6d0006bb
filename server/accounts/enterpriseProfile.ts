// The enterprise's profile as the national platform's registration form asks for it, checked one
// way wherever it is entered: at registration and when the enterprise edits it later. Name and
// credit code are not here: they identify the enterprise and never change after registration.
import { Type } from '@sinclair/typebox';
import { text, type Problem } from '../../engine/index.ts';
import type { ReferenceData } from '../reference.ts';
import type { Enterprise } from '../store/types.ts';
import { EMAIL } from './contact.ts';

const str = (max: number) => Type.String({ maxLength: max });

/** The profile's fields as a request carries them (registration requires them, an edit may leave any out). */
export const ProfileFields = {
  email: str(254),
  enterpriseType: str(40),
  industry: str(10),
  industryType: Type.Optional(str(40)),
  sizeBand: str(40),
  revenue: Type.Number(),
  region: str(12),
};

export interface ProfileInput {
  email?: string;
  enterpriseType?: string;
  industry?: string;
  industryType?: string;
  sizeBand?: string;
  revenue?: number;
  region?: string;
}

/** What the checked fields give: the values to keep (a region with its path). */
export interface CheckedProfile {
  email?: string;
  enterprise: Partial<Pick<Enterprise, 'enterpriseType' | 'industry' | 'industryType' | 'sizeBand' | 'revenue' | 'region' | 'regionPath'>>;
}

export const regionMissing = (): Problem => ({
  code: 'region',
  pointer: '/region',
  message: text('所在地区不在地区列表中；新设地区请联系平台技术支持创建', 'the region is not in the list; for a new region, ask platform support to create it'),
});

/**
 * Checks the fields present in `input`, adding a problem per bad field to `problems`. A new
 * industry without an industry type takes the division's (as at registration).
 */
export function checkProfile(reference: ReferenceData, input: ProfileInput, problems: Problem[]): CheckedProfile {
  const fail = (field: string, zh: string, en: string) => problems.push({ code: field, pointer: `/${field}`, message: text(zh, en) });
  const out: CheckedProfile = { enterprise: {} };
  if (input.email !== undefined) {
    const email = input.email.trim();
    if (!EMAIL.test(email)) fail('email', '电子邮箱格式不正确', 'the e-mail address is not valid');
    out.email = email;
  }
  if (input.enterpriseType !== undefined) {
    if (!reference.enterpriseTypes.some((t) => t.id === input.enterpriseType)) fail('enterpriseType', '请选择企业类型', 'choose the enterprise type');
    out.enterprise.enterpriseType = input.enterpriseType;
  }
  if (input.industry !== undefined) {
    const industry = reference.division(input.industry);
    if (!industry) fail('industry', '请按 GB/T 4754-2017 选择行业类型（大类）', 'choose the industry (a GB/T 4754-2017 division)');
    out.enterprise.industry = input.industry;
    out.enterprise.industryType = industry?.division.industryType ?? reference.defaultIndustryType;
  }
  if (input.industryType !== undefined) {
    if (!reference.industryTypes.some((t) => t.id === input.industryType)) fail('industryType', '请选择制造类型（离散型或流程型）', 'choose the manufacturing type (discrete or process)');
    out.enterprise.industryType = input.industryType;
  }
  if (input.sizeBand !== undefined) {
    if (!reference.sizeBands.some((s) => s.id === input.sizeBand)) fail('sizeBand', '请选择企业规模', 'choose the size band');
    out.enterprise.sizeBand = input.sizeBand;
  }
  if (input.revenue !== undefined) {
    if (!Number.isFinite(input.revenue) || input.revenue < 0) fail('revenue', '企业销售额收入（万元）须为不小于 0 的数', 'sales revenue (10k yuan) must be a number of at least 0');
    out.enterprise.revenue = input.revenue;
  }
  if (input.region !== undefined) {
    const regionPath = reference.regionPath(input.region);
    // A group is not a place: an enterprise joins one besides its region (platform administrators add members).
    if (!regionPath || reference.regionTree.get(input.region)?.kind === 'group') problems.push(regionMissing());
    else Object.assign(out.enterprise, { region: input.region, regionPath });
  }
  return out;
}
