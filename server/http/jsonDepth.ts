// How deep a JSON body may nest. A whole ruleset nests about a dozen levels; code that walks a
// body recursively (validation, the variant merge) would exhaust the stack on 10,000 levels, so
// deeper bodies are refused right after parsing, measured without recursion.
import type { NextFunction, Request, Response } from 'express';
import { ApiError } from './apiError.ts';

export const MAX_JSON_DEPTH = 64;

/** Whether `value` nests deeper than `max` (arrays and objects count a level each). */
export function deeperThan(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth >= max) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
  }
  return false;
}

export const limitJsonDepth =
  (max = MAX_JSON_DEPTH) =>
  (req: Request, _res: Response, next: NextFunction) =>
    next(
      req.body !== null && typeof req.body === 'object' && !Buffer.isBuffer(req.body) && deeperThan(req.body, max)
        ? new ApiError(400, 'too_deep', { zh: `请求内容嵌套过深（最多 ${max} 层）`, en: `the request body nests too deep (at most ${max} levels)` })
        : undefined,
    );
