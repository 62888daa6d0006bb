// The production install README gives, from the repository's files as a clone has them: the
// UIs built where the dev dependencies are (here: the suite's own build, made in production
// mode before any test), then `npm ci --omit=dev`, then `NODE_ENV=production npm start`. No
// vite there: the server must serve the prebuilt UI, say plainly what it cannot do, and never
// serve a development build.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServerProcess } from './serverProcess.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
let install: string;

beforeAll(() => {
  install = mkdtempSync(join(tmpdir(), 'ladder-production-'));
  for (const file of repositoryFiles()) {
    if (!existsSync(join(ROOT, file))) continue;
    mkdirSync(dirname(join(install, file)), { recursive: true });
    cpSync(join(ROOT, file), join(install, file));
  }
  // npm ci has just filled the cache (CI runs it before the tests): no download needed.
  execFileSync('npm', ['ci', '--omit=dev', '--ignore-scripts', '--prefer-offline', '--no-audit', '--no-fund'], { cwd: install, stdio: 'pipe', timeout: 150_000 });
  cpSync(join(ROOT, 'dist'), join(install, 'dist'), { recursive: true });
}, 180_000);

afterAll(() => {
  if (install) rmSync(install, { recursive: true, force: true });
});

/** What a clone holds: the tracked files and those about to be (not what .gitignore keeps out). */
function repositoryFiles(): string[] {
  try {
    return execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'ignore'] }).toString().split('\0').filter(Boolean);
  } catch {
    // No git here (or it refuses the directory's owner): the tree without what .gitignore names.
    const ignored = new Set(['.git', 'node_modules', 'dist', 'data', 'test-artifacts', 'scratch']);
    return readdirSync(ROOT, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => relative(ROOT, join(e.parentPath, e.name)))
      .filter((f) => !ignored.has(f.split(sep)[0]) && !f.endsWith('.log'));
  }
}

const productionEnv = (dataDir: string) => ({ NODE_ENV: 'production', LADDER_DATA_DIR: dataDir, LADDER_BUILD_UI: undefined, LADDER_VALIDATE_RESPONSES: undefined });

/** Starts the install's server (no npm) and returns how it ended, for starts that must refuse. */
function startToExit(env: Record<string, string | undefined>) {
  const r = spawnSync(join(install, 'node_modules', '.bin', 'tsx'), ['server/main.ts'], { cwd: install, env: { ...process.env, PORT: '0', ...env }, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, output: r.stdout + r.stderr };
}

describe('a production install (npm ci --omit=dev, a prebuilt UI)', () => {
  it('has no build tools, and `NODE_ENV=production npm start` serves the prebuilt production UI', async () => {
    expect(existsSync(join(install, 'node_modules', 'vite'))).toBe(false);
    expect(existsSync(join(install, 'node_modules', 'tsx'))).toBe(true);
    expect(JSON.parse(readFileSync(join(install, 'dist', 'runtime', 'build.json'), 'utf8')).mode).toBe('production');
    const server = await startServerProcess({ command: 'npm', args: ['start'], cwd: install, env: productionEnv(mkdtempSync(join(tmpdir(), 'ladder-prod-data-'))), detached: true });
    try {
      const health = await fetch(`${server.url}/healthz`);
      expect(await health.json()).toEqual({ status: 'ok' });
      expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
      const page = await fetch(`${server.url}/`);
      expect(page.status).toBe(200);
      const html = await page.text();
      const entry = /src="(\/assets\/index-[\w-]+\.js)"/.exec(html)?.[1];
      expect(entry, html).toBeTruthy();
      const script = await fetch(server.url + entry!, { headers: { 'accept-encoding': 'gzip' } });
      expect(script.status).toBe(200);
      expect(script.headers.get('cache-control')).toContain('immutable');
      expect(script.headers.get('content-encoding')).toBe('gzip');
      // React's production build: no development-only checks.
      expect(await script.text()).not.toContain('validateDOMNesting');
      // Production logs: JSON lines; nothing was built, nothing asked for vite.
      const lines = server.logLines();
      expect(lines.map((l) => l.msg)).toContainEqual(expect.stringMatching(/^Ladder is running at http:\/\/127\.0\.0\.1:\d+\//));
      expect(server.output.join('\n')).not.toMatch(/building|vite/i);
    } finally {
      // npm itself ends by the signal; the server under it drains and stops a moment later.
      await server.stop();
    }
    const until = Date.now() + 20_000;
    while (server.logLines().at(-1)?.msg !== 'stopped' && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    expect(server.logLines().at(-1)?.msg).toBe('stopped');
  }, 60_000);

  it('serves the existing build, saying so, when the sources are newer and vite is absent', async () => {
    const source = join(install, 'runtime', 'src', 'main.tsx');
    const later = new Date(Date.now() + 60_000);
    utimesSync(source, later, later);
    const server = await startServerProcess({ args: ['--import', 'tsx', 'server/main.ts'], cwd: install, env: productionEnv(mkdtempSync(join(tmpdir(), 'ladder-prod-data-'))) });
    try {
      expect((await fetch(`${server.url}/`)).status).toBe(200);
      expect(server.output.join('\n')).toMatch(/runtime UI's build is not current \(its sources changed since the build\) and vite is not installed here: serving the build/);
    } finally {
      await server.stop();
    }
  }, 60_000);

  it('refuses to start, saying what to run, with no build at all or a development build', () => {
    const data = mkdtempSync(join(tmpdir(), 'ladder-prod-data-'));
    const record = join(install, 'dist', 'runtime', 'build.json');
    const built = readFileSync(record, 'utf8');
    writeFileSync(record, JSON.stringify({ ...JSON.parse(built), mode: 'development' }));
    try {
      const dev = startToExit(productionEnv(data));
      expect(dev.status).toBe(1);
      expect(dev.output).toMatch(/Ladder cannot start: .*was built in development mode, not for production: run `npm run build`/);
    } finally {
      writeFileSync(record, built);
    }
    rmSync(join(install, 'dist', 'designer'), { recursive: true });
    const none = startToExit(productionEnv(data));
    expect(none.status).toBe(1);
    expect(none.output).toMatch(/the designer UI is not built .* run `npm ci && npm run build` first/);
    expect(none.output).not.toMatch(/\n\s+at /);
  }, 60_000);
});
