// The JSON Schema + uiSchema that @rjsf/core renders for one level and one navigation node.
// Visibility (tailoring, industry type) is decided here, not with JSON Schema `dependencies`.
import { NOT_APPLICABLE, type Question, type Ruleset } from './schema/ruleset.ts';
import { indexRuleset, isUnder, localized } from './model.ts';
import { applicableQuestions } from './tailoring.ts';
import { EngineError, text } from './problem.ts';

type Locale = 'zh' | 'en';

export interface FormRequest {
  level: number;
  /** Restrict to the questions under this node (any layer); the whole level when absent. */
  node?: string;
  excluded?: string[];
  industryType: string;
  locale?: Locale;
}

export interface JsonSchemaObject {
  type: 'object';
  title: string;
  properties: Record<string, Record<string, unknown>>;
}

export interface GeneratedForm {
  schema: JsonSchemaObject;
  uiSchema: Record<string, unknown>;
  questionIds: string[];
}

/** The label of the "not applicable" choice, shown where a question offers it. */
export const NOT_APPLICABLE_LABEL = { zh: '企业不涉及此题目', en: 'Not applicable to this enterprise' };

function questionSchema(q: Question, title: string, locale: Locale): Record<string, unknown> {
  const choices = (q.options ?? []).map((o) => ({ const: o.id, title: `${o.id}. ${localized(o.label, locale)}` }));
  if (q.notApplicable) choices.push({ const: NOT_APPLICABLE, title: localized(NOT_APPLICABLE_LABEL, locale) });
  switch (q.kind) {
    case 'single':
      return { type: 'string', title, oneOf: choices };
    case 'multiple':
      return { type: 'array', title, uniqueItems: true, items: { type: 'string', oneOf: choices } };
    case 'number':
      return {
        type: 'number',
        title,
        ...(q.min !== undefined ? { minimum: q.min } : {}),
        ...(q.max !== undefined ? { maximum: q.max } : {}),
      };
    default:
      return { type: 'string', title };
  }
}

const widgetOf: Record<Question['kind'], string | undefined> = { single: 'radio', multiple: 'checkboxes', number: undefined, text: 'textarea' };

export function buildForm(ruleset: Ruleset, request: FormRequest): GeneratedForm {
  const index = indexRuleset(ruleset);
  const locale = request.locale ?? 'zh';
  const level = index.levelByNumber.get(request.level)?.level;
  if (!level) throw new EngineError([{ code: 'form.level', pointer: '/level', message: text(`不存在的等级 ${request.level}`, `no level ${request.level}`) }]);
  const within = request.node ? index.nodeById.get(request.node) : undefined;
  if (request.node && !within) throw new EngineError([{ code: 'form.node', pointer: '/node', message: text(`不存在的节点 "${request.node}"`, `no node "${request.node}"`) }]);
  const scope = within ? new Set([within.id]) : undefined;
  const questions = applicableQuestions(ruleset, { excluded: request.excluded ?? [], industryType: request.industryType, level: request.level }).filter(
    (q) => !scope || isUnder(index.nodeById.get(q.subDomain)!, scope),
  );
  const levelName = localized(level.name, locale);
  const properties: Record<string, Record<string, unknown>> = {};
  const uiSchema: Record<string, unknown> = {
    'ui:order': questions.map((q) => q.id),
    'ui:submitButtonOptions': { norender: true },
  };
  for (const q of questions) {
    const title = `${levelName} | ${q.number} ${localized(q.text, locale)}`;
    properties[q.id] = questionSchema(q, title, locale);
    uiSchema[q.id] = {
      ...(widgetOf[q.kind] ? { 'ui:widget': widgetOf[q.kind] } : {}),
      ...(q.explanation ? { 'ui:help': localized(q.explanation, locale) } : {}),
      'ui:options': { number: q.number, subDomain: q.subDomain, notApplicable: q.notApplicable === true },
    };
  }
  const title = within ? `${levelName} · ${localized(within.node.name, locale)}` : levelName;
  return { schema: { type: 'object', title, properties }, uiSchema, questionIds: questions.map((q) => q.id) };
}
