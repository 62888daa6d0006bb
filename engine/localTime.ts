// Dates as the ruleset's people read them: its calendar windows, the dates in its messages and
// on its results are all at the ruleset's UTC offset (counting.utcOffsetMinutes).
import type { Ruleset } from './schema/ruleset.ts';

/** An instant as the ruleset's people read it: its date and time at the ruleset's UTC offset. */
export function localTime(r: Ruleset, iso: string): { iso: string; date: string; dateTime: string } {
  const offset = r.counting.utcOffsetMinutes;
  const shifted = new Date(Date.parse(iso) + offset * 60_000).toISOString();
  return { iso, date: shifted.slice(0, 10), dateTime: `${shifted.slice(0, 10)} ${shifted.slice(11, 16)}` };
}
