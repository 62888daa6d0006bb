// The embedded store's evidence content: files under <data>/evidence/<sha256[0:2]>/<sha256>,
// named by their SHA-256 so identical content is kept once. A file is written to a temporary
// name, fsynced, renamed and its directory fsynced (writeFileDurably) before the record naming it
// is written, so an acknowledged upload is on disk; what a crash leaves (temporary files, content
// no record names) is swept when the store opens.
import { open, mkdir, readdir, readFile, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileDurably } from './durableFile.ts';
import { isSha256 } from './evidenceRecords.ts';

async function syncDirectory(dir: string) {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export class EvidenceContent {
  private readonly root: string;

  constructor(dataDir: string) {
    this.root = join(dataDir, 'evidence');
  }

  private file(sha256: string) {
    if (!isSha256(sha256)) throw new Error(`not a SHA-256: ${sha256}`);
    return join(this.root, sha256.slice(0, 2), sha256);
  }

  /** Whether the content is there already. */
  async has(sha256: string): Promise<boolean> {
    return !!(await stat(this.file(sha256)).catch(() => undefined));
  }

  /** Writes the content durably unless it is there; true when this call wrote it. */
  async put(sha256: string, content: Buffer): Promise<boolean> {
    if (await this.has(sha256)) return false;
    const dir = join(this.root, sha256.slice(0, 2));
    const made = await mkdir(dir, { recursive: true });
    // A new directory is an entry of its parent: durable only once the parent is synced.
    if (made) {
      await syncDirectory(this.root);
      await syncDirectory(join(this.root, '..'));
    }
    await writeFileDurably(this.file(sha256), content);
    return true;
  }

  read(sha256: string): Promise<Buffer> {
    return readFile(this.file(sha256));
  }

  async remove(sha256: string) {
    await unlink(this.file(sha256)).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'ENOENT') throw e;
    });
  }

  /** Drops temporary files of interrupted writes and content no record names (an upload a crash cut short). */
  async sweep(named: Set<string>) {
    let dirs: string[];
    try {
      dirs = await readdir(this.root);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw e;
    }
    for (const sub of dirs) {
      const dir = join(this.root, sub);
      if (!(await stat(dir)).isDirectory()) continue;
      for (const name of await readdir(dir)) {
        if ((name.startsWith('.') && name.endsWith('.tmp')) || (isSha256(name) && !named.has(name))) await unlink(join(dir, name)).catch(() => undefined);
      }
    }
  }
}
