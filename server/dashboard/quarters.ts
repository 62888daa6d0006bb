// Calendar quarters in the platform's time zone ('2026Q3'), for the dashboard's trend: a
// diagnosis finished at 23:30 on 30 September in China belongs to Q3 there, not to UTC's.

export function quarterOf(iso: string, utcOffsetMinutes: number): string {
  const local = new Date(Date.parse(iso) + utcOffsetMinutes * 60_000);
  return `${local.getUTCFullYear()}Q${Math.floor(local.getUTCMonth() / 3) + 1}`;
}

/** The instant (ms) the quarter ends, in the platform's time zone. */
export function quarterEnd(quarter: string, utcOffsetMinutes: number): number {
  const year = Number(quarter.slice(0, 4));
  const q = Number(quarter.slice(5));
  return Date.UTC(year, q * 3, 1) - utcOffsetMinutes * 60_000;
}

/** Every quarter from `first` to `last`, both included; the keys sort as strings. */
export function quartersFrom(first: string, last: string): string[] {
  const out: string[] = [];
  let year = Number(first.slice(0, 4));
  let q = Number(first.slice(5));
  for (let key = first; key <= last; key = `${year}Q${q}`) {
    out.push(key);
    if (++q > 4) {
      q = 1;
      year += 1;
    }
  }
  return out;
}
