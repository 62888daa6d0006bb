// Submission limits: the ruleset's conditions over facts computed from an enterprise's
// history at a given moment ("at most 3 a month", "6 months apart", …).
import type { Condition, Ruleset, LimitRule } from './schema/ruleset.ts';
import { matchingRules } from './rules.ts';
import { conditionLeaves, isLeaf, type ConditionLeaf } from './facts.ts';
import { localTime } from './localTime.ts';
import type { EnterpriseFacts } from './tailoring.ts';
import { text, type Text } from './problem.ts';

export interface PastDiagnosis {
  id: string;
  startedAt: string;
  finishedAt?: string | null;
  /** Discarded before anything was answered: counted or not by the ruleset's counting.discarded. */
  discarded?: boolean;
}

type Which = 'started' | 'finished';
type Unit = 'day' | 'month' | 'year';

/** A moment seen as wall-clock time in the ruleset's time zone (as UTC fields of a shifted Date). */
const local = (d: Date, offset: number) => new Date(d.getTime() + offset * 60_000);
const fromLocal = (d: Date, offset: number) => new Date(d.getTime() - offset * 60_000);

function addUnits(d: Date, unit: Unit, count: number): Date {
  const r = new Date(d);
  if (unit === 'day') r.setUTCDate(r.getUTCDate() + count);
  else if (unit === 'month') {
    const day = r.getUTCDate();
    r.setUTCDate(1);
    r.setUTCMonth(r.getUTCMonth() + count);
    // 31 March minus one month is the last day of February, not 3 March.
    const last = new Date(Date.UTC(r.getUTCFullYear(), r.getUTCMonth() + 1, 0)).getUTCDate();
    r.setUTCDate(Math.min(day, last));
  } else r.setUTCFullYear(r.getUTCFullYear() + count);
  return r;
}

/** Start of the window ending now: rolling (now minus count units) or calendar (start of the current unit, count-1 back). */
export function windowStart(now: Date, unit: Unit, count: number, mode: 'rolling' | 'calendar', offset: number): Date {
  const n = local(now, offset);
  if (mode === 'rolling') return fromLocal(addUnits(n, unit, -count), offset);
  const start =
    unit === 'day'
      ? new Date(Date.UTC(n.getUTCFullYear(), n.getUTCMonth(), n.getUTCDate()))
      : unit === 'month'
        ? new Date(Date.UTC(n.getUTCFullYear(), n.getUTCMonth(), 1))
        : new Date(Date.UTC(n.getUTCFullYear(), 0, 1));
  return fromLocal(addUnits(start, unit, -(count - 1)), offset);
}

const when = (d: PastDiagnosis, which: Which) => (which === 'finished' ? d.finishedAt : d.startedAt);

function latest(history: PastDiagnosis[], which: Which): Date | undefined {
  let best: Date | undefined;
  for (const d of history) {
    const at = when(d, which);
    if (!at) continue;
    const t = new Date(at);
    if (!best || t > best) best = t;
  }
  return best;
}

/** Whole calendar months from a to b (15 Jan → 14 Jul is 5, → 15 Jul is 6). */
function monthsBetween(a: Date, b: Date): number {
  let months = (b.getUTCFullYear() - a.getUTCFullYear()) * 12 + (b.getUTCMonth() - a.getUTCMonth());
  if (addUnits(a, 'month', months) > b) months -= 1;
  return months;
}

/** The facts limit conditions can use. Parameters come from each condition's `params`. */
export function limitFacts(ruleset: Ruleset, history: PastDiagnosis[], now: Date, enterprise: EnterpriseFacts) {
  const offset = ruleset.counting.utcOffsetMinutes;
  return {
    ...enterprise,
    diagnosesInWindow: (params: { unit?: Unit; count?: number; which?: Which; mode?: 'rolling' | 'calendar' }) => {
      const start = windowStart(now, params.unit ?? 'month', params.count ?? 1, params.mode ?? 'rolling', offset);
      return history.filter((d) => {
        const at = when(d, params.which ?? 'started');
        if (!at) return false;
        // A diagnosis stamped after `now` counts too: a request that started it while this one waited
        // for the store's lock, or a server whose clock runs a little ahead, must not open a gap.
        return new Date(at) > start;
      }).length;
    },
    daysSinceLast: (params: { which?: Which }) => {
      const last = latest(history, params.which ?? 'started');
      return last ? Math.max(0, (now.getTime() - last.getTime()) / 86_400_000) : null;
    },
    monthsSinceLast: (params: { which?: Which }) => {
      const last = latest(history, params.which ?? 'started');
      return last ? (last > now ? 0 : monthsBetween(local(last, offset), local(now, offset))) : null;
    },
  };
}

export interface LimitOutcome {
  id: string;
  severity: LimitRule['severity'];
  message: Text;
}

/** What a counting window still allows: "at most 3 a month" with 2 started in the last month leaves 1. */
export interface Quota {
  /** The blocking rule the quota comes from. */
  rule: string;
  used: number;
  limit: number;
  remaining: number;
  window: { unit: Unit; count: number; mode: 'rolling' | 'calendar'; which: Which };
  /** When the next counted diagnosis leaves the window (one more becomes possible); null when none is counted. */
  freesAt: string | null;
  /** The quota in words: 近 1 个月内已新建 2 次，还可新建 1 次（最多 3 次）. */
  text: Text;
}

export interface LimitDecision {
  allowed: boolean;
  refusals: LimitOutcome[];
  warnings: LimitOutcome[];
  /** Reminder rules that hold now (for the home page; they never stop anything). */
  reminders: LimitOutcome[];
  /** When refused: the first moment no blocking rule holds any more (if nothing else happens); null when allowed or never. */
  nextAllowedAt: string | null;
  /** The tightest counting window of the blocking rules, when one applies to this enterprise. */
  quota: Quota | null;
}

/** Past diagnoses as the ruleset counts them: discarded ones drop out when its counting says so. */
const counted = (ruleset: Ruleset, history: PastDiagnosis[]) => (ruleset.counting.discarded === 'ignore' ? history.filter((d) => !d.discarded) : history);

/** May this enterprise start a new diagnosis now? Blocking rules refuse; advisory ones warn; reminders remind. */
export async function checkLimits(ruleset: Ruleset, history: PastDiagnosis[], now: Date, enterprise: EnterpriseFacts): Promise<LimitDecision> {
  const past = counted(ruleset, history);
  const rules = ruleset.rules.limits;
  const fired = await matchingRules(rules, limitFacts(ruleset, past, now, enterprise));
  const blocking = rules.filter((r) => r.severity === 'blocking');
  const firedBlocking = blocking.filter((r) => fired.has(r.id));
  const nextAllowedAt = firedBlocking.length ? await whenAllowed(ruleset, past, now, enterprise) : null;
  const outcome = (r: LimitRule): LimitOutcome => ({ id: r.id, severity: r.severity, message: fillDates(ruleset, text(r.message.zh, r.message.en ?? r.message.zh), nextAllowedAt) });
  const of = (severity: LimitRule['severity']) => rules.filter((r) => r.severity === severity && fired.has(r.id)).map(outcome);
  const refusals = of('blocking');
  return {
    allowed: refusals.length === 0,
    refusals,
    warnings: of('advisory'),
    reminders: of('reminder'),
    nextAllowedAt,
    quota: await quotaOf(ruleset, blocking, past, now, enterprise),
  };
}

/** {date} / {dateTime} in a message: the moment a new diagnosis is possible again, in the ruleset's time zone. */
function fillDates(ruleset: Ruleset, message: Text, at: string | null): Text {
  if (!at) return message;
  const t = localTime(ruleset, at);
  const fill = (s: string) => s.replaceAll('{dateTime}', t.dateTime).replaceAll('{date}', t.date);
  return text(fill(message.zh), fill(message.en));
}

/** The moments after now at which a condition over the history can change: when a diagnosis leaves a window, when a count of days or months is reached. */
function changeTimes(ruleset: Ruleset, leaves: ConditionLeaf[], history: PastDiagnosis[], now: Date): number[] {
  const offset = ruleset.counting.utcOffsetMinutes;
  const times = new Set<number>();
  for (const leaf of leaves) {
    const params = (leaf.params ?? {}) as { unit?: Unit; count?: number; mode?: 'rolling' | 'calendar'; which?: Which };
    const stamps = history.map((d) => when(d, params.which ?? 'started')).filter((x): x is string => !!x).map((x) => new Date(x));
    if (leaf.fact === 'diagnosesInWindow') {
      const unit = params.unit ?? 'month';
      const count = params.count ?? 1;
      if ((params.mode ?? 'rolling') === 'rolling') for (const s of stamps) times.add(fromLocal(addUnits(local(s, offset), unit, count), offset).getTime());
      else {
        // A calendar window moves at the start of each unit.
        let boundary = windowStart(now, unit, 1, 'calendar', offset);
        for (let i = 0; i <= count; i++) times.add((boundary = fromLocal(addUnits(local(boundary, offset), unit, 1), offset)).getTime());
      }
    } else if (typeof leaf.value === 'number' && (leaf.fact === 'daysSinceLast' || leaf.fact === 'monthsSinceLast')) {
      for (const s of stamps)
        times.add(leaf.fact === 'daysSinceLast' ? s.getTime() + leaf.value * 86_400_000 : fromLocal(addUnits(local(s, offset), 'month', Math.ceil(leaf.value)), offset).getTime());
    }
  }
  return [...times].filter((t) => t > now.getTime()).sort((a, b) => a - b).slice(0, 500);
}

/** The first moment no blocking rule holds, trying each moment the history can change a fact; null when none of them ends the refusal. */
async function whenAllowed(ruleset: Ruleset, history: PastDiagnosis[], now: Date, enterprise: EnterpriseFacts): Promise<string | null> {
  const blocking = ruleset.rules.limits.filter((r) => r.severity === 'blocking');
  const leaves = blocking.flatMap((r) => conditionLeaves(r.conditions).map((l) => l.leaf));
  for (const t of changeTimes(ruleset, leaves, history, now)) {
    const at = new Date(t);
    if ((await matchingRules(blocking, limitFacts(ruleset, history, at, enterprise))).size === 0) return at.toISOString();
  }
  return null;
}

const WINDOW_WORDS: Record<Unit, { rolling: Text; calendar: Text }> = {
  day: { rolling: text('近 {n} 天内', 'in the last {n} days'), calendar: text('今天', 'today') },
  month: { rolling: text('近 {n} 个月内', 'in the last {n} months'), calendar: text('本月', 'this month') },
  year: { rolling: text('近 {n} 年内', 'in the last {n} years'), calendar: text('今年', 'this year') },
};

function windowWords(unit: Unit, count: number, mode: 'rolling' | 'calendar'): Text {
  const w = WINDOW_WORDS[unit][mode];
  const n = (s: string) => s.replaceAll('{n}', String(count));
  // "in the last 1 months" reads as "in the last month".
  const en = count === 1 && mode === 'rolling' ? `in the last ${unit}` : n(w.en);
  return text(n(w.zh), mode === 'calendar' && count > 1 ? `${n(w.en)} and the ${count - 1} before` : en);
}

/** The counting window of each blocking "at most N in a window" rule that applies to this enterprise; the one with the fewest left. */
async function quotaOf(ruleset: Ruleset, blocking: LimitRule[], history: PastDiagnosis[], now: Date, enterprise: EnterpriseFacts): Promise<Quota | null> {
  let best: Quota | null = null;
  for (const rule of blocking) {
    const all = (rule.conditions as { all?: Condition[] }).all;
    if (!all) continue;
    const windows = all.filter((c): c is Condition & ConditionLeaf => isLeaf(c) && c.fact === 'diagnosesInWindow' && typeof c.value === 'number' && (c.operator === 'greaterThanInclusive' || c.operator === 'greaterThan'));
    if (windows.length !== 1) continue;
    const leaf = windows[0];
    const rest = all.filter((c) => c !== leaf);
    // The rule's other conditions (a region, an industry type) must hold for its quota to be this enterprise's.
    if (rest.length && !(await matchingRules([{ id: rule.id, conditions: { all: rest } }], limitFacts(ruleset, history, now, enterprise))).size) continue;
    const params = { unit: 'month' as Unit, count: 1, mode: 'rolling' as 'rolling' | 'calendar', which: 'started' as Which, ...((leaf.params ?? {}) as object) };
    const facts = (at: Date) => limitFacts(ruleset, history, at, enterprise).diagnosesInWindow(params);
    const limit = (leaf.value as number) + (leaf.operator === 'greaterThan' ? 1 : 0);
    const used = facts(now);
    let freesAt: string | null = null;
    if (used > 0) for (const t of changeTimes(ruleset, [leaf], history, now)) if (facts(new Date(t)) < used) {
      freesAt = new Date(t).toISOString();
      break;
    }
    const remaining = Math.max(0, limit - used);
    const window = windowWords(params.unit, params.count, params.mode);
    const quota: Quota = {
      rule: rule.id,
      used,
      limit,
      remaining,
      window: params,
      freesAt,
      text: text(`${window.zh}已新建 ${used} 次自诊断，还可新建 ${remaining} 次（最多 ${limit} 次）`, `${used} of at most ${limit} self-diagnoses started ${window.en}; ${remaining} left`),
    };
    if (!best || quota.remaining < best.remaining) best = quota;
  }
  return best;
}
