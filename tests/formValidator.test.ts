// The runtime's form validator (no code generated at run time, so the strict CSP holds) must
// agree with rjsf's ajv validator on every schema the engine's forms contain.
import { describe, expect, it } from 'vitest';
import ajvValidator from '@rjsf/validator-ajv8';
import type { RJSFSchema } from '@rjsf/utils';
import { buildForm } from '../engine/index.ts';
import { loadRulesetFile } from '../cli/rulesetFiles.ts';
import { formValidator } from '../ui/questionForm/formValidator.ts';
import { smallRuleset } from './fixtures/small.ts';

describe("the runtime's form validator", () => {
  it("answers as rjsf's ajv validator does for every question schema the forms hold, and every kind of value", () => {
    const rulesets = [loadRulesetFile('rulesets/cmmm/gbt39116-2020.json'), smallRuleset()];
    let compared = 0;
    for (const ruleset of rulesets) {
      for (const level of ruleset.levels) {
        const form = buildForm(ruleset, { level: level.number, industryType: ruleset.industryTypes[0].id });
        const root = form.schema as unknown as RJSFSchema;
        const values = (schema: RJSFSchema): unknown[] => {
          const consts = ((schema.oneOf ?? (schema.items as RJSFSchema | undefined)?.oneOf ?? []) as RJSFSchema[]).map((o) => o.const);
          return [undefined, null, '', 'Z', 0, -1, 1e9, 3.5, [], ['A', 'A'], [consts[0]], consts, { a: 1 }, ...consts];
        };
        for (const [id, schema] of Object.entries(root.properties ?? {})) {
          for (const v of values(schema as RJSFSchema)) {
            expect(formValidator.isValid(schema as RJSFSchema, v, root), `${ruleset.id} ${id} ${JSON.stringify(v)}`).toBe(ajvValidator.isValid(schema as RJSFSchema, v, root));
            compared++;
          }
        }
        for (const data of [{}, { [form.questionIds[0]]: 'Z' }]) expect(formValidator.isValid(root, data, root)).toBe(ajvValidator.isValid(root, data, root));
      }
    }
    expect(compared).toBeGreaterThan(1000);
  });
});
