import { describe, expect, it } from 'vitest';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import Form from '@rjsf/core';
import validator from '@rjsf/validator-ajv8';
import { Ajv } from 'ajv';
import { buildForm, navigationTree, NOT_APPLICABLE } from '../engine/index.ts';
import { q, smallRuleset } from './fixtures/small.ts';

describe('form generation', () => {
  const r = smallRuleset();

  it('generates a valid JSON Schema for one level that accepts good answers and refuses bad ones', () => {
    const { schema, questionIds } = buildForm(r, { level: 1, industryType: 'discrete' });
    expect(questionIds).toEqual(['L1-1.1', 'L1-1.2', 'L1-2.1', 'L1-2.2', 'L1-3.1']);
    const validate = new Ajv({ strict: true }).compile(schema);
    expect(validate({ 'L1-1.1': 'D', 'L1-3.1': NOT_APPLICABLE })).toBe(true);
    expect(validate({ 'L1-1.1': 'E' })).toBe(false);
    expect(validate({ 'L1-1.1': NOT_APPLICABLE })).toBe(false); // not offered outside tailorable domains
  });

  it('narrows to one navigation node and drops excluded domains', () => {
    expect(buildForm(r, { level: 1, node: 'e.make', industryType: 'discrete' }).questionIds).toEqual(['L1-2.1', 'L1-2.2', 'L1-3.1']);
    expect(buildForm(r, { level: 1, excluded: ['design'], industryType: 'discrete' }).questionIds).toEqual(['L1-1.1', 'L1-1.2', 'L1-2.1', 'L1-2.2']);
  });

  it('supports multiple choice, number and text questions', () => {
    const r2 = smallRuleset();
    r2.questions.push(
      q('L1-1.3', 'strategy', 1, { kind: 'multiple' }),
      q('L1-1.4', 'strategy', 1, { kind: 'number', options: undefined, min: 0, max: 100, scoreBands: [{ min: 50, score: 1 }] }),
      q('L1-1.5', 'strategy', 1, { kind: 'text', options: undefined }),
    );
    const { schema, uiSchema } = buildForm(r2, { level: 1, node: 'strategy', industryType: 'discrete' });
    const validate = new Ajv({ strict: true }).compile(schema);
    expect(validate({ 'L1-1.3': ['A', 'C'], 'L1-1.4': 60, 'L1-1.5': '说明' })).toBe(true);
    expect(validate({ 'L1-1.4': 120 })).toBe(false);
    expect((uiSchema['L1-1.3'] as Record<string, unknown>)['ui:widget']).toBe('checkboxes');
  });

  it('renders with @rjsf/core: titles with level name and number, options, explanations, "not applicable" only where allowed', () => {
    const { schema, uiSchema } = buildForm(r, { level: 1, industryType: 'discrete' });
    const html = renderToStaticMarkup(createElement(Form, { schema: schema as never, uiSchema, validator, formData: { 'L1-1.1': 'C' } }));
    expect(html).toContain('规划级 | 1.1 题目 L1-1.1');
    expect(html).toContain('解释 L1-1.1');
    expect(html.match(/type="radio"/g)).toHaveLength(5 * 4 + 1);
    expect(html.match(/企业不涉及此题目/g)).toHaveLength(1);
    expect(html).toMatch(/<input[^>]*checked[^>]*value="2"|value="2"[^>]*checked/); // C is the third option
    expect(html).not.toContain('Submit');
  });

  it('renders English labels when asked', () => {
    const { schema } = buildForm(r, { level: 1, industryType: 'discrete', locale: 'en' });
    expect(schema.properties['L1-3.1'].title).toBe('Planning | 3.1 Question L1-3.1');
    expect(JSON.stringify(schema)).toContain('Not applicable to this enterprise');
  });
});

describe('navigation tree', () => {
  it('counts questions, answered and remaining per node with a status', () => {
    const tree = navigationTree(smallRuleset(), { level: 1, industryType: 'discrete', answers: { 'L1-1.1': 'D', 'L1-1.2': 'C', 'L1-2.1': 'B' } });
    const brief = (n: (typeof tree)[number]): unknown => [n.id, n.total, n.answered, n.remaining, n.status, n.children.map(brief)];
    expect(tree.map(brief)).toEqual([
      ['e.people', 2, 2, 0, 'done', [['strategy', 2, 2, 0, 'done', []]]],
      ['e.make', 3, 1, 2, 'inProgress', [['production', 2, 1, 1, 'inProgress', []], ['design', 1, 0, 1, 'notStarted', []]]],
    ]);
  });
});
