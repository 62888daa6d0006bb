// One process per data directory: two servers on one lowdb directory would overwrite each other's
// writes. The lock file names the holder's process; a holder that died (a crash, SIGKILL) leaves a
// stale file that the next open takes over.
import { open, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';

/** Stores of this process by directory: a process may reopen its own directory (tests simulating a restart). */
const held = new Map<string, number>();

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
};

export class DataDirectoryLock {
  private released = false;

  private constructor(private readonly file: string) {}

  static async take(dir: string): Promise<DataDirectoryLock> {
    const file = join(dir, 'ladder.lock');
    if (!held.has(file)) {
      for (let attempt = 0; ; attempt++) {
        try {
          const handle = await open(file, 'wx');
          await handle.writeFile(String(process.pid));
          await handle.close();
          break;
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw e;
          const pid = Number((await readFile(file, 'utf8').catch(() => '')).trim());
          if (pid && pid !== process.pid && alive(pid))
            throw new Error(
              `数据目录 ${dir} 正由进程 ${pid} 使用：一个数据目录只能由一个进程打开，多实例请使用 PostgreSQL（DATABASE_URL） / the data directory ${dir} is in use by process ${pid}: one process per data directory; run several instances on PostgreSQL (DATABASE_URL)`,
            );
          await unlink(file).catch(() => undefined);
        }
      }
    }
    held.set(file, (held.get(file) ?? 0) + 1);
    return new DataDirectoryLock(file);
  }

  async release() {
    if (this.released) return;
    this.released = true;
    const count = (held.get(this.file) ?? 1) - 1;
    if (count > 0) return void held.set(this.file, count);
    held.delete(this.file);
    await unlink(this.file).catch(() => undefined);
  }
}
