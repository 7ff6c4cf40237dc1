// A small 5-field cron matcher in UTC for maintenance windows. Written here rather than taken
// from node-cron because cores must not import schedulers, and matching needs no timers.

/** A parsed cron expression: the allowed values of each field. */
export interface CronSchedule {
  minutes: ReadonlySet<number>;
  hours: ReadonlySet<number>;
  daysOfMonth: ReadonlySet<number>;
  months: ReadonlySet<number>;
  daysOfWeek: ReadonlySet<number>;
  /** Vixie cron: when both day fields are restricted, a day matching either one matches. */
  domRestricted: boolean;
  dowRestricted: boolean;
}

/** Parse outcome as a value: a bad expression in config is a diagnostic, not a crash. */
export type CronParse = { ok: true; schedule: CronSchedule } | { ok: false; error: string };

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

function parseValue(text: string, min: number, names: readonly string[] | null): number {
  const lower = text.toLowerCase();
  const named = names ? names.indexOf(lower) : -1;
  if (named >= 0) return named + min;
  if (!/^\d+$/.test(text)) return NaN;
  return Number(text);
}

function parseField(field: string, min: number, max: number, names: readonly string[] | null): Set<number> | string {
  const values = new Set<number>();
  for (const part of field.split(',')) {
    const [range, stepText, extra] = part.split('/');
    if (range === undefined || extra !== undefined) return `bad part "${part}"`;
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) return `bad step in "${part}"`;
    let lo: number;
    let hi: number;
    if (range === '*') {
      lo = min;
      hi = max;
    } else {
      const [a, b, more] = range.split('-');
      if (a === undefined || more !== undefined) return `bad range "${range}"`;
      lo = parseValue(a, min, names);
      // `5/15` means from 5 to the end, as in Vixie cron.
      hi = b === undefined ? (stepText === undefined ? lo : max) : parseValue(b, min, names);
    }
    if (!Number.isInteger(lo) || !Number.isInteger(hi) || lo < min || hi > max || lo > hi) return `"${part}" is outside ${min}-${max}`;
    for (let v = lo; v <= hi; v += step) values.add(v);
  }
  return values;
}

/** Parses `minute hour day-of-month month day-of-week` (names like MON and JAN allowed, 7 = Sunday). */
export function parseCron(expression: string): CronParse {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5) return { ok: false, error: `cron needs 5 fields, got ${fields.length}` };
  const [m, h, dom, mon, dow] = fields as [string, string, string, string, string];
  const specs: [string, string, number, number, readonly string[] | null][] = [
    ['minute', m, 0, 59, null], ['hour', h, 0, 23, null], ['day of month', dom, 1, 31, null],
    ['month', mon, 1, 12, MONTHS], ['day of week', dow, 0, 7, DAYS],
  ];
  const sets: Set<number>[] = [];
  for (const [name, text, min, max, names] of specs) {
    const parsed = parseField(text, min, max, names);
    if (typeof parsed === 'string') return { ok: false, error: `${name}: ${parsed}` };
    sets.push(parsed);
  }
  const [minutes, hours, daysOfMonth, months, daysOfWeek] = sets as [Set<number>, Set<number>, Set<number>, Set<number>, Set<number>];
  if (daysOfWeek.delete(7)) daysOfWeek.add(0);
  return {
    ok: true,
    schedule: {
      minutes, hours, daysOfMonth, months, daysOfWeek,
      domRestricted: dom !== '*' && !dom.startsWith('*/'), dowRestricted: dow !== '*' && !dow.startsWith('*/'),
    },
  };
}

/** Whether the schedule fires in the UTC minute containing `ms`. */
export function cronMatches(schedule: CronSchedule, ms: number): boolean {
  const d = new Date(ms);
  if (!schedule.minutes.has(d.getUTCMinutes()) || !schedule.hours.has(d.getUTCHours()) || !schedule.months.has(d.getUTCMonth() + 1)) return false;
  const domOk = schedule.daysOfMonth.has(d.getUTCDate());
  const dowOk = schedule.daysOfWeek.has(d.getUTCDay());
  if (schedule.domRestricted && schedule.dowRestricted) return domOk || dowOk;
  return domOk && dowOk;
}
