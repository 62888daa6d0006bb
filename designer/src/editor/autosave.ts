// Drafts save themselves: a moment after the last edit the document goes to the server when it is
// well-formed; every state, well-formed or not, is also kept in this browser until the server has it,
// so closing the tab or losing the network never loses work.
import { useEffect, useRef, useState } from 'react';
import { validateRuleset, type Ruleset } from '../../../engine/index.ts';
import { api } from '../api.ts';
import { errorText } from '../pages/RulesetList.tsx';
import { useEditor } from './EditorContext.tsx';

export type SaveState = { state: 'saved' | 'pending' | 'saving' | 'readOnly' } | { state: 'invalid' } | { state: 'error'; message: string };

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

export interface Autosave {
  state: SaveState;
  /** Saves now (before publishing, exporting the spreadsheet…); resolves once the server has the document. */
  flush: () => Promise<void>;
}

export function useAutosave(): Autosave {
  const { doc, readOnly } = useEditor();
  const saved = useRef<Ruleset>(doc);
  const [state, setState] = useState<SaveState>({ state: readOnly ? 'readOnly' : 'saved' });
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const latest = useRef(doc);
  latest.current = doc;

  const save = async (d: Ruleset) => {
    if (d === saved.current) return;
    if (!validateRuleset(d).ok) return void setState({ state: 'invalid' });
    setState({ state: 'saving' });
    try {
      await api.save(d);
      saved.current = d;
      if (latest.current === d) {
        localStorage.removeItem(backupKey(d.id, d.version));
        setState({ state: 'saved' });
      }
    } catch (e) {
      setState({ state: 'error', message: errorText(e) });
    }
  };

  useEffect(() => {
    if (readOnly) return void setState({ state: 'readOnly' });
    if (doc === saved.current) return;
    setState({ state: 'pending' });
    clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      try {
        localStorage.setItem(backupKey(doc.id, doc.version), JSON.stringify({ at: new Date().toISOString(), doc }));
      } catch {
        // A full localStorage only loses the local copy; the server save below still runs.
      }
      void save(doc);
    }, AUTOSAVE_DELAY_MS);
    return () => clearTimeout(timer.current);
  }, [doc, readOnly]);

  return {
    state,
    flush: async () => {
      clearTimeout(timer.current);
      await save(latest.current);
      if (latest.current !== saved.current) throw new Error(validateRuleset(latest.current).ok ? 'save failed' : 'invalid');
    },
  };
}
