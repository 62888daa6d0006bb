// antd's own texts (pickers, pagination, empty states) in Chinese and English, for both UIs.
import type { Locale as AntLocale } from 'antd/es/locale/index.js';
import * as zhCNModule from 'antd/locale/zh_CN.js';
import * as enUSModule from 'antd/locale/en_US.js';

/** antd's locale files are CommonJS: the locale object is the default export, one or two levels down. */
function unwrapLocale(m: unknown): AntLocale {
  let x = m as { default?: unknown; locale?: string };
  for (let i = 0; i < 3 && x && !x.locale && x.default; i++) x = x.default as typeof x;
  return x as AntLocale;
}

export const zhCN = unwrapLocale(zhCNModule);
export const enUS = unwrapLocale(enUSModule);
