// The deploy/ folder can't drift from the code: the systemd unit starts what `npm start` starts and
// waits for the whole graceful shutdown, every setting of the example environment file is one the
// server reads, and systemd itself accepts the unit. (The nginx site is run by
// tests/server/loadBalancer.test.ts.)
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const read = (path: string) => readFileSync(path, 'utf8');
const unit = read('deploy/systemd/ladder@.service');
const envExample = read('deploy/ladder.env.example');

/** `Key=value` lines of the unit's sections (the last one wins, as in systemd for these keys). */
const directive = (key: string) => [...unit.matchAll(new RegExp(`^${key}=(.*)$`, 'gm'))].map((m) => m[1]).pop();

/** Variables the example sets or shows commented out. */
const exampleVariables = [...envExample.matchAll(/^#?([A-Z][A-Z0-9_]*)=(.*)$/gm)].map((m) => ({ name: m[1], value: m[2] }));

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('deploy/', () => {
  it('systemd starts what `npm start` starts, as the instance named by the port, with the environment file', () => {
    const start = JSON.parse(read('package.json')).scripts.start as string;
    expect(start).toBe('tsx server/main.ts');
    expect(directive('ExecStart')).toMatch(/\/node --import tsx server\/main\.ts$/);
    expect(directive('Environment')).toMatch(/(^| )PORT=%i( |$)/);
    expect(directive('EnvironmentFile')).toBe('/etc/ladder/ladder.env');
    expect(directive('Restart')).toBe('on-failure');
    expect(directive('KillSignal')).toBe('SIGTERM');
    // A variable from EnvironmentFile= would win over the unit's PORT=%i.
    expect(exampleVariables.map((v) => v.name)).not.toContain('PORT');
  });

  it('systemd waits for the whole graceful shutdown before SIGKILL', () => {
    // server/main.ts: requests in flight get LADDER_SHUTDOWN_MS, then messages being sent as long again.
    const shutdownMs = Number(exampleVariables.find((v) => v.name === 'LADDER_SHUTDOWN_MS')?.value ?? 10_000);
    const drainMs = Number(exampleVariables.find((v) => v.name === 'LADDER_DRAIN_DELAY_MS')?.value ?? 0);
    const stopSeconds = Number(/^(\d+)s?$/.exec(directive('TimeoutStopSec') ?? '')?.[1]);
    expect(stopSeconds * 1000).toBeGreaterThan(2 * shutdownMs + drainMs);
    expect(read('server/main.ts')).toContain('LADDER_SHUTDOWN_MS');
  });

  it('every setting of the example environment file is one the server reads', () => {
    const code = [...sources('server'), ...sources('cli')].map(read).join('\n');
    const unknown = exampleVariables.map((v) => v.name).filter((name) => !new RegExp(`\\b${name}\\b`).test(code));
    expect(unknown).toEqual([]);
    for (const name of ['DATABASE_URL', 'LADDER_HOST', 'LADDER_TRUST_PROXY', 'LADDER_SECURE_COOKIES', 'NODE_ENV']) expect(exampleVariables.map((v) => v.name)).toContain(name);
  });

  it.skipIf(!existsSync('/usr/bin/systemd-analyze'))('systemd-analyze finds nothing wrong in the unit', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ladder-unit-'));
    try {
      cpSync('deploy/systemd/ladder@.service', join(dir, 'ladder@.service'));
      const r = spawnSync('systemd-analyze', ['verify', '--man=no', join(dir, 'ladder@3001.service')], { encoding: 'utf8' });
      // Only what is wrong with the file itself: the machine running the tests has no `ladder` user or /opt/ladder.
      const complaints = (r.stdout + r.stderr).split('\n').filter((l) => /Unknown (key|section)|Failed to parse|Invalid|unknown/i.test(l));
      expect(complaints).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
