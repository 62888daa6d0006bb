// Undo and redo over whole-document snapshots. Edits to the same field in quick succession
// (typing) coalesce into one step, so undo takes back a word, not a letter.
export interface History<T> {
  past: T[];
  present: T;
  future: T[];
  /** The field and time of the last edit, for coalescing. */
  lastKey?: string;
  lastAt: number;
}

export const COALESCE_MS = 800;
const LIMIT = 200;

export const startHistory = <T,>(present: T): History<T> => ({ past: [], present, future: [], lastAt: 0 });

export function record<T>(h: History<T>, next: T, key: string | undefined, now: number): History<T> {
  if (next === h.present) return h;
  const coalesce = key !== undefined && key === h.lastKey && now - h.lastAt < COALESCE_MS;
  const past = coalesce ? h.past : [...h.past, h.present].slice(-LIMIT);
  return { past, present: next, future: [], lastKey: key, lastAt: now };
}

export function undo<T>(h: History<T>): History<T> {
  if (!h.past.length) return h;
  return { past: h.past.slice(0, -1), present: h.past[h.past.length - 1], future: [h.present, ...h.future], lastAt: 0 };
}

export function redo<T>(h: History<T>): History<T> {
  if (!h.future.length) return h;
  return { past: [...h.past, h.present], present: h.future[0], future: h.future.slice(1), lastAt: 0 };
}
