// The unified social credit code (统一社会信用代码, GB 32100-2015): 18 characters from a
// 31-character set, the last one a check character over the first 17.
const CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** Trim, upper-case and turn full-width characters into half-width ones. */
export function normaliseCreditCode(input: string): string {
  return input
    .trim()
    .replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/\s+/g, '')
    .toUpperCase();
}

export type CreditCodeProblem = 'length' | 'character' | 'check';

export function checkCreditCode(code: string): CreditCodeProblem | undefined {
  if (code.length !== 18) return 'length';
  const values = [...code].map((c) => CHARSET.indexOf(c));
  if (values.some((v) => v < 0)) return 'character';
  const sum = WEIGHTS.reduce((s, w, i) => s + w * values[i], 0);
  return CHARSET[(31 - (sum % 31)) % 31] === code[17] ? undefined : 'check';
}
