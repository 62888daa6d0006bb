// Where in the designer a JSON pointer is edited: the section, and what to select there.
import type { Ruleset } from '../../../engine/index.ts';
import { getIn, pathOfPointer } from '../docPath.ts';
import type { Section, Target } from './EditorContext.tsx';

export function locate(doc: Ruleset, pointer: string): Omit<Target, 'seq'> {
  const path = pathOfPointer(doc, pointer);
  const [top, second, third] = path;
  const at = (section: Section, select?: string) => ({ section, select, pointer });
  switch (top) {
    case 'questions': {
      const q = typeof second === 'number' ? doc.questions[second] : undefined;
      return at('model', q ? `q:${q.id}` : undefined);
    }
    case 'model': {
      if (second !== 'nodes') return at('overview');
      // The deepest node on the path: /model/nodes/0/children/2/name → that child.
      let node: unknown;
      for (let i = 2; i <= path.length; i++) {
        const v = getIn(doc, ['model', ...path.slice(1, i)]);
        if (v && typeof v === 'object' && 'id' in v && 'name' in v) node = v;
      }
      return at('model', node ? `n:${(node as { id: string }).id}` : undefined);
    }
    case 'levels':
      return at('levels');
    case 'scoring':
      return at('scoring', second === 'weightSets' && typeof third === 'number' ? `w:${third}` : undefined);
    case 'flow':
      return at('flow');
    case 'rules':
      return at('rules', typeof second === 'string' ? `${second}:${typeof third === 'number' ? third : ''}` : undefined);
    case 'counting':
      return at('rules');
    case 'report':
      return at('report');
    case 'tests':
      return at('tests');
    case undefined:
      return at('overview');
    default:
      return at('overview');
  }
}
