import { describe, expect, it } from 'vitest';
import { checkLimits, windowStart, type PastDiagnosis } from '../engine/index.ts';
import { smallRuleset } from './fixtures/small.ts';

const facts = { industryType: 'discrete' };
const started = (...dates: string[]): PastDiagnosis[] => dates.map((d, i) => ({ id: `d${i}`, startedAt: d }));

describe('submission limits: at most 3 a month (rolling)', () => {
  const r = smallRuleset();

  it('allows the 3rd diagnosis in a month', async () => {
    const d = await checkLimits(r, started('2026-03-02T09:00:00+08:00', '2026-03-10T09:00:00+08:00'), new Date('2026-03-20T09:00:00+08:00'), facts);
    expect(d).toEqual({ allowed: true, refusals: [], warnings: [] });
  });

  it('refuses the 4th with the rule message', async () => {
    const history = started('2026-03-02T09:00:00+08:00', '2026-03-10T09:00:00+08:00', '2026-03-20T09:00:00+08:00');
    const d = await checkLimits(r, history, new Date('2026-03-25T09:00:00+08:00'), facts);
    expect(d.allowed).toBe(false);
    expect(d.refusals).toEqual([{ id: 'max-3', severity: 'blocking', message: { zh: '一个月内不得超过 3 次', en: 'At most 3 a month' } }]);
  });

  it('allows again once the window has moved past the oldest', async () => {
    const history = started('2026-03-02T09:00:00+08:00', '2026-03-10T09:00:00+08:00', '2026-03-20T09:00:00+08:00');
    expect((await checkLimits(r, history, new Date('2026-04-02T08:59:00+08:00'), facts)).allowed).toBe(false);
    expect((await checkLimits(r, history, new Date('2026-04-02T09:01:00+08:00'), facts)).allowed).toBe(true);
  });

  it('counts diagnoses stamped a moment after now (started while this request waited, or by a server whose clock runs ahead)', async () => {
    const now = new Date('2026-03-20T09:00:00.000+08:00');
    const history = started('2026-03-20T09:00:00.004+08:00', '2026-03-20T09:00:00.009+08:00', '2026-03-20T09:00:01.200+08:00');
    expect((await checkLimits(r, history, now, facts)).allowed).toBe(false);
  });

  it('counts calendar months in the ruleset time zone', () => {
    // 1 April 00:30 in Beijing is still 31 March in UTC: the calendar month is April's.
    expect(windowStart(new Date('2026-04-01T00:30:00+08:00'), 'month', 1, 'calendar', 480).toISOString()).toBe('2026-03-31T16:00:00.000Z');
    // 31 March minus one month is the end of February, not 3 March.
    expect(windowStart(new Date('2026-03-31T12:00:00Z'), 'month', 1, 'rolling', 0).toISOString()).toBe('2026-02-28T12:00:00.000Z');
  });

  it('warns without refusing on an advisory rule (6 months apart)', async () => {
    const r2 = smallRuleset();
    r2.rules.limits.push({
      id: 'six-months',
      name: { zh: '间隔 6 个月', en: '6 months apart' },
      severity: 'advisory',
      conditions: { all: [{ fact: 'monthsSinceLast', params: { which: 'started' }, operator: 'lessThan', value: 6 }] },
      message: { zh: '相邻两次评估间隔应不少于 6 个月', en: 'Two assessments should be at least 6 months apart' },
    });
    const history = started('2026-01-15T10:00:00+08:00');
    const soon = await checkLimits(r2, history, new Date('2026-07-14T10:00:00+08:00'), facts);
    expect(soon.allowed).toBe(true);
    expect(soon.warnings.map((w) => w.id)).toEqual(['six-months']);
    expect((await checkLimits(r2, history, new Date('2026-07-15T10:00:00+08:00'), facts)).warnings).toEqual([]);
    expect((await checkLimits(r2, [], new Date('2026-07-15T10:00:00+08:00'), facts)).warnings).toEqual([]);
  });
});
