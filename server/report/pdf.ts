// HTML → PDF with Debian's Chromium: one browser, reused, with a bounded number of pages at a
// time and a bounded queue before them, a deadline per PDF from the moment it is asked for, and a
// fresh browser after a crash or after many jobs. Pages render with JavaScript off and every
// request refused: a report is its own inline HTML, CSS and SVG, nothing else.
import puppeteer, { type Browser, type HTTPRequest, type Page } from 'puppeteer';
import { chromiumPath, CHROMIUM_ARGS } from '../chromium.ts';
import { WorkQueue } from '../workQueue.ts';

export interface PdfOptions {
  /** Pages rendering at once; about one per core is the sweet spot (stack-notes). */
  pages?: number;
  /** PDFs waiting for a page before the next is turned away (503). */
  maxWaiting?: number;
  /** From the moment a PDF is asked for (waiting included) to the moment it is done. */
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
  private readonly queue: WorkQueue;
  private readonly timeoutMs: number;
  private readonly recycleAfter: number;

  constructor(private readonly options: PdfOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.recycleAfter = options.recycleAfter ?? 200;
    this.queue = new WorkQueue({
      what: { zh: 'PDF 报告生成请求较多', en: 'many PDF reports being rendered' },
      concurrency: options.pages ?? 2,
      maxWaiting: options.maxWaiting ?? 8,
      maxWaitMs: this.timeoutMs,
      retryAfterSeconds: 10,
    });
  }

  get stats() {
    return this.queue.stats;
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

  /** A new page that runs no script and fetches nothing. */
  private async newPage(browser: Browser): Promise<Page> {
    const page = await browser.newPage();
    await page.setJavaScriptEnabled(false);
    await page.setRequestInterception(true);
    page.on('request', (request: HTTPRequest) => void request.abort().catch(() => undefined));
    return page;
  }

  render(html: string, title: string): Promise<Uint8Array> {
    const deadline = Date.now() + this.timeoutMs;
    return this.queue.run(() => this.renderNow(html, title, deadline));
  }

  private async renderNow(html: string, title: string, deadline: number): Promise<Uint8Array> {
    const left = () => Math.max(1, deadline - Date.now());
    if (this.renders >= this.recycleAfter) await this.recycle();
    this.renders++;
    const launched = this.launch();
    const browser = await launched;
    const reused = this.idle.pop();
    const page = reused && reused.browser === this.browser && !reused.page.isClosed() ? reused.page : await this.newPage(browser);
    let timer: NodeJS.Timeout | undefined;
    let healthy = false;
    try {
      const work = (async () => {
        await page.setContent(html, { waitUntil: 'load', timeout: left() });
        await page.evaluate(() => document.fonts.ready.then(() => undefined));
        return page.pdf({
          format: 'A4',
          printBackground: true,
          displayHeaderFooter: true,
          margin: { top: '18mm', bottom: '16mm', left: '14mm', right: '14mm' },
          headerTemplate: `<div style="font-size:8px;width:100%;padding:0 14mm;color:#8a94a6;font-family:'Noto Sans CJK SC',sans-serif">${esc(this.options.header?.(title) ?? title)}</div>`,
          footerTemplate: `<div style="font-size:8px;width:100%;text-align:center;color:#8a94a6;font-family:'Noto Sans CJK SC',sans-serif"><span class="pageNumber"></span> / <span class="totalPages"></span></div>`,
          timeout: left(),
        });
      })();
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`PDF rendering took longer than ${this.timeoutMs} ms`)), left());
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
