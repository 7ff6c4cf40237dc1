// The SLA report for a period and a scope: per SLO its attainment against the target, downtime,
// budget spent, latency percentiles, incidents and worst routes; per critical check its uptime.
// Every number comes from the same accounting as the SLO API (slo-compute.ts).
import { ALERT_EVENT_KIND, type AlertEvent } from '../alerts/history.ts';
import { emptyAggregate, mergeAggregate, percentile } from '../store/aggregate.ts';
import type { ControlStore } from '../store/control.ts';
import type { Store } from '../store/store.ts';
import type { Aggregate } from '../store/types.ts';
import { pairIncidents, type Incident } from './incidents.ts';
import { maintenanceIntervals } from './maintenance.ts';
import { dayBoundaries, type Interval } from './periods.ts';
import { binAttainment, computeSlo, normalizeIntervals, remainingBudgetSeries, type BudgetPoint, type RunPoint, type SloComputation } from './slo-compute.ts';
import { callFilter, checkIdsOf, loadCheckRuns, loadRequestBuckets, rawCalls } from './slo-data.ts';
import { listSlos } from './slo-registry.ts';
import { sloMaintenanceWindows, type Indicator, type Slo } from './slo-schema.ts';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
/** How far before the period alert history is read, so an incident that began earlier still shows. */
const INCIDENT_LOOKBACK_MS = 30 * DAY_MS;
const WORST_ROUTES = 5;
/** Checks with this tag get their own rows in reports. */
export const CRITICAL_TAG = 'critical';

/** Which SLOs and checks a report covers. */
export type ReportScope = { kind: 'all' } | { kind: 'tag'; tag: string } | { kind: 'service'; service: string };

/** `all`, `tag:<tag>` or `service:<name>`; null when malformed. */
export function parseScope(text: string | undefined): ReportScope | null {
  const value = (text ?? 'all').trim();
  if (value === '' || value === 'all') return { kind: 'all' };
  const m = /^(tag|service):(.{1,256})$/.exec(value);
  if (!m) return null;
  return m[1] === 'tag' ? { kind: 'tag', tag: m[2]! } : { kind: 'service', service: m[2]! };
}

export function scopeText(scope: ReportScope): string {
  return scope.kind === 'all' ? 'all' : scope.kind === 'tag' ? `tag:${scope.tag}` : `service:${scope.service}`;
}

export interface LatencySummary {
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

export interface RouteShare {
  service: string;
  method: string;
  route: string;
  calls: number;
  errors: number;
  /** This route's server errors ÷ all of the SLO's server errors in the period (0..1). */
  errorShare: number;
}

export interface ReportIncident extends Incident {
  runbookUrl: string | null;
}

export interface SlaSloRow {
  id: string;
  name: string;
  /** One line, e.g. `availability of service=checkout`. */
  indicator: string;
  basis: 'requests' | 'time';
  target: number;
  /** Percent; null when nothing counted in the period. */
  attained: number | null;
  met: boolean | null;
  downtimeMinutes: number;
  maintenanceMinutes: number;
  noDataMinutes: number;
  goodEvents: number;
  badEvents: number;
  /** Budget in calls (requests) or minutes (time) over the period. */
  budget: { unit: 'events' | 'minutes'; total: number; consumed: number; remaining: number };
  /** Percent of the period's error budget spent; may pass 100. Null when there was no budget. */
  errorBudgetConsumed: number | null;
  latency: LatencySummary;
  incidents: ReportIncident[];
  worstRoutes: RouteShare[];
  /** Attainment per local day of the report's zone. */
  daily: Array<{ fromMs: number; toMs: number; attained: number | null }>;
  /** Remaining share of the period's budget at the end of each day. */
  burn: BudgetPoint[];
}

export interface SlaCheckRow {
  id: string;
  name: string;
  /** Percent of check-time up; null without runs. */
  uptime: number | null;
  downtimeMinutes: number;
  runs: number;
  failedRuns: number;
  latency: LatencySummary;
  incidents: ReportIncident[];
}

export interface SlaReport {
  generatedAtMs: number;
  period: Interval;
  timeZone: string;
  scope: ReportScope;
  publicUrl: string;
  slos: SlaSloRow[];
  checks: SlaCheckRow[];
  incidents: ReportIncident[];
}

export interface SlaReportOptions {
  store: Store;
  control: ControlStore;
  period: Interval;
  scope: ReportScope;
  /** Zone of the daily breakdown; default UTC. */
  timeZone?: string;
  nowMs: number;
  /** Base of links (runbooks) in the report. */
  publicUrl: string;
  /** The SLOs to report on; default every SLO in the control store. */
  slos?: readonly Slo[];
}

export function describeIndicator(indicator: Indicator): string {
  if (indicator.type === 'check') return indicator.checkId ? `check ${indicator.checkId}` : `checks tagged ${indicator.tag ?? ''}`;
  const sel = Object.entries(indicator.selector).map(([k, v]) => `${k}=${String(v)}`).join(' ') || 'all calls';
  return indicator.type === 'latency' ? `latency ≤ ${indicator.thresholdMs} ms of ${sel}` : `availability of ${sel}`;
}

const finiteOrNull = (x: number | null): number | null => (x !== null && Number.isFinite(x) ? x : null);

/** Exact percentile with the sketch's rank rule (lower nearest rank on q·(n−1)). */
export function exactPercentile(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.floor(q * (sorted.length - 1))] ?? null;
}

function latencyOfAggregate(agg: Aggregate): LatencySummary {
  const p = (q: number) => finiteOrNull(percentile(agg, q));
  return { p50: p(0.5), p95: p(0.95), p99: p(0.99) };
}

function latencyOfRuns(runs: readonly RunPoint[], period: Interval, maintenance: readonly Interval[]): LatencySummary {
  const durations = runs
    .filter((r) => r.startedAtMs >= period.fromMs && r.startedAtMs < period.toMs && r.durationMs !== undefined)
    .filter((r) => !maintenance.some((m) => m.fromMs <= r.startedAtMs && r.startedAtMs < m.toMs))
    .map((r) => r.durationMs!)
    .sort((a, b) => a - b);
  return { p50: exactPercentile(durations, 0.5), p95: exactPercentile(durations, 0.95), p99: exactPercentile(durations, 0.99) };
}

async function worstRoutes(store: Store, indicator: Indicator, period: Interval): Promise<RouteShare[]> {
  if (indicator.type === 'check') return [];
  const rows: Array<Omit<RouteShare, 'errorShare'>> = [];
  if (indicator.selector.consumer) {
    const byRoute = new Map<string, Omit<RouteShare, 'errorShare'>>();
    for (const c of await rawCalls(store, indicator.selector, period)) {
      const key = `${c.service}\u0000${c.method}\u0000${c.route}`;
      let row = byRoute.get(key);
      if (!row) byRoute.set(key, (row = { service: c.service, method: c.method, route: c.route, calls: 0, errors: 0 }));
      row.calls += 1;
      if (c.error) row.errors += 1;
    }
    rows.push(...byRoute.values());
  } else {
    const agg = await store.aggregate({ ...period, filter: callFilter(indicator.selector), groupBy: ['service', 'method', 'route'] });
    for (const r of agg) rows.push({ service: r.group.service ?? '', method: r.group.method ?? '', route: r.group.route ?? '', calls: r.agg.calls, errors: r.agg.errors });
  }
  const totalErrors = rows.reduce((n, r) => n + r.errors, 0);
  if (totalErrors === 0) return [];
  return rows
    .filter((r) => r.errors > 0)
    .sort((a, b) => b.errors - a.errors || b.calls - a.calls || a.route.localeCompare(b.route))
    .slice(0, WORST_ROUTES)
    .map((r) => ({ ...r, errorShare: r.errors / totalErrors }));
}

function incidentMatchesSlo(i: Incident, slo: Slo, checkIds: readonly string[]): boolean {
  const l = i.labels;
  if (l.slo === slo.id) return true;
  const ind = slo.indicator;
  if (ind.type === 'check') return checkIds.includes(l.check ?? l.check_id ?? '');
  const sel = ind.selector;
  if (!sel.service || l.service !== sel.service) return false;
  return !(sel.route && l.route && l.route !== sel.route);
}

function sloInScope(slo: Slo, scope: ReportScope, checkServices: ReadonlyMap<string, string | undefined>, checkIds: readonly string[]): boolean {
  if (scope.kind === 'all') return true;
  if (scope.kind === 'tag') return slo.tags.includes(scope.tag);
  if (slo.indicator.type !== 'check') return slo.indicator.selector.service === scope.service;
  return checkIds.some((id) => checkServices.get(id) === scope.service);
}

interface CheckInfo {
  id: string;
  name: string;
  tags: string[];
  service: string | undefined;
}

function checkInfo(id: string, definition: unknown): CheckInfo {
  const d = (typeof definition === 'object' && definition !== null ? definition : {}) as { name?: unknown; tags?: unknown; service?: unknown };
  return {
    id,
    name: typeof d.name === 'string' ? d.name : id,
    tags: Array.isArray(d.tags) ? d.tags.filter((t): t is string => typeof t === 'string') : [],
    service: typeof d.service === 'string' ? d.service : undefined,
  };
}

function checkInScope(c: CheckInfo, scope: ReportScope): boolean {
  if (!c.tags.includes(CRITICAL_TAG)) return false;
  if (scope.kind === 'tag') return c.tags.includes(scope.tag);
  if (scope.kind === 'service') return c.service === scope.service;
  return true;
}

async function sloRow(opts: SlaReportOptions, slo: Slo, checkIds: readonly string[], incidents: readonly ReportIncident[]): Promise<SlaSloRow> {
  const { store, period, nowMs } = opts;
  const bins = dayBoundaries(period, opts.timeZone ?? 'UTC');
  const maintenance = normalizeIntervals(maintenanceIntervals(sloMaintenanceWindows(slo), period), period);
  const ind = slo.indicator;
  let computation: SloComputation;
  let latency: LatencySummary;
  if (ind.type === 'check') {
    const checks = [];
    for (const id of checkIds) checks.push(await loadCheckRuns(store, id, period, ind.staleAfterMs));
    computation = computeSlo({ target: slo.target, noData: slo.noData, range: period, maintenance, data: { kind: 'runs', checks }, bins });
    latency = latencyOfRuns(checks.flatMap((c) => c.runs), period, maintenance);
  } else {
    const { data, buckets } = await loadRequestBuckets(store, slo, period, { nowMs, maintenance, boundaries: bins, minuteDetail: true });
    computation = computeSlo({ target: slo.target, noData: slo.noData, range: period, maintenance, bins, data });
    // Percentiles over the same buckets the accounting counted (maintenance left out).
    const merged = emptyAggregate();
    for (const b of buckets) if (!maintenance.some((m) => m.fromMs <= b.startMs && b.startMs < m.toMs)) mergeAggregate(merged, b.agg);
    latency = latencyOfAggregate(merged);
  }
  const t = computation.tally;
  const budget = computation.minuteBudget
    ? { unit: 'minutes' as const, ...computation.minuteBudget }
    : { unit: 'events' as const, ...computation.eventBudget };
  const ratio = computation.budgetConsumedRatio;
  return {
    id: slo.id, name: slo.name, indicator: describeIndicator(ind), basis: computation.basis, target: slo.target,
    attained: computation.attainment, met: computation.met,
    downtimeMinutes: t.badMs / MINUTE_MS, maintenanceMinutes: t.maintenanceMs / MINUTE_MS, noDataMinutes: t.noDataMs / MINUTE_MS,
    goodEvents: t.goodEvents, badEvents: t.badEvents, budget,
    errorBudgetConsumed: ratio === null || !Number.isFinite(ratio) ? null : ratio * 100,
    latency,
    incidents: incidents.filter((i) => incidentMatchesSlo(i, slo, checkIds)),
    worstRoutes: await worstRoutes(store, ind, period),
    daily: binAttainment(computation).map((b) => ({ fromMs: b.fromMs, toMs: b.toMs, attained: b.attainment })),
    burn: remainingBudgetSeries(computation),
  };
}

async function checkRow(opts: SlaReportOptions, c: CheckInfo, incidents: readonly ReportIncident[]): Promise<SlaCheckRow> {
  const data = await loadCheckRuns(opts.store, c.id, opts.period);
  const comp = computeSlo({ target: 99, noData: 'excluded', range: opts.period, maintenance: [], data: { kind: 'runs', checks: [data] } });
  return {
    id: c.id, name: c.name, uptime: comp.attainment, downtimeMinutes: comp.tally.badMs / MINUTE_MS,
    runs: comp.tally.goodEvents + comp.tally.badEvents, failedRuns: comp.tally.badEvents,
    latency: latencyOfRuns(data.runs, opts.period, []),
    incidents: incidents.filter((i) => (i.labels.check ?? i.labels.check_id) === c.id),
  };
}

/** Builds the report; reads the store and the control store, writes nothing. */
export async function buildSlaReport(opts: SlaReportOptions): Promise<SlaReport> {
  const { store, control, period, scope } = opts;
  const events = await control.events({ kind: ALERT_EVENT_KIND, fromMs: period.fromMs - INCIDENT_LOOKBACK_MS, toMs: period.toMs, limit: 100_000 });
  const base = opts.publicUrl.replace(/\/+$/, '');
  const incidents: ReportIncident[] = pairIncidents(events.map((e) => ({ atMs: e.atMs, body: e.body as AlertEvent })), period)
    .map((i) => ({ ...i, runbookUrl: i.runbookId ? `${base}/runbooks/${encodeURIComponent(i.runbookId)}` : null }));
  const checks = (await store.listChecks()).map((r) => checkInfo(r.id, r.definition));
  const checkServices = new Map(checks.map((c) => [c.id, c.service]));
  const slos: SlaSloRow[] = [];
  for (const slo of opts.slos ?? (await listSlos(control)).map((s) => s.slo)) {
    const ids = slo.indicator.type === 'check' ? await checkIdsOf(store, slo.indicator) : [];
    if (!sloInScope(slo, scope, checkServices, ids)) continue;
    slos.push(await sloRow(opts, slo, ids, incidents));
  }
  const checkRows: SlaCheckRow[] = [];
  for (const c of checks.filter((c) => checkInScope(c, scope)).sort((a, b) => a.id.localeCompare(b.id))) checkRows.push(await checkRow(opts, c, incidents));
  const shown = new Set([...slos.flatMap((s) => s.incidents), ...checkRows.flatMap((c) => c.incidents)]);
  const scoped = incidents.filter((i) => shown.has(i) || scope.kind === 'all' || (scope.kind === 'service' && i.labels.service === scope.service));
  return { generatedAtMs: opts.nowMs, period, timeZone: opts.timeZone ?? 'UTC', scope, publicUrl: base, slos, checks: checkRows, incidents: scoped };
}
