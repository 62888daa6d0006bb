// The designer's catalog: every message in both languages with the same variables, and counts in
// English in the plural form the number needs.
import { describe, expect, it } from 'vitest';
import { en, zh } from '../../designer/src/messages.ts';
import { bilingual, translate, type MessageKey } from '../../designer/src/i18n.tsx';

const variables = (text: string) => [...text.matchAll(/\{(\w+)[,}]/g)].map((m) => m[1]).sort();

describe("the designer's messages", () => {
  it('has every key in Chinese and English, neither empty, with the same variables', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(zh).sort());
    for (const key of Object.keys(zh) as MessageKey[]) {
      expect(zh[key].trim(), key).not.toBe('');
      expect(en[key].trim(), key).not.toBe('');
      expect(variables(en[key]), key).toEqual(variables(zh[key]));
    }
  });

  it('reads "1 error" and "2 errors" in English, the count alone in Chinese', () => {
    expect(translate('en', 'lint.errorCount', { n: 1 })).toBe('1 error');
    expect(translate('en', 'lint.errorCount', { n: 2 })).toBe('2 errors');
    expect(translate('en', 'lint.warningCount', { n: 0 })).toBe('0 warnings');
    expect(translate('zh', 'lint.errorCount', { n: 2 })).toBe('2 个错误');
    expect(translate('en', 'toolbar.imported', { n: 1 })).toBe('Imported 1 question (undo to take back)');
    expect(translate('en', 'toolbar.publishFailing', { n: 1 })).toBe('1 test case fails');
    expect(translate('en', 'node.deleteConfirm', { n: 3 })).toBe('Delete this node and everything below it (3 questions of its own)? Undo brings it back.');
  });

  it('fills variables, and gives a message in both languages for the engine-shaped problems it makes', () => {
    expect(translate('zh', 'preview.trace', { code: 'L2' })).toBe('计算过程：L2');
    expect(translate('en', 'versions.rebaseTo', { id: 'cmmm', version: '1.1.0' })).toBe('Rebase onto cmmm@1.1.0');
    expect(bilingual('json.identity', { id: 'a', version: '1.0.0' })).toEqual({ zh: 'id 与版本须保持 a@1.0.0', en: 'the id and version must stay a@1.0.0' });
  });
});
