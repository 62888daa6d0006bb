// What both UIs share about language: the two locales, where the choice is kept, and how a message
// takes its variables, counts included (`{n, plural, one {# question} other {# questions}}`).
export type Locale = 'zh' | 'en';

/** Where both UIs keep the reader's choice, so the designer and the runtime agree. */
export const LOCALE_STORAGE_KEY = 'ladder.locale';

export function storedLocale(): Locale {
  try {
    return localStorage.getItem(LOCALE_STORAGE_KEY) === 'en' ? 'en' : 'zh';
  } catch {
    return 'zh';
  }
}

/** `{name}` replaced; `{n, plural, one {…} other {…}}` the form the language's plural rules give n (# is n). */
export function formatMessage(locale: Locale, template: string, vars?: Record<string, string | number>): string {
  if (!vars) return template;
  const rules = new Intl.PluralRules(locale === 'en' ? 'en' : 'zh-CN');
  const plural = template.replace(/\{(\w+), plural,((?:\s*\w+ \{[^}]*\})+)\s*\}/g, (m, name: string, forms: string) => {
    const byCategory = new Map([...forms.matchAll(/(\w+) \{([^}]*)\}/g)].map((f) => [f[1], f[2]]));
    const form = byCategory.get(rules.select(Number(vars[name]))) ?? byCategory.get('other');
    return form === undefined ? m : form.replace(/#/g, String(vars[name]));
  });
  return plural.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
}
