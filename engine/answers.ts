// Checks an answer set against its ruleset before it is scored or stored.
import { NOT_APPLICABLE, type AnswerValue, type Question, type Ruleset } from './schema/ruleset.ts';
import type { AnswerSet } from './scoring.ts';
import { indexRuleset, isUnder } from './model.ts';
import { type Problem, text, pointerOf } from './problem.ts';
import { isNotApplicable } from './answerValue.ts';

export function checkAnswers(ruleset: Ruleset, answerSet: AnswerSet): Problem[] {
  const index = indexRuleset(ruleset);
  const problems: Problem[] = [];
  const excluded = new Set(answerSet.excluded ?? []);
  if (!ruleset.industryTypes.some((t) => t.id === answerSet.industryType)) {
    const known = ruleset.industryTypes.map((t) => t.id).join(', ');
    problems.push({ code: 'answers.industryType', pointer: '/industryType', message: text(`未知的行业类型 "${answerSet.industryType}"（可选：${known}）`, `unknown industry type "${answerSet.industryType}" (one of: ${known})`) });
  }
  (answerSet.excluded ?? []).forEach((id, i) => {
    if (!index.nodeById.has(id)) problems.push({ code: 'answers.excluded', pointer: pointerOf('excluded', i), message: text(`裁剪了不存在的节点 "${id}"`, `excluded node "${id}" does not exist`) });
  });
  for (const [id, answer] of Object.entries(answerSet.answers ?? {})) {
    const pointer = pointerOf('answers', id);
    const entry = index.questionById.get(id);
    const fail = (code: string, zh: string, en: string) => problems.push({ code: `answers.${code}`, pointer, message: text(zh, en) });
    if (!entry) {
      fail('unknownQuestion', `不存在的题目 "${id}"`, `no question "${id}"`);
      continue;
    }
    const q = entry.question;
    const leaf = index.nodeById.get(q.subDomain);
    if (leaf && isUnder(leaf, excluded)) {
      fail('excluded', `题目 ${q.number} 属于已裁剪的部分，不应作答`, `question ${q.number} belongs to an excluded node and must not be answered`);
      continue;
    }
    if (answer === null) continue;
    if (isNotApplicable(answer)) {
      if (!q.notApplicable) fail('notApplicable', `题目 ${q.number} 不可选择"企业不涉及此题目"`, `question ${q.number} does not offer "not applicable"`);
      continue;
    }
    const optionIds = (q.options ?? []).map((o) => o.id);
    const listed = optionIds.join(', ');
    if (q.kind === 'single') {
      if (typeof answer !== 'string' || !optionIds.includes(answer))
        fail('option', `题目 ${q.number} 没有选项 ${JSON.stringify(answer)}（可选：${listed}）`, `question ${q.number} has no option ${JSON.stringify(answer)} (one of: ${listed})`);
    } else if (q.kind === 'multiple') {
      const bad = Array.isArray(answer) ? answer.filter((a) => !optionIds.includes(a)) : [answer];
      if (bad.length) fail('option', `题目 ${q.number} 没有选项 ${JSON.stringify(bad)}（可选：${listed}）`, `question ${q.number} has no option ${JSON.stringify(bad)} (one of: ${listed})`);
    } else if (q.kind === 'number') {
      if (typeof answer !== 'number' || !Number.isFinite(answer)) fail('number', `题目 ${q.number} 需要填写数字`, `question ${q.number} needs a number`);
      else if ((q.min !== undefined && answer < q.min) || (q.max !== undefined && answer > q.max))
        fail('range', `题目 ${q.number} 的取值应在 ${q.min ?? '-∞'} 到 ${q.max ?? '∞'} 之间`, `question ${q.number} must be between ${q.min ?? '-∞'} and ${q.max ?? '∞'}`);
    } else if (typeof answer !== 'string') fail('text', `题目 ${q.number} 需要填写文字`, `question ${q.number} needs text`);
  }
  return problems;
}

/**
 * The answer to `question` that scores `score` on the ruleset's scale (全部满足 → the option worth
 * 1, whatever its letter): the option with that score, else the nearest one. Undefined for a
 * question without options. What the designer's "answer the whole level with" fills in.
 */
export function answerScoring(question: Question, score: number): AnswerValue | undefined {
  const options = (question.options ?? []).filter((o) => o.score !== undefined);
  if (!options.length) return undefined;
  const nearest = options.reduce((best, o) => (Math.abs(o.score! - score) < Math.abs(best.score! - score) ? o : best));
  return question.kind === 'multiple' ? [nearest.id] : nearest.id;
}
