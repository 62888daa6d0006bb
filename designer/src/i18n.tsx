// The designer's language: Chinese by default, English on request. Texts are written in place as
// t('中文', 'English') pairs; the choice is kept in localStorage and sent to the API as Accept-Language.
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';

import { LOCALE_STORAGE_KEY as STORAGE_KEY, storedLocale, type Locale } from '../../ui/i18n.ts';

export { storedLocale, type Locale };

let current: Locale = storedLocale();
export const currentLocale = () => current;

type Translate = (zh: string, en: string) => string;
const LocaleContext = createContext<{ locale: Locale; setLocale: (l: Locale) => void; t: Translate }>({
  locale: 'zh',
  setLocale: () => {},
  t: (zh) => zh,
});

export function LocaleProvider({ children }: { children: ReactNode }) {
  const [locale, set] = useState<Locale>(current);
  const setLocale = useCallback((l: Locale) => {
    current = l;
    localStorage.setItem(STORAGE_KEY, l);
    document.documentElement.lang = l === 'en' ? 'en' : 'zh-CN';
    set(l);
  }, []);
  const value = useMemo(() => ({ locale, setLocale, t: ((zh, en) => (locale === 'en' ? en : zh)) as Translate }), [locale, setLocale]);
  return <LocaleContext.Provider value={value}>{children}</LocaleContext.Provider>;
}

export const useLocale = () => useContext(LocaleContext);
/** `t('中文', 'English')` in the designer's current language. */
export const useT = () => useContext(LocaleContext).t;
/** A ruleset text ({zh, en}) in the current language, Chinese when the English is missing. */
export const useText = () => {
  const { locale } = useContext(LocaleContext);
  // Stable per language, so memoised lists that use it survive re-renders.
  return useMemo(() => (x: { zh: string; en?: string } | undefined) => (x ? (locale === 'en' && x.en ? x.en : x.zh) : ''), [locale]);
};
