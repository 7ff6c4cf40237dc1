// Report schedules: when (a five-field cron in a time zone), what (scope and period) and to whom.
// Stored as ControlStore documents of kind `report-schedule`.
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { parseCron } from '../alerts/cron.ts';
import { isValidMailAddress } from '../alerts/notify/bodies.ts';
import { isTimeZone, type ReportPeriod } from './periods.ts';
import { parseScope } from './sla-report.ts';
import type { Diagnostic } from './slo-schema.ts';

export const SCHEDULE_KIND = 'report-schedule';
export const REPORT_PERIODS: readonly ReportPeriod[] = ['previous-week', 'previous-month', 'last-30-days'];

export const ReportScheduleSchema = Type.Object({
  id: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,63}$', description: 'lower-case letters, digits and dashes' }),
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  cron: Type.String({ minLength: 1, maxLength: 100, description: 'Five-field cron (minute hour day-of-month month day-of-week) in `timeZone`, e.g. `0 8 * * 1`' }),
  timeZone: Type.Optional(Type.String({ minLength: 1, maxLength: 64, default: 'UTC' })),
  recipients: Type.Array(Type.String({ pattern: '^[^\\s@<>,;"]+@[^\\s@<>,;"]+$', maxLength: 254 }), { minItems: 1, maxItems: 50 }),
  scope: Type.Optional(Type.String({ default: 'all', description: '`all`, `tag:<tag>` or `service:<name>`' })),
  period: Type.Union([Type.Literal('previous-week'), Type.Literal('previous-month'), Type.Literal('last-30-days')]),
  enabled: Type.Optional(Type.Boolean({ default: true })),
}, { additionalProperties: false });

export type ReportScheduleInput = Static<typeof ReportScheduleSchema>;

/** A validated schedule with its defaults filled in. */
export interface ReportSchedule extends ReportScheduleInput {
  timeZone: string;
  scope: string;
  enabled: boolean;
}

/** A schedule as stored: `code` ones come from the config file and are read-only through the API. */
export interface StoredSchedule {
  schedule: ReportSchedule;
  origin: 'code' | 'api';
  createdAtMs: number;
  updatedAtMs: number;
}

export type ScheduleValidation = { ok: true; schedule: ReportSchedule } | { ok: false; diagnostics: Diagnostic[] };

/**
 * Every problem with a schedule. `cronValid` is the scheduler library's own validator (node-cron's
 * `validate`, passed in by the server) so an expression is accepted only when both agree.
 */
export function validateSchedule(input: unknown, cronValid: (expression: string) => boolean = () => true): ScheduleValidation {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return { ok: false, diagnostics: [{ path: '', message: 'a schedule must be an object' }] };
  const diagnostics: Diagnostic[] = [...Value.Errors(ReportScheduleSchema, input)].map((e) => ({ path: e.path, message: e.message }));
  const raw = input as Record<string, unknown>;
  if (typeof raw.cron === 'string') {
    const parsed = parseCron(raw.cron);
    if (!parsed.ok) diagnostics.push({ path: '/cron', message: parsed.error });
    else if (!cronValid(raw.cron)) diagnostics.push({ path: '/cron', message: 'not a valid cron expression' });
  }
  if (Array.isArray(raw.recipients)) {
    // The mail pipeline's own check: an address accepted here is one it will send to.
    raw.recipients.forEach((r: unknown, i) => {
      if (typeof r === 'string' && !isValidMailAddress(r) && !diagnostics.some((d) => d.path === `/recipients/${i}`)) diagnostics.push({ path: `/recipients/${i}`, message: 'not a mail address' });
    });
  }
  if (typeof raw.timeZone === 'string' && !isTimeZone(raw.timeZone)) diagnostics.push({ path: '/timeZone', message: `unknown time zone "${raw.timeZone}"` });
  if (typeof raw.scope === 'string' && parseScope(raw.scope) === null) diagnostics.push({ path: '/scope', message: 'must be all, tag:<tag> or service:<name>' });
  if (diagnostics.length > 0) return { ok: false, diagnostics };
  const value = input as ReportScheduleInput;
  return { ok: true, schedule: { ...value, timeZone: value.timeZone ?? 'UTC', scope: value.scope ?? 'all', enabled: value.enabled ?? true } };
}

export function scheduleDocument(stored: StoredSchedule) {
  return { kind: SCHEDULE_KIND, id: stored.schedule.id, body: { schedule: stored.schedule, origin: stored.origin, createdAtMs: stored.createdAtMs }, updatedAtMs: stored.updatedAtMs };
}

export function fromScheduleDocument(doc: { body: unknown; updatedAtMs: number }): StoredSchedule {
  const body = doc.body as { schedule: ReportSchedule; origin?: 'code' | 'api'; createdAtMs: number };
  return { schedule: body.schedule, origin: body.origin ?? 'api', createdAtMs: body.createdAtMs, updatedAtMs: doc.updatedAtMs };
}

/** Outbox message ids of a schedule start with this. */
export function deliveryIdPrefix(scheduleId: string): string {
  return `report:${scheduleId}:`;
}
