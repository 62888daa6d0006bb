// The server API the designer uses (through the runtime's API client, in the designer's language).
import type { Finding, Overlay, Question, Ruleset, WeightSet } from '../../engine/index.ts';
import { currentLocale } from './i18n.tsx';
import { apiClient } from '../../ui/api/client.ts';

export { ApiError } from '../../ui/api/client.ts';

const request = apiClient(currentLocale);

export type Role = 'enterprise' | 'regionAdmin' | 'rulesetAuthor' | 'platformAdmin';
export interface Session {
  user: { id: string; username: string; role: Role; region?: string };
}

export interface RulesetListItem {
  id: string;
  version: string;
  status: 'draft' | 'published';
  regions: string[];
  publishedAt?: string;
  title: string;
  extends?: string;
  questions: number;
}

export interface LocalizedFinding {
  severity: 'error' | 'warning' | 'info';
  code: string;
  pointer: string;
  message: string;
}

export interface RulesetRecordView {
  id: string;
  version: string;
  status: 'draft' | 'published';
  regions: string[];
  overlay?: Overlay;
  /** Bumped by every save: a save names the revision it was made from. */
  revision: number;
  document: Ruleset;
  findings: LocalizedFinding[];
}

export interface SavedSummary {
  id: string;
  version: string;
  status: 'draft' | 'published';
  regions: string[];
  extends?: string;
  revision: number;
  findings: LocalizedFinding[];
}

export interface RegionNode {
  code: string;
  name: { zh: string; en: string; label: string };
  /** Created on the platform (a park, a district), not in GB/T 2260. */
  custom?: boolean;
  children?: RegionNode[];
}

export interface Reference {
  regions: RegionNode[];
  industryTypes: { id: string; name: { zh: string; en: string } }[];
}

const enc = encodeURIComponent;
const at = (id: string, version: string) => `/rulesets/${enc(id)}/${enc(version)}`;

export const api = {
  session: () => request<Session>('GET', '/session'),
  login: (username: string, password: string) => request<Session>('POST', '/session', { username, password }),
  logout: () => request<void>('DELETE', '/session'),
  setup: (token: string, username: string, password: string, passwordConfirm: string) => request<Session>('POST', '/setup', { token, username, password, passwordConfirm }),
  reference: () => request<Reference>('GET', '/reference'),

  rulesets: () => request<RulesetListItem[]>('GET', '/rulesets'),
  record: (id: string, version: string) => request<RulesetRecordView>('GET', `${at(id, version)}/record`),
  document: (id: string, version: string) => request<Ruleset>('GET', at(id, version)),
  create: (document: Ruleset) => request<SavedSummary>('POST', '/rulesets', { document }),
  createVariant: (body: { base: string; id: string; version: string; overlay?: Record<string, unknown>; document?: Ruleset }) => request<SavedSummary>('POST', '/rulesets/variants', body),
  /** Refused with 409 `stale` when someone saved since `revision`. */
  save: (document: Ruleset, revision: number) => request<SavedSummary>('PUT', at(document.id, document.version), { document, revision }),
  discard: (id: string, version: string) => request<void>('DELETE', at(id, version)),
  publish: (id: string, version: string, revision: number, newVersion?: string) => request<SavedSummary>('POST', `${at(id, version)}/publish`, { revision, ...(newVersion ? { version: newVersion } : {}) }),

  questionSheetUrl: (id: string, version: string) => `/api${at(id, version)}/questions.xlsx`,
  importQuestionSheet: (file: Blob) => request<{ questions: Question[]; weightSets?: WeightSet[]; defaultWeightSet?: string }>('POST', '/question-sheet', undefined, { raw: file, contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }),

  reportTemplates: () => request<{ id: string; name: string; sections?: string[] }[]>('GET', '/report-templates'),
  reportPreview: (body: { document: Ruleset; industryType: string; excluded?: string[]; answers: Record<string, unknown>; locale?: 'zh' | 'en' }) => request<string>('POST', '/report-preview', body),
};

export type { Finding };
