// `npm start`: make sure the UIs are built (server/uiBuild.ts), open the store, publish the bundled
// rulesets, make sure there is an administrator, and serve until SIGTERM, which drains: /readyz
// answers 503, no new connections, requests in flight finish (within LADDER_SHUTDOWN_MS), messages
// still being sent go out, the store is flushed and closed, Chromium closed. `--demo` adds a demo enterprise.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { createApp } from './app.ts';
import { openStore } from './store/open.ts';
import { publishBundled } from './catalog.ts';
import { applyBundledSettings } from './bundledSettings.ts';
import { ensureAdministrator } from './setup.ts';
import { generatePopulation } from './population.ts';
import { contextFromEnv } from './context.ts';
import { lineLogger, loggerFromEnv } from './log.ts';
import { buildUisIfNeeded, UiUnavailable } from './uiBuild.ts';

/** Where the server listens unless LADDER_HOST says otherwise: this machine only (a proxy in front, or a developer's browser). */
export const DEFAULT_HOST = '127.0.0.1';

/** The address to print: the one bound, or `localhost` for every interface. */
export function baseUrl(address: AddressInfo): string {
  const everywhere = address.address === '0.0.0.0' || address.address === '::';
  const host = everywhere ? 'localhost' : address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}`;
}

const number = (value: string | undefined, fallback: number) => (value !== undefined && value !== '' && Number.isFinite(Number(value)) ? Number(value) : fallback);

export async function main(argv: string[], env: NodeJS.ProcessEnv): Promise<Server> {
  const logger = loggerFromEnv(env);
  const log = lineLogger(logger);
  // Benchmarks and API-only deployments skip the UI build.
  if (env.LADDER_BUILD_UI !== '0') await buildUisIfNeeded(log, env);
  const { store, where } = await openStore(env, log);
  const ctx = contextFromEnv(env, { store, logger });
  // Instances starting together on one database take turns, so each bundled ruleset and the first administrator are created once.
  const token = await store.exclusive('startup', async () => {
    const published = await publishBundled(ctx);
    if (published.length) log(`published bundled rulesets: ${published.join(', ')}`);
    const settings = await applyBundledSettings(ctx);
    if (settings.length) log(`applied bundled region settings: ${settings.join(', ')}`);
    return ensureAdministrator(ctx, env);
  });
  if (argv.includes('--demo') && !(await store.findUserByUsername('demo1'))) {
    await generatePopulation(ctx, { count: 1, prefix: 'demo', password: 'demo-2026', seed: 2026, strength: 0.8 });
    log('demo enterprise: username demo1, password demo-2026');
  }
  const { app, lifecycle } = createApp(ctx);
  const server = createServer(app);
  const host = env.LADDER_HOST || DEFAULT_HOST;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(number(env.PORT, 3000), host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const url = baseUrl(server.address() as AddressInfo);
  logger.info({ address: server.address(), data: where }, `Ladder is running at ${url}/ (listening on ${host}; data in ${where})`);
  if (token) log(`No administrator yet: create one at ${url}/designer/#setup=${token} (one-time link), or set LADDER_ADMIN_USERNAME and LADDER_ADMIN_PASSWORD.`);

  const shutdownMs = number(env.LADDER_SHUTDOWN_MS, 10_000);
  const drainDelayMs = number(env.LADDER_DRAIN_DELAY_MS, 0);
  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) {
      // A second Ctrl-C: the developer does not want to wait.
      if (signal === 'SIGINT') process.exit(130);
      return;
    }
    stopping = true;
    lifecycle.draining = true;
    logger.info({ signal }, `${signal}: shutting down (draining)`);
    // Time for a balancer polling /readyz to take this instance out before it stops accepting.
    if (signal === 'SIGTERM' && drainDelayMs > 0) await sleep(drainDelayMs);
    const closed = new Promise<void>((done) => server.close(() => done()));
    // Connections kept alive between requests close now; those serving a request once it is answered.
    const sweep = setInterval(() => server.closeIdleConnections(), 50);
    server.closeIdleConnections();
    const finished = await Promise.race([closed.then(() => true), sleep(shutdownMs).then(() => false)]);
    clearInterval(sweep);
    if (!finished) {
      logger.warn(`requests still running after ${shutdownMs} ms (LADDER_SHUTDOWN_MS): closing their connections`);
      server.closeAllConnections();
      await closed;
    }
    // Text messages still being sent go out before the store closes.
    await Promise.race([ctx.background.settled(), sleep(shutdownMs)]);
    // lowdb: a last checkpoint writes the journal's changes into the snapshots; PostgreSQL: the pool ends.
    await store.close();
    await ctx.pdf.close();
    logger.info('stopped');
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const)
    process.on(signal, () =>
      void stop(signal).then(
        () => process.exit(0),
        (e: Error) => {
          logger.fatal({ err: e }, `shutdown failed: ${e.message}`);
          process.exit(1);
        },
      ),
    );
  return server;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    await main(process.argv.slice(2), process.env);
  } catch (e) {
    // What an operator must do (build the UI, free the port, start PostgreSQL) in one line, not a stack.
    const known = e instanceof UiUnavailable || (e as NodeJS.ErrnoException).code === 'EADDRINUSE' || (e as NodeJS.ErrnoException).code === 'EADDRNOTAVAIL';
    console.error(known ? `Ladder cannot start: ${(e as Error).message}` : e);
    process.exit(1);
  }
}
