// A real server in its own process on a free port, with a fresh data directory (or one the test
// prepared, e.g. with a generated population), for browser tests.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';

export const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });

export async function startServer(
  extraEnv: Record<string, string> = {},
  options: { dataDir?: string } = {},
): Promise<{ url: string; port: number; stop: () => Promise<void>; kill: (signal: NodeJS.Signals) => Promise<void>; logs: string[] }> {
  const port = await freePort();
  const dir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'ladder-browser-'));
  const logs: string[] = [];
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    env: { ...process.env, PORT: String(port), LADDER_DATA_DIR: dir, LADDER_SCRYPT_LOG_N: '12', LADDER_BUILD_UI: '0', ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await new Promise<void>((resolve, reject) => {
    const onData = (b: Buffer) => {
      logs.push(b.toString());
      if (b.toString().includes('Ladder is running')) resolve();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (b: Buffer) => logs.push(b.toString()));
    child.on('exit', (code) => reject(new Error(`server exited with ${code}: ${logs.join('')}`)));
  });
  child.removeAllListeners('exit');
  // Resolves once the process is gone (at once if it already is).
  const kill = (signal: NodeJS.Signals) =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill(signal);
    });
  return { url: `http://127.0.0.1:${port}`, port, logs, kill, stop: () => kill('SIGTERM') };
}
