// Scheduled SLA reports. One timer for all schedules; at each due time the report for the
// schedule's period is rendered (HTML body, CSV attachment) and enqueued as ONE outbox message of
// channel `email`, whose id is derived from the schedule and the period: a restart, a double fire
// or a DST-repeated hour never sends a period twice. The delivery loop (alerts' mail pipeline)
// sends and retries it. The clock and timers are injected, so tests advance time instead of waiting.
//
// Rules, each for a reason:
// - The state document (`report-schedule-state`) records the last fire, so a fire missed while
//   the process was down happens once at start (if within CATCH_UP_MS), not never.
// - The timer never sleeps longer than MAX_SLEEP_MS: schedules changed through the API and wall
//   clock jumps are picked up within a minute without any notification plumbing.
import type { MailMessage } from '../alerts/notify/mail-message.ts';
import type { ControlStore, OutboxMessage } from '../store/control.ts';
import type { Store } from '../store/store.ts';
import { reportPeriod, localTime, type Interval } from './periods.ts';
import { renderCsv } from './render-csv.ts';
import { renderHtml } from './render-html.ts';
import { deliveryIdPrefix, fromScheduleDocument, SCHEDULE_KIND, type ReportSchedule } from './schedule-schema.ts';
import { nextFireAfter } from './schedule-time.ts';
import { buildSlaReport, parseScope, scopeText, type SlaReport } from './sla-report.ts';

export const SCHEDULE_STATE_KIND = 'report-schedule-state';
export const MAX_SLEEP_MS = 60_000;
/** How far back a fire missed while stopped is still sent at start. */
export const CATCH_UP_MS = 24 * 3_600_000;

export interface ReportTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const NODE_TIMERS: ReportTimers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms).unref(),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface ReportSchedulesOptions {
  store: Store;
  control: ControlStore;
  now: () => number;
  timers?: ReportTimers;
  /** Base of links in the emails. */
  publicUrl: string;
  /** Called once per newly enqueued report message. */
  onEnqueued?: (message: OutboxMessage) => void;
  /** A schedule whose report failed to build; the next wake-up tries again. */
  onError?: (scheduleId: string, error: unknown) => void;
}

export interface ReportSchedules {
  /** Runs every due schedule now (the timer calls this; tests may too). */
  tick(): Promise<void>;
  close(): Promise<void>;
}

const pad = (n: number) => String(n).padStart(2, '0');
function localDay(ms: number, timeZone: string): string {
  const t = localTime(ms, timeZone);
  return `${t.year}-${pad(t.month)}-${pad(t.day)}`;
}

/** The outbox id of a schedule's report for a period. */
export function deliveryId(scheduleId: string, period: Interval): string {
  return `${deliveryIdPrefix(scheduleId)}${new Date(period.fromMs).toISOString()}/${new Date(period.toMs).toISOString()}`;
}

/** The email of a report: HTML body, plain-text summary, CSV attached. */
export function reportMail(schedule: ReportSchedule, report: SlaReport): MailMessage {
  const tz = report.timeZone;
  const first = localDay(report.period.fromMs, tz);
  const last = localDay(report.period.toMs - 1, tz);
  const met = report.slos.filter((s) => s.met === true).length;
  const breached = report.slos.filter((s) => s.met === false);
  const title = schedule.name ?? 'SLA report';
  const subject = `${title} ${first} – ${last}: ${met} of ${report.slos.length} SLOs met`.replace(/[\r\n]+/g, ' ');
  const lines = [
    `${title}, ${first} to ${last} (${tz}), scope ${scopeText(report.scope)}.`,
    `${met} of ${report.slos.length} SLOs met${breached.length > 0 ? `; breached: ${breached.map((s) => s.name).join(', ')}` : ''}.`,
    '',
    ...report.slos.map((s) => `- ${s.name}: ${s.attained === null ? 'no data' : `${Number(s.attained.toFixed(3))}%`} (target ${s.target}%)`),
    '',
    `${report.incidents.length} incident(s). The full report is the HTML part of this email; the numbers are attached as CSV.`,
  ];
  return {
    to: [...schedule.recipients], subject, text: lines.join('\n'), html: renderHtml(report),
    attachments: [{ filename: `sla-report-${first}-to-${last}.csv`, contentType: 'text/csv; charset=utf-8', content: renderCsv(report) }],
  };
}

/**
 * Renders and enqueues the report of one fire; null when this period's message already exists.
 * The message and the schedule's state are committed together.
 */
export async function fireSchedule(opts: ReportSchedulesOptions, schedule: ReportSchedule, firedAtMs: number): Promise<OutboxMessage | null> {
  const period = reportPeriod(schedule.period, schedule.timeZone, firedAtMs);
  const id = deliveryId(schedule.id, period);
  const state = { kind: SCHEDULE_STATE_KIND, id: schedule.id, body: { lastFiredAtMs: firedAtMs }, updatedAtMs: opts.now() };
  if (await opts.control.message(id)) {
    await opts.control.commit({ put: [state] });
    return null;
  }
  const scope = parseScope(schedule.scope) ?? { kind: 'all' };
  const report = await buildSlaReport({ store: opts.store, control: opts.control, period, scope, timeZone: schedule.timeZone, nowMs: opts.now(), publicUrl: opts.publicUrl });
  const nowMs = opts.now();
  const message: OutboxMessage = {
    id, channel: 'email', body: reportMail(schedule, report), createdAtMs: nowMs,
    status: 'pending', attempts: 0, nextAttemptAtMs: nowMs, lastError: null, settledAtMs: null,
  };
  await opts.control.commit({ enqueue: [message], put: [state] });
  return message;
}

interface Planned {
  key: string;
  schedule: ReportSchedule;
  nextAtMs: number;
  /** The fire time a failed attempt is retried for: its period stays the one it was due for. */
  retryOfMs?: number;
}

/** Wait before retrying a report that failed to build (the store was unreachable …). */
export const RETRY_MS = 60_000;

/** Starts the report scheduler; `close()` stops it and waits for a fire in progress. */
export function startReportSchedules(opts: ReportSchedulesOptions): ReportSchedules {
  const timers = opts.timers ?? NODE_TIMERS;
  const planned = new Map<string, Planned>();
  let timer: unknown = null;
  let closed = false;
  let running: Promise<void> | null = null;
  let lastWakeMs = opts.now();

  async function plan(nowMs: number): Promise<void> {
    const docs = await opts.control.documents(SCHEDULE_KIND);
    const states = new Map((await opts.control.documents(SCHEDULE_STATE_KIND)).map((d) => [d.id, (d.body as { lastFiredAtMs?: number }).lastFiredAtMs]));
    const seen = new Set<string>();
    const clockWentBack = nowMs < lastWakeMs - 1000;
    for (const doc of docs) {
      const { schedule, createdAtMs } = fromScheduleDocument(doc);
      if (!schedule.enabled) continue;
      seen.add(schedule.id);
      const key = JSON.stringify([schedule.cron, schedule.timeZone]);
      const existing = planned.get(schedule.id);
      if (existing && existing.key === key && !clockWentBack) {
        existing.schedule = schedule;
        continue;
      }
      // From the last fire (or the schedule's creation), but not further back than the catch-up horizon.
      const after = Math.max(states.get(schedule.id) ?? createdAtMs, nowMs - CATCH_UP_MS);
      planned.set(schedule.id, { key, schedule, nextAtMs: nextFireAfter(schedule.cron, schedule.timeZone, Math.min(after, nowMs)) });
    }
    for (const id of [...planned.keys()]) if (!seen.has(id)) planned.delete(id);
  }

  async function runDue(): Promise<void> {
    const nowMs = opts.now();
    await plan(nowMs);
    lastWakeMs = nowMs;
    for (const p of planned.values()) {
      if (closed || p.nextAtMs > nowMs) continue;
      const firedAtMs = p.retryOfMs ?? p.nextAtMs;
      try {
        const message = await fireSchedule(opts, p.schedule, firedAtMs);
        if (message) opts.onEnqueued?.(message);
        // Missed fires collapse into this one: the next is the first after now.
        p.nextAtMs = nextFireAfter(p.schedule.cron, p.schedule.timeZone, nowMs);
        p.retryOfMs = undefined;
      } catch (err) {
        opts.onError?.(p.schedule.id, err);
        p.retryOfMs = firedAtMs;
        p.nextAtMs = nowMs + RETRY_MS;
      }
    }
  }

  function arm(): void {
    if (closed) return;
    const nowMs = opts.now();
    const next = Math.min(...[...planned.values()].map((p) => p.nextAtMs));
    const delay = Math.min(MAX_SLEEP_MS, Math.max(0, next - nowMs));
    timer = timers.setTimeout(wake, delay);
  }

  function tick(): Promise<void> {
    if (running) return running;
    running = runDue().finally(() => {
      running = null;
    });
    return running;
  }

  function wake(): void {
    timer = null;
    if (closed) return;
    void tick().catch((err: unknown) => opts.onError?.('*', err)).finally(arm);
  }

  // First wake-up right away: it loads the schedules and catches up a missed fire.
  timer = timers.setTimeout(wake, 0);
  return {
    tick,
    async close() {
      closed = true;
      if (timer !== null) timers.clearTimeout(timer);
      timer = null;
      if (running) await running;
    },
  };
}
