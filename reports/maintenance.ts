// Maintenance windows of an SLO as intervals: the same MaintenanceWindow (UTC cron + duration)
// alerts use to mute notifications, so "in maintenance" means one thing everywhere.
import { cronMatches, parseCron } from '../alerts/cron.ts';
import { MAX_WINDOW_MS, type MaintenanceWindow } from '../alerts/silences.ts';
import type { Interval } from './periods.ts';

const MINUTE_MS = 60_000;

/**
 * Every opening of the windows that overlaps the range, as [opening minute, opening + duration):
 * exactly the instants alerts' inMaintenance answers true for. Unparseable crons open nothing.
 */
export function maintenanceIntervals(windows: readonly MaintenanceWindow[], range: Interval): Interval[] {
  const out: Interval[] = [];
  for (const w of windows) {
    const parsed = parseCron(w.cron);
    if (!parsed.ok) continue;
    const durationMs = Math.min(w.durationMs, MAX_WINDOW_MS);
    // An opening up to one duration before the range still covers its start.
    const first = Math.floor((range.fromMs - durationMs) / MINUTE_MS) * MINUTE_MS + MINUTE_MS;
    for (let t = first; t < range.toMs; t += MINUTE_MS) {
      if (t + durationMs > range.fromMs && cronMatches(parsed.schedule, t)) out.push({ fromMs: t, toMs: t + durationMs });
    }
  }
  return out.sort((a, b) => a.fromMs - b.fromMs);
}
