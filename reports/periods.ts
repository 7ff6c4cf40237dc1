// Calendar arithmetic in a named time zone with nothing but Intl: SLO windows (rolling days or
// the calendar month), report periods and the days of the daily-availability chart. A local day
// is whatever the zone says it is, so a DST day lasts 23 or 25 hours.

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/** A half-open time range [fromMs, toMs), epoch ms. */
export interface Interval {
  fromMs: number;
  toMs: number;
}

/** A wall-clock date and time in some zone; month is 1-12. */
export interface LocalTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Whether Intl knows the zone (`Europe/Berlin`, `UTC` …). */
export function isTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The wall clock of `ms` in the zone. */
export function localTime(ms: number, timeZone: string): LocalTime & { second: number } {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(ms))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return { year: parts.year ?? 0, month: parts.month ?? 1, day: parts.day ?? 1, hour: parts.hour ?? 0, minute: parts.minute ?? 0, second: parts.second ?? 0 };
}

/** Zone offset at `ms` in ms (local − UTC), to the second. */
function offsetAt(ms: number, timeZone: string): number {
  const t = localTime(ms, timeZone);
  const asUtc = Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second);
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/**
 * The instant a wall-clock time happens in the zone. Month and day may overflow (month 13 is
 * next January). A time skipped by a DST jump maps to the instant after the jump; a repeated
 * one to its first occurrence.
 */
export function zonedToEpoch(t: LocalTime, timeZone: string): number {
  const wall = Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute);
  // Two rounds settle the offset; a third candidate covers the hour a jump removes or repeats.
  const first = wall - offsetAt(wall, timeZone);
  const second = wall - offsetAt(first, timeZone);
  const earlier = wall - offsetAt(second - 3_600_000 * 3, timeZone);
  const candidates = [first, second, earlier].filter((c) => c + offsetAt(c, timeZone) === wall).sort((a, b) => a - b);
  return candidates[0] ?? Math.max(first, second);
}

/** Local midnight starting the day that contains `ms`. */
export function startOfDay(ms: number, timeZone: string): number {
  const t = localTime(ms, timeZone);
  return zonedToEpoch({ year: t.year, month: t.month, day: t.day, hour: 0, minute: 0 }, timeZone);
}

/** Local midnight `days` calendar days after the local day of `ms` (negative goes back). */
export function addDays(ms: number, days: number, timeZone: string): number {
  const t = localTime(ms, timeZone);
  return zonedToEpoch({ year: t.year, month: t.month, day: t.day + days, hour: 0, minute: 0 }, timeZone);
}

/** The calendar month containing `ms`, shifted by `offset` months, as [first midnight, next first midnight). */
export function calendarMonth(ms: number, timeZone: string, offset = 0): Interval {
  const t = localTime(ms, timeZone);
  return {
    fromMs: zonedToEpoch({ year: t.year, month: t.month + offset, day: 1, hour: 0, minute: 0 }, timeZone),
    toMs: zonedToEpoch({ year: t.year, month: t.month + offset + 1, day: 1, hour: 0, minute: 0 }, timeZone),
  };
}

/** The ISO week (Monday to Monday) containing `ms`, shifted by `offset` weeks. */
export function calendarWeek(ms: number, timeZone: string, offset = 0): Interval {
  const t = localTime(ms, timeZone);
  const weekday = new Date(Date.UTC(t.year, t.month - 1, t.day)).getUTCDay();
  const back = (weekday + 6) % 7;
  const monday = t.day - back + offset * 7;
  return {
    fromMs: zonedToEpoch({ year: t.year, month: t.month, day: monday, hour: 0, minute: 0 }, timeZone),
    toMs: zonedToEpoch({ year: t.year, month: t.month, day: monday + 7, hour: 0, minute: 0 }, timeZone),
  };
}

/** Local midnights from the day containing `fromMs` up to `toMs`, clipped: the bins of a daily chart. */
export function dayBoundaries(range: Interval, timeZone: string): number[] {
  const bounds = [range.fromMs];
  let next = addDays(range.fromMs, 1, timeZone);
  // A guard against a zone whose days never advance (cannot happen, but a loop must end).
  while (next < range.toMs && bounds.length < 4000) {
    if (next > (bounds[bounds.length - 1] ?? -Infinity)) bounds.push(next);
    next = addDays(next + 1, 1, timeZone);
  }
  bounds.push(range.toMs);
  return bounds;
}

/**
 * Boundaries every `stepMs` on the epoch grid (whole hours, 6-hour marks, UTC days), plus the
 * range's own ends: the first and last bins may be shorter. Grid-aligned bins keep whole hours
 * whole, so the hour rollups can serve them.
 */
export function stepBoundaries(range: Interval, stepMs: number): number[] {
  const bounds = [range.fromMs];
  for (let t = Math.floor(range.fromMs / stepMs) * stepMs + stepMs; t < range.toMs; t += stepMs) bounds.push(t);
  bounds.push(range.toMs);
  return bounds;
}

export function ceilToMinute(ms: number): number {
  return Math.ceil(ms / MINUTE_MS) * MINUTE_MS;
}

/** Rolling window lengths an SLO may have. */
export const ROLLING_DAYS: Readonly<Record<string, number>> = { '7d': 7, '28d': 28, '30d': 30 };

/**
 * The SLO window at `nowMs`: rolling windows end at the end of the current minute and reach back
 * whole 24-hour days; a calendar month starts at local midnight on the 1st in the SLO's zone.
 */
export function sloWindow(window: string, timeZone: string, nowMs: number): Interval {
  const toMs = ceilToMinute(nowMs + 1);
  const days = ROLLING_DAYS[window];
  if (days !== undefined) return { fromMs: toMs - days * DAY_MS, toMs };
  return { fromMs: calendarMonth(nowMs, timeZone).fromMs, toMs };
}

/** Report periods a schedule may ask for. */
export type ReportPeriod = 'previous-week' | 'previous-month' | 'last-30-days';

/** The period a report fired at `nowMs` covers, in the schedule's zone. */
export function reportPeriod(period: ReportPeriod, timeZone: string, nowMs: number): Interval {
  switch (period) {
    case 'previous-week': return calendarWeek(nowMs, timeZone, -1);
    case 'previous-month': return calendarMonth(nowMs, timeZone, -1);
    case 'last-30-days': {
      const today = startOfDay(nowMs, timeZone);
      return { fromMs: addDays(today, -30, timeZone), toMs: today };
    }
  }
}
