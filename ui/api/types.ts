// The API's types for the UIs, derived from the generated schema.ts (never from server/): what each
// operation answers and takes, named by its operationId.
import type { components, operations } from './schema.ts';

type Json<T> = T extends { content: { 'application/json': infer B } } ? B : never;

/** The JSON body of an operation's success answer (200 or 201). */
export type Answer<Op extends keyof operations> = operations[Op]['responses'] extends infer R ? (R extends { 200: infer A } ? Json<A> : R extends { 201: infer A } ? Json<A> : never) : never;

/** The JSON body an operation takes. */
export type Body<Op extends keyof operations> = operations[Op]['requestBody'] extends infer B ? (B extends { content: { 'application/json': infer J } } ? J : never) : never;

export type Schemas = components['schemas'];
export type { operations };
