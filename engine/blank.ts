// The smallest sound ruleset an author starts from in the designer: one area, one level, the
// platform's industry types, a two-step option scale. Everything in it is meant to be renamed and grown.
import type { Ruleset } from './schema/ruleset.ts';

/** `industryTypes`: the platform's (the ids enterprises are filed under); the first gets the default weight set. */
export function blankRuleset(init: { id: string; title: { zh: string; en?: string }; template: string; sections?: string[]; industryTypes: { id: string; name: { zh: string; en?: string } }[] }): Ruleset {
  const types = init.industryTypes.length ? init.industryTypes : [{ id: 'general', name: { zh: '通用', en: 'General' } }];
  return {
    id: init.id,
    version: '1.0.0',
    status: 'draft',
    title: init.title,
    description: { zh: init.title.zh, ...(init.title.en ? { en: init.title.en } : {}) },
    model: { layers: [{ id: 'area', name: { zh: '领域', en: 'Area' } }], nodes: [{ id: 'area-1', name: { zh: '领域一', en: 'Area 1' } }] },
    levels: [{ number: 1, code: 'L1', name: { zh: '一级', en: 'Level 1' }, threshold: 0.8, subDomains: ['area-1'] }],
    industryTypes: types.map((t) => ({ id: t.id, name: { zh: t.name.zh, ...(t.name.en ? { en: t.name.en } : {}) } })),
    questions: [],
    scoring: {
      scale: [
        { score: 1, label: { zh: '满足', en: 'Met' } },
        { score: 0, label: { zh: '不满足', en: 'Not met' } },
      ],
      aggregation: { level: 'weighted', layers: { area: 'mean' } },
      weightSets: [{ id: 'weights', name: { zh: '权重', en: 'Weights' }, industryType: types[0].id, weights: { 'area-1': 1 } }],
      defaultWeightSet: 'weights',
      excluded: { tailored: 'renormalize', notApplicable: 'renormalize' },
      unanswered: 'zero',
      total: { rule: 'passedPlusNext', decimals: 2 },
      levelBy: 'consecutive',
      bands: [
        { min: 0, max: 0.8, level: 0, label: { zh: '一级以下', en: 'Below level 1' } },
        { min: 0.8, max: 2, level: 1, label: { zh: '一级', en: 'Level 1' }, inclusiveMax: true },
      ],
    },
    flow: {
      startLevel: 1,
      onReached: { action: 'nextLevel' },
      // No indicators yet: the result follows the last level; an author who adds indicators routes here to them.
      onNotReached: { action: 'finish' },
      afterLastLevel: { action: 'finish' },
      requireAllAnswered: true,
      tailoringLocked: true,
      indicators: { title: { zh: '成效指标', en: 'Effectiveness indicators' }, notApplicableValue: 0, notApplicableFormula: '无', fields: [] },
    },
    rules: { tailoring: [], limits: [], policies: [] },
    counting: { result: 'last', utcOffsetMinutes: 480 },
    report: { template: init.template, sections: init.sections ?? [] },
    tests: [],
  };
}
