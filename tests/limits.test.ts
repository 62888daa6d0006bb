import { describe, expect, it } from 'vitest';
import { checkLimits, windowStart, type PastDiagnosis } from '../engine/index.ts';
import { smallRuleset } from './fixtures/small.ts';

const facts = { industryType: 'discrete' };
const started = (...dates: string[]): PastDiagnosis[] => dates.map((d, i) => ({ id: `d${i}`, startedAt: d }));

describe('submission limits: at most 3 a month (rolling)', () => {
  const r = smallRuleset();

  it('allows the 3rd diagnosis in a month', async () => {
    const d = await checkLimits(r, started('2026-03-02T09:00:00+08:00', '2026-03-10T09:00:00+08:00'), new Date('2026-03-20T09:00:00+08:00'), facts);
    expect(d).toMatchObject({ allowed: true, refusals: [], warnings: [], reminders: [], nextAllowedAt: null });
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

describe('when a refused enterprise may try again, and how many are left', () => {
  const r = smallRuleset();
  r.rules.limits[0].message = { zh: '一个月内不得超过 3 次，{dateTime} 起可新建自诊断', en: 'At most 3 a month; possible again from {dateTime}' };
  const history = started('2026-03-02T09:00:00+08:00', '2026-03-10T09:00:00+08:00', '2026-03-20T09:00:00+08:00');

  it('names the moment the rolling window lets a new one in (not "next month")', async () => {
    const d = await checkLimits(r, history, new Date('2026-03-25T09:00:00+08:00'), facts);
    expect(d.nextAllowedAt).toBe(new Date('2026-04-02T09:00:00+08:00').toISOString());
    expect(d.refusals[0].message).toEqual({ zh: '一个月内不得超过 3 次，2026-04-02 09:00 起可新建自诊断', en: 'At most 3 a month; possible again from 2026-04-02 09:00' });
    // …and at that moment the engine agrees.
    expect((await checkLimits(r, history, new Date(d.nextAllowedAt!), facts)).allowed).toBe(true);
    expect((await checkLimits(r, history, new Date(Date.parse(d.nextAllowedAt!) - 60_000), facts)).allowed).toBe(false);
  });

  it('counts the attempts left in the window, and when the next one frees up', async () => {
    const two = await checkLimits(r, history.slice(1), new Date('2026-03-25T09:00:00+08:00'), facts);
    expect(two.quota).toMatchObject({ rule: 'max-3', used: 2, limit: 3, remaining: 1, freesAt: new Date('2026-04-10T09:00:00+08:00').toISOString() });
    expect(two.quota!.text.zh).toBe('近 1 个月内已新建 2 次自诊断，还可新建 1 次（最多 3 次）');
    expect(two.quota!.text.en).toBe('2 of at most 3 self-diagnoses started in the last month; 1 left');
    expect((await checkLimits(r, [], new Date('2026-03-25T09:00:00+08:00'), facts)).quota).toMatchObject({ used: 0, remaining: 3, freesAt: null });
  });

  it('a quota whose rule is about other enterprises is not this one\'s', async () => {
    const regional = smallRuleset();
    const rule = regional.rules.limits[0];
    rule.conditions = { all: [...(rule.conditions as { all: object[] }).all, { fact: 'regionPath', operator: 'contains', value: '310000' }] } as typeof rule.conditions;
    expect((await checkLimits(regional, [], new Date(), { industryType: 'discrete', regionPath: ['520000'] })).quota).toBeNull();
    expect((await checkLimits(regional, [], new Date(), { industryType: 'discrete', regionPath: ['310000'] })).quota).toMatchObject({ remaining: 3 });
  });

  it('a calendar window opens at the start of the next month in the ruleset time zone', async () => {
    const calendar = smallRuleset();
    (calendar.rules.limits[0].conditions as { all: { params: object }[] }).all[0].params = { unit: 'month', count: 1, mode: 'calendar' };
    const d = await checkLimits(calendar, started('2026-03-02T09:00:00+08:00', '2026-03-10T09:00:00+08:00', '2026-03-20T09:00:00+08:00'), new Date('2026-03-25T09:00:00+08:00'), facts);
    expect(d.nextAllowedAt).toBe(new Date('2026-04-01T00:00:00+08:00').toISOString());
  });

  it('discarded diagnoses count or not, as the ruleset says', async () => {
    const withDiscard = [...history.slice(0, 2), { ...history[2], discarded: true }];
    const now = new Date('2026-03-25T09:00:00+08:00');
    expect((await checkLimits(r, withDiscard, now, facts)).allowed).toBe(false);
    const ignoring = { ...r, counting: { ...r.counting, discarded: 'ignore' as const } };
    const d = await checkLimits(ignoring, withDiscard, now, facts);
    expect(d.allowed).toBe(true);
    expect(d.quota).toMatchObject({ used: 2, remaining: 1 });
  });

  it('a reminder holds on the home page without refusing or warning', async () => {
    const reminding = smallRuleset();
    reminding.rules.limits.push({
      id: 'six-months-passed',
      name: { zh: '已满 6 个月', en: '6 months passed' },
      severity: 'reminder',
      conditions: { all: [{ fact: 'monthsSinceLast', params: { which: 'finished' }, operator: 'greaterThanInclusive', value: 6 }] },
      message: { zh: '距上次自评估已满 6 个月', en: 'Six months since the last self-assessment' },
    });
    const last = [{ id: 'a', startedAt: '2026-01-10T09:00:00+08:00', finishedAt: '2026-01-15T09:00:00+08:00' }];
    const early = await checkLimits(reminding, last, new Date('2026-07-14T09:00:00+08:00'), facts);
    expect(early.reminders).toEqual([]);
    const due = await checkLimits(reminding, last, new Date('2026-07-15T09:00:00+08:00'), facts);
    expect(due).toMatchObject({ allowed: true, warnings: [], reminders: [{ id: 'six-months-passed', severity: 'reminder' }] });
  });
});
