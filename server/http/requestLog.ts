// Every request gets an id (the trusted proxy's X-Request-Id, else a new one), echoed in the
// response's X-Request-Id, carried by every log line written while serving it, and named in
// the access line logged when it ends: method, path, status, duration, address, user.
import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { currentRequest, inRequest, type Logger } from '../log.ts';

/** Ids a proxy may hand on: nginx's $request_id, UUIDs and the like; anything else is replaced. */
const VALID_ID = /^[A-Za-z0-9._:@-]{1,128}$/;

/** Query parameters whose values never reach the log. */
const SECRET_PARAM = /pass|code|token|secret|key|sid|session|auth|cookie|mobile|phone/i;

/** The path and query as logged: secret-looking parameters' values replaced. */
export function loggedUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const query = url
    .slice(q + 1)
    .split('&')
    .map((part) => {
      const key = part.split('=')[0];
      let name = key;
      try {
        name = decodeURIComponent(key.replace(/\+/g, ' '));
      } catch {
        // a malformed escape: judged as written
      }
      return SECRET_PARAM.test(name) ? `${key}=[redacted]` : part;
    });
  return `${url.slice(0, q)}?${query.join('&')}`;
}

/**
 * `trusted(address, hop)`: Express's compiled `trust proxy` function; only a peer it trusts may
 * name the request's id (anyone else could plant misleading ids in the log).
 */
export function requestLog(logger: Logger, trusted: (address: string, hop: number) => boolean, options: { access: boolean } = { access: true }): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const started = process.hrtime.bigint();
    const given = req.get('x-request-id');
    const peer = req.socket.remoteAddress ?? '';
    const reqId = given && VALID_ID.test(given) && trusted(peer, 0) ? given : randomUUID();
    res.locals.requestId = reqId;
    res.setHeader('X-Request-Id', reqId);
    let logged = false;
    const done = () => {
      if (logged) return;
      logged = true;
      const ms = Math.round(Number(process.hrtime.bigint() - started) / 1e4) / 100;
      const user = res.locals.user as { id: string } | undefined;
      const aborted = !res.writableFinished;
      const status = res.statusCode;
      const line = {
        reqId,
        method: req.method,
        path: loggedUrl(req.originalUrl),
        status,
        ms,
        ip: req.ip,
        ...(user ? { userId: user.id } : {}),
        ...(aborted ? { aborted: true } : {}),
      };
      const msg = `${req.method} ${line.path} ${aborted ? 'aborted' : status} ${ms} ms`;
      if (status >= 500) logger.warn(line, msg);
      else logger.info(line, msg);
    };
    if (options.access) {
      res.once('finish', done);
      res.once('close', done);
    }
    inRequest({ reqId }, next);
  };
}

/**
 * Re-enters the request's log scope. Body parsers call `next` from the socket's stream events,
 * which run outside the scope the request started in; placed after them, this restores it (and
 * names the user once the session is known).
 */
export const requestScope: RequestHandler = (_req, res, next) => {
  const reqId = res.locals.requestId as string | undefined;
  if (!reqId) return next();
  const user = res.locals.user as { id: string } | undefined;
  const scope = currentRequest();
  if (scope?.reqId === reqId) {
    if (user) scope.userId = user.id;
    return next();
  }
  inRequest({ reqId, ...(user ? { userId: user.id } : {}) }, next);
};
