// The UIs' production build (dist/runtime, dist/designer): `npm run build` makes it, `npm start`
// remakes it only where the build tools are installed and the sources are newer, and a
// production install (no dev dependencies, so no vite) serves what was built. Each build records
// its mode in build.json, so a development build is never taken for a production one.
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

export type Ui = 'runtime' | 'designer';
export const UIS: Ui[] = ['runtime', 'designer'];
export const distOf = (ui: Ui) => join(ROOT, 'dist', ui);

/** What build.json says about a build. */
export interface BuildRecord {
  mode: string;
  /** Newest modification time (ms) of the sources the build was made from. */
  sources: number;
  builtAt: string;
}

function newestMtime(dir: string): number {
  if (!existsSync(dir)) return 0;
  return readdirSync(dir, { withFileTypes: true }).reduce((m, e) => {
    if (e.name === 'node_modules') return m;
    const full = join(dir, e.name);
    return Math.max(m, e.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }, 0);
}

/** A UI is built from its own folder, the engine, the shared ui/ folder and the runtime components the designer reuses. */
export const sourcesStamp = (ui: Ui) => Math.max(...[ui, 'engine', 'ui', join('runtime', 'src')].map((d) => newestMtime(join(ROOT, d))));

export function buildRecord(ui: Ui): BuildRecord | undefined {
  try {
    return JSON.parse(readFileSync(join(distOf(ui), 'build.json'), 'utf8')) as BuildRecord;
  } catch {
    return undefined;
  }
}

/** Why a UI needs building, or undefined when its build is current and a production one. */
export function staleness(ui: Ui): string | undefined {
  const index = join(distOf(ui), 'index.html');
  if (!existsSync(index)) return 'not built yet';
  const record = buildRecord(ui);
  if (record?.mode !== 'production') return `built in ${record ? `${record.mode} mode` : 'an unknown mode (no build.json)'}`;
  if (statSync(index).mtimeMs < sourcesStamp(ui)) return 'its sources changed since the build';
  return undefined;
}

/** vite, when this install has the build tools (a production install has not). */
async function loadVite(): Promise<typeof import('vite') | undefined> {
  try {
    return await import('vite');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND') return undefined;
    throw e;
  }
}

/** Builds one UI in production mode and records it. */
async function buildUi(vite: typeof import('vite'), ui: Ui) {
  const stamp = sourcesStamp(ui);
  // vite takes NODE_ENV over the mode for React's build: under vitest (NODE_ENV=test) or a
  // developer's NODE_ENV=development it would make a development build.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await vite.build({ configFile: join(ROOT, ui, 'vite.config.ts'), mode: 'production', logLevel: 'warn' });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
  const record: BuildRecord = { mode: 'production', sources: stamp, builtAt: new Date().toISOString() };
  writeFileSync(join(distOf(ui), 'build.json'), JSON.stringify(record, null, 2) + '\n');
}

/** `npm run build`: both UIs, whatever their state. */
export async function buildUis(log: (line: string) => void) {
  const vite = await loadVite();
  if (!vite) throw new Error('vite is not installed: `npm run build` needs the dev dependencies (npm ci)');
  for (const ui of UIS) {
    log(`building the ${ui} UI (production)…`);
    await buildUi(vite, ui);
  }
}

export class UiUnavailable extends Error {}

/**
 * At start (and before the test suite): rebuilds each UI whose build is missing, stale or not a
 * production one, when vite is installed. Without vite, serves what is there; refuses only what
 * would be wrong to serve: no build at all, or a development build under NODE_ENV=production.
 */
export async function buildUisIfNeeded(log: (line: string) => void, env: NodeJS.ProcessEnv = process.env) {
  const stale = UIS.flatMap((ui) => {
    const why = staleness(ui);
    return why ? [{ ui, why }] : [];
  });
  if (!stale.length) return;
  const vite = await loadVite();
  for (const { ui, why } of stale) {
    if (vite) {
      log(`building the ${ui} UI (${why})…`);
      await buildUi(vite, ui);
      continue;
    }
    const where = resolve(distOf(ui));
    if (why === 'not built yet')
      throw new UiUnavailable(
        `界面尚未构建（${where}），且未安装构建工具：请先运行 npm ci && npm run build / the ${ui} UI is not built (${where}) and the build tools (vite, a dev dependency) are not installed: run \`npm ci && npm run build\` first (then \`npm prune --omit=dev\` if you like), or set LADDER_BUILD_UI=0 to serve the API only`,
      );
    if (why.startsWith('built in') && env.NODE_ENV === 'production')
      throw new UiUnavailable(
        `界面不是生产构建（${where}）：请运行 npm run build / the ${ui} UI in ${where} was ${why}, not for production: run \`npm run build\` where the dev dependencies are installed`,
      );
    log(`the ${ui} UI's build is not current (${why}) and vite is not installed here: serving the build in ${where} as it is`);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildUis((line) => console.log(line));
}
