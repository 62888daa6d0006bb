// Submission limits: the ruleset's conditions over facts computed from an enterprise's
// history at a given moment ("at most 3 a month", "6 months apart", …).
import type { Ruleset, LimitRule } from './schema/ruleset.ts';
import { matchingRules } from './rules.ts';
import type { EnterpriseFacts } from './tailoring.ts';
import { text, type Text } from './problem.ts';

export interface PastDiagnosis {
  id: string;
  startedAt: string;
  finishedAt?: string | null;
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

export interface LimitDecision {
  allowed: boolean;
  refusals: LimitOutcome[];
  warnings: LimitOutcome[];
}

/** May this enterprise start a new diagnosis now? Blocking rules refuse; advisory ones warn. */
export async function checkLimits(ruleset: Ruleset, history: PastDiagnosis[], now: Date, enterprise: EnterpriseFacts): Promise<LimitDecision> {
  const fired = await matchingRules(ruleset.rules.limits, limitFacts(ruleset, history, now, enterprise));
  const outcomes = ruleset.rules.limits
    .filter((r) => fired.has(r.id))
    .map((r) => ({ id: r.id, severity: r.severity, message: text(r.message.zh, r.message.en ?? r.message.zh) }));
  const refusals = outcomes.filter((o) => o.severity === 'blocking');
  return { allowed: refusals.length === 0, refusals, warnings: outcomes.filter((o) => o.severity === 'advisory') };
}
