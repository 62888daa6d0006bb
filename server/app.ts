// The Express application: the JSON API under /api, the runtime at /, the designer at /designer.
import express, { Router } from 'express';
import compression from 'compression';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Context } from './context.ts';
import { authenticate, requireUser } from './auth.ts';
import { RouteTable } from './http/routes.ts';
import { ApiError, errorHandler } from './http/apiError.ts';
import { limitJsonDepth } from './http/jsonDepth.ts';
import { noStore, sameOrigin, securityHeaders } from './http/security.ts';
import { requestLog, requestScope } from './http/requestLog.ts';
import { healthRoutes, Lifecycle } from './http/health.ts';
import { accountRoutes } from './routes/accounts.ts';
import { diagnosisRoutes } from './routes/diagnoses.ts';
import { platformRoutes } from './routes/platform.ts';
import { adminRoutes } from './routes/admin.ts';
import { dashboardRoutes } from './routes/dashboard.ts';
import { supportRoutes } from './routes/support.ts';
import { auditRoutes } from './routes/audit.ts';
import { assessmentBodyRoutes } from './routes/assessmentBodies.ts';
import { assessmentApplicationRoutes } from './routes/assessmentApplications.ts';
import { evidenceRoutes } from './routes/evidence.ts';
import { certificateRoutes } from './routes/certificates.ts';
import { assessmentScoringRoutes } from './routes/assessmentScoring.ts';
import { regionRoutes } from './routes/regions.ts';
import { regionsLoaded } from './regions/records.ts';
import { rulesetRoutes } from './routes/rulesets.ts';
import { questionBankRoutes } from './routes/questionBank.ts';
import { reportPreviewRoutes } from './routes/reportPreview.ts';

export const RUNTIME_DIST = fileURLToPath(new URL('../dist/runtime/', import.meta.url));
export const DESIGNER_DIST = fileURLToPath(new URL('../dist/designer/', import.meta.url));

const AUTHORING_PATHS = ['/rulesets', '/report-preview'];

/** Vite's hashed assets never change under their name; the pages that name them are checked each time. */
const cacheStatic = (res: import('express').Response, path: string) =>
  void res.set('Cache-Control', /[\\/]assets[\\/]/.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache');
/** A client-side route answered with the page: checked each time, like index.html itself. */
const page = (root: string) => (_req: import('express').Request, res: import('express').Response) =>
  res.sendFile('index.html', { root, headers: { 'Cache-Control': 'no-cache' } });

/** `lifecycle`: the process's (main.ts sets `draining` on SIGTERM, and /readyz then answers 503). */
export function createApp(ctx: Context, lifecycle: Lifecycle = new Lifecycle()) {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', ctx.trustProxy);
  app.use(requestLog(ctx.logger, app.get('trust proxy fn'), { access: ctx.accessLog }));
  // While draining, a kept-alive connection is closed after its answer, so clients reconnect elsewhere.
  app.use((_req, res, next) => {
    if (lifecycle.draining) res.set('Connection', 'close');
    next();
  });
  app.use(healthRoutes(ctx, lifecycle));
  // JSON, pages, scripts and styles (compressible types over 1 KB); PDFs and workbooks are compressed already.
  app.use(compression());
  const strict = securityHeaders(ctx, { evalForDesigner: false });
  const designer = securityHeaders(ctx, { evalForDesigner: true });
  app.use((req, res, next) => (req.path === '/designer' || req.path.startsWith('/designer/') ? designer : strict)(req, res, next));

  const api = Router();
  api.use(noStore);
  api.use(sameOrigin(ctx));
  // A whole ruleset travels in authoring requests (the bundled CMMM one is 640 KB); everything
  // else stays small. body-parser leaves a body it finds already read, so the larger parser for
  // those paths goes first.
  api.use(AUTHORING_PATHS, express.json({ limit: '4mb' }));
  api.use(express.json({ limit: '256kb' }));
  api.use(limitJsonDepth());
  api.use(requestScope);
  api.use(authenticate(ctx));
  api.use(requestScope);
  api.use(regionsLoaded(ctx));
  const routes = new RouteTable(api, requireUser);
  accountRoutes(routes, ctx);
  platformRoutes(routes, ctx);
  adminRoutes(routes, ctx);
  regionRoutes(routes, ctx);
  rulesetRoutes(routes, ctx);
  questionBankRoutes(routes, ctx);
  reportPreviewRoutes(routes, ctx);
  diagnosisRoutes(routes, ctx);
  dashboardRoutes(routes, ctx);
  supportRoutes(routes, ctx);
  auditRoutes(routes, ctx);
  certificateRoutes(routes, ctx);
  assessmentScoringRoutes(routes, ctx);
  assessmentBodyRoutes(routes, ctx);
  assessmentApplicationRoutes(routes, ctx);
  evidenceRoutes(routes, ctx);
  const openapi = routes.openapi({ title: 'Ladder API', version: '0.1.0' });
  api.get('/openapi.json', (_req, res) => void res.json(openapi));
  api.use((_req, _res, next) => next(new ApiError(404, 'not_found', { zh: '接口不存在', en: 'no such endpoint' })));
  api.use(errorHandler(ctx.logger));
  app.use('/api', api);

  if (existsSync(DESIGNER_DIST)) {
    app.use('/designer', express.static(DESIGNER_DIST, { index: 'index.html', setHeaders: cacheStatic }));
    app.get(['/designer', '/designer/{*splat}'], page(DESIGNER_DIST));
  }
  if (existsSync(RUNTIME_DIST)) {
    app.use(express.static(RUNTIME_DIST, { index: 'index.html', setHeaders: cacheStatic }));
    app.get('/{*splat}', page(RUNTIME_DIST));
  }
  app.use(errorHandler(ctx.logger));
  return { app, openapi, lifecycle };
}
