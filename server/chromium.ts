// Ladder drives Debian's Chromium (never a downloaded browser): PUPPETEER_EXECUTABLE_PATH, else the usual paths.
import { existsSync } from 'node:fs';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

export class ChromiumMissing extends Error {
  constructor() {
    super('未找到 Chromium：请安装 Debian 的 chromium 软件包（apt-get install -y chromium fonts-noto-cjk），或设置 PUPPETEER_EXECUTABLE_PATH。 / Chromium not found: install Debian\'s chromium package (apt-get install -y chromium fonts-noto-cjk) or set PUPPETEER_EXECUTABLE_PATH.');
    this.name = 'ChromiumMissing';
  }
}

export function chromiumPath(env: NodeJS.ProcessEnv = process.env): string {
  const given = env.PUPPETEER_EXECUTABLE_PATH;
  if (given) {
    if (!existsSync(given)) throw new ChromiumMissing();
    return given;
  }
  const found = CANDIDATES.find((p) => existsSync(p));
  if (!found) throw new ChromiumMissing();
  return found;
}

/** Flags that work as root in a sandbox with no network (see stack-notes). */
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-component-update', '--disable-background-networking', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'];
