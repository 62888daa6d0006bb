// The self-diagnosis as a state machine: tailoring → level n → … → indicators → finished.
// What happens after each level comes from the ruleset's flow, never from code.
import type { FlowAction, Ruleset } from './schema/ruleset.ts';
import { score, type AnswerSet, type LevelResult } from './scoring.ts';
import { applicableQuestions, checkTailoring, type EnterpriseFacts } from './tailoring.ts';
import { indexRuleset } from './model.ts';
import { type Problem, text, pointerOf } from './problem.ts';

export type Phase =
  | { phase: 'tailoring' }
  | { phase: 'answering'; level: number }
  | { phase: 'indicators' }
  | { phase: 'finished' };

export interface DiagnosisState {
  phase: Phase;
  excluded: string[];
  /** Levels submitted so far, in order. */
  submitted: number[];
}

export type Transition =
  | { ok: true; state: DiagnosisState; level?: LevelResult; delaySeconds?: number }
  | { ok: false; problems: Problem[] };

export const startState = (): DiagnosisState => ({ phase: { phase: 'tailoring' }, excluded: [], submitted: [] });

const wrongPhase = (state: DiagnosisState, expected: string): Transition => ({
  ok: false,
  problems: [{ code: 'flow.phase', pointer: '', message: text(`当前阶段（${state.phase.phase}）不能执行此操作，应处于 ${expected}`, `not possible in phase ${state.phase.phase}; expected ${expected}`) }],
});

export async function submitTailoring(ruleset: Ruleset, state: DiagnosisState, excluded: string[], facts: EnterpriseFacts): Promise<Transition> {
  if (state.phase.phase !== 'tailoring') return wrongPhase(state, 'tailoring');
  const problems = await checkTailoring(ruleset, excluded, facts);
  if (problems.length) return { ok: false, problems };
  // A sub-domain ticked under a domain that is left out anyway says nothing more: one id for one part.
  const index = indexRuleset(ruleset);
  const chosen = new Set(excluded);
  const kept = [...chosen].filter((id) => !index.nodeById.get(id)!.path.slice(0, -1).some((p) => chosen.has(p)));
  return { ok: true, state: { ...state, excluded: kept, phase: { phase: 'answering', level: ruleset.flow.startLevel } } };
}

function phaseFor(ruleset: Ruleset, action: FlowAction, level: number): Phase {
  const next = indexRuleset(ruleset).levels.find((l) => l.number > level);
  if (action === 'nextLevel') return next ? { phase: 'answering', level: next.number } : phaseFor(ruleset, ruleset.flow.afterLastLevel.action, level);
  return action === 'indicators' ? { phase: 'indicators' } : { phase: 'finished' };
}

/** Scores the level being answered and moves on as the ruleset's flow says. */
export function submitLevel(ruleset: Ruleset, state: DiagnosisState, answerSet: AnswerSet): Transition {
  if (state.phase.phase !== 'answering') return wrongPhase(state, 'answering');
  const level = state.phase.level;
  if (ruleset.flow.requireAllAnswered) {
    const missing = applicableQuestions(ruleset, { excluded: state.excluded, industryType: answerSet.industryType, level }).filter(
      (q) => answerSet.answers[q.id] === undefined || answerSet.answers[q.id] === null,
    );
    if (missing.length) {
      const numbers = missing.map((q) => q.number).join(', ');
      return {
        ok: false,
        problems: missing.map((q) => ({ code: 'flow.unanswered', pointer: pointerOf('answers', q.id), message: text(`还有 ${missing.length} 题未作答：${numbers}`, `${missing.length} questions unanswered: ${numbers}`) })),
      };
    }
  }
  const submitted = [...state.submitted, level];
  const result = score(ruleset, { ...answerSet, excluded: state.excluded, levels: submitted }, 'summary');
  const entry = result.levels.find((l) => l.level === level)!;
  const isLast = !indexRuleset(ruleset).levels.some((l) => l.number > level);
  const action = !entry.reached ? ruleset.flow.onNotReached.action : isLast ? ruleset.flow.afterLastLevel.action : ruleset.flow.onReached.action;
  const phase = phaseFor(ruleset, action, level);
  const delaySeconds = entry.reached && phase.phase === 'answering' ? ruleset.flow.onReached.delaySeconds ?? 0 : undefined;
  return { ok: true, state: { ...state, submitted, phase }, level: entry, ...(delaySeconds !== undefined ? { delaySeconds } : {}) };
}

export interface IndicatorValue {
  value: number | null;
  formula: string;
}

export function checkIndicators(ruleset: Ruleset, values: Record<string, IndicatorValue | undefined>): Problem[] {
  const { fields, notApplicableValue, notApplicableFormula } = ruleset.flow.indicators;
  const problems: Problem[] = [];
  const known = new Set(fields.map((f) => f.id));
  for (const id of Object.keys(values)) {
    if (!known.has(id)) problems.push({ code: 'indicators.unknown', pointer: pointerOf('indicators', id), message: text(`不存在的指标 "${id}"`, `no indicator "${id}"`) });
  }
  for (const field of fields) {
    const v = values[field.id];
    const name = field.label.zh;
    if (field.valueRequired && (v?.value === null || v?.value === undefined || !Number.isFinite(v.value)))
      problems.push({ code: 'indicators.value', pointer: pointerOf('indicators', field.id, 'value'), message: text(`请填写"${name}"的数值（不涉及请填 ${notApplicableValue}）`, `enter a number for "${field.label.en ?? name}" (${notApplicableValue} when not applicable)`) });
    if (field.formulaRequired && !v?.formula?.trim())
      problems.push({ code: 'indicators.formula', pointer: pointerOf('indicators', field.id, 'formula'), message: text(`请填写"${name}"的计算公式（不涉及请填"${notApplicableFormula}"）`, `enter the formula for "${field.label.en ?? name}" ("${notApplicableFormula}" when not applicable)`) });
  }
  return problems;
}

export function submitIndicators(ruleset: Ruleset, state: DiagnosisState, values: Record<string, IndicatorValue | undefined>): Transition {
  if (state.phase.phase !== 'indicators') return wrongPhase(state, 'indicators');
  const problems = checkIndicators(ruleset, values);
  if (problems.length) return { ok: false, problems };
  return { ok: true, state: { ...state, phase: { phase: 'finished' } } };
}
