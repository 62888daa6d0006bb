// The HTTP API the runtime talks to (see the API contract): JSON over fetch, the session in an
// httpOnly cookie, messages in the UI's language through Accept-Language.
// The API's shapes come from ui/api (generated from /api/openapi.json), never from server/.
import type { Answer, Body, Schemas } from '../../ui/api/types.ts';

export type Liaison = Answer<'getRegionsByCodeLiaisons'>['liaisons'][number];
export type RegionKind = Answer<'postRegions'>['kind'];
import type { GeneratedForm, NavigationNode as EngineNavigationNode, NodeStatus } from '../../engine/index.ts';
import { currentLocale } from './i18n.tsx';
import { apiClient } from '../../ui/api/client.ts';

export type { NodeStatus };

export interface Named {
  zh: string;
  en?: string;
  label?: string;
}

export { ApiError, type ErrorDetail } from '../../ui/api/client.ts';

/** The last segment names of a JSON pointer ("/indicators/yield/value" → ["indicators", "yield", "value"]). */
export const pointerParts = (pointer: string | undefined) =>
  (pointer ?? '')
    .split('/')
    .filter(Boolean)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));

/** Called on a 401 from an endpoint that needs a session (the session expired). */
let onUnauthorized: (() => void) | undefined;
export const setUnauthorizedHandler = (f: () => void) => {
  onUnauthorized = f;
};

/** Exported for pages with an API module of their own (pages/admin/adminApi.ts). */
export const request = apiClient(currentLocale, () => onUnauthorized);

// ---- reference data and accounts ----

export interface Reference {
  enterpriseTypes: { id: string; name: Named }[];
  sizeBands: { id: string; name: Named }[];
  industryTypes: { id: string; name: Named }[];
  industries: { code: string; name: Named; divisions: { code: string; name: Named }[] }[];
  regions: RegionNode[];
}
export interface RegionNode {
  code: string;
  name: Named;
  children?: RegionNode[];
}

// Account shapes come from the server's own declarations (types only: nothing of the server is bundled).
export type User = Answer<'getSession'>['user'];
export type Enterprise = Answer<'getEnterprisesById'>;
export interface Session {
  user: User;
  enterprise?: Enterprise;
}
export type Registration = Body<'postAccounts'>;
/** One's own account (账号设置): contact details and the enterprise's profile. */
export type Account = Answer<'getAccount'>;
export type ProfileChange = Body<'patchAccountProfile'>;

// ---- diagnoses ----

export interface RulesetRef {
  id: string;
  version: string;
  title: string;
}

export type Phase = { phase: 'tailoring' } | { phase: 'answering'; level: number } | { phase: 'indicators' } | { phase: 'finished' };

/** A diagnosis in the enterprise's list, named, shown and dated as its result page tells it. */
export type DiagnosisSummary = Answer<'getDiagnoses'>['items'][number];

export type AnswerValue = string | string[] | number;

export interface IndicatorEntry {
  value: number | null;
  formula: string;
}

export interface Diagnosis {
  id: string;
  status: 'inProgress' | 'finished' | 'discarded';
  phase: Phase;
  excluded: string[];
  submitted: number[];
  answers: Record<string, AnswerValue>;
  indicators: Record<string, IndicatorEntry>;
  levelResults: { level: number; score: number; reached: boolean; threshold?: number }[];
  ruleset: RulesetRef;
  revision: number;
  startedAt: string;
  finishedAt?: string;
}

export interface Outcome {
  id: string;
  message: string;
}
/** Whether a new diagnosis may start, the reminders that hold, and the attempts left in the counting window. */
export type Eligibility = Answer<'getDiagnosesEligibility'>;

export interface OutlineLevel {
  number: number;
  code: string;
  name: string;
  description?: string;
  threshold: number;
}
export interface IndicatorField {
  id: string;
  label: string;
  help?: string;
  unit?: string;
  valueRequired: boolean;
  formulaRequired: boolean;
}
export interface Outline {
  levels: OutlineLevel[];
  layers: { id: string; name: string }[];
  tailoring: Answer<'getDiagnosesByIdOutline'>['tailoring'];
  /** What the ruleset calls the parts that may be left out (its layer's name, e.g. 能力域). */
  tailoringLayer: string;
  indicators: { title: string; note?: string; notApplicableValue: number; notApplicableFormula: string; fields: IndicatorField[] };
  flow: { onReachedDelaySeconds: number; tailoringLocked?: boolean; requireAllAnswered?: boolean };
}

/** The navigation tree as the API sends it: the engine's, with names already localised (tolerates `{zh, en}`). */
export type NavigationNode = Omit<EngineNavigationNode, 'name' | 'children'> & { name: string | Named; children: NavigationNode[] };

export type FormResponse = GeneratedForm;

export interface SearchHit {
  id: string;
  number: string;
  text: string;
  nodeId: string;
  path: string[];
}

export interface SubmitLevelResponse {
  level: { level: number; score: number; reached: boolean; threshold: number };
  diagnosis: Diagnosis;
  delaySeconds?: number;
}

/** The engine's view of a result (engine/resultView.ts), as /result declares it: the page renders it and computes nothing. */
export type DiagnosisResult = Answer<'getDiagnosesByIdResult'>;
export type ResultNode = Schemas['ViewNode'];

const enc = encodeURIComponent;

// ---- the authorities' dashboard ----

/** One row of a breakdown (by industry, size band or sub-region); industries also carry their GB/T 4754 section. */
export type Breakdown = Dashboard['bySizeBand'][number] & { section?: { code: string; name: string } | null };

/** A region's figures as GET /api/dashboard answers them (server/dashboard/overview.ts). */
export type Dashboard = Answer<'getDashboard'>;

/** One row of the dashboard's enterprise table, as the server builds it. */
export type DashboardEnterprise = Answer<'getDashboardEnterprises'>['items'][number];

export interface EnterpriseQuery {
  region?: string;
  level?: number;
  industry?: string;
  sizeBand?: string;
  q?: string;
  benchmark?: boolean;
  sort?: 'name' | 'level' | 'score' | 'finishedAt';
  order?: 'asc' | 'desc';
  page?: number;
  pageSize?: number;
}

// ---- regions ----

export interface RegionTreeNode {
  code: string;
  kind: RegionKind;
  name: { zh: string; en?: string };
  label: string;
  custom: boolean;
  children?: RegionTreeNode[];
}

export type SubPlatformSettings = Body<'putRegionsByCodeSubPlatform'>;

/** `?a=1&b=x` of the values given (undefined, empty and null left out). */
export const query = (q: object) => {
  const parts = Object.entries(q).filter(([, v]) => v !== undefined && v !== '' && v !== null).map(([k, v]) => `${k}=${enc(String(v))}`);
  return parts.length ? `?${parts.join('&')}` : '';
};

export type CertificateFound = Answer<'getCertificateLookup'>['items'][number];

export const api = {
  certificateLookup: (q: { number?: string; q?: string }) => request<Answer<'getCertificateLookup'>>('GET', `/certificate-lookup${query(q)}`),
  reportUrl: (id: string) => `/api/diagnoses/${enc(id)}/report`,
  reportPdfUrl: (id: string) => `/api/diagnoses/${enc(id)}/report.pdf`,
  reference: () => request<Reference>('GET', '/reference'),
  register: (r: Registration) => request<Session>('POST', '/accounts', r),
  login: (username: string, password: string) => request<Session>('POST', '/session', { username, password }, { quiet401: true }),
  session: () => request<Session>('GET', '/session', undefined, { quiet401: true }),
  logout: () => request<void>('DELETE', '/session'),
  changePassword: (body: { currentPassword: string; password: string; passwordConfirm: string }) => request<void>('PUT', '/session/password', body),
  requestPasswordReset: (username: string, mobile: string) => request<{ message: string }>('POST', '/password-reset/request', { username, mobile }),
  confirmPasswordReset: (b: { username: string; code: string; password: string; passwordConfirm: string }) => request<void>('POST', '/password-reset/confirm', b),
  recoverUsername: (b: { enterpriseName: string; creditCode: string; mobile: string; region?: string }) => request<{ message: string }>('POST', '/username-recovery', b),
  account: () => request<Account>('GET', '/account'),
  updateProfile: (b: ProfileChange) => request<Account>('PATCH', '/account/profile', b),
  sendMobileCode: (mobile: string) => request<void>('POST', '/account/mobile', { mobile }),
  confirmMobile: (mobile: string, code: string) => request<Account>('POST', '/account/mobile/confirm', { mobile, code }),

  diagnoses: () => request<{ items: DiagnosisSummary[] }>('GET', '/diagnoses'),
  eligibility: () => request<Eligibility>('GET', '/diagnoses/eligibility'),
  createDiagnosis: (acknowledgeWarnings: boolean) => request<Diagnosis>('POST', '/diagnoses', acknowledgeWarnings ? { acknowledgeWarnings: true } : {}),
  discardDiagnosis: (id: string) => request<Diagnosis>('DELETE', `/diagnoses/${enc(id)}`),
  diagnosis: (id: string) => request<Diagnosis>('GET', `/diagnoses/${enc(id)}`),
  outline: (id: string) => request<Outline>('GET', `/diagnoses/${enc(id)}/outline`),
  tailor: (id: string, excluded: string[]) => request<Diagnosis>('POST', `/diagnoses/${enc(id)}/tailoring`, { excluded }),
  navigation: (id: string, level: number) => request<NavigationNode[]>('GET', `/diagnoses/${enc(id)}/navigation?level=${level}`),
  form: (id: string, level: number, node?: string) => request<FormResponse>('GET', `/diagnoses/${enc(id)}/form?level=${level}${node ? `&node=${enc(node)}` : ''}`),
  search: (id: string, level: number, q: string) => request<SearchHit[]>('GET', `/diagnoses/${enc(id)}/search?level=${level}&q=${enc(q)}`),
  saveAnswers: (id: string, answers: Record<string, AnswerValue | null>, revision?: number) =>
    request<{ revision: number; savedAt: string }>('PUT', `/diagnoses/${enc(id)}/answers`, { answers, ...(revision !== undefined ? { revision } : {}) }),
  submitLevel: (id: string, level: number) => request<SubmitLevelResponse>('POST', `/diagnoses/${enc(id)}/levels/${level}/submit`),
  saveIndicators: (id: string, values: Record<string, IndicatorEntry>) => request<{ revision?: number; savedAt?: string }>('PUT', `/diagnoses/${enc(id)}/indicators`, { values }),
  submitIndicators: (id: string, values: Record<string, IndicatorEntry>) => request<{ diagnosis: Diagnosis }>('POST', `/diagnoses/${enc(id)}/indicators/submit`, { values }),
  result: (id: string) => request<DiagnosisResult>('GET', `/diagnoses/${enc(id)}/result`),

  regions: () => request<{ regions: RegionTreeNode[] }>('GET', '/regions'),
  createRegion: (body: { parent?: string; kind: Exclude<RegionKind, 'province'>; name: { zh: string; en?: string } }) => request<RegionTreeNode>('POST', '/regions', body),
  renameRegion: (code: string, name: { zh: string; en?: string }) => request<RegionTreeNode>('PATCH', `/regions/${enc(code)}`, { name }),
  deleteRegion: (code: string) => request<void>('DELETE', `/regions/${enc(code)}`),
  liaisons: (code: string) => request<{ region: string; liaisons: Liaison[] }>('GET', `/regions/${enc(code)}/liaisons`),
  saveLiaisons: (code: string, liaisons: Liaison[]) => request<{ region: string; liaisons: Liaison[] }>('PUT', `/regions/${enc(code)}/liaisons`, { liaisons }),
  subPlatform: (code: string) => request<Partial<SubPlatformSettings> & { region: string; enabled: boolean }>('GET', `/regions/${enc(code)}/sub-platform`),
  saveSubPlatform: (code: string, body: SubPlatformSettings) => request<unknown>('PUT', `/regions/${enc(code)}/sub-platform`, body),
  rulesets: () => request<{ id: string; version: string; status: string; regions: string[]; title: string }[]>('GET', '/rulesets'),
  home: () => request<{ subPlatform: { region: { code: string; name: string }; name: string; notice: string } | null }>('GET', '/home'),
  dashboard: (region?: string) => request<Dashboard>('GET', `/dashboard${query({ region })}`),
  dashboardEnterprises: (q: EnterpriseQuery) => request<{ total: number; items: DashboardEnterprise[] }>('GET', `/dashboard/enterprises${query({ ...q })}`),
  dashboardCsvUrl: (q: EnterpriseQuery) => `/api/dashboard/enterprises${query({ ...q, page: undefined, pageSize: undefined, format: 'csv' })}`,
  markBenchmark: (id: string, benchmark: boolean) => request<unknown>('PUT', `/dashboard/enterprises/${enc(id)}/benchmark`, { benchmark }),
  setTargets: (region: string | undefined, targets: Body<'putDashboardTargets'>['targets']) => request<unknown>('PUT', `/dashboard/targets${query({ region })}`, { targets }),
};
