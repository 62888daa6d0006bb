// The formal assessment's API as the runtime's pages use it (applications, bodies, the form); shapes from ui/api.
import type { Answer, Body } from '../../../../ui/api/types.ts';
import { query, request } from '../../api.ts';

export type AssessmentBody = Answer<'getAssessmentBodies'>[number];
export type Application = Answer<'getAssessmentApplicationsById'>;
export type ApplicationPage = Answer<'getAssessmentApplications'>;
export type ApplicationForm = Answer<'getAssessmentForm'>;
export type NewApplication = Body<'postAssessmentApplications'>;
export type ApplicationStatus = Application['status'];
export type Assessor = Answer<'getAssessmentBodiesByIdAssessors'>[number];
export type PreAssessmentOptions = Answer<'getAssessmentApplicationsByIdPreAssessmentOptions'>;
export type PreAssessmentChoice = Body<'putAssessmentApplicationsByIdPreAssessment'>;
export type RequirementsProgress = Answer<'getAssessmentApplicationsByIdRequirements'>;
export type Requirement = RequirementsProgress['requirements'][number];

const enc = encodeURIComponent;

export const assessmentApi = {
  bodies: () => request<AssessmentBody[]>('GET', '/assessment-bodies'),
  form: () => request<ApplicationForm>('GET', '/assessment-form'),
  /** The form of a ruleset an application followed (its fields' titles). */
  formOf: (ruleset: { id: string; version: string }) => request<ApplicationForm>('GET', `/assessment-form${query({ ruleset: `${ruleset.id}@${ruleset.version}` })}`),
  applications: (q: { status?: ApplicationStatus; page?: number; pageSize?: number } = {}) => request<ApplicationPage>('GET', `/assessment-applications${query(q)}`),
  apply: (body: NewApplication) => request<Application>('POST', '/assessment-applications', body),
  withdraw: (id: string) => request<Application>('POST', `/assessment-applications/${enc(id)}/withdraw`),
  accept: (id: string, contractDate: string) => request<Application>('POST', `/assessment-applications/${enc(id)}/accept`, { contractDate }),
  decline: (id: string, reason: string) => request<Application>('POST', `/assessment-applications/${enc(id)}/decline`, { reason }),
  assessors: (bodyId: string) => request<Assessor[]>('GET', `/assessment-bodies/${enc(bodyId)}/assessors`),
  setTeam: (id: string, team: { chief: string; members: string[] }) => request<Application>('PUT', `/assessment-applications/${enc(id)}/team`, team),
  preAssessmentOptions: (id: string) => request<PreAssessmentOptions>('GET', `/assessment-applications/${enc(id)}/pre-assessment-options`),
  confirmPreAssessment: (id: string, choice: PreAssessmentChoice) => request<Application>('PUT', `/assessment-applications/${enc(id)}/pre-assessment`, choice),
  application: (id: string) => request<Application>('GET', `/assessment-applications/${enc(id)}`),
  requirements: (id: string) => request<RequirementsProgress>('GET', `/assessment-applications/${enc(id)}/requirements`),
  assign: (id: string, assignments: Record<string, string[]>) => request<RequirementsProgress>('PUT', `/assessment-applications/${enc(id)}/assignments`, { assignments }),
  score: (id: string, requirement: string, option: string, finding: string) => request<RequirementsProgress>('PUT', `/assessment-applications/${enc(id)}/requirements/${enc(requirement)}/score`, { option, finding }),
  request: (id: string, requirement: string, text: string) => request<RequirementsProgress>('POST', `/assessment-applications/${enc(id)}/requirements/${enc(requirement)}/requests`, { text }),
};
