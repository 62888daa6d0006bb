// The what-if answers of the preview, shared with the report preview and with "save as test case":
// one small store per open ruleset, outside React state so switching sections keeps them.
import { useSyncExternalStore } from 'react';
import type { AnswerValue } from '../../../engine/index.ts';

export interface WhatIf {
  industryType: string;
  excluded: string[];
  answers: Record<string, AnswerValue>;
}

let state: WhatIf = { industryType: '', excluded: [], answers: {} };
const listeners = new Set<() => void>();

export const whatIf = {
  get: () => state,
  set(patch: Partial<WhatIf>) {
    state = { ...state, ...patch };
    listeners.forEach((l) => l());
  },
  reset(industryType: string) {
    whatIf.set({ industryType, excluded: [], answers: {} });
  },
  subscribe(l: () => void) {
    listeners.add(l);
    return () => void listeners.delete(l);
  },
};

export const useWhatIf = () => useSyncExternalStore(whatIf.subscribe, whatIf.get);
