// What the store keeps of the formal assessment (issue 16): the assessment bodies (评估机构) the
// platform accredits and the enterprises' applications to them, with what both backends mean by
// a filter and an open application. Assessors are users (role `assessor`, see types.ts User).
export const BODY_STATUSES = ['active', 'suspended'] as const;
export type BodyStatus = (typeof BODY_STATUSES)[number];

export interface AssessmentBody {
  id: string;
  name: string;
  /** 统一社会信用代码: one body per code. */
  creditCode: string;
  /** Region codes the body serves; absent: anywhere. */
  regions?: string[];
  /** The accreditation the platform recorded (资质证书编号, valid until an ISO date). */
  accreditation: { number: string; validUntil: string };
  status: BodyStatus;
  createdAt: string;
  updatedAt?: string;
}

/** What may change about a body after it is accredited (its credit code is its identity). */
export type AssessmentBodyPatch = Partial<Pick<AssessmentBody, 'name' | 'regions' | 'accreditation' | 'status'>> & { updatedAt: string };

export const APPLICATION_STATUSES = ['submitted', 'accepted', 'declined', 'withdrawn'] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];

/**
 * Applications that are over: an enterprise has at most one application not in these at a time
 * (the PostgreSQL index assessment_applications_open says the same).
 */
export const CLOSED_APPLICATION_STATUSES: ApplicationStatus[] = ['declined', 'withdrawn'];

export interface AssessmentApplication {
  id: string;
  enterpriseId: string;
  bodyId: string;
  /** The enterprise's region path and groups when it applied: whose region administrators may read it. */
  regions: string[];
  /** The ruleset whose assessment scheme the application follows. */
  rulesetId: string;
  rulesetVersion: string;
  /** The counted self-diagnosis it relies on. */
  diagnosisId?: string;
  targetLevel: number;
  /** The application form's values, as the ruleset's scheme declares them. */
  values: Record<string, unknown>;
  status: ApplicationStatus;
  /** The enterprise user who applied. */
  submittedBy: string;
  createdAt: string;
  updatedAt?: string;
  /** The body manager who accepted or declined, when, and what with. */
  decidedBy?: string;
  decidedAt?: string;
  /** 商务签约: the contract's date (YYYY-MM-DD), recorded on acceptance. */
  contractDate?: string;
  declineReason?: string;
  /** Step 2 of GB/T 39117 (预评估), once the application is accepted. */
  preAssessment?: PreAssessment;
  /** Step 3 (正式评估): who scores which requirement, their scores and findings, what they asked for. */
  formal?: FormalAssessment;
}

/** One assessor's score of one requirement's evidence, on the question's scale, with the written finding. */
export interface RequirementScore {
  option: string;
  finding: string;
  at: string;
}

/** 补充材料: an assessor asks the enterprise for more evidence on a requirement. */
export interface EvidenceRequest {
  id: string;
  requirement: string;
  by: string;
  text: string;
  at: string;
}

export interface FormalAssessment {
  /** Requirement (question id) → the assessors the chief assigned to score it. */
  assignments: Record<string, string[]>;
  /** Requirement → assessor → score. */
  scores: Record<string, Record<string, RequirementScore>>;
  requests: EvidenceRequest[];
}

/**
 * The pre-assessment (预评估): the body's manager names the team (a chief assessor and members,
 * the body's own assessors, none affiliated with the enterprise); the chief confirms the scope
 * (the tailored nodes, which may differ from the self-diagnosis), the domains' weights for this
 * enterprise within the ruleset's bounds, and whether the enterprise is ready, with reasons.
 */
export interface PreAssessment {
  team?: { chief: string; members: string[]; setBy: string; setAt: string };
  excluded?: string[];
  weights?: Record<string, number>;
  ready?: boolean;
  readinessNote?: string;
  confirmedBy?: string;
  confirmedAt?: string;
}

/** Which applications a list gives; every given condition must hold. */
export interface AssessmentApplicationFilter {
  enterpriseId?: string;
  bodyId?: string;
  /** Applications of enterprises in any of these regions or groups (a region administrator's). */
  regions?: string[];
  status?: ApplicationStatus;
}

export const isOpenApplication = (a: Pick<AssessmentApplication, 'status'>) => !CLOSED_APPLICATION_STATUSES.includes(a.status);

export function applicationMatches(a: AssessmentApplication, f: AssessmentApplicationFilter): boolean {
  if (f.enterpriseId !== undefined && a.enterpriseId !== f.enterpriseId) return false;
  if (f.bodyId !== undefined && a.bodyId !== f.bodyId) return false;
  if (f.status !== undefined && a.status !== f.status) return false;
  if (f.regions && !a.regions.some((r) => f.regions!.includes(r))) return false;
  return true;
}
