/**
 * Dates with a precision: `2024-12-26` (day), `2023-07` (month), `2024` (year).
 * Month precision is a span on the timeline, never a false day.
 */
export type Precision = 'year' | 'month' | 'day';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

interface Parts {
  y: number;
  m?: number;
  d?: number;
}

export function parseParts(date: string): Parts | null {
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?/.exec(date.trim());
  if (!m) return null;
  return { y: +m[1], m: m[2] ? +m[2] : undefined, d: m[3] ? +m[3] : undefined };
}

/** Infers the precision from the text when none is given. */
export function precisionOf(date: string, precision?: Precision | null): Precision {
  if (precision) return precision;
  const p = parseParts(date);
  if (!p) return 'year';
  return p.d ? 'day' : p.m ? 'month' : 'year';
}

/** Human form: "26 Dec 2024", "Jul 2023", "2024"; "—" when unknown. */
export function formatDate(date: string | null | undefined, precision?: Precision | null): string {
  if (!date) return '—';
  const p = parseParts(date);
  if (!p) return date;
  const prec = precisionOf(date, precision);
  if (prec === 'year' || !p.m) return `${p.y}`;
  if (prec === 'month' || !p.d) return `${MONTHS[p.m - 1]} ${p.y}`;
  return `${p.d} ${MONTHS[p.m - 1]} ${p.y}`;
}

/** The [start, end) interval a date covers, in UTC: a day, a month or a year. */
export function dateSpan(date: string, precision?: Precision | null): [Date, Date] | null {
  const p = parseParts(date);
  if (!p) return null;
  const prec = precisionOf(date, precision);
  if (prec === 'year' || !p.m) return [new Date(Date.UTC(p.y, 0, 1)), new Date(Date.UTC(p.y + 1, 0, 1))];
  if (prec === 'month' || !p.d) return [new Date(Date.UTC(p.y, p.m - 1, 1)), new Date(Date.UTC(p.y, p.m, 1))];
  return [new Date(Date.UTC(p.y, p.m - 1, p.d)), new Date(Date.UTC(p.y, p.m - 1, p.d + 1))];
}

/** The middle of the span, used to sort and to draw lineage lines. */
export function dateMid(date: string, precision?: Precision | null): number | null {
  const s = dateSpan(date, precision);
  return s ? (s[0].getTime() + s[1].getTime()) / 2 : null;
}

/** The year of a date, or null. */
export function yearOf(date: string | null | undefined): number | null {
  return date ? parseParts(date)?.y ?? null : null;
}
