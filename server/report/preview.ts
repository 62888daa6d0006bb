// A report for a ruleset still being designed, from sample answers. The answers go through the
// same flow as an enterprise's would (tailoring, level after level as the ruleset's flow decides,
// the indicators page), so the preview shows what that enterprise would get; the enterprise is
// plainly a preview, never a real one.
import {
  checkAnswers,
  score,
  startState,
  submitIndicators,
  submitLevel,
  submitTailoring,
  type AnswerValue,
  type Problem,
  type Ruleset,
} from '../../engine/index.ts';
import type { ReferenceData } from '../reference.ts';
import type { Diagnosis, Enterprise } from '../store/types.ts';

export const PREVIEW_ENTERPRISE_NAME = '示例企业（预览）';

export interface PreviewAnswers {
  industryType: string;
  excluded?: string[];
  answers: Record<string, AnswerValue>;
}

/** The preview enterprise: in the ruleset's first region when it names a known one, else in the first region of the list. */
export function previewEnterprise(ruleset: Ruleset, industryType: string, reference: ReferenceData, at: Date): Enterprise {
  const region = (ruleset.regions ?? []).find((r) => reference.regionPath(r)) ?? reference.regions[0].code;
  const divisions = reference.industries.flatMap((s) => s.divisions);
  const division = divisions.find((d) => d.industryType === industryType) ?? divisions[0];
  return {
    id: 'preview',
    name: PREVIEW_ENTERPRISE_NAME,
    creditCode: '—',
    enterpriseType: reference.enterpriseTypes[0].id,
    industry: division.code,
    industryType,
    sizeBand: '',
    revenue: 0,
    region,
    regionPath: reference.regionPath(region)!,
    createdAt: at.toISOString(),
  };
}

/**
 * The finished diagnosis these answers make, or the problems that stop it, with pointers into
 * the request (/industryType, /excluded/<i>, /answers/<question id>).
 */
export async function previewDiagnosis(ruleset: Ruleset, input: PreviewAnswers, enterprise: Enterprise, at: Date): Promise<{ ok: true; diagnosis: Diagnosis } | { ok: false; problems: Problem[] }> {
  const { industryType, answers } = input;
  const excluded = input.excluded ?? [];
  const problems = checkAnswers(ruleset, { industryType, excluded, answers });
  if (problems.length) return { ok: false, problems };
  const facts = { industryType, enterpriseType: enterprise.enterpriseType, industry: enterprise.industry, regionPath: enterprise.regionPath, sizeBand: enterprise.sizeBand, revenue: enterprise.revenue };
  const tailored = await submitTailoring(ruleset, startState(), excluded, facts);
  if (!tailored.ok) return tailored;
  let state = tailored.state;
  const iso = at.toISOString();
  const levelResults: Diagnosis['levelResults'] = [];
  // Each submission moves to a higher level or out of answering, so this ends.
  while (state.phase.phase === 'answering') {
    const t = submitLevel(ruleset, state, { industryType, answers });
    if (!t.ok) return t;
    levelResults.push({ level: t.level!.level, score: t.level!.score ?? 0, reached: !!t.level!.reached, threshold: t.level!.threshold, submittedAt: iso });
    state = t.state;
  }
  // The indicators page filled in as "not applicable": the preview is about the levels.
  const { fields, notApplicableValue, notApplicableFormula } = ruleset.flow.indicators;
  const indicators = Object.fromEntries(fields.map((f) => [f.id, { value: notApplicableValue, formula: notApplicableFormula }]));
  if (state.phase.phase === 'indicators') {
    const t = submitIndicators(ruleset, state, indicators);
    if (!t.ok) return t;
    state = t.state;
  }
  const result = score(ruleset, { industryType, excluded: state.excluded, answers, levels: state.submitted }, 'nodes');
  return {
    ok: true,
    diagnosis: {
      id: 'preview',
      enterpriseId: enterprise.id,
      userId: 'preview',
      rulesetId: ruleset.id,
      rulesetVersion: ruleset.version,
      status: 'finished',
      state,
      answers,
      indicators,
      levelResults,
      result,
      revision: 1,
      startedAt: iso,
      finishedAt: iso,
      updatedAt: iso,
    },
  };
}
