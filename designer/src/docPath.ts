// Immutable edits of a ruleset at a path: only the objects along the path are copied, so a
// keystroke in one question of a 640 KB ruleset costs a handful of shallow copies, and undo keeps
// whole snapshots for free (they share everything that did not change).
export type Path = readonly (string | number)[];

export function getIn(value: unknown, path: Path): unknown {
  let v = value;
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[k];
  }
  return v;
}

/** A copy of `value` with `path` set to `next`; `undefined` removes an object key or an array element. */
export function setIn<T>(value: T, path: Path, next: unknown): T {
  if (path.length === 0) return next as T;
  const [head, ...rest] = path;
  const child = value === null || value === undefined ? undefined : (value as Record<string | number, unknown>)[head];
  const updated = setIn(child ?? (typeof rest[0] === 'number' ? [] : {}), rest, next);
  if (Array.isArray(value)) {
    const copy = value.slice();
    if (updated === undefined && rest.length === 0) copy.splice(head as number, 1);
    else copy[head as number] = updated;
    return copy as T;
  }
  const copy = { ...((value ?? {}) as Record<string, unknown>) };
  if (updated === undefined && rest.length === 0) delete copy[head as string];
  else copy[head as string] = updated;
  return copy as T;
}

export const updateIn = <T,>(value: T, path: Path, f: (old: unknown) => unknown): T => setIn(value, path, f(getIn(value, path)));

/** Moves an array element at `path` from index `from` to index `to`. */
export function moveIn<T>(value: T, path: Path, from: number, to: number): T {
  return updateIn(value, path, (arr) => {
    const copy = (arr as unknown[]).slice();
    const [item] = copy.splice(from, 1);
    copy.splice(to, 0, item);
    return copy;
  });
}

/** The path of a JSON pointer ("/questions/3/text/zh" → ["questions", 3, "text", "zh"]), array indexes as numbers. */
export function pathOfPointer(doc: unknown, pointer: string): (string | number)[] {
  const out: (string | number)[] = [];
  let v = doc;
  for (const raw of pointer.split('/').slice(1)) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const key = Array.isArray(v) && /^\d+$/.test(seg) ? Number(seg) : seg;
    out.push(key);
    v = v === null || typeof v !== 'object' ? undefined : (v as Record<string | number, unknown>)[key];
  }
  return out;
}
