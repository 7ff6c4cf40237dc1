// When a check runs: `30s`/`1m`/`5m`/`1h` intervals or cron expressions (UTC), each check shifted
// by a stable offset derived from its id so a thousand `1m` checks spread over the minute instead
// of firing together. Times are on a fixed grid, so a scheduler that asks "next after now" after
// a pause or clock jump gets one next slot, never a backlog.
import { createHash } from 'node:crypto';
// node-cron's parser only: the expression language the scheduler uses is the one validated here.
import { validateDetailed, type ParsedFields } from 'node-cron';

export type Schedule =
  | { kind: 'interval'; everyMs: number; text: string }
  | { kind: 'cron'; expression: string; fields: ParsedFields; hasSeconds: boolean; text: string };

export const SCHEDULE_LIMITS = { minIntervalMs: 10_000, maxIntervalMs: 24 * 3_600_000 } as const;

const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000 } as const;
const DAY_MS = 86_400_000;
/** Long enough for the rarest matches node-cron accepts (Feb 29 on a given weekday recurs every 28 years). */
const SEARCH_DAYS = 366 * 29;

/** Parses a schedule, or says what is wrong with it. */
export function parseSchedule(text: string): { ok: true; schedule: Schedule } | { ok: false; error: string } {
  const trimmed = text.trim();
  const interval = /^(\d{1,6})(s|m|h)$/.exec(trimmed);
  if (interval) {
    const everyMs = Number(interval[1]) * UNIT_MS[interval[2] as keyof typeof UNIT_MS];
    if (everyMs < SCHEDULE_LIMITS.minIntervalMs || everyMs > SCHEDULE_LIMITS.maxIntervalMs) {
      return { ok: false, error: `interval must be between 10s and 24h, got ${trimmed}` };
    }
    return { ok: true, schedule: { kind: 'interval', everyMs, text: trimmed } };
  }
  const parsed = validateDetailed(trimmed);
  if (!parsed.valid || !parsed.fields) {
    const why = parsed.errors.map((e) => e.message).join('; ');
    return { ok: false, error: `not an interval (30s, 1m, 5m, 1h …) or a cron expression: ${why}` };
  }
  const hasSeconds = !trimmed.startsWith('@') && trimmed.split(/\s+/).length === 6;
  const seconds = parsed.fields.second;
  if (hasSeconds && seconds.length > 1) {
    const gaps = seconds.map((s, i) => ((seconds[(i + 1) % seconds.length] ?? s) - s + 60) % 60 || 60);
    if (Math.min(...gaps) * 1000 < SCHEDULE_LIMITS.minIntervalMs) return { ok: false, error: 'a cron schedule may not fire more often than every 10s' };
  }
  const schedule: Schedule = { kind: 'cron', expression: trimmed, fields: parsed.fields, hasSeconds, text: trimmed };
  if (!Number.isFinite(nextCronAfter(schedule.fields, 0))) return { ok: false, error: 'this cron expression never fires' };
  return { ok: true, schedule };
}

/** A number in [0, 1) from the check id: the first 32 bits of its SHA-256. */
export function spreadFraction(checkId: string): number {
  return createHash('sha256').update(checkId).digest().readUInt32BE(0) / 2 ** 32;
}

/**
 * The check's offset within its period: floor(spreadFraction(id) × period), where the period is
 * the interval, or one minute for five-field cron (which only names minutes). Six-field cron
 * names exact seconds and is not shifted.
 */
export function scheduleOffsetMs(schedule: Schedule, checkId: string): number {
  if (schedule.kind === 'interval') return Math.floor(spreadFraction(checkId) * schedule.everyMs);
  return schedule.hasSeconds ? 0 : Math.floor(spreadFraction(checkId) * 60_000);
}

/** The first run strictly after `afterMs` (epoch ms); +Infinity if the schedule never fires again. */
export function nextRunAfter(schedule: Schedule, afterMs: number, checkId: string): number {
  const offset = scheduleOffsetMs(schedule, checkId);
  if (schedule.kind === 'interval') {
    const every = schedule.everyMs;
    return (Math.floor((afterMs - offset) / every) + 1) * every + offset;
  }
  return nextCronAfter(schedule.fields, afterMs - offset) + offset;
}

type Token = number | string;

function lastDayOfMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function weekdayOf(year: number, month: number, day: number): number {
  return new Date(Date.UTC(year, month - 1, day)).getUTCDay();
}

function nearestWeekday(year: number, month: number, target: number): number {
  const last = lastDayOfMonth(year, month);
  if (target < 1 || target > last) return -1;
  const weekday = weekdayOf(year, month, target);
  if (weekday === 6) return target === 1 ? target + 2 : target - 1;
  if (weekday === 0) return target === last ? target - 2 : target + 1;
  return target;
}

// Day matching mirrors node-cron 4 (its L, W, L-n, n#k and nL tokens, and day-of-month AND
// day-of-week rather than Vixie cron's OR), so this and node-cron agree on every expression.
function dayOfMonthMatches(field: readonly Token[], year: number, month: number, day: number): boolean {
  const last = lastDayOfMonth(year, month);
  return field.some((value) => {
    if (value === day) return true;
    if (typeof value !== 'string') return false;
    if (value === 'L') return day === last;
    const w = /^(\d{1,2}|L)W$/.exec(value);
    if (w?.[1]) return nearestWeekday(year, month, w[1] === 'L' ? last : Number(w[1])) === day;
    const offset = /^L-(\d{1,2})$/.exec(value);
    return offset?.[1] !== undefined && last - Number(offset[1]) === day;
  });
}

function dayOfWeekMatches(field: readonly Token[], year: number, month: number, day: number): boolean {
  const weekday = weekdayOf(year, month, day);
  return field.some((value) => {
    if (value === weekday) return true;
    if (typeof value !== 'string') return false;
    const nth = /^([0-7])#([1-5])$/.exec(value);
    if (nth) return Number(nth[1]) % 7 === weekday && Math.floor((day - 1) / 7) + 1 === Number(nth[2]);
    const lastOf = /^([0-7])L$/i.exec(value);
    return lastOf !== null && Number(lastOf[1]) % 7 === weekday && day + 7 > lastDayOfMonth(year, month);
  });
}

/** The first whole second strictly after `afterMs` that the fields match, in UTC; +Infinity if none. */
export function nextCronAfter(fields: ParsedFields, afterMs: number): number {
  const seconds = [...fields.second].sort((a, b) => a - b);
  const minutes = [...fields.minute].sort((a, b) => a - b);
  const hours = [...fields.hour].sort((a, b) => a - b);
  const start = Math.floor(afterMs / 1000) * 1000 + 1000;
  const startDay = Math.floor(start / DAY_MS) * DAY_MS;
  const startInDay = (start - startDay) / 1000;
  for (let d = 0; d < SEARCH_DAYS; d++) {
    const dayMs = startDay + d * DAY_MS;
    const date = new Date(dayMs);
    const [year, month, day] = [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()];
    if (!fields.month.includes(month)) continue;
    if (!dayOfMonthMatches(fields.dayOfMonth, year, month, day) || !dayOfWeekMatches(fields.dayOfWeek, year, month, day)) continue;
    const bound = d === 0 ? startInDay : 0;
    for (const h of hours) {
      if ((h + 1) * 3600 <= bound) continue;
      for (const m of minutes) {
        if (h * 3600 + (m + 1) * 60 <= bound) continue;
        for (const s of seconds) {
          const at = h * 3600 + m * 60 + s;
          if (at >= bound) return dayMs + at * 1000;
        }
      }
    }
  }
  return Number.POSITIVE_INFINITY;
}
