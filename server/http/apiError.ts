// Errors as the API answers them: { error: { code, message, field, details } }, in the
// request's language (zh-CN unless Accept-Language asks for English).
import type { NextFunction, Request, Response } from 'express';
import type { Problem, Text } from '../../engine/index.ts';

export type Locale = 'zh' | 'en';

export const localeOf = (req: Request): Locale => (/^\s*en\b/i.test(req.get('accept-language') ?? '') ? 'en' : 'zh');

export const say = (t: { zh: string; en?: string }, locale: Locale) => (locale === 'en' ? t.en || t.zh : t.zh);

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly text: Text,
    readonly field?: string,
    readonly details: { field: string; text: Text }[] = [],
  ) {
    super(text.en);
  }

  /** A 400 listing every problem, the first one as the headline. */
  static fromProblems(problems: Problem[], code = 'invalid'): ApiError {
    const first = problems[0];
    return new ApiError(
      400,
      code,
      first.message,
      first.pointer,
      problems.map((p) => ({ field: p.pointer, text: p.message })),
    );
  }
}

export const notFound = (what: Text = { zh: '资源不存在', en: 'not found' }) => new ApiError(404, 'not_found', what);
export const forbidden = () => new ApiError(403, 'forbidden', { zh: '无权访问此资源', en: 'you may not access this resource' });
export const unauthenticated = () => new ApiError(401, 'unauthenticated', { zh: '请先登录', en: 'please log in first' });

export function errorBody(e: ApiError, locale: Locale) {
  return {
    error: {
      code: e.code,
      message: say(e.text, locale),
      ...(e.field !== undefined ? { field: e.field } : {}),
      ...(e.details.length ? { details: e.details.map((d) => ({ field: d.field, message: say(d.text, locale) })) } : {}),
    },
  };
}

/** The last middleware: every failure leaves as the same JSON shape, and nothing half-done is reported as success. */
export function errorHandler(log: (line: string) => void) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const locale = localeOf(req);
    let e: ApiError;
    if (err instanceof ApiError) e = err;
    else if ((err as { type?: string }).type === 'entity.too.large')
      e = new ApiError(413, 'too_large', { zh: '请求内容过大', en: 'the request body is too large' });
    else if ((err as { type?: string }).type === 'entity.parse.failed')
      e = new ApiError(400, 'invalid_json', { zh: '请求内容不是有效的 JSON', en: 'the request body is not valid JSON' });
    else if ((err as { type?: string }).type === 'encoding.unsupported' || (err as { type?: string }).type === 'charset.unsupported')
      e = new ApiError(415, 'unsupported_encoding', { zh: '不支持的编码', en: 'unsupported encoding' });
    else {
      log(`[error] ${req.method} ${req.originalUrl}: ${(err as Error)?.stack ?? err}`);
      e = new ApiError(500, 'internal', { zh: '服务器内部错误，请稍后重试', en: 'internal server error, please try again later' });
    }
    res.status(e.status).json(errorBody(e, locale));
  };
}
