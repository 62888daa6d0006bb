// `npm start`: build the UIs when their sources changed, open the store, publish the bundled
// rulesets, make sure there is an administrator, and serve. `--demo` adds a demo enterprise.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { resolve, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createApp, DESIGNER_DIST, RUNTIME_DIST } from './app.ts';
import { openStore } from './store/open.ts';
import { publishBundled } from './catalog.ts';
import { applyBundledSettings } from './bundledSettings.ts';
import { ensureAdministrator } from './setup.ts';
import { generatePopulation } from './population.ts';
import { contextFromEnv } from './context.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

function newestMtime(dir: string): number {
  if (!existsSync(dir)) return 0;
  return readdirSync(dir, { withFileTypes: true }).reduce((m, e) => {
    const full = join(dir, e.name);
    return Math.max(m, e.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }, 0);
}

/** Builds a UI (runtime or designer) when its sources, the engine's or the runtime components it shares are newer than its build. */
async function buildUiIfNeeded(ui: 'runtime' | 'designer', dist: string, log: (s: string) => void) {
  const config = join(ROOT, ui, 'vite.config.ts');
  if (!existsSync(config)) return;
  const built = join(dist, 'index.html');
  const sources = Math.max(newestMtime(join(ROOT, ui)), newestMtime(join(ROOT, 'engine')), newestMtime(join(ROOT, 'runtime', 'src')));
  if (existsSync(built) && statSync(built).mtimeMs >= sources) return;
  log(`building the ${ui} UI…`);
  const { build } = await import('vite');
  await build({ configFile: config, logLevel: 'warn' });
}

/** Both UIs, each only when its sources changed (also run once before the test suite). */
export async function buildUisIfNeeded(log: (s: string) => void) {
  await buildUiIfNeeded('runtime', RUNTIME_DIST, log);
  await buildUiIfNeeded('designer', DESIGNER_DIST, log);
}

export async function main(argv: string[], env: NodeJS.ProcessEnv) {
  const log = (line: string) => console.log(line);
  // Benchmarks and API-only deployments skip the UI build.
  if (env.LADDER_BUILD_UI !== '0') await buildUisIfNeeded(log);
  const { store, where } = await openStore(env, log);
  const ctx = contextFromEnv(env, { store, log });
  // Instances starting together on one database take turns, so each bundled ruleset and the first administrator are created once.
  const token = await store.exclusive('startup', async () => {
    const published = await publishBundled(ctx);
    if (published.length) log(`published bundled rulesets: ${published.join(', ')}`);
    const settings = await applyBundledSettings(ctx);
    if (settings.length) log(`applied bundled region settings: ${settings.join(', ')}`);
    return ensureAdministrator(ctx, env);
  });
  const port = Number(env.PORT ?? 3000);
  if (argv.includes('--demo') && !(await store.findUserByUsername('demo1'))) {
    await generatePopulation(ctx, { count: 1, prefix: 'demo', password: 'demo-2026', seed: 2026, strength: 0.8 });
    log('demo enterprise: username demo1, password demo-2026');
  }
  const { app } = createApp(ctx);
  const server = app.listen(port, () => {
    log(`Ladder is running at http://localhost:${port}/ (data in ${where})`);
    if (token) log(`No administrator yet: create one at http://localhost:${port}/designer/#setup=${token} (one-time link), or set LADDER_ADMIN_USERNAME and LADDER_ADMIN_PASSWORD.`);
  });
  // Messages still being sent go out before the store closes.
  const stop = () => server.close(() => void ctx.background.settled().then(() => Promise.all([store.close(), ctx.pdf.close()])).then(() => process.exit(0)));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  return server;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main(process.argv.slice(2), process.env);
}
