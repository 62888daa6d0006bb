import { NOT_APPLICABLE, type AnswerValue } from './schema/ruleset.ts';

/** "N/A", or the lone "N/A" a checkbox list produces, both mean "企业不涉及此题目". */
export const isNotApplicable = (answer: AnswerValue | null | undefined): boolean =>
  answer === NOT_APPLICABLE || (Array.isArray(answer) && answer.length === 1 && answer[0] === NOT_APPLICABLE);
