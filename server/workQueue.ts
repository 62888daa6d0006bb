// Bounded work: at most `concurrency` jobs at once, at most `maxWaiting` waiting, none waiting
// longer than `maxWaitMs`. Past a bound the caller is told at once (QueueFull, a 503 with
// Retry-After) instead of joining a queue that only grows. Used where one request costs far more
// than a save: password hashing, report HTML, report PDFs.
import type { Text } from '../engine/index.ts';

export interface WorkQueueOptions {
  /** What the work is, for the 503's message ("生成报告" / "generating reports"). */
  what: Text;
  concurrency: number;
  maxWaiting: number;
  /** How long a job may wait for its turn; the deadline runs from the moment it asked. */
  maxWaitMs?: number;
  /** What Retry-After says when the queue is full. */
  retryAfterSeconds?: number;
}

export class QueueFull extends Error {
  constructor(
    readonly what: Text,
    readonly retryAfterSeconds: number,
  ) {
    super(`busy: ${what.en}`);
  }
}

interface Waiter {
  resolve: () => void;
  reject: (e: unknown) => void;
  timer?: NodeJS.Timeout;
}

export class WorkQueue {
  private active = 0;
  private readonly waiting: Waiter[] = [];

  constructor(readonly options: WorkQueueOptions) {}

  get stats() {
    return { active: this.active, waiting: this.waiting.length };
  }

  /** Runs `work` when a slot is free; throws QueueFull when the queue is full or the wait too long. */
  async run<T>(work: () => Promise<T> | T): Promise<T> {
    await this.enter();
    try {
      return await work();
    } finally {
      this.leave();
    }
  }

  private full() {
    return new QueueFull(this.options.what, this.options.retryAfterSeconds ?? 5);
  }

  private enter(): Promise<void> {
    if (this.active < this.options.concurrency) {
      this.active += 1;
      return Promise.resolve();
    }
    if (this.waiting.length >= this.options.maxWaiting) return Promise.reject(this.full());
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { resolve, reject };
      if (this.options.maxWaitMs !== undefined)
        waiter.timer = setTimeout(() => {
          const at = this.waiting.indexOf(waiter);
          if (at >= 0) this.waiting.splice(at, 1);
          reject(this.full());
        }, this.options.maxWaitMs).unref();
      this.waiting.push(waiter);
    });
  }

  private leave() {
    const next = this.waiting.shift();
    if (!next) {
      this.active -= 1;
      return;
    }
    clearTimeout(next.timer);
    // The slot passes on in a later turn of the event loop, so that synchronous work (rendering
    // a report) lets other requests in between jobs instead of running them back to back.
    setImmediate(next.resolve);
  }
}
