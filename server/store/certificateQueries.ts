// How both stores read a certificate query: the number in any case, the name in part, the
// credit code whole (a lookup by code must not list every code sharing a prefix).
import type { Certificate, CertificateQuery } from './types.ts';

/** Numbers are compared as people type them: any case, no surrounding spaces. */
export const certificateNumberKey = (number: string) => number.normalize('NFKC').trim().toUpperCase();

/** A credit code as typed (any case, full-width characters), as stored. */
export const creditCodeKey = (code: string) => code.normalize('NFKC').trim().toUpperCase();

export function certificateMatches(c: Certificate, query: CertificateQuery): boolean {
  if (query.number !== undefined && certificateNumberKey(c.number) !== certificateNumberKey(query.number)) return false;
  if (query.text !== undefined) {
    const text = query.text.normalize('NFKC').trim();
    if (!text) return false;
    if (creditCodeKey(c.creditCode) !== creditCodeKey(text) && !c.enterpriseName.includes(text)) return false;
  }
  return true;
}
