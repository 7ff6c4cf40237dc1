// Report schedules as code: the config file's `reportSchedules:` section, synced like SLOs as
// code (code-owned schedules become exactly the file's; API ones stay unless the file takes an id).
import type { ControlStore } from '../../store/index.ts';
import { scheduleDocument, SCHEDULE_KIND, validateSchedule, type ReportSchedule, type StoredSchedule } from '../../reports/index.ts';
import { listSchedules, cronValid } from './schedules-api.ts';

/** Every problem of the `reportSchedules:` section, one per line. */
export class CodeSchedulesError extends Error {}

/** Validates `schedules` (every problem) and syncs the stored code-owned schedules to them. */
export async function loadCodeSchedules(control: ControlStore, schedules: readonly unknown[] | undefined, nowMs: number = Date.now()): Promise<{ created: string[]; changed: string[]; deleted: string[] }> {
  const problems: string[] = [];
  const valid: ReportSchedule[] = [];
  const seen = new Set<string>();
  (schedules ?? []).forEach((input, i) => {
    const v = validateSchedule(input, cronValid);
    if (!v.ok) {
      for (const d of v.diagnostics) problems.push(`reportSchedules[${i}]${d.path}: ${d.message}`);
      return;
    }
    if (seen.has(v.schedule.id)) problems.push(`reportSchedules[${i}]/id: "${v.schedule.id}" is defined twice`);
    seen.add(v.schedule.id);
    valid.push(v.schedule);
  });
  if (problems.length > 0) throw new CodeSchedulesError(`invalid report schedules in the config file:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  const stored = new Map((await listSchedules(control)).map((s) => [s.schedule.id, s]));
  const summary = { created: [] as string[], changed: [] as string[], deleted: [] as string[] };
  const put = [];
  for (const schedule of valid) {
    const previous = stored.get(schedule.id);
    if (previous?.origin === 'code' && JSON.stringify(previous.schedule) === JSON.stringify(schedule)) continue;
    const next: StoredSchedule = { schedule, origin: 'code', createdAtMs: previous?.createdAtMs ?? nowMs, updatedAtMs: nowMs };
    put.push(scheduleDocument(next));
    (previous ? summary.changed : summary.created).push(schedule.id);
  }
  const remove = [...stored.values()].filter((s) => s.origin === 'code' && !seen.has(s.schedule.id)).map((s) => ({ kind: SCHEDULE_KIND, id: s.schedule.id }));
  summary.deleted.push(...remove.map((r) => r.id));
  if (put.length > 0 || remove.length > 0) await control.commit({ put, delete: remove });
  return summary;
}
