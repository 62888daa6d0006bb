// Support requests and the audit log as these pages use them; shapes from ui/api.
import type { Answer, Body } from '../../../../ui/api/types.ts';
import { query, request } from '../../api.ts';

export type SupportRequest = Answer<'getSupportRequestsById'>;
export type SupportStatus = SupportRequest['status'];
export type SupportReplyBody = Body<'postSupportRequestsByIdReplies'>;
export type AuditEntry = Answer<'getAudit'>['items'][number];

export const SUPPORT_STATUSES: SupportStatus[] = ['open', 'inProgress', 'resolved', 'rejected'];

export interface SupportQuery {
  status?: SupportStatus;
  region?: string;
  q?: string;
  page: number;
  pageSize: number;
}

export interface AuditQuery {
  actor?: string;
  action?: string;
  target?: string;
  /** ISO times; `to` exclusive. */
  from?: string;
  to?: string;
  page: number;
  pageSize: number;
}

const enc = encodeURIComponent;

export const supportApi = {
  list: (q: SupportQuery) => request<Answer<'getSupportRequests'>>('GET', `/support-requests${query(q)}`),
  get: (id: string) => request<SupportRequest>('GET', `/support-requests/${enc(id)}`),
  setStatus: (id: string, status: SupportStatus) => request<SupportRequest>('PUT', `/support-requests/${enc(id)}/status`, { status }),
  reply: (id: string, body: SupportReplyBody) => request<SupportRequest>('POST', `/support-requests/${enc(id)}/replies`, body),
  audit: (q: AuditQuery) => request<Answer<'getAudit'>>('GET', `/audit${query(q)}`),
};
