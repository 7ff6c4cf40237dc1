// The query API's verbs: read rollups and raw records from the store and shape the numbers
// on-call engineers look at. Latencies in milliseconds, error rates as fractions (0..1).
import { floorTo, percentile, type Aggregate, type CallFilter, type CallQuery, type Store, type TimeRange } from '../../store/index.ts';

/** Percentiles as reported: rounded to the microsecond, null when there were no calls. */
function pct(agg: Aggregate, q: number): number | null {
  const v = percentile(agg, q);
  return Number.isNaN(v) ? null : Math.round(v * 1000) / 1000;
}

const rate = (part: number, whole: number) => (whole === 0 ? 0 : part / whole);

export interface ServiceRow { service: string; calls: number; rps: number; errorRate: number; p50: number | null; p95: number | null; p99: number | null }

export async function listServices(store: Store, range: TimeRange): Promise<ServiceRow[]> {
  const seconds = (range.toMs - range.fromMs) / 1000;
  const rows = await store.aggregate({ ...range, filter: {}, groupBy: ['service'] });
  return rows.map(({ group, agg }) => ({
    service: group.service ?? '',
    calls: agg.calls,
    rps: rate(agg.calls, seconds),
    errorRate: rate(agg.errors, agg.calls),
    p50: pct(agg, 0.5), p95: pct(agg, 0.95), p99: pct(agg, 0.99),
  })).sort((a, b) => b.calls - a.calls || a.service.localeCompare(b.service));
}

export interface RouteRow {
  service: string; method: string; route: string;
  calls: number; rps: number; errorRate: number; status4xx: number; status5xx: number;
  p50: number | null; p90: number | null; p95: number | null; p99: number | null; max: number | null;
}

export async function routeTable(store: Store, range: TimeRange, filter: CallFilter): Promise<RouteRow[]> {
  const seconds = (range.toMs - range.fromMs) / 1000;
  const rows = await store.aggregate({ ...range, filter, groupBy: ['service', 'method', 'route'] });
  return rows.map(({ group, agg }) => ({
    service: group.service ?? '', method: group.method ?? '', route: group.route ?? '',
    calls: agg.calls, rps: rate(agg.calls, seconds), errorRate: rate(agg.errors, agg.calls),
    status4xx: agg.status4xx, status5xx: agg.status5xx,
    p50: pct(agg, 0.5), p90: pct(agg, 0.9), p95: pct(agg, 0.95), p99: pct(agg, 0.99),
    max: agg.sketch.count === 0 ? null : Math.round(agg.durationMaxMs * 1000) / 1000,
  })).sort((a, b) => b.calls - a.calls);
}

/** Every percentile an alert rule can watch (p50 … p99.9), so its chart shows the same number. */
export interface SeriesPoint {
  timeUnixMs: number; calls: number; errors: number; errorRate: number;
  p50: number | null; p75: number | null; p90: number | null; p95: number | null; p99: number | null; p999: number | null;
}

/** At most this many points per series, so a long window with a small step cannot exhaust memory. */
export const MAX_SERIES_POINTS = 5000;
// Past an hour, steps are multiples of 6 hours, so long windows read the coarse rollup rows
// (ClickHouse keeps 6-hour service rows): 30 days → 6 h, 120 points.
const NICE_STEPS_MIN = [1, 2, 5, 10, 15, 30, 60, 120, 360, 720, 1440];

/** A step giving about 300 points on a whole number of minutes. */
export function autoStepMs(range: TimeRange): number {
  const minutes = (range.toMs - range.fromMs) / 60_000 / 300;
  return (NICE_STEPS_MIN.find((m) => m >= minutes) ?? Math.ceil(minutes / 1440) * 1440) * 60_000;
}

export async function series(store: Store, range: TimeRange, filter: CallFilter, stepMs: number): Promise<SeriesPoint[]> {
  const rows = await store.aggregate({ ...range, filter, groupBy: [], stepMs });
  const byBucket = new Map(rows.map((r) => [r.bucketStartMs, r.agg]));
  const points: SeriesPoint[] = [];
  // Empty buckets are reported as zero calls, so a chart shows the gap instead of a straight line.
  for (let t = floorTo(range.fromMs, stepMs); t < range.toMs; t += stepMs) {
    const agg = byBucket.get(t);
    points.push(agg
      ? {
        timeUnixMs: t, calls: agg.calls, errors: agg.errors, errorRate: rate(agg.errors, agg.calls),
        p50: pct(agg, 0.5), p75: pct(agg, 0.75), p90: pct(agg, 0.9), p95: pct(agg, 0.95), p99: pct(agg, 0.99), p999: pct(agg, 0.999),
      }
      : { timeUnixMs: t, calls: 0, errors: 0, errorRate: 0, p50: null, p75: null, p90: null, p95: null, p99: null, p999: null });
  }
  return points;
}

export type ErrorsBy = 'status' | 'route' | 'consumer';
export interface ErrorRow { key: string | null; calls: number; errors: number; status4xx: number; status5xx: number }

/** Where errors come from: by status code (4xx, 5xx and 0 = no response), by route or by consumer. */
export async function errorBreakdown(store: Store, range: TimeRange, filter: CallFilter, by: ErrorsBy, limit: number): Promise<ErrorRow[]> {
  if (by === 'consumer') {
    const rows = await store.consumerBreakdown(range, filter, limit);
    return rows.map((r) => ({ key: r.consumer, calls: r.calls, errors: r.errors, status4xx: r.status4xx, status5xx: r.status5xx }));
  }
  if (by === 'status') {
    const [total] = await store.aggregate({ ...range, filter, groupBy: [] });
    const counts = Object.entries(total?.agg.statusCounts ?? {}).map(([code, n]) => ({ status: Number(code), n }));
    return counts
      .filter(({ status }) => status >= 400 || status === 0)
      .map(({ status, n }) => ({ key: String(status), calls: n, errors: status >= 500 || status === 0 ? n : 0, status4xx: status < 500 && status >= 400 ? n : 0, status5xx: status >= 500 ? n : 0 }))
      // Ties: server errors before client errors.
      .sort((a, b) => b.calls - a.calls || Number(b.key) - Number(a.key))
      .slice(0, limit);
  }
  const rows = await store.aggregate({ ...range, filter, groupBy: ['service', 'method', 'route'] });
  return rows
    .filter(({ agg }) => agg.errors + agg.status4xx > 0)
    .map(({ group, agg }) => ({ key: `${group.service ?? ''} ${group.method ?? ''} ${group.route ?? ''}`, calls: agg.calls, errors: agg.errors, status4xx: agg.status4xx, status5xx: agg.status5xx }))
    .sort((a, b) => b.errors - a.errors || b.status4xx - a.status4xx)
    .slice(0, limit);
}

export async function recentCalls(store: Store, query: CallQuery) {
  return store.calls(query);
}

export interface WaterfallSpan {
  spanId: string; parentSpanId: string | null; depth: number;
  /** Milliseconds from the trace's first span start. */
  offsetMs: number;
}

/** One trace with each span's depth and offset, in waterfall order (parents before children). */
export async function traceDetail(store: Store, traceId: string) {
  const spans = await store.trace(traceId.toLowerCase());
  if (spans.length === 0) return null;
  const start = spans.reduce((min, s) => (BigInt(s.startTimeUnixNano) < min ? BigInt(s.startTimeUnixNano) : min), BigInt(spans[0]!.startTimeUnixNano));
  const end = spans.reduce((max, s) => (BigInt(s.endTimeUnixNano) > max ? BigInt(s.endTimeUnixNano) : max), 0n);
  const ids = new Set(spans.map((s) => s.spanId));
  const children = new Map<string | null, typeof spans>();
  for (const span of spans) {
    // A span whose parent never arrived is shown as a root rather than lost.
    const parent = span.parentSpanId && ids.has(span.parentSpanId) ? span.parentSpanId : null;
    children.set(parent, [...(children.get(parent) ?? []), span]);
  }
  const ordered: Array<(typeof spans)[number] & { depth: number; offsetMs: number }> = [];
  const visit = (parent: string | null, depth: number) => {
    for (const span of children.get(parent) ?? []) {
      ordered.push({ ...span, depth, offsetMs: Number(BigInt(span.startTimeUnixNano) - start) / 1e6 });
      if (depth < 256) visit(span.spanId, depth + 1);
    }
  };
  visit(null, 0);
  // Spans in a parent cycle (hostile or broken senders) are unreachable from a root: keep them.
  const placed = new Set(ordered.map((s) => s.spanId));
  for (const span of spans) if (!placed.has(span.spanId)) ordered.push({ ...span, depth: 0, offsetMs: Number(BigInt(span.startTimeUnixNano) - start) / 1e6 });
  return { traceId: traceId.toLowerCase(), startTimeUnixNano: start.toString(), durationMs: Number(end - start) / 1e6, spans: ordered };
}
