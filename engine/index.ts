// The engine's public surface: pure functions over rulesets, no I/O.
export * from './schema/ruleset.ts';
export * from './problem.ts';
export * from './load.ts';
export * from './model.ts';
export * from './answerValue.ts';
export * from './answers.ts';
export * from './tailoring.ts';
export * from './scoring.ts';
export * from './progression.ts';
export * from './limits.ts';
export * from './policies.ts';
export * from './gap.ts';
export * from './form.ts';
export * from './navigation.ts';
export * from './lint.ts';
export * from './variant.ts';
export * from './rulesetTests.ts';
