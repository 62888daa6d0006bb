// The designer's language: Chinese by default, English on request. Texts come from the catalog in
// messages.ts by id, `t('toolbar.save')`, with variables and plural forms as the runtime's
// (`t('lint.errorCount', { n })`, formatted by ui/i18n.ts); the choice is kept in localStorage
// and sent to the API as Accept-Language.
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';

import { formatMessage, LOCALE_STORAGE_KEY as STORAGE_KEY, storedLocale, type Locale } from '../../ui/i18n.ts';
import { en, zh } from './messages.ts';

export { storedLocale, type Locale };

export type MessageKey = keyof typeof zh;
export type MessageVars = Record<string, string | number>;

const messages: Record<Locale, Record<MessageKey, string>> = { zh, en };

let current: Locale = storedLocale();
export const currentLocale = () => current;

export type Translate = (key: MessageKey, vars?: MessageVars) => string;

/** The message `key` in `locale`, its variables filled in. */
export function translate(locale: Locale, key: MessageKey, vars?: MessageVars): string {
  return formatMessage(locale, messages[locale][key] ?? messages.zh[key] ?? key, vars);
}

/** The message `key` in both languages, for what the designer makes in the engine's bilingual form (a problem, a finding). */
export const bilingual = (key: MessageKey, vars?: MessageVars) => ({ zh: translate('zh', key, vars), en: translate('en', key, vars) });

const LocaleContext = createContext<{ locale: Locale; setLocale: (l: Locale) => void; t: Translate }>({
  locale: 'zh',
  setLocale: () => {},
  t: (key, vars) => translate('zh', key, vars),
});

export function LocaleProvider({ children }: { children: ReactNode }) {
  const [locale, set] = useState<Locale>(current);
  const setLocale = useCallback((l: Locale) => {
    current = l;
    localStorage.setItem(STORAGE_KEY, l);
    document.documentElement.lang = l === 'en' ? 'en' : 'zh-CN';
    set(l);
  }, []);
  // `t` is stable per language, so memoised lists that use it survive re-renders.
  const value = useMemo(() => ({ locale, setLocale, t: ((key, vars) => translate(locale, key, vars)) as Translate }), [locale, setLocale]);
  return <LocaleContext.Provider value={value}>{children}</LocaleContext.Provider>;
}

export const useLocale = () => useContext(LocaleContext);
/** `t('section.id', vars?)`: a message of the catalog in the designer's current language. */
export const useT = () => useContext(LocaleContext).t;
/** A ruleset text ({zh, en}) in the current language, Chinese when the English is missing. */
export const useText = () => {
  const { locale } = useContext(LocaleContext);
  // Stable per language, so memoised lists that use it survive re-renders.
  return useMemo(() => (x: { zh: string; en?: string } | undefined) => (x ? (locale === 'en' && x.en ? x.en : x.zh) : ''), [locale]);
};
