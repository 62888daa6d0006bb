// Saving as one types, for every page that does (answers, the indicators, a ruleset draft): changes
// wait a moment and go together; one save at a time, in order; a failed save keeps what it carried
// for the next try; `flush` saves now and waits; `close` stops taking changes and waits for the save
// on its way (a page being submitted must not have a draft arrive after it).
export type AutosaveStatus = { status: 'saved'; at?: string } | { status: 'dirty' } | { status: 'saving' } | { status: 'error'; error: unknown } | { status: 'closed' };

export interface AutosaveOptions<T> {
  delayMs: number;
  /** Sends a value; resolves to when the server had it (an ISO time), or throws. */
  save: (value: T) => Promise<string | void>;
  /** How a change joins what is not saved yet (default: the newest replaces it). */
  merge?: (pending: T, next: T) => T;
  onStatus?: (status: AutosaveStatus) => void;
}

export class Autosave<T> {
  private pending: { value: T } | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running: Promise<boolean> | undefined;
  private closed = false;

  constructor(private readonly options: AutosaveOptions<T>) {}

  get dirty(): boolean {
    return !!this.pending || !!this.running;
  }

  /** Takes a change; it is saved after the delay, together with the changes that follow it. */
  change(value: T) {
    if (this.closed) return;
    this.pending = { value: this.pending && this.options.merge ? this.options.merge(this.pending.value, value) : value };
    this.options.onStatus?.({ status: 'dirty' });
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.flush(), this.options.delayMs);
  }

  /** Saves what is pending now, after any save on its way; resolves to whether everything got saved. */
  async flush(): Promise<boolean> {
    clearTimeout(this.timer);
    // One save at a time: wait for the one on its way, then send what came meanwhile.
    while (this.running) await this.running;
    if (!this.pending) return true;
    const carried = this.pending.value;
    this.pending = undefined;
    this.options.onStatus?.({ status: 'saving' });
    this.running = (async () => {
      try {
        const at = await this.options.save(carried);
        if (!this.pending) this.options.onStatus?.({ status: 'saved', ...(at ? { at } : {}) });
        return true;
      } catch (error) {
        // What failed waits for the next try, joined by whatever came after it.
        this.pending = { value: this.pending && this.options.merge ? this.options.merge(carried, this.pending.value) : (this.pending?.value ?? carried) };
        this.options.onStatus?.({ status: 'error', error });
        return false;
      } finally {
        this.running = undefined;
      }
    })();
    const ok = await this.running;
    return ok && this.pending ? this.flush() : ok;
  }

  /**
   * Takes no more changes. With `save`, what is pending is saved first; without, it is dropped
   * and only the save already on its way is waited for (a page submitting everything itself).
   */
  async close(options: { save: boolean }): Promise<boolean> {
    this.closed = true;
    clearTimeout(this.timer);
    let ok = true;
    if (options.save) ok = await this.flush();
    else {
      this.pending = undefined;
      while (this.running) await this.running;
    }
    this.options.onStatus?.({ status: 'closed' });
    return ok;
  }

  /** Takes changes again (a submit that was refused). */
  reopen() {
    this.closed = false;
  }
}
