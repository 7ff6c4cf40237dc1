// When a report schedule fires: the five-field cron read against the wall clock of the
// schedule's zone. A local time a DST jump skips does not fire that day; one it repeats may fire
// twice, which the per-period outbox id turns into one email.
import { parseCron, type CronSchedule } from '../alerts/cron.ts';
import { localTime } from './periods.ts';

const MINUTE_MS = 60_000;
/** Longest search for the next fire: a year and a day (Feb 29 schedules fire less often, and are found within 4 years only). */
const SEARCH_MS = 4 * 366 * 86_400_000;

function matchesLocal(s: CronSchedule, ms: number, timeZone: string): 'yes' | 'no' | 'wrong-hour' {
  const t = localTime(ms, timeZone);
  if (!s.hours.has(t.hour)) return 'wrong-hour';
  if (!s.minutes.has(t.minute) || !s.months.has(t.month)) return 'no';
  const weekday = new Date(Date.UTC(t.year, t.month - 1, t.day)).getUTCDay();
  const domOk = s.daysOfMonth.has(t.day);
  const dowOk = s.daysOfWeek.has(weekday);
  // As maintenance windows read cron (Vixie): both day fields restricted means either day matches.
  if (s.domRestricted && s.dowRestricted) return domOk || dowOk ? 'yes' : 'no';
  return domOk && dowOk ? 'yes' : 'no';
}

/** The first whole minute strictly after `afterMs` at which the cron fires in the zone; +Infinity if none (or the cron is invalid). */
export function nextFireAfter(cron: string, timeZone: string, afterMs: number): number {
  const parsed = parseCron(cron);
  if (!parsed.ok) return Infinity;
  let t = Math.floor(afterMs / MINUTE_MS) * MINUTE_MS + MINUTE_MS;
  const end = afterMs + SEARCH_MS;
  while (t < end) {
    const m = matchesLocal(parsed.schedule, t, timeZone);
    if (m === 'yes') return t;
    // Every zone offset is a whole number of minutes, so a wrong local hour can be skipped to its end.
    if (m === 'wrong-hour') t += (60 - localTime(t, timeZone).minute) * MINUTE_MS;
    else t += MINUTE_MS;
  }
  return Infinity;
}
