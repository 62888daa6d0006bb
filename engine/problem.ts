// Every message the engine hands to a person is bilingual: Chinese first, English too.
export interface Text {
  zh: string;
  en: string;
}

/** A problem found in a ruleset or in input, located by a JSON pointer. */
export interface Problem {
  code: string;
  pointer: string;
  message: Text;
}

export const text = (zh: string, en: string): Text => ({ zh, en });

export const describe = (p: Problem): string => `${p.pointer || '/'}: ${p.message.zh} (${p.message.en})`;

/** Thrown by engine functions when their input is unusable; carries the problems found. */
export class EngineError extends Error {
  constructor(readonly problems: Problem[]) {
    super(problems.map(describe).join('\n'));
    this.name = 'EngineError';
  }
}

export const pointerOf = (...parts: (string | number)[]): string =>
  parts.map((p) => '/' + String(p).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
