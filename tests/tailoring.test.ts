import { describe, expect, it } from 'vitest';
import { applicableQuestions, checkTailoring, tailoringChoices } from '../engine/index.ts';
import { smallRuleset } from './fixtures/small.ts';

describe('tailoring', () => {
  it('lists mandatory nodes as fixed and tailorable ones as excludable', async () => {
    const choices = await tailoringChoices(smallRuleset(), { industryType: 'discrete' });
    expect(choices.map((c) => [c.id, c.mandatory, c.excludable])).toEqual([
      ['e.people', true, false],
      ['production', true, false],
      ['design', false, true],
    ]);
  });

  it('refuses to exclude a mandatory domain, naming it', async () => {
    const problems = await checkTailoring(smallRuleset(), ['production'], { industryType: 'discrete' });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ code: 'tailoring.mandatory', pointer: '/excluded/0' });
    expect(problems[0].message.zh).toContain('生产');
    expect(problems[0].message.zh).toContain('不可裁剪');
  });

  it('refuses an unknown node and accepts a tailorable one', async () => {
    expect((await checkTailoring(smallRuleset(), ['nope'], { industryType: 'discrete' }))[0].code).toBe('tailoring.unknown');
    expect(await checkTailoring(smallRuleset(), ['design'], { industryType: 'discrete' })).toEqual([]);
  });

  it('drops the questions of excluded domains', () => {
    const ids = applicableQuestions(smallRuleset(), { excluded: ['design'], industryType: 'discrete', level: 1 }).map((q) => q.id);
    expect(ids).toEqual(['L1-1.1', 'L1-1.2', 'L1-2.1', 'L1-2.2']);
  });

  it('applies tailoring rules over enterprise facts', async () => {
    const r = smallRuleset();
    r.model.nodes[1].children![1].tailorable = false;
    r.rules.tailoring.push({
      id: 'process-may-skip-design',
      name: { zh: '流程型可裁剪设计', en: 'Process industries may skip design' },
      conditions: { all: [{ fact: 'industryType', operator: 'equal', value: 'process' }] },
      effect: 'allowExclude',
      nodes: ['design'],
    });
    expect(await checkTailoring(r, ['design'], { industryType: 'process' })).toEqual([]);
    expect((await checkTailoring(r, ['design'], { industryType: 'discrete' }))[0].code).toBe('tailoring.notExcludable');
  });
});
