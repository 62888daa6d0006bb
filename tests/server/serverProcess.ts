// A real server process (`npm start`'s code, or a production install's) started on a free port
// (PORT=0; the port is read from its start-up line), its JSON log lines kept.
import { spawn, type ChildProcess } from 'node:child_process';

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  /** Every stdout and stderr line so far. */
  output: string[];
  /** The JSON log lines so far, parsed. */
  logLines(): { level: string; msg: string; [k: string]: unknown }[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Sends `signal` (SIGTERM) to the server (its process group when detached); resolves when it has exited. */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** `detached`: in its own process group (for `npm start`, whose script runs in a child): `stop` signals the group. */
export async function startServerProcess(options: { command?: string; args?: string[]; cwd?: string; env: Record<string, string | undefined>; timeoutMs?: number; detached?: boolean }): Promise<ServerProcess> {
  const child = spawn(options.command ?? process.execPath, options.args ?? ['--import', 'tsx', 'server/main.ts'], {
    cwd: options.cwd,
    env: { ...process.env, PORT: '0', LADDER_HOST: '127.0.0.1', LADDER_SCRYPT_LOG_N: '12', LADDER_LOG_FORMAT: 'json', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: options.detached ?? false,
  });
  const output: string[] = [];
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  let pending = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start-up line within ${options.timeoutMs ?? 60_000} ms:\n${output.join('\n')}`)), options.timeoutMs ?? 60_000);
    const take = (chunk: Buffer) => {
      const lines = (pending + chunk.toString()).split('\n');
      pending = lines.pop()!;
      for (const line of lines) {
        output.push(line);
        const running = /Ladder is running at (http:\/\/[^/\s]+)\//.exec(line);
        if (running) {
          clearTimeout(timer);
          resolve(running[1]);
        }
      }
    };
    child.stdout!.on('data', take);
    child.stderr!.on('data', take);
    void exited.then(({ code }) => {
      clearTimeout(timer);
      reject(new Error(`the server exited (${code}) before it was running:\n${output.join('\n')}`));
    });
  });
  const logLines = () =>
    output.flatMap((l) => {
      try {
        return [JSON.parse(l)];
      } catch {
        return [];
      }
    });
  const stop = (signal: NodeJS.Signals = 'SIGTERM') => {
    if (child.exitCode === null && child.signalCode === null) process.kill(options.detached ? -child.pid! : child.pid!, signal);
    return exited;
  };
  return { child, url, output, logLines, exited, stop };
}
