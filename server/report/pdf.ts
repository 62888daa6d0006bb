// HTML → PDF with Debian's Chromium: one browser, reused, with a bounded number of pages at a
// time, a timeout per render, and a fresh browser after a crash or after many jobs.
import puppeteer, { type Browser, type Page } from 'puppeteer';
import { chromiumPath, CHROMIUM_ARGS } from '../chromium.ts';

export interface PdfOptions {
  /** Pages rendering at once; about one per core is the sweet spot (stack-notes). */
  pages?: number;
  timeoutMs?: number;
  /** Relaunch the browser after this many renders, so its memory does not creep. */
  recycleAfter?: number;
  executablePath?: string;
  /** Header and footer text (the footer adds "page / pages"). */
  header?: (title: string) => string;
}

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

export class PdfRenderer {
  private browser?: Promise<Browser>;
  /** Pages kept open between renders: opening a page costs more than reusing one. */
  private idle: { browser: Promise<Browser>; page: Page }[] = [];
  private renders = 0;
  private active = 0;
  private waiting: (() => void)[] = [];
  private readonly pages: number;
  private readonly timeoutMs: number;
  private readonly recycleAfter: number;

  constructor(private readonly options: PdfOptions = {}) {
    this.pages = options.pages ?? 2;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.recycleAfter = options.recycleAfter ?? 200;
  }

  /** Throws ChromiumMissing (naming the package to install) when there is no browser here. */
  private launch(): Promise<Browser> {
    if (!this.browser) {
      const executablePath = chromiumPath(this.options.executablePath ? { PUPPETEER_EXECUTABLE_PATH: this.options.executablePath } : process.env);
      const launching = puppeteer.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
      this.browser = launching;
      launching.then(
        (b) => b.on('disconnected', () => {
          // A crashed or killed browser is replaced at the next render.
          if (this.browser === launching) this.browser = undefined;
          this.idle = this.idle.filter((p) => p.browser !== launching);
        }),
        () => {
          if (this.browser === launching) this.browser = undefined;
        },
      );
    }
    return this.browser;
  }

  private async slot(): Promise<() => void> {
    if (this.active >= this.pages) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active++;
    return () => {
      this.active--;
      this.waiting.shift()?.();
    };
  }

  async render(html: string, title: string): Promise<Uint8Array> {
    const release = await this.slot();
    try {
      if (this.renders >= this.recycleAfter) await this.recycle();
      this.renders++;
      const launched = this.launch();
      const browser = await launched;
      const reused = this.idle.pop();
      const page = reused && reused.browser === this.browser && !reused.page.isClosed() ? reused.page : await browser.newPage();
      let timer: NodeJS.Timeout | undefined;
      let healthy = false;
      try {
        const work = (async () => {
          await page.setContent(html, { waitUntil: 'load', timeout: this.timeoutMs });
          await page.evaluate(() => document.fonts.ready.then(() => undefined));
          return page.pdf({
            format: 'A4',
            printBackground: true,
            displayHeaderFooter: true,
            margin: { top: '18mm', bottom: '16mm', left: '14mm', right: '14mm' },
            headerTemplate: `<div style="font-size:8px;width:100%;padding:0 14mm;color:#8a94a6;font-family:'Noto Sans CJK SC',sans-serif">${esc(this.options.header?.(title) ?? title)}</div>`,
            footerTemplate: `<div style="font-size:8px;width:100%;text-align:center;color:#8a94a6;font-family:'Noto Sans CJK SC',sans-serif"><span class="pageNumber"></span> / <span class="totalPages"></span></div>`,
            timeout: this.timeoutMs,
          });
        })();
        const timeout = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`PDF rendering took longer than ${this.timeoutMs} ms`)), this.timeoutMs);
        });
        const pdf = await Promise.race([work, timeout]);
        healthy = true;
        return pdf;
      } finally {
        clearTimeout(timer);
        // A page that failed or timed out is closed; a good one waits for the next render.
        if (healthy && this.browser === launched) this.idle.push({ browser: launched, page });
        else await page.close().catch(() => undefined);
      }
    } finally {
      release();
    }
  }

  private async recycle() {
    const old = this.browser;
    this.browser = undefined;
    this.idle = [];
    this.renders = 0;
    // Pages still rendering keep their browser until they finish.
    if (old) void old.then((b) => setTimeout(() => void b.close().catch(() => undefined), this.timeoutMs).unref(), () => undefined);
  }

  /** The browser's process id, for tests that kill it. */
  async pid(): Promise<number | undefined> {
    return (await this.browser)?.process()?.pid;
  }

  async close(): Promise<void> {
    const b = this.browser;
    this.browser = undefined;
    this.idle = [];
    if (b) await (await b).close().catch(() => undefined);
  }
}
