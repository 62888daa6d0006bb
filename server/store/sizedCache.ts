// A least-recently-used cache bounded by the total size of what it holds, for ruleset documents:
// a draft can be megabytes, and an author saving many of them must not grow the process without end.
export class SizedCache<V> {
  private readonly entries = new Map<string, { value: V; size: number }>();
  private total = 0;

  /** `maxSize` in the unit `set` is given sizes in (here: characters of the value's JSON). */
  constructor(private readonly maxSize: number) {}

  get size() {
    return this.total;
  }

  get(key: string): V | undefined {
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    this.entries.delete(key);
    this.entries.set(key, hit);
    return hit.value;
  }

  set(key: string, value: V, size: number) {
    this.delete(key);
    // Something larger than the whole cache is simply not kept.
    if (size > this.maxSize) return;
    this.entries.set(key, { value, size });
    this.total += size;
    for (const [k, e] of this.entries) {
      if (this.total <= this.maxSize) break;
      this.entries.delete(k);
      this.total -= e.size;
    }
  }

  delete(key: string) {
    const hit = this.entries.get(key);
    if (!hit) return;
    this.entries.delete(key);
    this.total -= hit.size;
  }

  clear() {
    this.entries.clear();
    this.total = 0;
  }
}

/** The default bound: 32 MiB of ruleset JSON, or LADDER_RULESET_CACHE_MB. */
export const rulesetCacheSize = (env: NodeJS.ProcessEnv = process.env) => Number(env.LADDER_RULESET_CACHE_MB || 32) * 1024 * 1024;
