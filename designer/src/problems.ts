// Problems from the engine (bilingual, with a pointer) as one line in the designer's language.
import type { Problem } from '../../engine/index.ts';
import { currentLocale } from './i18n.tsx';

export const problemText = (problems: Problem[]) => problems.map((p) => `${p.pointer || '/'}: ${currentLocale() === 'en' ? p.message.en : p.message.zh}`).join('；');
