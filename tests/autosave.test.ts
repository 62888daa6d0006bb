// The one autosave every page uses (ui/autosave.ts).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Autosave, type AutosaveStatus } from '../ui/autosave.ts';

const merge = (a: Record<string, string>, b: Record<string, string>) => ({ ...a, ...b });

function harness(fail: () => boolean = () => false) {
  const sent: Record<string, string>[] = [];
  const statuses: AutosaveStatus['status'][] = [];
  let release: (() => void) | undefined;
  let hold = false;
  const save = vi.fn(async (v: Record<string, string>) => {
    if (hold) await new Promise<void>((r) => (release = r));
    if (fail()) throw new Error('offline');
    sent.push(v);
    return '2026-11-29T00:00:00.000Z';
  });
  const autosave = new Autosave({ delayMs: 1000, save, merge, onStatus: (s) => statuses.push(s.status) });
  return { autosave, sent, statuses, save, holdNext: () => (hold = true), release: () => ((hold = false), release?.()) };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('autosave', () => {
  it('sends the changes of a moment together, after the delay', async () => {
    const h = harness();
    h.autosave.change({ a: '1' });
    h.autosave.change({ b: '2' });
    expect(h.sent).toEqual([]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(h.sent).toEqual([{ a: '1', b: '2' }]);
    expect(h.statuses.at(-1)).toBe('saved');
  });

  it('saves one at a time, in order: a change during a save goes in the next one', async () => {
    const h = harness();
    h.holdNext();
    h.autosave.change({ a: '1' });
    await vi.advanceTimersByTimeAsync(1000);
    h.autosave.change({ a: '2' });
    const flushed = h.autosave.flush();
    h.release();
    await flushed;
    expect(h.sent).toEqual([{ a: '1' }, { a: '2' }]);
    expect(h.save).toHaveBeenCalledTimes(2);
  });

  it('keeps what a failed save carried, joined by what came after, for the next try', async () => {
    let offline = true;
    const h = harness(() => offline);
    h.autosave.change({ a: '1' });
    expect(await h.autosave.flush()).toBe(false);
    h.autosave.change({ b: '2' });
    offline = false;
    expect(await h.autosave.flush()).toBe(true);
    expect(h.sent).toEqual([{ a: '1', b: '2' }]);
  });

  it('once closed without saving, waits for the save on its way and sends nothing more', async () => {
    const h = harness();
    h.holdNext();
    h.autosave.change({ a: '1' });
    await vi.advanceTimersByTimeAsync(1000);
    h.autosave.change({ b: '2' });
    const closing = h.autosave.close({ save: false });
    h.release();
    await closing;
    h.autosave.change({ c: '3' });
    await vi.advanceTimersByTimeAsync(5000);
    expect(h.sent).toEqual([{ a: '1' }]);
    h.autosave.reopen();
    h.autosave.change({ d: '4' });
    await vi.advanceTimersByTimeAsync(1000);
    expect(h.sent).toEqual([{ a: '1' }, { d: '4' }]);
  });
});
