// The formal assessment (GB/T 39117's application → pre-assessment → assessment → result →
// certificate) as the ruleset's `assessment` scheme declares it. Pure: the server keeps the
// records, this says what they mean — whether an application may go ahead, which requirements are
// in scope, what the assessors' scores come to, and a certificate's number, validity and status.
import type { ApplicationField, Assessment, Question, Ruleset } from './schema/ruleset.ts';
import { EngineError, pointerOf, text, type Problem, type Text } from './problem.ts';
import { matchingRules } from './rules.ts';
import { applicableQuestions, type EnterpriseFacts } from './tailoring.ts';
import { pickWeightSet, score, type ScoreResult } from './scoring.ts';
import { checkWeightAdjustment } from './weightAdjustment.ts';
import { localized } from './model.ts';

/** A person on a people field: someone trained and examined, with the certificate that says so. */
export interface ListedPerson {
  name: string;
  certificateNo: string;
}

export type ApplicationValue = string | number | ListedPerson[];
export type ApplicationValues = Record<string, ApplicationValue>;

/** Facts every application rule may use besides the fields and the enterprise's. */
export const APPLICATION_FACTS = ['targetLevel', 'selfDiagnosisLevel', 'selfDiagnosisScore'] as const;

/** The scheme, or an EngineError saying the ruleset has none. */
export function assessmentScheme(ruleset: Ruleset): Assessment {
  if (!ruleset.assessment)
    throw new EngineError([{ code: 'no_assessment', pointer: '/assessment', message: text(`规则集 ${ruleset.id}@${ruleset.version} 未定义正式评估方案`, `the ruleset ${ruleset.id}@${ruleset.version} declares no formal assessment`) }]);
  return ruleset.assessment;
}

const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/** The form's values checked against its fields: each problem names the field (/values/<id>) and why. */
export function checkApplicationValues(scheme: Assessment, values: ApplicationValues): Problem[] {
  const problems: Problem[] = [];
  const fields = new Map(scheme.application.fields.map((f) => [f.id, f]));
  const say = (field: string, zh: string, en: string, at: (string | number)[] = []) => problems.push({ code: 'application_field', pointer: pointerOf('values', field, ...at), message: text(zh, en) });
  for (const id of Object.keys(values)) if (!fields.has(id)) say(id, `申请表没有字段 ${id}`, `the application form has no field ${id}`);
  for (const f of scheme.application.fields) {
    const label = f.label.zh;
    const labelEn = f.label.en ?? f.label.zh;
    const v = values[f.id];
    const empty = v === undefined || v === '' || (Array.isArray(v) && v.length === 0);
    if (empty) {
      if (f.required) say(f.id, `请填写“${label}”`, `"${labelEn}" is required`);
      if (f.kind !== 'people' || v === undefined) continue;
    }
    switch (f.kind) {
      case 'text':
        if (typeof v !== 'string') say(f.id, `“${label}”应为文字`, `"${labelEn}" must be text`);
        else if (f.maxLength && [...v].length > f.maxLength) say(f.id, `“${label}”最多 ${f.maxLength} 个字`, `"${labelEn}" takes at most ${f.maxLength} characters`);
        break;
      case 'number':
        if (typeof v !== 'number' || !Number.isFinite(v)) say(f.id, `“${label}”应为数字`, `"${labelEn}" must be a number`);
        else if ((f.min !== undefined && v < f.min) || (f.max !== undefined && v > f.max)) say(f.id, `“${label}”应在 ${f.min ?? '−∞'} 到 ${f.max ?? '∞'} 之间`, `"${labelEn}" must be between ${f.min ?? '−∞'} and ${f.max ?? '∞'}`);
        break;
      case 'date':
        if (typeof v !== 'string' || !DATE.test(v) || Number.isNaN(Date.parse(`${v}T00:00:00Z`))) say(f.id, `“${label}”应为日期，如 2026-03-01`, `"${labelEn}" must be a date such as 2026-03-01`);
        break;
      case 'choice':
        if (typeof v !== 'string' || !(f.options ?? []).some((o) => o.id === v)) say(f.id, `“${label}”应为给定选项之一`, `"${labelEn}" must be one of its options`);
        break;
      case 'people': {
        if (!Array.isArray(v)) {
          say(f.id, `“${label}”应为人员名单`, `"${labelEn}" must be a list of persons`);
          break;
        }
        if (f.min !== undefined && v.length < f.min) say(f.id, `“${label}”至少 ${f.min} 人`, `"${labelEn}" needs at least ${f.min} persons`);
        if (f.max !== undefined && v.length > f.max) say(f.id, `“${label}”最多 ${f.max} 人`, `"${labelEn}" takes at most ${f.max} persons`);
        const seen = new Set<string>();
        v.forEach((p, i) => {
          const person = p as Partial<ListedPerson>;
          if (typeof person?.name !== 'string' || !person.name.trim()) say(f.id, `“${label}”第 ${i + 1} 人缺少姓名`, `person ${i + 1} of "${labelEn}" has no name`, [i, 'name']);
          if (typeof person?.certificateNo !== 'string' || !person.certificateNo.trim())
            say(f.id, `“${label}”第 ${i + 1} 人缺少证书编号`, `person ${i + 1} of "${labelEn}" has no certificate number`, [i, 'certificateNo']);
          else if (seen.has(person.certificateNo.trim())) say(f.id, `“${label}”中证书编号 ${person.certificateNo} 重复`, `certificate number ${person.certificateNo} appears twice in "${labelEn}"`, [i, 'certificateNo']);
          else seen.add(person.certificateNo.trim());
        });
        break;
      }
    }
  }
  return problems;
}

/** A field's value as a rule sees it: a people field is the number of persons listed. */
const factOf = (field: ApplicationField, value: ApplicationValue | undefined) => (field.kind === 'people' ? (Array.isArray(value) ? value.length : 0) : value);

export interface ApplicationRequest {
  targetLevel: number;
  values: ApplicationValues;
  /** The enterprise's counted self-diagnosis, if it has one. */
  selfDiagnosis?: { level: number; score: number };
  enterprise: EnterpriseFacts;
}

export interface ApplicationDecision {
  /** The form's problems (each naming its field); an application with any is not taken. */
  problems: Problem[];
  /** The rules that refuse it, with their messages. */
  refusals: { rule: string; message: Text }[];
  allowed: boolean;
}

/** Whether an enterprise may send this application: the form is complete and no rule refuses it. */
export async function checkApplication(ruleset: Ruleset, request: ApplicationRequest): Promise<ApplicationDecision> {
  const scheme = assessmentScheme(ruleset);
  const problems = checkApplicationValues(scheme, request.values);
  if (!scheme.targetLevels.includes(request.targetLevel))
    problems.push({
      code: 'target_level',
      pointer: '/targetLevel',
      message: text(`可申请的等级为 ${scheme.targetLevels.join('、')} 级`, `the levels one may apply for are ${scheme.targetLevels.join(', ')}`),
    });
  const facts: Record<string, unknown> = {
    ...request.enterprise,
    targetLevel: request.targetLevel,
    selfDiagnosisLevel: request.selfDiagnosis?.level ?? 0,
    selfDiagnosisScore: request.selfDiagnosis?.score ?? 0,
  };
  for (const f of scheme.application.fields) facts[f.id] = factOf(f, request.values[f.id]);
  const fired = await matchingRules(scheme.application.rules, facts);
  const refusals = scheme.application.rules.filter((r) => fired.has(r.id)).map((r) => ({ rule: r.id, message: { zh: r.message.zh, en: r.message.en ?? r.message.zh } }));
  return { problems, refusals, allowed: problems.length === 0 && refusals.length === 0 };
}

export interface AssessmentScope {
  targetLevel: number;
  industryType: string;
  /** Nodes tailored out, as the team confirmed them in the pre-assessment. */
  excluded: string[];
}

/** The requirements an assessment verifies: every question of the levels up to the target that applies to the enterprise. */
export function assessmentRequirements(ruleset: Ruleset, scope: AssessmentScope): Question[] {
  return applicableQuestions(ruleset, { excluded: scope.excluded, industryType: scope.industryType }).filter((q) => q.level <= scope.targetLevel && q.kind !== 'text');
}

/** The weights set in the pre-assessment, checked against the ruleset's bounds (problems name the node). */
export function checkAssessmentWeights(ruleset: Ruleset, industryType: string, weights: Record<string, number>): Problem[] {
  return checkWeightAdjustment(ruleset, pickWeightSet(ruleset, industryType), weights);
}

export interface AssessmentOutcome {
  result: ScoreResult;
  /** The level the assessment establishes: what the scores reach, never above the target applied for. */
  level: number;
  /** Requirements in scope not scored yet: a result is issued only when there are none. */
  unscored: string[];
}

/**
 * What the assessors' scores come to. `scores` holds each requirement's agreed option (the scale
 * of the question); the team's weights are applied within the ruleset's bounds.
 */
export function assessmentOutcome(ruleset: Ruleset, scope: AssessmentScope & { weights?: Record<string, number>; scores: Record<string, string> }): AssessmentOutcome {
  const requirements = assessmentRequirements(ruleset, scope);
  const inScope = new Set(requirements.map((q) => q.id));
  const outside = Object.keys(scope.scores).filter((id) => !inScope.has(id));
  if (outside.length)
    throw new EngineError(outside.map((id) => ({ code: 'out_of_scope', pointer: pointerOf('scores', id), message: text(`要求 ${id} 不在本次评估范围内`, `requirement ${id} is not in this assessment's scope`) })));
  const levels = ruleset.levels.map((l) => l.number).filter((n) => n <= scope.targetLevel);
  const result = score(ruleset, { industryType: scope.industryType, excluded: scope.excluded, answers: scope.scores, levels, ...(scope.weights ? { weights: scope.weights } : {}) });
  return { result, level: Math.min(result.level, scope.targetLevel), unscored: requirements.filter((q) => scope.scores[q.id] === undefined).map((q) => q.id) };
}

// ---------------------------------------------------------------- certificates

/** Wall-clock fields in the ruleset's time zone. */
const localDate = (at: Date, offsetMinutes: number) => new Date(at.getTime() + offsetMinutes * 60_000);

/** PREFIX-YEAR-SEQUENCE, the year the certificate is issued in the ruleset's time zone. */
export function certificateNumber(scheme: Assessment, issuedAt: Date, sequence: number, offsetMinutes: number): string {
  return `${scheme.certificate.numberPrefix}-${localDate(issuedAt, offsetMinutes).getUTCFullYear()}-${String(sequence).padStart(5, '0')}`;
}

/** The last day (YYYY-MM-DD, the ruleset's time zone) a certificate issued at `issuedAt` is valid on. */
export function certificateValidUntil(scheme: Assessment, issuedAt: Date, offsetMinutes: number): string {
  const d = localDate(issuedAt, offsetMinutes);
  const end = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + scheme.certificate.validityMonths, d.getUTCDate()));
  // Issued on 31 August for 6 months: valid until the end of February, not into March.
  if (end.getUTCDate() !== d.getUTCDate()) end.setUTCDate(0);
  end.setUTCDate(end.getUTCDate() - 1);
  return end.toISOString().slice(0, 10);
}

export type CertificateState = 'valid' | 'expired' | 'suspended' | 'revoked';

/** A certificate's standing now: revoked and suspended win over the dates. */
export function certificateStatus(cert: { validUntil: string; suspendedAt?: string; revokedAt?: string }, now: Date, offsetMinutes: number): CertificateState {
  if (cert.revokedAt) return 'revoked';
  if (cert.suspendedAt) return 'suspended';
  const today = localDate(now, offsetMinutes).toISOString().slice(0, 10);
  return today > cert.validUntil ? 'expired' : 'valid';
}

export const CERTIFICATE_STATE_TEXT: Record<CertificateState, Text> = {
  valid: text('有效', 'valid'),
  expired: text('已过期', 'expired'),
  suspended: text('已暂停', 'suspended'),
  revoked: text('已撤销', 'revoked'),
};

/** The application form as @rjsf renders it (the same form engine as the questions). */
export function applicationForm(scheme: Assessment, locale: 'zh' | 'en'): { schema: Record<string, unknown>; uiSchema: Record<string, unknown> } {
  const properties: Record<string, unknown> = {};
  const uiSchema: Record<string, unknown> = { 'ui:order': scheme.application.fields.map((f) => f.id) };
  for (const f of scheme.application.fields) {
    const title = localized(f.label, locale);
    const description = f.help ? localized(f.help, locale) : undefined;
    const common = { title, ...(description ? { description } : {}) };
    switch (f.kind) {
      case 'text':
        properties[f.id] = { type: 'string', ...common, ...(f.maxLength ? { maxLength: f.maxLength } : {}) };
        break;
      case 'number':
        properties[f.id] = { type: 'number', ...common, ...(f.min !== undefined ? { minimum: f.min } : {}), ...(f.max !== undefined ? { maximum: f.max } : {}) };
        break;
      case 'date':
        properties[f.id] = { type: 'string', format: 'date', ...common };
        break;
      case 'choice':
        properties[f.id] = { type: 'string', ...common, oneOf: (f.options ?? []).map((o) => ({ const: o.id, title: localized(o.label, locale) })) };
        break;
      case 'people':
        properties[f.id] = {
          type: 'array',
          ...common,
          ...(f.min !== undefined ? { minItems: f.min } : {}),
          ...(f.max !== undefined ? { maxItems: f.max } : {}),
          items: {
            type: 'object',
            required: ['name', 'certificateNo'],
            properties: { name: { type: 'string', title: locale === 'zh' ? '姓名' : 'Name' }, certificateNo: { type: 'string', title: locale === 'zh' ? '证书编号' : 'Certificate number' } },
          },
        };
        break;
    }
  }
  return { schema: { type: 'object', title: localized(scheme.title, locale), required: scheme.application.fields.filter((f) => f.required).map((f) => f.id), properties }, uiSchema };
}
