// Test cases stored in a ruleset: answer sets with the expected level and S.
import type { AnswerValue, Ruleset, RulesetTest } from './schema/ruleset.ts';
import { applicableQuestions } from './tailoring.ts';
import { score, EPSILON, type ScoreResult } from './scoring.ts';

export interface TestOutcome {
  id: string;
  passed: boolean;
  failures: string[];
  result: ScoreResult;
}

/** The answers of a test case: `fill` gives every question of a level one option, `answers` override. */
export function testAnswers(ruleset: Ruleset, test: RulesetTest): Record<string, AnswerValue> {
  const answers: Record<string, AnswerValue> = {};
  for (const [level, option] of Object.entries(test.fill ?? {})) {
    for (const q of applicableQuestions(ruleset, { excluded: test.excluded ?? [], industryType: test.industryType, level: Number(level) })) {
      if (q.options?.some((o) => o.id === option)) answers[q.id] = option;
    }
  }
  return { ...answers, ...(test.answers ?? {}) };
}

export function runRulesetTest(ruleset: Ruleset, test: RulesetTest): TestOutcome {
  const result = score(ruleset, { industryType: test.industryType, excluded: test.excluded, answers: testAnswers(ruleset, test) }, 'summary');
  const failures: string[] = [];
  const tolerance = test.expect.tolerance ?? 0.0001;
  if (test.expect.level !== undefined && result.level !== test.expect.level) failures.push(`level: expected ${test.expect.level}, got ${result.level}`);
  if (test.expect.score !== undefined && Math.abs(result.total - test.expect.score) > tolerance + EPSILON) failures.push(`S: expected ${test.expect.score}, got ${result.total}`);
  if (test.expect.reached) {
    const reached = result.levels.filter((l) => l.reached).map((l) => l.level);
    if (JSON.stringify(reached) !== JSON.stringify(test.expect.reached)) failures.push(`reached: expected [${test.expect.reached}], got [${reached}]`);
  }
  return { id: test.id, passed: failures.length === 0, failures, result };
}

export const runRulesetTests = (ruleset: Ruleset): TestOutcome[] => (ruleset.tests ?? []).map((t) => runRulesetTest(ruleset, t));
