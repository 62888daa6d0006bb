// What the browser is told, and what it may send: helmet's headers with a Content-Security-Policy
// that runs only the platform's own scripts; HSTS behind HTTPS; personal data never cached; and
// no state-changing request from another site (checked by Origin and Sec-Fetch-Site, beside the
// SameSite=Strict session cookie).
import helmet from 'helmet';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Context } from '../context.ts';
import { ApiError } from './apiError.ts';

const directives = (secure: boolean, scriptSrc: string[]) => ({
  'default-src': ["'self'"],
  'script-src': scriptSrc,
  'script-src-attr': ["'none'"],
  // Ant Design writes its styles into <style> elements at run time.
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'data:'],
  'font-src': ["'self'", 'data:'],
  'connect-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'self'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
  ...(secure ? { 'upgrade-insecure-requests': [] } : {}),
});

/**
 * helmet for the pages and the API. The designer alone may evaluate generated code: it checks a
 * ruleset in the browser with the engine's schema validator (ajv compiles it to a function).
 */
export function securityHeaders(ctx: Pick<Context, 'secureCookies'>, options: { evalForDesigner: boolean }): RequestHandler {
  const secure = ctx.secureCookies;
  return helmet({
    contentSecurityPolicy: { useDefaults: false, directives: directives(secure, options.evalForDesigner ? ["'self'", "'unsafe-eval'"] : ["'self'"]) },
    strictTransportSecurity: secure ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    referrerPolicy: { policy: 'same-origin' },
    // Reports open in a new tab from the runtime; nothing is embedded cross-origin.
    crossOriginEmbedderPolicy: false,
  });
}

/** A report as HTML: its own inline CSS and SVG, nothing else, and no script at all. */
export const REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'self'";

/** API answers carry personal data: no browser or proxy keeps a copy. */
export const noStore = (_req: Request, res: Response, next: NextFunction) => {
  res.set('Cache-Control', 'no-store');
  next();
};

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Refuses a state-changing request a browser sent from another site: Sec-Fetch-Site says so, or
 * Origin names another host. Requests with neither header do not come from a browser page (the
 * command line, scripts), which cannot ride on a user's cookie.
 */
export function sameOrigin(ctx: Pick<Context, 'allowedOrigins'>): RequestHandler {
  return (req, _res, next) => {
    if (SAFE.has(req.method)) return next();
    const site = req.get('sec-fetch-site');
    const origin = req.get('origin');
    const hosts = [req.get('host'), req.app.get('trust proxy fn')?.(req.socket.remoteAddress, 0) ? req.get('x-forwarded-host') : undefined].filter(Boolean);
    let ok = true;
    if (site && site !== 'same-origin' && site !== 'none') ok = false;
    if (origin !== undefined && !ctx.allowedOrigins.includes(origin)) {
      let host: string | undefined;
      try {
        host = origin === 'null' ? undefined : new URL(origin).host;
      } catch {
        host = undefined;
      }
      if (!host || !hosts.includes(host)) ok = false;
    }
    next(ok ? undefined : new ApiError(403, 'cross_site', { zh: '拒绝来自其他网站的请求', en: 'requests from another site are refused' }));
  };
}
