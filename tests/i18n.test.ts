import { describe, expect, it } from 'vitest';

describe("the runtime's messages", () => {
  it('put a count in the form its language wants: 1 question, 2 questions, 共 1 题', async () => {
    const { translate } = await import('../runtime/src/i18n.tsx');
    expect(translate('en', 'answer.total', { n: 1 })).toBe('1 question');
    expect(translate('en', 'answer.total', { n: 2 })).toBe('2 questions');
    expect(translate('en', 'answer.questionCount', { n: 1 })).toBe('1 question on this page');
    expect(translate('zh', 'answer.total', { n: 1 })).toBe('共 1 题');
  });
});
