// Work a response does not wait for (a text message to send, its record to keep): the reply then
// takes the same time whatever the work was, and a slow SMS gateway never holds a request. A
// failure is logged; `settled()` lets a shutdown (and a test) wait for what is still running.
export class Background {
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly log: (line: string) => void) {}

  run(what: string, task: () => Promise<void>) {
    const done: Promise<void> = task()
      .catch((e: Error) => this.log(`[background] ${what} failed: ${e?.message ?? e}`))
      .finally(() => this.running.delete(done));
    this.running.add(done);
  }

  async settled(): Promise<void> {
    while (this.running.size) await Promise.all(this.running);
  }
}
