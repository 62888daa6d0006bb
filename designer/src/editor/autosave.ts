// Drafts save themselves (through the autosave every page uses, ui/autosave.ts): a moment after
// the last edit the document goes to the server when it is well-formed; every state, well-formed or
// not, is also kept in this browser until the server has it, so closing the tab or losing the
// network never loses work.
import { useEffect, useMemo, useRef, useState } from 'react';
import { validateRuleset, type Ruleset } from '../../../engine/index.ts';
import { Autosave as Saver } from '../../../ui/autosave.ts';
import { api, ApiError } from '../api.ts';
import { errorText } from '../pages/RulesetList.tsx';
import { useEditor } from './EditorContext.tsx';

export type SaveState =
  | { state: 'saved' | 'pending' | 'saving' | 'readOnly' }
  | { state: 'invalid' }
  | { state: 'error'; message: string }
  /** Someone saved this draft since it was opened here: nothing more is sent until the author chooses. */
  | { state: 'conflict'; message: string };

export const AUTOSAVE_DELAY_MS = 1200;
export const backupKey = (id: string, version: string) => `ladder.designer.backup.${id}@${version}`;

export function readBackup(id: string, version: string): Ruleset | undefined {
  try {
    const raw = localStorage.getItem(backupKey(id, version));
    return raw ? (JSON.parse(raw).doc as Ruleset) : undefined;
  } catch {
    return undefined;
  }
}

const keepInBrowser = (doc: Ruleset) => {
  try {
    localStorage.setItem(backupKey(doc.id, doc.version), JSON.stringify({ at: new Date().toISOString(), doc }));
  } catch {
    // A full localStorage only loses the local copy; the server save still runs.
  }
};

export interface Autosave {
  state: SaveState;
  /** Saves now (before publishing, exporting the spreadsheet…); resolves once the server has the document. */
  flush: () => Promise<void>;
  /** After a conflict: replace the stored draft with this editor's document (the other changes are lost). */
  overwrite: () => Promise<void>;
  /** After a conflict: drop this editor's changes and open the stored draft. */
  reload: () => void;
}

class StaleDraft extends Error {}

export function useAutosave(): Autosave {
  const { doc, readOnly, revision } = useEditor();
  // Set by a 409 stale: saves stop (the document stays in this browser) until the author chooses.
  const conflict = useRef(false);
  const saved = useRef<Ruleset>(doc);
  const latest = useRef(doc);
  latest.current = doc;
  const [state, setState] = useState<SaveState>({ state: readOnly ? 'readOnly' : 'saved' });
  const saver = useMemo(
    () =>
      new Saver<Ruleset>({
        delayMs: AUTOSAVE_DELAY_MS,
        save: async (d) => {
          keepInBrowser(d);
          // A document the schema refuses stays in the browser only, until it is fixed.
          if (!validateRuleset(d).ok) return void setState({ state: 'invalid' });
          if (conflict.current) throw new StaleDraft();
          try {
            revision.current = (await api.save(d, revision.current)).revision;
          } catch (e) {
            if (e instanceof ApiError && e.code === 'stale') {
              conflict.current = true;
              setState({ state: 'conflict', message: e.message });
              throw new StaleDraft();
            }
            throw e;
          }
          saved.current = d;
          if (latest.current === d) localStorage.removeItem(backupKey(d.id, d.version));
        },
        onStatus: (s) => {
          if (s.status === 'saving') {
            if (!conflict.current) setState({ state: 'saving' });
          }
          else if (s.status === 'error') {
            if (!(s.error instanceof StaleDraft)) setState({ state: 'error', message: errorText(s.error) });
          }
          else if (s.status === 'saved') setState((old) => (old.state === 'invalid' || latest.current !== saved.current ? old : { state: 'saved' }));
        },
      }),
    [],
  );

  useEffect(() => {
    if (readOnly) return void setState({ state: 'readOnly' });
    if (doc === saved.current) return;
    if (!conflict.current) setState({ state: 'pending' });
    saver.change(doc);
  }, [doc, readOnly, saver]);

  useEffect(() => {
    saver.reopen();
    return () => void saver.close({ save: true });
  }, [saver]);

  return {
    state,
    flush: async () => {
      if (latest.current !== saved.current) saver.change(latest.current);
      await saver.flush();
      if (latest.current !== saved.current) throw new Error(validateRuleset(latest.current).ok ? 'save failed' : 'invalid');
    },
    overwrite: async () => {
      const d = latest.current;
      revision.current = (await api.record(d.id, d.version)).revision;
      conflict.current = false;
      saver.change(d);
      await saver.flush();
    },
    reload: () => {
      const d = latest.current;
      conflict.current = false;
      saver.close({ save: false });
      localStorage.removeItem(backupKey(d.id, d.version));
      location.reload();
    },
  };
}
