// Errors as the API answers them: { error: { code, message, field, details } }, in the
// request's language (zh-CN unless Accept-Language asks for English).
import type { NextFunction, Request, Response } from 'express';
import type { Problem, Text } from '../../engine/index.ts';
import { QueueFull } from '../workQueue.ts';
import type { Logger } from '../log.ts';

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
    /** Sent with the error, e.g. Retry-After on a 429 or 503. */
    readonly headers?: Record<string, string>,
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

/** Failures of parsing a request that Express and body-parser report with a 4xx status: what to tell the client. */
function clientError(err: { type?: string; status?: number; code?: string; name?: string }): ApiError | undefined {
  const status = err.status;
  if (typeof status !== 'number' || status < 400 || status > 499) return undefined;
  switch (err.type) {
    case 'entity.too.large':
      return new ApiError(413, 'too_large', { zh: '请求内容过大', en: 'the request body is too large' });
    case 'entity.parse.failed':
      return new ApiError(400, 'invalid_json', { zh: '请求内容不是有效的 JSON', en: 'the request body is not valid JSON' });
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new ApiError(415, 'unsupported_encoding', { zh: '不支持的编码', en: 'unsupported encoding' });
  }
  // Express could not percent-decode a path parameter (e.g. "%zz").
  if (err.name === 'URIError') return new ApiError(400, 'bad_path', { zh: '请求地址含有无效的编码（%）', en: 'the request path has an invalid percent-encoding' });
  // zlib or brotli could not decompress a body sent with Content-Encoding.
  if (err.code?.startsWith('Z_') || err.code?.startsWith('ERR__ERROR') || err.code === 'ERR_BROTLI_COMPRESSION_FAILED')
    return new ApiError(400, 'bad_encoding', { zh: '请求内容与其 Content-Encoding 不符，无法解压', en: 'the request body does not match its Content-Encoding and cannot be decompressed' });
  return new ApiError(status, 'bad_request', { zh: '无效的请求', en: 'bad request' });
}

/** A bounded queue is full: try again shortly. */
const busy = (e: QueueFull) =>
  new ApiError(
    503,
    'busy',
    { zh: `服务器繁忙（${e.what.zh}），请 ${e.retryAfterSeconds} 秒后重试`, en: `the server is busy (${e.what.en}); please try again in ${e.retryAfterSeconds} s` },
    undefined,
    [],
    { 'Retry-After': String(e.retryAfterSeconds) },
  );

/**
 * The last middleware: every failure leaves as the same JSON shape, and nothing half-done is
 * reported as success. An unexpected failure is logged at error level; its answer names the
 * request's id (requestId, also in the message), which finds the log lines.
 */
export function errorHandler(log: Pick<Logger, 'error'> | ((line: string) => void)) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const locale = localeOf(req);
    const requestId = res.locals.requestId as string | undefined;
    let e: ApiError | undefined = err instanceof ApiError ? err : err instanceof QueueFull ? busy(err) : clientError((err ?? {}) as object);
    if (!e) {
      const line = `[error] ${req.method} ${req.baseUrl}${req.path}: ${(err as Error)?.message ?? err}`;
      if (typeof log === 'function') log(`${line}\n${(err as Error)?.stack ?? ''}`);
      else log.error({ err }, line);
      const ref = requestId ? { zh: `（请求编号 ${requestId}）`, en: ` (request id ${requestId})` } : { zh: '', en: '' };
      e = new ApiError(500, 'internal', { zh: `服务器内部错误，请稍后重试${ref.zh}`, en: `internal server error, please try again later${ref.en}` });
    }
    if (res.headersSent) return void res.destroy();
    if (e.headers) res.set(e.headers);
    const body = errorBody(e, locale);
    res.status(e.status).json(e.status >= 500 && requestId ? { error: { ...body.error, requestId } } : body);
  };
}
