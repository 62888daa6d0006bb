// Which parts of the model an enterprise may exclude before answering, and which questions
// remain once it has chosen.
import type { Question, Ruleset } from './schema/ruleset.ts';
import { indexRuleset, isUnder, type IndexedNode } from './model.ts';
import { matchingRules } from './rules.ts';
import { type Problem, type Text, text, pointerOf } from './problem.ts';

/** What the engine knows about an enterprise when it applies rules. */
export interface EnterpriseFacts {
  industryType: string;
  enterpriseType?: string;
  /** GB/T 4754-2017 code, e.g. "C35". */
  industry?: string;
  /** Region codes from the province down, e.g. ["520000", "520100"]. */
  regionPath?: string[];
  sizeBand?: string;
  /** Annual sales revenue, 万元, as registered. */
  revenue?: number;
  /** 规模以上工业企业, as the platform decides it from the revenue. */
  aboveScale?: boolean;
  /** Picked as a benchmark enterprise (树标杆) by an administrator of one of its regions. */
  benchmark?: boolean;
}

export interface TailoringChoice {
  id: string;
  name: { zh: string; en?: string };
  /** The nearest listed node above (a domain above its sub-domains): excluding it excludes this one too. */
  parent?: string;
  mandatory: boolean;
  excludable: boolean;
  /** Why a node is or is not excludable when a rule decided it. */
  reason?: Text;
}

/** The facts tailoring conditions can use: the enterprise's, as they are. */
export const tailoringFacts = (enterprise: EnterpriseFacts): EnterpriseFacts => ({ ...enterprise });

const isListed = (n: IndexedNode) => n.node.mandatory !== undefined || n.node.tailorable !== undefined;

/** Every node the tailoring page shows, with whether it may be excluded for these facts. */
export async function tailoringChoices(ruleset: Ruleset, facts: EnterpriseFacts): Promise<TailoringChoice[]> {
  const index = indexRuleset(ruleset);
  const fired = await matchingRules(ruleset.rules.tailoring, { ...tailoringFacts(facts) });
  const decided = new Map<string, { excludable: boolean; reason?: Text }>();
  for (const rule of ruleset.rules.tailoring) {
    if (!fired.has(rule.id)) continue;
    const reason = rule.message ? text(rule.message.zh, rule.message.en ?? rule.message.zh) : undefined;
    for (const id of rule.nodes) decided.set(id, { excludable: rule.effect === 'allowExclude', reason });
  }
  const listed = index.nodes.filter((n) => isListed(n) || decided.has(n.id));
  const ids = new Set(listed.map((n) => n.id));
  return listed.map((n) => {
    const mandatory = n.node.mandatory === true;
    const rule = decided.get(n.id);
    // The standard's "mandatory" wins over any rule: lint reports a rule that tries otherwise.
    const excludable = !mandatory && (rule ? rule.excludable : n.node.tailorable === true);
    const parent = [...n.path].slice(0, -1).reverse().find((p) => ids.has(p));
    return { id: n.id, name: n.node.name, ...(parent ? { parent } : {}), mandatory, excludable, reason: rule?.reason };
  });
}

/** Refuses a choice that excludes an unknown, mandatory or non-excludable node. */
export async function checkTailoring(ruleset: Ruleset, excluded: string[], facts: EnterpriseFacts): Promise<Problem[]> {
  const index = indexRuleset(ruleset);
  const choices = new Map((await tailoringChoices(ruleset, facts)).map((c) => [c.id, c]));
  const problems: Problem[] = [];
  if (!ruleset.industryTypes.some((t) => t.id === facts.industryType)) {
    problems.push({ code: 'tailoring.industryType', pointer: '/industryType', message: text(`未知的行业类型 "${facts.industryType}"`, `unknown industry type "${facts.industryType}"`) });
  }
  excluded.forEach((id, i) => {
    const pointer = pointerOf('excluded', i);
    const node = index.nodeById.get(id);
    const choice = choices.get(id);
    if (!node) problems.push({ code: 'tailoring.unknown', pointer, message: text(`不存在的节点 "${id}"`, `no such node "${id}"`) });
    else if (node.node.mandatory) problems.push({ code: 'tailoring.mandatory', pointer, message: text(`"${node.node.name.zh}" 为必答项，不可裁剪`, `"${node.node.name.en ?? id}" is mandatory and cannot be excluded`) });
    else if (!choice?.excludable)
      problems.push({ code: 'tailoring.notExcludable', pointer, message: choice?.reason ?? text(`"${node.node.name.zh}" 不可裁剪`, `"${node.node.name.en ?? id}" cannot be excluded`) });
  });
  return problems;
}

/** A question applies when its sub-domain is not excluded and it fits the industry type. */
export function isApplicable(ruleset: Ruleset, question: Question, excluded: ReadonlySet<string>, industryType: string): boolean {
  const leaf = indexRuleset(ruleset).nodeById.get(question.subDomain);
  if (!leaf || isUnder(leaf, excluded)) return false;
  return !question.industryTypes || question.industryTypes.includes(industryType);
}

export function applicableQuestions(ruleset: Ruleset, options: { excluded: Iterable<string>; industryType: string; level?: number }): Question[] {
  const excluded = new Set(options.excluded);
  return ruleset.questions.filter(
    (q) => (options.level === undefined || q.level === options.level) && isApplicable(ruleset, q, excluded, options.industryType),
  );
}
