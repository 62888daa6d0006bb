// What a load balancer or an orchestrator asks, outside /api (no session, no rate limit):
// GET /healthz — the process is alive; GET /readyz — it can serve now: the store answers (with
// every PostgreSQL migration applied) and the process is not draining for a shutdown. Whether
// Chromium is installed is reported (reports' PDFs need it) but does not take an instance out.
import { Router } from 'express';
import type { Context } from '../context.ts';
import { chromiumPath } from '../chromium.ts';

/** Set when a shutdown begins: /readyz answers 503 so balancers stop sending new requests here. */
export class Lifecycle {
  draining = false;
}

/** A store that does not answer within this long is as good as unreachable for a probe. */
const PING_TIMEOUT_MS = 2000;

function chromiumPresent(): boolean {
  try {
    chromiumPath();
    return true;
  } catch {
    return false;
  }
}

async function storeCheck(ctx: Pick<Context, 'store'>): Promise<{ reachable: boolean; pending: number[]; error?: string }> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${PING_TIMEOUT_MS} ms`)), PING_TIMEOUT_MS);
    });
    const ping = await Promise.race([ctx.store.ping(), timeout]);
    return { reachable: true, pending: ping.pendingMigrations };
  } catch (e) {
    return { reachable: false, pending: [], error: (e as Error).message };
  } finally {
    clearTimeout(timer);
  }
}

export interface Readiness {
  status: 'ready' | 'draining' | 'unavailable';
  checks: { store: 'ok' | 'unreachable'; migrations: 'applied' | 'pending'; chromium: 'present' | 'missing' };
}

export function healthRoutes(ctx: Pick<Context, 'store' | 'logger'>, lifecycle: Lifecycle): Router {
  const router = Router();
  let lastFailure: string | undefined;
  // Probes arriving while a store check runs share it: a flood of /readyz holds one database connection, not the pool.
  let running: ReturnType<typeof storeCheck> | undefined;
  const checkStore = () => (running ??= storeCheck(ctx).finally(() => (running = undefined)));
  router.use(['/healthz', '/readyz'], (_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });
  router.get('/healthz', (_req, res) => void res.json({ status: 'ok' }));
  router.get('/readyz', async (_req, res) => {
    const store = await checkStore();
    const checks: Readiness['checks'] = {
      store: store.reachable ? 'ok' : 'unreachable',
      migrations: store.pending.length ? 'pending' : 'applied',
      chromium: chromiumPresent() ? 'present' : 'missing',
    };
    const status: Readiness['status'] = lifecycle.draining ? 'draining' : store.reachable && !store.pending.length ? 'ready' : 'unavailable';
    // The reason goes to the log, once per change, not to whoever asks.
    const failure = store.error ?? (store.pending.length ? `migrations ${store.pending.join(', ')} not applied` : undefined);
    if (failure !== lastFailure) {
      if (failure) ctx.logger.warn({ checks }, `not ready: ${failure}`);
      else if (lastFailure) ctx.logger.info({ checks }, 'ready again');
      lastFailure = failure;
    }
    res.status(status === 'ready' ? 200 : 503).json({ status, checks } satisfies Readiness);
  });
  return router;
}
