// The periods an SLA report is asked for: the time picker's window, the previous calendar week
// (Monday to Monday) or the previous calendar month, in UTC like the API's report days.
import type { TimeWindow } from '../lib/time-range.ts';

export type PeriodKey = 'window' | 'prev-week' | 'prev-month';

export const PERIODS: ReadonlyArray<{ key: PeriodKey; label: string }> = [
  { key: 'window', label: 'Time picker window' },
  { key: 'prev-week', label: 'Previous week' },
  { key: 'prev-month', label: 'Previous month' },
];

const DAY_MS = 86_400_000;

/** Monday 00:00 UTC of the week before the one holding `nowMs`, to this week's Monday. */
export function previousWeek(nowMs: number): TimeWindow {
  const d = new Date(nowMs);
  const today = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  const sinceMonday = (d.getUTCDay() + 6) % 7;
  const thisMonday = today - sinceMonday * DAY_MS;
  return { fromMs: thisMonday - 7 * DAY_MS, toMs: thisMonday };
}

/** The first of last month 00:00 UTC to the first of this month. */
export function previousMonth(nowMs: number): TimeWindow {
  const d = new Date(nowMs);
  return { fromMs: Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 1, 1), toMs: Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1) };
}

export function periodOf(key: PeriodKey, window: TimeWindow, nowMs: number): TimeWindow {
  switch (key) {
    case 'prev-week': return previousWeek(nowMs);
    case 'prev-month': return previousMonth(nowMs);
    case 'window': return { fromMs: window.fromMs, toMs: window.toMs };
  }
}

/** A file name for a downloaded report: `telltale-sla-2026-11-16_2026-11-23-all.csv`. */
export function reportFileName(period: TimeWindow, scope: string, ext: string): string {
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  const safeScope = (scope || 'all').replace(/[^a-zA-Z0-9._-]+/g, '-');
  return `telltale-sla-${day(period.fromMs)}_${day(period.toMs)}-${safeScope}.${ext}`;
}
