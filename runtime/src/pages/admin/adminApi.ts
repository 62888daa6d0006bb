// The administration API (users and enterprises) as these pages use it; shapes from ui/api.
import type { Answer, Body } from '../../../../ui/api/types.ts';
import { query, request, type DiagnosisSummary } from '../../api.ts';

export type AdminUser = Answer<'getAdminUsersById'>;
export type AdminEnterprise = Answer<'getAdminEnterprisesById'>['enterprise'];
export type EnterpriseDetail = Answer<'getAdminEnterprisesById'>;
export type NewStaff = Body<'postUsers'>;
export type StaffRole = NewStaff['role'];
export type Role = AdminUser['role'];

export interface UserQuery {
  q?: string;
  role?: Role;
  region?: string;
  status?: 'active' | 'disabled';
  page: number;
  pageSize: number;
}

export interface EnterpriseQuery {
  q?: string;
  region?: string;
  industry?: string;
  sizeBand?: string;
  status?: 'active' | 'disabled';
  page: number;
  pageSize: number;
}

const enc = encodeURIComponent;

export const adminApi = {
  users: (q: UserQuery) => request<Answer<'getAdminUsers'>>('GET', `/admin/users${query(q)}`),
  createUser: (body: NewStaff) => request<Answer<'postUsers'>>('POST', '/users', body),
  setUserDisabled: (id: string, disabled: boolean) => request<Answer<'postAdminUsersByIdDisable'>>('POST', `/admin/users/${enc(id)}/${disabled ? 'disable' : 'enable'}`),
  resetPassword: (id: string, body: Body<'postAdminUsersByIdPasswordReset'>) => request<Answer<'postAdminUsersByIdPasswordReset'>>('POST', `/admin/users/${enc(id)}/password-reset`, body),
  endSessions: (id: string) => request<Answer<'deleteAdminUsersByIdSessions'>>('DELETE', `/admin/users/${enc(id)}/sessions`),
  enterprises: (q: EnterpriseQuery) => request<Answer<'getAdminEnterprises'>>('GET', `/admin/enterprises${query(q)}`),
  enterprise: (id: string) => request<EnterpriseDetail>('GET', `/admin/enterprises/${enc(id)}`),
  setEnterpriseDisabled: (id: string, disabled: boolean) => request<Answer<'postAdminEnterprisesByIdDisable'>>('POST', `/admin/enterprises/${enc(id)}/${disabled ? 'disable' : 'enable'}`),
  /** The enterprise's diagnoses as the server names and shows them (its result view): nothing computed here. */
  diagnosesOf: (enterpriseId: string) => request<{ items: DiagnosisSummary[] }>('GET', `/diagnoses?enterprise=${enc(enterpriseId)}`),
};
