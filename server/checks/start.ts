// Starting checks in a running Telltale: load and sync checks as code (a bad file stops start
// with every problem), schedule every enabled stored check, follow API changes, reload the
// files when they change, and report runs and start drift on /metrics.
import { Counter, Histogram, type Registry } from 'prom-client';
import { CheckScheduler, formatDiagnostic, type Check, type SchedulerTimers } from '../../synthetic/index.ts';
import type { ChecksContext, CheckChange } from './context.ts';
import { CodeChecksError, loadCodeChecks, syncCodeChecks, type CodeCheckSources } from './code-checks.ts';
import { runAndRecord } from './run.ts';
import { watchCodeChecks, type CheckLog, type CodeChecksWatcher } from './watch.ts';

export interface StartChecksOptions {
  /** Checks as code; without it only stored checks run (tests, embedded use). */
  sources?: CodeCheckSources;
  log: CheckLog;
  /** Scheduler clock and timers; the defaults are Date.now and Node's timers. */
  now?: () => number;
  timers?: SchedulerTimers;
  reloadIntervalMs?: number;
}

export interface RunningChecks {
  scheduler: CheckScheduler;
  watcher: CodeChecksWatcher | null;
  /** Stops scheduling and reloading, and waits for runs in flight (their results still reach ingest). */
  close(): Promise<void>;
}

// One set per registry: a registry refuses a second metric of the same name.
function checkMetrics(registry: Registry) {
  const drift = registry.getSingleMetric('telltale_check_start_drift_seconds') as Histogram | undefined
    ?? new Histogram({
      name: 'telltale_check_start_drift_seconds', help: 'How late check runs start against their planned time.',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 60], registers: [registry],
    });
  const runs = registry.getSingleMetric('telltale_check_runs_total') as Counter<'outcome'> | undefined
    ?? new Counter({ name: 'telltale_check_runs_total', help: 'Scheduled check runs by outcome: ok, failed, or skipped (the previous run was still going).', labelNames: ['outcome'], registers: [registry] });
  return { drift, runs };
}

export async function startChecks(runtime: { checks: ChecksContext; metrics: { registry: Registry } }, options: StartChecksOptions): Promise<RunningChecks> {
  const ctx = runtime.checks;
  const { log, sources } = options;
  if (sources) {
    const loaded = await loadCodeChecks(ctx, sources);
    if (!loaded.ok) throw new CodeChecksError(loaded.diagnostics, formatDiagnostic);
    const summary = await syncCodeChecks(ctx, loaded.checks);
    if (summary.diagnostics.length > 0) throw new CodeChecksError(summary.diagnostics, formatDiagnostic);
    log.info({ checks: loaded.checks.length, created: summary.created, changed: summary.changed, deleted: summary.deleted }, 'checks as code loaded');
  }

  const metrics = checkMetrics(runtime.metrics.registry);
  const scheduler = new CheckScheduler({
    now: options.now ?? Date.now,
    ...(options.timers ? { timers: options.timers } : {}),
    run: async (check) => {
      const result = await runAndRecord(ctx, check);
      metrics.runs.inc({ outcome: result.ok ? 'ok' : 'failed' });
    },
    onStart: (start) => metrics.drift.observe(start.driftMs / 1000),
    onSkip: (checkId) => {
      metrics.runs.inc({ outcome: 'skipped' });
      log.warn({ checkId }, 'check run skipped: the previous run is still going');
    },
    onError: (checkId, err) => log.error({ checkId, err }, 'check run could not be recorded'),
  });
  const follow = (change: CheckChange) => {
    if (change.kind === 'put') scheduler.upsert(change.check);
    else scheduler.remove(change.id);
  };
  ctx.listeners.add(follow);
  scheduler.replaceAll((await ctx.store.listChecks()).map((r) => r.definition as Check));
  log.info({ scheduled: scheduler.size }, 'checks scheduled');

  const watcher = sources ? await watchCodeChecks(ctx, sources, log, options.reloadIntervalMs) : null;
  return {
    scheduler,
    watcher,
    async close() {
      await watcher?.close();
      ctx.listeners.delete(follow);
      await scheduler.close();
    },
  };
}
