// The state of one open ruleset: the document with its undo history, the published base a variant
// overrides, the findings of lint and of the schema, and where the author is looking.
import { createContext, useCallback, useContext, useEffect, useMemo, useReducer, useRef, useState, type MutableRefObject, type ReactNode } from 'react';
import { keyOf, lint, validateRuleset, type Finding, type LintContext, type Overlay, type Ruleset } from '../../../engine/index.ts';
import { getIn, setIn, type Path } from '../docPath.ts';
import { record, redo, startHistory, undo, type History } from '../history.ts';
import { bilingual } from '../i18n.tsx';

export type Section = 'overview' | 'model' | 'levels' | 'scoring' | 'flow' | 'rules' | 'report' | 'preview' | 'tests' | 'versions' | 'json';

export interface Target {
  section: Section;
  /** What to select inside the section (a question or node id, a rule kind and index…). */
  select?: string;
  /** The JSON pointer to scroll to and highlight. */
  pointer?: string;
  /** Bumped on each jump so the same target can be jumped to twice. */
  seq: number;
}

export interface Meta {
  status: 'draft' | 'published';
  overlay?: Overlay;
  /** The stored revision the editor's document was opened at. */
  revision: number;
}

interface EditorState {
  doc: Ruleset;
  base?: Ruleset;
  meta: Meta;
  readOnly: boolean;
  /** Sets the value at a path; edits with the same `coalesce` key in quick succession undo together. */
  edit: (path: Path, value: unknown, coalesce?: string) => void;
  /** Replaces the whole document (structural edits, JSON tab, spreadsheet import, rebase): one undo step, or coalesced by key. */
  replace: (doc: Ruleset, coalesce?: string) => void;
  undo: () => void;
  redo: () => void;
  canUndo: boolean;
  canRedo: boolean;
  /** Lint findings and schema problems of the current document, a moment after the last edit. */
  findings: Finding[];
  schemaValid: boolean;
  target: Target;
  goTo: (t: Omit<Target, 'seq'>) => void;
  /** Value at `path` in the base ruleset, for a variant: matched by id (or level number) through keyed arrays. */
  baseAt: (path: Path) => { present: boolean; value?: unknown };
  setMeta: (m: Meta) => void;
  /**
   * The stored revision the next save is made from: set on open and by each save, read by every
   * save and publish (not state: a save must not re-render the editor).
   */
  revision: MutableRefObject<number>;
}

const Ctx = createContext<EditorState | null>(null);
export const useEditor = () => {
  const c = useContext(Ctx);
  if (!c) throw new Error('useEditor outside EditorProvider');
  return c;
};

type Action = { type: 'edit'; path: Path; value: unknown; key?: string } | { type: 'replace'; doc: Ruleset; key?: string } | { type: 'undo' } | { type: 'redo' };

function reducer(h: History<Ruleset>, a: Action): History<Ruleset> {
  switch (a.type) {
    case 'edit':
      return record(h, setIn(h.present, a.path, a.value), a.key, Date.now());
    case 'replace':
      return record(h, a.doc, a.key, Date.now());
    case 'undo':
      return undo(h);
    case 'redo':
      return redo(h);
  }
}

/** Walks `path` in `doc` and the corresponding place in `base`, crossing keyed arrays by key. */
export function baseValueAt(doc: unknown, base: unknown, path: Path): { present: boolean; value?: unknown } {
  let d = doc;
  let b = base;
  for (const k of path) {
    if (b === undefined || b === null || typeof b !== 'object') return { present: false };
    if (Array.isArray(d) && Array.isArray(b) && typeof k === 'number') {
      const key = keyOf(d[k]);
      d = d[k];
      b = key !== undefined ? b.find((x) => keyOf(x) === key) : b[k];
    } else {
      d = getIn(d, [k]);
      b = (b as Record<string | number, unknown>)[k];
    }
  }
  return b === undefined ? { present: false } : { present: true, value: b };
}

export const LINT_DELAY_MS = 150;

export function EditorProvider(props: { initial: Ruleset; base?: Ruleset; meta: Meta; readOnly: boolean; lintContext?: LintContext; children: ReactNode }) {
  const [history, dispatch] = useReducer(reducer, props.initial, startHistory);
  const [meta, setMeta] = useState(props.meta);
  const revision = useRef(props.meta.revision);
  const [target, setTarget] = useState<Target>({ section: 'overview', seq: 0 });
  const doc = history.present;
  const [checked, setChecked] = useState<{ findings: Finding[]; schemaValid: boolean }>(() => check(props.initial, props.lintContext));
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => {
    // Lint after a pause in typing: a keystroke must not wait for a whole-ruleset check.
    clearTimeout(timer.current);
    timer.current = setTimeout(() => setChecked(check(doc, props.lintContext)), LINT_DELAY_MS);
    return () => clearTimeout(timer.current);
  }, [doc, props.lintContext]);

  const readOnly = props.readOnly || meta.status === 'published';
  const edit = useCallback((path: Path, value: unknown, key?: string) => dispatch({ type: 'edit', path, value, key: key ?? path.join('/') }), []);
  const replace = useCallback((d: Ruleset, key?: string) => dispatch({ type: 'replace', doc: d, key }), []);
  const goTo = useCallback((t: Omit<Target, 'seq'>) => setTarget((old) => ({ ...t, seq: old.seq + 1 })), []);
  const baseAt = useCallback((path: Path) => (props.base ? baseValueAt(doc, props.base, path) : { present: false }), [doc, props.base]);

  const value = useMemo<EditorState>(
    () => ({
      doc,
      base: props.base,
      meta,
      readOnly,
      edit,
      replace,
      undo: () => dispatch({ type: 'undo' }),
      redo: () => dispatch({ type: 'redo' }),
      canUndo: history.past.length > 0,
      canRedo: history.future.length > 0,
      findings: checked.findings,
      schemaValid: checked.schemaValid,
      target,
      goTo,
      baseAt,
      setMeta,
      revision,
    }),
    [doc, props.base, meta, readOnly, edit, replace, history.past.length, history.future.length, checked, target, goTo, baseAt],
  );
  return <Ctx.Provider value={value}>{props.children}</Ctx.Provider>;
}

/** Schema problems first (lint needs a well-formed ruleset), then lint. */
export function check(doc: Ruleset, context?: LintContext): { findings: Finding[]; schemaValid: boolean } {
  const v = validateRuleset(doc);
  if (!v.ok) return { schemaValid: false, findings: v.problems.map((p) => ({ severity: 'error', code: p.code, pointer: p.pointer, message: p.message })) };
  try {
    return { schemaValid: true, findings: lint(v.value, context) };
  } catch (e) {
    return { schemaValid: true, findings: [{ severity: 'error', code: 'lint-crash', pointer: '', message: bilingual('lint.crash', { message: (e as Error).message }) }] };
  }
}
