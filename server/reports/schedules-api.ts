// The verbs of /report-schedules: cron expressions are checked by node-cron's own validator as
// well as the scheduler's parser, so what is accepted is what fires.
import cron from 'node-cron';
import type { ControlStore } from '../../store/index.ts';
import {
  deliveryIdPrefix, fromScheduleDocument, scheduleDocument, SCHEDULE_KIND, validateSchedule, type StoredSchedule,
} from '../../reports/index.ts';
import { nextFireAfter } from '../../reports/index.ts';
import { describeDiagnostics } from '../../reports/index.ts';
import type { MailMessage } from '../../alerts/notify/mail-message.ts';
import { ReportsError } from './errors.ts';

const iso = (ms: number) => new Date(ms).toISOString();

/** node-cron's own validator: what the scheduler library accepts. */
export const cronValid = (expression: string): boolean => cron.validate(expression);

function ownedByCode(id: string): ReportsError {
  return new ReportsError('TELLTALE_ERR_SCHEDULE_OWNED_BY_CODE', `report schedule "${id}" is defined in the config file (reportSchedules:): change it there`);
}

function validated(input: unknown) {
  const v = validateSchedule(input, cronValid);
  if (!v.ok) throw new ReportsError('TELLTALE_ERR_SCHEDULE_INVALID', `the schedule is invalid: ${describeDiagnostics(v.diagnostics)}`, v.diagnostics);
  return v.schedule;
}

export function scheduleView(s: StoredSchedule, nowMs: number) {
  const next = s.schedule.enabled ? nextFireAfter(s.schedule.cron, s.schedule.timeZone, nowMs) : Infinity;
  return {
    schedule: s.schedule, origin: s.origin, readOnly: s.origin === 'code',
    createdAt: iso(s.createdAtMs), updatedAt: iso(s.updatedAtMs), nextRunAt: Number.isFinite(next) ? iso(next) : null,
  };
}

export async function listSchedules(control: ControlStore): Promise<StoredSchedule[]> {
  return (await control.documents(SCHEDULE_KIND)).map(fromScheduleDocument).sort((a, b) => a.schedule.id.localeCompare(b.schedule.id));
}

export async function storedSchedule(control: ControlStore, id: string): Promise<StoredSchedule> {
  const doc = await control.document(SCHEDULE_KIND, id);
  if (!doc) throw new ReportsError('TELLTALE_ERR_SCHEDULE_NOT_FOUND', `no report schedule "${id}"`);
  return fromScheduleDocument(doc);
}

export async function createSchedule(control: ControlStore, nowMs: number, input: unknown): Promise<StoredSchedule> {
  const schedule = validated(input);
  const existing = await control.document(SCHEDULE_KIND, schedule.id);
  if (existing) {
    if (fromScheduleDocument(existing).origin === 'code') throw ownedByCode(schedule.id);
    throw new ReportsError('TELLTALE_ERR_SCHEDULE_EXISTS', `report schedule "${schedule.id}" exists: PUT /report-schedules/${schedule.id} replaces it`);
  }
  const stored: StoredSchedule = { schedule, origin: 'api', createdAtMs: nowMs, updatedAtMs: nowMs };
  await control.commit({ put: [scheduleDocument(stored)] });
  return stored;
}

export async function replaceSchedule(control: ControlStore, nowMs: number, id: string, input: unknown): Promise<{ stored: StoredSchedule; created: boolean }> {
  const body = typeof input === 'object' && input !== null && !Array.isArray(input) ? { id, ...(input as Record<string, unknown>) } : input;
  const schedule = validated(body);
  if (schedule.id !== id) throw new ReportsError('TELLTALE_ERR_SCHEDULE_INVALID', `the body's id "${schedule.id}" is not the path's "${id}"`, [{ path: '/id', message: `must be "${id}"` }]);
  const doc = await control.document(SCHEDULE_KIND, id);
  const existing = doc ? fromScheduleDocument(doc) : null;
  if (existing?.origin === 'code') throw ownedByCode(id);
  const stored: StoredSchedule = { schedule, origin: 'api', createdAtMs: existing?.createdAtMs ?? nowMs, updatedAtMs: nowMs };
  await control.commit({ put: [scheduleDocument(stored)] });
  return { stored, created: existing === null };
}

export async function deleteSchedule(control: ControlStore, id: string): Promise<void> {
  if ((await storedSchedule(control, id)).origin === 'code') throw ownedByCode(id);
  await control.commit({ delete: [{ kind: SCHEDULE_KIND, id }, { kind: 'report-schedule-state', id }] });
}

/** The outbox messages a schedule produced, newest first. */
export async function deliveries(control: ControlStore, id: string) {
  const prefix = deliveryIdPrefix(id);
  const messages = await control.messages({ channel: 'email', limit: 10_000 });
  return messages.filter((m) => m.id.startsWith(prefix)).map((m) => {
    const mail = m.body as Partial<MailMessage>;
    return {
      id: m.id, status: m.status, attempts: m.attempts, createdAt: iso(m.createdAtMs), settledAt: m.settledAtMs === null ? null : iso(m.settledAtMs),
      lastError: m.lastError, subject: mail.subject ?? '', to: mail.to ?? [],
    };
  });
}
