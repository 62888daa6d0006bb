// Query parameters of list endpoints, read strictly: a repeated parameter, a value out of range or
// not among the allowed ones is a 400 naming the parameter (never guessed at, never a 500).
import type { Request } from 'express';
import { text } from '../../engine/index.ts';
import { ApiError } from './apiError.ts';

/** One query parameter as a string; empty counts as absent. */
export function param(req: Request, name: string, maxLength = 100): string | undefined {
  const v = req.query[name];
  if (v === undefined || v === '') return undefined;
  if (typeof v !== 'string') throw new ApiError(400, 'invalid_query', text(`参数 ${name} 只能给一次`, `give the parameter ${name} once`), `/${name}`);
  if (v.length > maxLength) throw invalid(name, `${v.slice(0, 20)}…`, text(`不超过 ${maxLength} 个字符`, `at most ${maxLength} characters`));
  return v;
}

export function invalid(name: string, value: string, expected: { zh: string; en: string }) {
  return new ApiError(400, 'invalid_query', text(`参数 ${name} 的值 "${value}" 无效：${expected.zh}`, `"${value}" is not a valid ${name}: ${expected.en}`), `/${name}`);
}

export function integerParam(req: Request, name: string, min: number, max: number): number | undefined {
  const v = param(req, name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!/^\d+$/.test(v) || n < min || n > max) throw invalid(name, v, text(`应为 ${min} 到 ${max} 的整数`, `expected a whole number from ${min} to ${max}`));
  return n;
}

export function oneOf<T extends string>(req: Request, name: string, allowed: readonly T[]): T | undefined {
  const v = param(req, name);
  if (v !== undefined && !(allowed as readonly string[]).includes(v)) throw invalid(name, v, text(`应为 ${allowed.join('、')} 之一`, `expected one of ${allowed.join(', ')}`));
  return v as T | undefined;
}

/** page (from 1) and pageSize as offset and limit. */
export function paging(req: Request, maxPageSize = 100, defaultPageSize = 20) {
  const page = integerParam(req, 'page', 1, 1_000_000) ?? 1;
  const pageSize = integerParam(req, 'pageSize', 1, maxPageSize) ?? defaultPageSize;
  return { page, pageSize, offset: (page - 1) * pageSize, limit: pageSize };
}
