// What a notification says beyond "it fired": the metric around the alert, who contributes
// most, example traces, the runbook and the links. Fetched only when a group notifies.
import type { Aggregate, CallFilter, ControlStore, Store } from '../store/index.ts';
import { DEPLOY_LOOKBACK_MS, deploysOf } from './deploys.ts';
import { percentile } from '../store/index.ts';
import type { InstanceDoc } from './documents.ts';
import { PERCENTILES } from './evaluate.ts';
import type { Contributor, MetricPoint, NotifiedAlert, RunbookRef } from './notification.ts';
import type { AlertRule } from './rule.ts';
import type { RunbookLibrary } from './runbooks/library.ts';

export interface EnrichContext {
  store: Store;
  /** Where deploys are recorded; without it notifications name none. */
  control?: ControlStore;
  runbooks: RunbookLibrary;
  /** Telltale's public base URL, without a trailing slash. */
  publicUrl: string;
}

const MINUTE_MS = 60_000;
const SERIES_POINTS = 30;

/** The filter of one instance: the rule's selector narrowed by the instance's dimensions. */
export function instanceFilter(rule: AlertRule, dims: Readonly<Record<string, string>>): CallFilter {
  const pick = (name: 'service' | 'route' | 'method') => dims[name] ?? rule.selector[name];
  const service = pick('service');
  const route = pick('route');
  const method = pick('method');
  return { ...(service ? { service } : {}), ...(route ? { route } : {}), ...(method ? { method } : {}) };
}

function metricOf(rule: AlertRule, agg: Aggregate): number | null {
  switch (rule.kind) {
    case 'error_rate':
      return agg.calls === 0 ? null : (agg.errors + (rule.include4xx ? agg.status4xx : 0)) / agg.calls;
    case 'latency': {
      const p = percentile(agg, PERCENTILES[rule.percentile]);
      return Number.isNaN(p) ? null : p;
    }
    default:
      return agg.calls;
  }
}

async function seriesOf(rule: AlertRule, ctx: EnrichContext, filter: CallFilter, checkId: string | undefined, nowMs: number): Promise<MetricPoint[]> {
  if (rule.kind === 'check_failing') {
    if (checkId === undefined) return [];
    // One point per run, 1 passed and 0 failed: the run history strip of the check's page.
    const runs = await ctx.store.checkRuns({ checkId, fromMs: nowMs - 86_400_000, toMs: nowMs + 1, limit: SERIES_POINTS });
    return runs.reverse().map((r) => ({ timeMs: r.startedAtMs, value: r.ok ? 1 : 0 }));
  }
  if (rule.kind === 'slo_burn') return [];
  // Six windows of history at least an hour long, in at most 30 whole-minute steps.
  const spanMs = Math.max(3_600_000, rule.windowMs * 6);
  const stepMs = Math.max(MINUTE_MS, Math.ceil(spanMs / SERIES_POINTS / MINUTE_MS) * MINUTE_MS);
  const fromMs = Math.floor((nowMs - spanMs) / stepMs) * stepMs;
  const rows = await ctx.store.aggregate({ fromMs, toMs: nowMs, filter, groupBy: [], stepMs });
  const byBucket = new Map(rows.map((r) => [r.bucketStartMs, r.agg]));
  const points: MetricPoint[] = [];
  for (let t = fromMs; t < nowMs; t += stepMs) {
    const agg = byBucket.get(t);
    points.push({ timeMs: t, value: agg ? metricOf(rule, agg) : null });
  }
  return points;
}

async function contributorsOf(rule: AlertRule, ctx: EnrichContext, filter: CallFilter, nowMs: number): Promise<Contributor[]> {
  if (rule.kind !== 'error_rate' && rule.kind !== 'latency') return [];
  const range = { fromMs: nowMs - rule.windowMs, toMs: nowMs };
  const rows = await ctx.store.aggregate({ ...range, filter, groupBy: ['method', 'route'] });
  const routes = rows
    .map((r) => ({ label: `${r.group.method ?? ''} ${r.group.route ?? ''}`.trim(), calls: r.agg.calls, errors: r.agg.errors }))
    .sort((a, b) => (rule.kind === 'error_rate' ? b.errors - a.errors : b.calls - a.calls) || a.label.localeCompare(b.label))
    .slice(0, 5);
  if (rule.kind !== 'error_rate') return routes;
  const consumers = (await ctx.store.consumerBreakdown(range, filter, 3))
    .filter((c) => c.errors > 0)
    .map((c) => ({ label: `consumer ${c.consumer ?? '(unknown)'}`, calls: c.calls, errors: c.errors }));
  return [...routes, ...consumers];
}

async function exampleTraces(rule: AlertRule, ctx: EnrichContext, filter: CallFilter, nowMs: number): Promise<string[]> {
  if (rule.kind !== 'error_rate' && rule.kind !== 'latency') return [];
  const calls = await ctx.store.calls({
    fromMs: nowMs - rule.windowMs, toMs: nowMs, filter,
    ...(rule.kind === 'error_rate' ? { errorsOnly: true } : {}),
    order: rule.kind === 'latency' ? 'slowest' : 'recent', limit: 20,
  });
  return [...new Set(calls.flatMap((c) => (c.traceId ? [c.traceId] : [])))].slice(0, 3);
}

/** The runbook as a message shows it; null when the rule has none. */
export function runbookRef(ctx: Pick<EnrichContext, 'runbooks' | 'publicUrl'>, id: string | null): RunbookRef | null {
  const runbook = id === null ? undefined : ctx.runbooks.get(id);
  if (!runbook) return null;
  return {
    id: runbook.id, title: runbook.title, owner: runbook.owner,
    url: `${ctx.publicUrl}/runbooks/${encodeURIComponent(runbook.id)}`, firstSteps: runbook.firstSteps,
  };
}

function dashboardUrl(rule: AlertRule, ctx: EnrichContext, filter: CallFilter, checkId: string | undefined, startsAtMs: number, nowMs: number): string {
  const from = Math.min(startsAtMs, nowMs) - Math.max(3_600_000, rule.windowMs * 2);
  if (checkId !== undefined) return `${ctx.publicUrl}/checks/${encodeURIComponent(checkId)}?from=${from}&to=${nowMs}`;
  const query = new URLSearchParams({ ...filter, from: String(from), to: String(nowMs + 5 * MINUTE_MS) });
  // One route: the route view; a whole service or more: the overview filtered by what is known.
  return filter.route ? `${ctx.publicUrl}/routes?${query}` : `${ctx.publicUrl}/?${query}`;
}

/** A notified alert with everything the message shows. */
export async function enrichAlert(
  rule: AlertRule, doc: InstanceDoc, status: 'firing' | 'resolved', ctx: EnrichContext, nowMs: number,
): Promise<NotifiedAlert> {
  const filter = instanceFilter(rule, doc.dims);
  const startsAtMs = doc.state.firingSinceMs ?? doc.state.activeSinceMs ?? nowMs;
  const service = filter.service;
  const [series, contributors, exampleTraceIds, deploys] = await Promise.all([
    seriesOf(rule, ctx, filter, doc.dims.check ?? rule.selector.check, nowMs), contributorsOf(rule, ctx, filter, nowMs), exampleTraces(rule, ctx, filter, nowMs),
    ctx.control && service ? deploysOf(ctx.control, service, startsAtMs - DEPLOY_LOOKBACK_MS, startsAtMs + 1) : Promise.resolve([]),
  ]);
  const runbook = runbookRef(ctx, rule.runbook);
  const annotations: Record<string, string> = {
    summary: doc.summary,
    ...(runbook ? { runbook_url: runbook.url } : {}),
    ...rule.annotations,
  };
  return {
    fingerprint: doc.fingerprint,
    status,
    ruleId: rule.id,
    ruleName: rule.name,
    kind: rule.kind,
    severity: rule.severity,
    labels: doc.labels,
    annotations,
    startsAtMs,
    endsAtMs: status === 'resolved' ? doc.state.resolvedAtMs ?? nowMs : null,
    value: doc.state.lastValue ?? 0,
    threshold: doc.threshold,
    unit: doc.unit,
    series,
    contributors,
    exampleTraceIds,
    deploys: deploys.map((d) => ({ timeMs: d.timeMs, service: d.service, version: d.version })),
    runbook,
    dashboardUrl: dashboardUrl(rule, ctx, filter, doc.dims.check ?? rule.selector.check, startsAtMs, nowMs),
    silenceUrl: `${ctx.publicUrl}/alerts/${doc.fingerprint}?silence=1`,
    acknowledged: doc.acknowledgedAtMs !== null,
  };
}
