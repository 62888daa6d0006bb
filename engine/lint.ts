// Lint: what a ruleset author needs to fix (errors) or look at (warnings), each at a JSON pointer.
import { APPLICATION_FACTS } from './assessment.ts';
import type { Condition, Ruleset } from './schema/ruleset.ts';
import { cellKey, indexRuleset, isUnder, type ModelIndex } from './model.ts';
import { siblingWeights, EPSILON } from './scoring.ts';
import { pointerOf, text, type Text } from './problem.ts';
import { FACTS, RULE_KINDS, conditionLeaves, factInfo, isEngineOperator, operatorInfo, type RuleKind } from './facts.ts';

/** error: must be fixed before publishing; warning: should be looked at; info: worth knowing, nothing to fix. */
export type Severity = 'error' | 'warning' | 'info';

export interface Finding {
  severity: Severity;
  code: string;
  pointer: string;
  message: Text;
}

type Report = (severity: Severity, code: string, pointer: string, zh: string, en: string) => void;

/** Facts each kind of rule can use (from the catalog in facts.ts); anything else is probably a typo. */
export const KNOWN_FACTS = Object.fromEntries(RULE_KINDS.map((kind) => [kind, FACTS[kind].map((f) => f.name)])) as Record<RuleKind, string[]>;

/** What lint knows beyond the ruleset, given by whoever runs it (the engine reads no files). */
export interface LintContext {
  /** The report templates the platform has, with the sections each can show: a ruleset naming another cannot render its report. */
  reportTemplates?: { id: string; sections: string[] }[];
}

export function lint(ruleset: Ruleset, context: LintContext = {}): Finding[] {
  const findings: Finding[] = [];
  const report: Report = (severity, code, pointer, zh, en) => findings.push({ severity, code, pointer, message: text(zh, en) });
  const index = indexRuleset(ruleset);
  duplicateIds(ruleset, index, report);
  references(ruleset, index, report);
  options(ruleset, report);
  tailoring(ruleset, index, report);
  cells(ruleset, index, report);
  weights(ruleset, index, report);
  adjustableWeights(ruleset, report);
  askedButWeightless(ruleset, index, report);
  provenance(ruleset, index, report);
  reachability(ruleset, index, report);
  bands(ruleset, report);
  ruleFacts(ruleset, report);
  policyPrerequisites(ruleset, report);
  assessment(ruleset, report);
  translations(ruleset, '', report);
  if (context.reportTemplates) reportTemplate(ruleset, context.reportTemplates, report);
  return findings;
}

function reportTemplate(r: Ruleset, templates: NonNullable<LintContext['reportTemplates']>, report: Report) {
  const template = templates.find((t) => t.id === r.report.template);
  if (!template) {
    const known = templates.map((t) => t.id).join(', ');
    return report('error', 'report-template', '/report/template', `报告模板 "${r.report.template}" 不存在（可用：${known}）`, `there is no report template "${r.report.template}" (available: ${known})`);
  }
  r.report.sections.forEach((section, i) => {
    if (!template.sections.includes(section))
      report('warning', 'report-section', `/report/sections/${i}`, `报告模板 ${template.id} 没有章节 "${section}"，不会显示`, `the report template ${template.id} has no section "${section}"; it will not show`);
  });
}

function duplicates<T>(items: T[], key: (t: T) => string | number, pointer: (i: number) => string, what: Text, report: Report) {
  const seen = new Map<string | number, number>();
  items.forEach((item, i) => {
    const k = key(item);
    if (seen.has(k)) report('error', 'duplicate-id', pointer(i), `${what.zh} "${k}" 重复（首次出现于 ${pointer(seen.get(k)!)}）`, `duplicate ${what.en} "${k}" (first at ${pointer(seen.get(k)!)})`);
    else seen.set(k, i);
  });
}

function duplicateIds(r: Ruleset, index: ModelIndex, report: Report) {
  duplicates(index.nodes, (n) => n.id, (i) => index.nodes[i].pointer, text('节点', 'node id'), report);
  duplicates(r.questions, (q) => q.id, (i) => pointerOf('questions', i, 'id'), text('题目', 'question id'), report);
  duplicates(r.levels, (l) => l.number, (i) => pointerOf('levels', i, 'number'), text('等级', 'level number'), report);
  duplicates(r.model.layers, (l) => l.id, (i) => pointerOf('model', 'layers', i, 'id'), text('层级', 'layer id'), report);
  duplicates(r.industryTypes, (t) => t.id, (i) => pointerOf('industryTypes', i, 'id'), text('行业类型', 'industry type'), report);
  duplicates(r.scoring.weightSets, (w) => w.id, (i) => pointerOf('scoring', 'weightSets', i, 'id'), text('权重集', 'weight set'), report);
  duplicates(r.flow.indicators.fields, (f) => f.id, (i) => pointerOf('flow', 'indicators', 'fields', i, 'id'), text('指标', 'indicator'), report);
  for (const kind of ['tailoring', 'limits', 'policies'] as const) {
    duplicates<{ id: string }>(r.rules[kind], (x) => x.id, (i) => pointerOf('rules', kind, i, 'id'), text('规则', 'rule id'), report);
  }
  r.questions.forEach((q, qi) => duplicates(q.options ?? [], (o) => o.id, (i) => pointerOf('questions', qi, 'options', i, 'id'), text(`题目 ${q.number} 的选项`, `option of ${q.number}`), report));
  duplicates(r.tests ?? [], (t) => t.id, (i) => pointerOf('tests', i, 'id'), text('测试用例', 'test case'), report);
  duplicates(r.rules.prerequisites ?? [], (p) => p.id, (i) => pointerOf('rules', 'prerequisites', i, 'id'), text('申请条件', 'prerequisite'), report);
}

function references(r: Ruleset, index: ModelIndex, report: Report) {
  const industry = new Set(r.industryTypes.map((t) => t.id));
  const depth = Math.max(...index.nodes.map((n) => n.depth)) + 1;
  if (r.model.layers.length < depth)
    report('error', 'layers', '/model/layers', `模型树有 ${depth} 层，但只定义了 ${r.model.layers.length} 个层级`, `the model tree is ${depth} deep but only ${r.model.layers.length} layers are declared`);
  const layerIds = new Set(r.model.layers.map((l) => l.id));
  for (const id of Object.keys(r.scoring.aggregation.layers)) {
    if (!layerIds.has(id)) report('error', 'dangling-reference', pointerOf('scoring', 'aggregation', 'layers', id), `不存在的层级 "${id}"`, `no layer "${id}"`);
  }
  r.questions.forEach((q, i) => {
    const leaf = index.nodeById.get(q.subDomain);
    if (!leaf) report('error', 'dangling-reference', pointerOf('questions', i, 'subDomain'), `题目 ${q.number} 引用了不存在的能力子域 "${q.subDomain}"`, `question ${q.number} refers to unknown sub-domain "${q.subDomain}"`);
    else if (!leaf.isLeaf) report('error', 'not-a-leaf', pointerOf('questions', i, 'subDomain'), `题目 ${q.number} 挂在非叶子节点 "${q.subDomain}" 上`, `question ${q.number} is attached to "${q.subDomain}", which is not a leaf`);
    if (!index.levelByNumber.has(q.level)) report('error', 'dangling-reference', pointerOf('questions', i, 'level'), `题目 ${q.number} 引用了不存在的等级 ${q.level}`, `question ${q.number} refers to unknown level ${q.level}`);
    (q.industryTypes ?? []).forEach((t, j) => {
      if (!industry.has(t)) report('error', 'dangling-reference', pointerOf('questions', i, 'industryTypes', j), `不存在的行业类型 "${t}"`, `unknown industry type "${t}"`);
    });
  });
  r.levels.forEach((l, i) =>
    l.subDomains.forEach((id, j) => {
      const node = index.nodeById.get(id);
      if (!node) report('error', 'dangling-reference', pointerOf('levels', i, 'subDomains', j), `等级 ${l.number} 引用了不存在的能力子域 "${id}"`, `level ${l.number} refers to unknown sub-domain "${id}"`);
      else if (!node.isLeaf) report('error', 'not-a-leaf', pointerOf('levels', i, 'subDomains', j), `"${id}" 不是能力子域（叶子节点）`, `"${id}" is not a leaf`);
    }),
  );
  if (!index.levelByNumber.has(r.flow.startLevel)) report('error', 'dangling-reference', '/flow/startLevel', `起始等级 ${r.flow.startLevel} 不存在`, `start level ${r.flow.startLevel} does not exist`);
  if (!r.scoring.weightSets.some((w) => w.id === r.scoring.defaultWeightSet))
    report('error', 'dangling-reference', '/scoring/defaultWeightSet', `默认权重集 "${r.scoring.defaultWeightSet}" 不存在`, `default weight set "${r.scoring.defaultWeightSet}" does not exist`);
  r.scoring.weightSets.forEach((w, i) => {
    if (!industry.has(w.industryType)) report('error', 'dangling-reference', pointerOf('scoring', 'weightSets', i, 'industryType'), `不存在的行业类型 "${w.industryType}"`, `unknown industry type "${w.industryType}"`);
    const tables: [string, Record<string, number>][] = [['weights', w.weights], ...Object.entries(w.levelWeights ?? {}).map(([lv, t]) => [`levelWeights/${lv}`, t] as [string, Record<string, number>])];
    for (const [where, table] of tables) {
      for (const id of Object.keys(table)) {
        if (!index.nodeById.has(id)) report('error', 'dangling-reference', `${pointerOf('scoring', 'weightSets', i)}/${where}/${id}`, `权重引用了不存在的节点 "${id}"`, `weight for unknown node "${id}"`);
      }
    }
    for (const lv of Object.keys(w.levelWeights ?? {})) {
      if (!index.levelByNumber.has(Number(lv))) report('error', 'dangling-reference', `${pointerOf('scoring', 'weightSets', i, 'levelWeights')}/${lv}`, `不存在的等级 ${lv}`, `no level ${lv}`);
    }
  });
  r.rules.tailoring.forEach((t, i) =>
    t.nodes.forEach((id, j) => {
      if (!index.nodeById.has(id)) report('error', 'dangling-reference', pointerOf('rules', 'tailoring', i, 'nodes', j), `裁剪规则引用了不存在的节点 "${id}"`, `tailoring rule refers to unknown node "${id}"`);
    }),
  );
  (r.tests ?? []).forEach((t, i) => {
    if (!industry.has(t.industryType)) report('error', 'dangling-reference', pointerOf('tests', i, 'industryType'), `不存在的行业类型 "${t.industryType}"`, `unknown industry type "${t.industryType}"`);
    for (const id of Object.keys(t.answers ?? {})) {
      if (!index.questionById.has(id)) report('error', 'dangling-reference', pointerOf('tests', i, 'answers', id), `测试用例引用了不存在的题目 "${id}"`, `test case answers unknown question "${id}"`);
    }
    (t.excluded ?? []).forEach((id, j) => {
      if (!index.nodeById.has(id)) report('error', 'dangling-reference', pointerOf('tests', i, 'excluded', j), `不存在的节点 "${id}"`, `unknown node "${id}"`);
    });
  });
}

function options(r: Ruleset, report: Report) {
  const scale = new Set(r.scoring.scale.map((s) => s.score));
  r.questions.forEach((q, i) => {
    if (q.kind === 'single' || q.kind === 'multiple') {
      if ((q.options ?? []).length < 2) report('error', 'too-few-options', pointerOf('questions', i, 'options'), `选择题 ${q.number} 至少需要两个选项`, `choice question ${q.number} needs at least two options`);
      (q.options ?? []).forEach((o, j) => {
        const p = pointerOf('questions', i, 'options', j);
        if (q.scored !== false && o.score === undefined) report('error', 'option-without-score', `${p}/score`, `题目 ${q.number} 的选项 ${o.id} 没有分值`, `option ${o.id} of ${q.number} has no score`);
        else if (o.score !== undefined && scale.size && !scale.has(o.score))
          report('warning', 'off-scale', `${p}/score`, `题目 ${q.number} 的选项 ${o.id} 分值 ${o.score} 不在评分尺度上`, `option ${o.id} of ${q.number} scores ${o.score}, which is not on the scale`);
      });
    }
    if (q.kind === 'number' && q.scored !== false && !(q.scoreBands ?? []).length)
      report('warning', 'number-without-bands', pointerOf('questions', i), `数值题 ${q.number} 没有评分区间，得分恒为 0`, `number question ${q.number} has no score bands and always scores 0`);
  });
}

function tailoring(r: Ruleset, index: ModelIndex, report: Report) {
  for (const n of index.nodes) {
    if (n.node.mandatory && n.node.tailorable)
      report('error', 'mandatory-tailorable', `${n.pointer}/tailorable`, `"${n.node.name.zh}" 为必选节点，却被设为可裁剪`, `"${n.node.name.en ?? n.id}" is mandatory but made tailorable`);
  }
  r.rules.tailoring.forEach((t, i) => {
    if (t.effect !== 'allowExclude') return;
    t.nodes.forEach((id, j) => {
      const n = index.nodeById.get(id);
      const mandatoryAbove = n && [...n.path].some((p) => index.nodeById.get(p)?.node.mandatory);
      if (mandatoryAbove)
        report('error', 'mandatory-tailorable', pointerOf('rules', 'tailoring', i, 'nodes', j), `裁剪规则允许裁剪必选节点 "${n!.node.name.zh}"`, `tailoring rule lets a mandatory node ("${n!.node.name.en ?? id}") be excluded`);
    });
  });
  const tailorable = new Set([...index.nodes.filter((n) => n.node.tailorable).map((n) => n.id), ...r.rules.tailoring.filter((t) => t.effect === 'allowExclude').flatMap((t) => t.nodes)]);
  r.questions.forEach((q, i) => {
    const leaf = index.nodeById.get(q.subDomain);
    if (q.notApplicable && leaf && !isUnder(leaf, tailorable))
      report('warning', 'na-outside-tailorable', pointerOf('questions', i, 'notApplicable'), `题目 ${q.number} 提供"企业不涉及此题目"，但所属节点不可裁剪`, `question ${q.number} offers "not applicable" but its node cannot be tailored`);
  });
}

function cells(r: Ruleset, index: ModelIndex, report: Report) {
  r.levels.forEach((l, i) => {
    const listed = new Set(l.subDomains);
    l.subDomains.forEach((id, j) => {
      if (index.nodeById.get(id)?.isLeaf && !(index.cell.get(cellKey(id, l.number)) ?? []).length)
        report('error', 'empty-cell', pointerOf('levels', i, 'subDomains', j), `能力子域 "${id}" 在等级 ${l.number} 应有题目，但没有`, `sub-domain "${id}" should have questions at level ${l.number} and has none`);
    });
    if (!r.questions.some((q) => q.level === l.number)) report('error', 'empty-level', pointerOf('levels', i), `等级 ${l.number} 没有任何题目`, `level ${l.number} has no questions`);
    r.questions.forEach((q, qi) => {
      if (q.level === l.number && !listed.has(q.subDomain))
        report('warning', 'unlisted-cell', pointerOf('questions', qi, 'subDomain'), `题目 ${q.number} 所在的能力子域未列入等级 ${l.number}`, `question ${q.number} is in a sub-domain that level ${l.number} does not list`);
    });
  });
}

function weights(r: Ruleset, index: ModelIndex, report: Report) {
  const groups = [{ parent: undefined as string | undefined, ids: index.roots.map((n) => n.id), aggregation: r.scoring.aggregation.level }];
  for (const n of index.nodes) if (!n.isLeaf) groups.push({ parent: n.id, ids: n.children.map((c) => c.id), aggregation: r.scoring.aggregation.layers[n.layerId] ?? 'weighted' });
  r.scoring.weightSets.forEach((w, wi) => {
    const tables: [string, Record<string, number> | undefined][] = [['weights', w.weights], ...Object.entries(w.levelWeights ?? {}).map(([lv, t]) => [`levelWeights/${lv}`, t] as [string, Record<string, number>])];
    for (const [where, table] of tables) {
      if (!table) continue;
      for (const g of groups) {
        if (g.aggregation !== 'weighted') continue;
        const given = g.ids.filter((id) => table[id] !== undefined);
        if (!given.length) continue;
        const sum = g.ids.reduce((s, id) => s + (table[id] ?? 0), 0);
        const pointer = `${pointerOf('scoring', 'weightSets', wi)}/${where}`;
        const parent = g.parent ?? '(level)';
        if (Math.abs(sum - 1) > 1e-6)
          report('error', 'weights-sum', pointer, `权重集 "${w.id}" 中 ${parent} 的子节点权重之和为 ${+sum.toFixed(6)}，应为 1`, `weights of the children of ${parent} in "${w.id}" sum to ${+sum.toFixed(6)}, not 1`);
        for (const id of g.ids.filter((x) => table[x] === undefined))
          report('warning', 'weight-missing', pointer, `权重集 "${w.id}" 未给出 "${id}" 的权重，按 0 计`, `weight set "${w.id}" gives no weight for "${id}"; it counts 0`);
      }
    }
  });
}

function adjustableWeights(r: Ruleset, report: Report) {
  const adjustable = r.scoring.adjustableWeights;
  if (!adjustable) return;
  const layerIds = r.model.layers.map((l) => l.id);
  adjustable.layers.forEach((id, i) => {
    const at = layerIds.indexOf(id);
    const pointer = pointerOf('scoring', 'adjustableWeights', 'layers', i);
    if (at < 0) return report('error', 'dangling-reference', pointer, `不存在的层级 "${id}"`, `no layer "${id}"`);
    // A node's weight counts in its parent's aggregation (the level's own for the top layer).
    const parentAggregation = at === 0 ? r.scoring.aggregation.level : r.scoring.aggregation.layers[layerIds[at - 1]] ?? 'weighted';
    if (parentAggregation === 'mean')
      report('warning', 'adjustable-unweighted', pointer, `层级 "${id}" 的上一层按平均值汇总，调整其权重不起作用`, `the layer above "${id}" takes a plain mean, so adjusting its weights has no effect`);
  });
}

/** A node that weighs 0 for an industry type whose firms are still asked its questions: they answer for nothing. */
function askedButWeightless(r: Ruleset, index: ModelIndex, report: Report) {
  r.scoring.weightSets.forEach((w, wi) => {
    for (const [id, weight] of Object.entries(w.weights)) {
      if (weight !== 0) continue;
      const node = index.nodeById.get(id);
      if (!node) continue;
      const asked = r.questions.filter((q) => (!q.industryTypes || q.industryTypes.includes(w.industryType)) && index.nodeById.get(q.subDomain) && isUnder(index.nodeById.get(q.subDomain)!, new Set([id])));
      if (asked.length)
        report('warning', 'weightless-asked', `${pointerOf('scoring', 'weightSets', wi, 'weights')}/${id}`, `"${node.node.name.zh}" 在权重集 "${w.id}" 中权重为 0，但该行业类型的企业仍需回答其 ${asked.length} 道题目（可用 industryTypes 不再询问）`, `"${node.node.name.en ?? id}" weighs 0 in "${w.id}", yet firms of that industry type are asked its ${asked.length} questions (industryTypes can stop asking them)`);
    }
  });
}

/** Where each cell's questions come from: uncertain cells are worth knowing about, not errors. */
function provenance(r: Ruleset, index: ModelIndex, report: Report) {
  r.levels.forEach((l, i) => {
    const listed = new Set(l.subDomains);
    for (const [id, p] of Object.entries(l.provenance ?? {})) {
      const pointer = `${pointerOf('levels', i, 'provenance')}/${id}`;
      const name = index.nodeById.get(id)?.node.name;
      if (!listed.has(id)) report('warning', 'provenance-unlisted', pointer, `等级 ${l.number} 未列出能力子域 "${id}"，其来源说明无处可用`, `level ${l.number} does not list "${id}", so its provenance describes nothing`);
      else if (p.source === 'uncertain')
        report('info', 'uncertain-cell', pointer, `"${name?.zh ?? id}" 在等级 ${l.number} 的要求来源不确定${p.note ? `：${p.note.zh}` : ''}`, `whether "${name?.en ?? id}" has requirements at level ${l.number} is uncertain${p.note?.en ? `: ${p.note.en}` : ''}`);
    }
  });
}

/** A level no set of answers can reach: its best possible X_n stays under the threshold. */
function reachability(r: Ruleset, index: ModelIndex, report: Report) {
  for (const { level, index: li } of index.levelByNumber.values()) {
    for (const w of r.scoring.weightSets.length ? r.scoring.weightSets : [undefined]) {
      const industryType = w?.industryType ?? r.industryTypes[0]?.id;
      const best = (n: (typeof index.nodes)[number]): number | undefined => {
        if (n.isLeaf) {
          const qs = (index.cell.get(cellKey(n.id, level.number)) ?? []).filter((q) => q.kind !== 'text' && q.scored !== false && (!q.industryTypes || q.industryTypes.includes(industryType)));
          if (!qs.length) return undefined;
          const scores = qs.map((q) => (q.kind === 'number' ? Math.max(0, ...(q.scoreBands ?? []).map((b) => b.score)) : q.kind === 'multiple' && q.aggregate !== 'max' ? Math.min(1, (q.options ?? []).reduce((s, o) => s + (o.score ?? 0), 0)) : Math.max(0, ...(q.options ?? []).map((o) => o.score ?? 0))));
          return scores.reduce((a, b) => a + b, 0) / scores.length;
        }
        return combine(n.children, r.scoring.aggregation.layers[n.layerId] ?? 'weighted');
      };
      const combine = (nodes: typeof index.nodes, aggregation: string): number | undefined => {
        const scored = nodes.map((c) => ({ id: c.id, s: best(c) })).filter((c): c is { id: string; s: number } => c.s !== undefined);
        if (!scored.length) return undefined;
        const ws = aggregation === 'mean' ? scored.map(() => 1) : siblingWeights(w, level.number, scored.map((c) => c.id));
        const total = ws.reduce((a, b) => a + b, 0);
        return total > 0 ? scored.reduce((s, c, i) => s + ws[i] * c.s, 0) / total : 0;
      };
      const x = combine(index.roots, r.scoring.aggregation.level);
      if (x !== undefined && x < level.threshold - EPSILON)
        report('error', 'unreachable-level', pointerOf('levels', li, 'threshold'), `等级 ${level.number} 无法达到${w ? `（权重集 "${w.id}"）` : ''}：满分作答时得分 ${x.toFixed(3)} 仍低于阈值 ${level.threshold}`, `level ${level.number} cannot be reached${w ? ` (weight set "${w.id}")` : ''}: the best answers score ${x.toFixed(3)}, below the threshold ${level.threshold}`);
    }
  }
}

function bands(r: Ruleset, report: Report) {
  const levels = new Set([0, ...r.levels.map((l) => l.number)]);
  const sorted = r.scoring.bands.map((b, i) => ({ b, i })).sort((x, y) => x.b.min - y.b.min);
  sorted.forEach(({ b, i }, k) => {
    if (!levels.has(b.level)) report('error', 'dangling-reference', pointerOf('scoring', 'bands', i, 'level'), `分数段引用了不存在的等级 ${b.level}`, `band refers to unknown level ${b.level}`);
    if (b.max < b.min) report('error', 'band-range', pointerOf('scoring', 'bands', i), `分数段下限 ${b.min} 大于上限 ${b.max}`, `band minimum ${b.min} is above its maximum ${b.max}`);
    const next = sorted[k + 1];
    if (next && Math.abs(next.b.min - b.max) > EPSILON)
      report('warning', next.b.min < b.max ? 'band-overlap' : 'band-gap', pointerOf('scoring', 'bands', next.i, 'min'), `分数段 [${b.min}, ${b.max}) 与 [${next.b.min}, …) 之间${next.b.min < b.max ? '重叠' : '有空档'}`, `bands [${b.min}, ${b.max}) and [${next.b.min}, …) ${next.b.min < b.max ? 'overlap' : 'leave a gap'}`);
  });
}

/** Group and reference nodes inside c that json-rules-engine refuses to run. */
function unrunnable(c: Condition, pointer: string, top: boolean, out: { pointer: string; zh: string; en: string; code: string }[] = []) {
  const node = c as { all?: Condition[]; any?: Condition[]; not?: Condition; condition?: unknown; fact?: unknown };
  if (top && typeof node.fact === 'string')
    out.push({ code: 'condition-root', pointer, zh: '条件的最外层必须是 all、any 或 not 组', en: 'the outermost condition must be an all, any or not group' });
  // Ladder registers no named conditions, so the engine fails on any reference to one.
  if (typeof node.condition === 'string')
    out.push({ code: 'condition-reference', pointer, zh: `引用了未定义的命名条件 "${node.condition}"`, en: `refers to the named condition "${node.condition}", which is not defined` });
  for (const key of ['all', 'any'] as const) node[key]?.forEach((x, i) => unrunnable(x, `${pointer}/${key}/${i}`, false, out));
  if (node.not) unrunnable(node.not, `${pointer}/not`, false, out);
  return out;
}

function ruleFacts(r: Ruleset, report: Report) {
  for (const kind of RULE_KINDS) {
    const known = KNOWN_FACTS[kind];
    r.rules[kind].forEach((rule, i) => {
      const at = pointerOf('rules', kind, i, 'conditions');
      for (const u of unrunnable(rule.conditions, at, true)) report('error', u.code, u.pointer, `规则 "${rule.id}" ${u.zh}，运行时会出错`, `rule "${rule.id}" ${u.en}; it would fail when run`);
      for (const { leaf, pointer } of conditionLeaves(rule.conditions)) {
        const fact = factInfo(kind, leaf.fact);
        if (!fact)
          report('warning', 'unknown-fact', at, `规则 "${rule.id}" 使用了未知的事实 "${leaf.fact}"（可用：${known.join(', ')}）`, `rule "${rule.id}" uses unknown fact "${leaf.fact}" (known: ${known.join(', ')})`);
        if (!isEngineOperator(leaf.operator))
          report('error', 'unknown-operator', `${at}${pointer}/operator`, `规则 "${rule.id}" 使用了不存在的运算符 "${leaf.operator}"，运行时会出错`, `rule "${rule.id}" uses the operator "${leaf.operator}", which does not exist; it would fail when run`);
        // Decorated operators the catalog does not list are the author's deliberate choice.
        else if (fact && operatorInfo(leaf.operator) && !fact.operators.includes(leaf.operator))
          report('warning', 'operator-mismatch', `${at}${pointer}/operator`, `规则 "${rule.id}" 对事实 "${leaf.fact}" 使用运算符 "${leaf.operator}"，条件可能永不成立（适用：${fact.operators.join(', ')}）`, `rule "${rule.id}" applies "${leaf.operator}" to "${leaf.fact}", which may never hold (suitable: ${fact.operators.join(', ')})`);
      }
    });
  }
}

function policyPrerequisites(r: Ruleset, report: Report) {
  const known = new Set((r.rules.prerequisites ?? []).map((p) => p.id));
  r.rules.policies.forEach((p, i) => {
    (p.requires ?? []).forEach((id, j) => {
      if (!known.has(id)) report('error', 'dangling-reference', pointerOf('rules', 'policies', i, 'requires', j), `政策 "${p.id}" 引用了不存在的申请条件 "${id}"`, `policy "${p.id}" requires "${id}", which rules.prerequisites does not define`);
    });
    if (p.kind === 'award' && !(p.requires ?? []).length)
      report('warning', 'award-without-prerequisite', pointerOf('rules', 'policies', i), `奖励 "${p.id}" 没有申请条件，自诊断结果将显示为符合条件；需正式评估证书的奖励请在 requires 中注明`, `the award "${p.id}" has no prerequisite, so a self-diagnosis shows it as met; name the certificate it needs in requires`);
  });
  (r.rules.prerequisites ?? []).forEach((pre, i) => {
    if (!pre.conditions) return;
    const at = pointerOf('rules', 'prerequisites', i, 'conditions');
    for (const u of unrunnable(pre.conditions, at, true)) report('error', u.code, u.pointer, `申请条件 "${pre.id}" ${u.zh}，运行时会出错`, `prerequisite "${pre.id}" ${u.en}; it would fail when run`);
    for (const { leaf } of conditionLeaves(pre.conditions)) {
      if (!factInfo('policies', leaf.fact))
        report('warning', 'unknown-fact', at, `申请条件 "${pre.id}" 使用了未知的事实 "${leaf.fact}"`, `prerequisite "${pre.id}" uses unknown fact "${leaf.fact}"`);
    }
  });
}

/** The formal assessment scheme: levels that exist, fields rules can name, runnable rules. */
function assessment(r: Ruleset, report: Report) {
  const a = r.assessment;
  if (!a) return;
  const levels = new Set(r.levels.map((l) => l.number));
  a.targetLevels.forEach((n, i) => {
    if (!levels.has(n)) report('error', 'dangling-reference', pointerOf('assessment', 'targetLevels', i), `可申请的等级 ${n} 不存在`, `the target level ${n} is not a level of the ruleset`);
  });
  const fields = a.application.fields;
  duplicates(fields, (f) => f.id, (i) => pointerOf('assessment', 'application', 'fields', i, 'id'), text('申请表字段', 'application field'), report);
  const builtIn = new Set<string>([...APPLICATION_FACTS, ...FACTS.tailoring.map((f) => f.name)]);
  fields.forEach((f, i) => {
    const at = pointerOf('assessment', 'application', 'fields', i);
    if (builtIn.has(f.id)) report('error', 'field-shadows-fact', `${at}/id`, `申请表字段 "${f.id}" 与平台提供的事实同名，规则无法区分`, `the application field "${f.id}" has the name of a fact the platform provides; rules could not tell them apart`);
    if (f.kind === 'choice' && !(f.options ?? []).length) report('error', 'choice-without-options', at, `选择字段 "${f.id}" 没有选项`, `the choice field "${f.id}" has no options`);
    if (f.min !== undefined && f.max !== undefined && f.min > f.max) report('error', 'min-above-max', at, `字段 "${f.id}" 的最小值大于最大值`, `the field "${f.id}" has min above max`);
  });
  duplicates(a.application.rules, (x) => x.id, (i) => pointerOf('assessment', 'application', 'rules', i, 'id'), text('申请规则', 'application rule'), report);
  const known = new Set<string>([...builtIn, ...fields.map((f) => f.id)]);
  a.application.rules.forEach((rule, i) => {
    const at = pointerOf('assessment', 'application', 'rules', i, 'conditions');
    for (const u of unrunnable(rule.conditions, at, true)) report('error', u.code, u.pointer, `申请规则 "${rule.id}" ${u.zh}，运行时会出错`, `application rule "${rule.id}" ${u.en}; it would fail when run`);
    for (const { leaf } of conditionLeaves(rule.conditions))
      if (!known.has(leaf.fact))
        report('warning', 'unknown-fact', at, `申请规则 "${rule.id}" 使用了未知的事实 "${leaf.fact}"（可用：${[...known].join(', ')}）`, `application rule "${rule.id}" uses unknown fact "${leaf.fact}" (known: ${[...known].join(', ')})`);
  });
  if (a.team.scoredBy > a.team.minAssessors)
    report('error', 'team-too-small', pointerOf('assessment', 'team'), `每项要求由 ${a.team.scoredBy} 名评估师打分，评估组却只需 ${a.team.minAssessors} 人`, `each requirement is scored by ${a.team.scoredBy} assessors, but a team needs only ${a.team.minAssessors}`);
}

/** Every text with Chinese should have English too. */
function translations(value: unknown, pointer: string, report: Report) {
  if (Array.isArray(value)) value.forEach((v, i) => translations(v, `${pointer}/${i}`, report));
  else if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if (typeof o.zh === 'string' && (typeof o.en !== 'string' || !o.en.trim())) {
      report('warning', 'missing-translation', `${pointer}/en`, `缺少英文翻译："${o.zh.slice(0, 30)}"`, `missing English translation of "${o.zh.slice(0, 30)}"`);
      return;
    }
    for (const [k, v] of Object.entries(o)) translations(v, `${pointer}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`, report);
  }
}
