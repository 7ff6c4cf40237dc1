// Fetches what an SLO is measured on from the Store: per-minute rollups for service/route/method
// selectors, raw calls for a consumer selector, check runs for check indicators. The accounting
// itself is slo-compute.ts's, on plain data.
import { HOUR_MS, MINUTE_MS, addCall, emptyAggregate } from '../store/aggregate.ts';
import type { Store } from '../store/store.ts';
import type { Aggregate, ApiCall, CallFilter } from '../store/types.ts';
import type { Interval } from './periods.ts';
import { availabilityCounts, latencyCounts, type EventBucket, type RunPoint, type SloData } from './slo-compute.ts';
import type { Indicator, Selector, Slo } from './slo-schema.ts';

/** Minute rollups are kept 35 days; older periods are read from hour rollups. */
const MINUTE_ROLLUPS_TRUSTED_MS = 34 * 24 * HOUR_MS;
const RAW_PAGE = 50_000;
const MAX_RUNS = 2_000_000;
/** A run speaks for its interval twice over before its absence counts as no data. */
const STALE_FACTOR = 2;
const DEFAULT_STALE_MS = HOUR_MS;

/** Rollup width for a range: minutes while minute rollups are kept, hours before that. */
export function bucketWidthFor(range: Interval, nowMs: number): number {
  return range.fromMs >= nowMs - MINUTE_ROLLUPS_TRUSTED_MS ? MINUTE_MS : HOUR_MS;
}

export function callFilter(selector: Selector): CallFilter {
  const filter: CallFilter = {};
  if (selector.service) filter.service = selector.service;
  if (selector.route) filter.route = selector.route;
  if (selector.method) filter.method = selector.method;
  return filter;
}

/** Every raw call of a selector with a consumer in the range, in pages the store can answer. */
export async function rawCalls(store: Store, selector: Selector, range: Interval): Promise<ApiCall[]> {
  const filter = { ...callFilter(selector), consumer: selector.consumer };
  const page = await store.calls({ ...range, filter, order: 'recent', limit: RAW_PAGE });
  if (page.length < RAW_PAGE || range.toMs - range.fromMs <= 1) return page;
  // A full page may have left calls out: halve the range until every part fits.
  const mid = Math.floor((range.fromMs + range.toMs) / 2);
  return [...(await rawCalls(store, selector, { fromMs: range.fromMs, toMs: mid })), ...(await rawCalls(store, selector, { fromMs: mid, toMs: range.toMs }))];
}

/** Aggregates of a selector over one bucket of time. */
export interface AggBucket {
  startMs: number;
  widthMs: number;
  agg: Aggregate;
}

export interface BucketOptions {
  nowMs: number;
  /** Hours for which minute rows are read instead of the hour row. */
  needMinutes?: (hour: AggBucket) => boolean;
  /** Hours overlapping these are read by the minute (maintenance is cut by the minute). */
  maintenance?: readonly Interval[];
  /** Hours containing one of these instants are read by the minute (local midnights off the hour). */
  boundaries?: readonly number[];
}

async function rows(store: Store, selector: Selector, range: Interval, stepMs: number): Promise<AggBucket[]> {
  if (range.toMs <= range.fromMs) return [];
  const found = await store.aggregate({ ...range, filter: callFilter(selector), groupBy: [], stepMs });
  return found.map((r) => ({ startMs: r.bucketStartMs ?? range.fromMs, widthMs: stepMs, agg: r.agg }));
}

/**
 * Per-bucket aggregates of a selector. Minute rows are what the accounting is defined on, but
 * reading 43,200 of them per 30-day window is slow; so whole hours come from hour rollups (the
 * same calls merged exactly) and only the hours that need minutes are read by the minute: the
 * range's ragged edges, hours the caller asks for, hours touching maintenance or a bin boundary.
 * A consumer selector rolls raw calls up by the minute.
 */
export async function selectorBuckets(store: Store, selector: Selector, range: Interval, opts: BucketOptions): Promise<AggBucket[]> {
  if (selector.consumer) {
    const byStart = new Map<number, Aggregate>();
    for (const call of await rawCalls(store, selector, range)) {
      const start = Math.floor(call.timeUnixMs / MINUTE_MS) * MINUTE_MS;
      let agg = byStart.get(start);
      if (!agg) byStart.set(start, (agg = emptyAggregate()));
      addCall(agg, call);
    }
    return [...byStart].map(([startMs, agg]) => ({ startMs, widthMs: MINUTE_MS, agg }));
  }
  if (bucketWidthFor(range, opts.nowMs) === HOUR_MS) return rows(store, selector, range, HOUR_MS);
  const hourFrom = Math.ceil(range.fromMs / HOUR_MS) * HOUR_MS;
  const hourTo = Math.floor(range.toMs / HOUR_MS) * HOUR_MS;
  if (hourFrom >= hourTo) return rows(store, selector, range, MINUTE_MS);
  const touches = (h: number) =>
    (opts.maintenance ?? []).some((m) => m.fromMs < h + HOUR_MS && m.toMs > h) || (opts.boundaries ?? []).some((b) => b > h && b < h + HOUR_MS);
  const out: AggBucket[] = [
    ...(await rows(store, selector, { fromMs: range.fromMs, toMs: hourFrom }, MINUTE_MS)),
    ...(await rows(store, selector, { fromMs: hourTo, toMs: range.toMs }, MINUTE_MS)),
  ];
  const hours = await rows(store, selector, { fromMs: hourFrom, toMs: hourTo }, HOUR_MS);
  const byHour = new Map(hours.map((h) => [h.startMs, h]));
  // Hours read by the minute, in contiguous runs so each run is one query.
  let runFrom: number | null = null;
  for (let h = hourFrom; h <= hourTo; h += HOUR_MS) {
    const row = byHour.get(h);
    const minutes = h < hourTo && (touches(h) || (row !== undefined && (opts.needMinutes?.(row) ?? false)));
    if (minutes && runFrom === null) runFrom = h;
    if (!minutes && runFrom !== null) {
      out.push(...(await rows(store, selector, { fromMs: runFrom, toMs: h }, MINUTE_MS)));
      runFrom = null;
    }
    if (!minutes && row) out.push(row);
  }
  return out.sort((a, b) => a.startMs - b.startMs);
}

export function countsOf(indicator: Indicator, agg: Aggregate): { total: number; bad: number } {
  return indicator.type === 'latency' ? latencyCounts(agg, indicator.thresholdMs) : availabilityCounts(agg);
}

/** The staleness of a check's runs from its schedule: twice an interval schedule, else an hour. */
export function staleAfterFor(definition: unknown, explicit: number | undefined): number {
  if (explicit !== undefined) return explicit;
  const schedule = typeof definition === 'object' && definition !== null ? (definition as { schedule?: unknown }).schedule : undefined;
  const m = typeof schedule === 'string' ? /^(\d{1,6})(s|m|h)$/.exec(schedule.trim()) : null;
  if (!m) return DEFAULT_STALE_MS;
  const unit = m[2] === 's' ? 1000 : m[2] === 'm' ? MINUTE_MS : HOUR_MS;
  return Math.max(MINUTE_MS, STALE_FACTOR * Number(m[1]) * unit);
}

/** Ids of the checks a check indicator covers: the one named, or every check with the tag. */
export async function checkIdsOf(store: Store, indicator: Extract<Indicator, { type: 'check' }>): Promise<string[]> {
  if (indicator.checkId) return [indicator.checkId];
  const checks = await store.listChecks();
  return checks
    .filter((c) => {
      const tags = (c.definition as { tags?: unknown }).tags;
      return Array.isArray(tags) && tags.includes(indicator.tag);
    })
    .map((c) => c.id);
}

export interface LoadOptions extends Omit<BucketOptions, 'needMinutes'> {
  /**
   * Read every minute (reports: downtime and no-data minutes are defined per minute). Without it
   * whole hours come from hour rollups and are judged as one bucket: events (attainment, budget,
   * burn rate) are exact either way, and a busy 30-day window reads 720 rows instead of 43,200.
   */
  minuteDetail?: boolean;
}

/** The request buckets of an SLO, with the aggregates they came from (reports take percentiles of them). */
export async function loadRequestBuckets(store: Store, slo: Slo, range: Interval, opts: LoadOptions): Promise<{ data: Extract<SloData, { kind: 'requests' }>; buckets: AggBucket[] }> {
  const indicator = slo.indicator;
  if (indicator.type === 'check') throw new TypeError('a check SLO has no request buckets');
  const buckets = await selectorBuckets(store, indicator.selector, range, { ...opts, needMinutes: opts.minuteDetail ? () => true : undefined });
  const events: EventBucket[] = buckets.map(({ startMs, widthMs, agg }) => ({ startMs, widthMs, ...countsOf(indicator, agg) }));
  return { data: { kind: 'requests', buckets: events, bucketMs: bucketWidthFor(range, opts.nowMs) }, buckets };
}

/** The data an SLO is computed on over a range. */
export async function loadSloData(store: Store, slo: Slo, range: Interval, opts: LoadOptions): Promise<SloData> {
  const indicator = slo.indicator;
  if (indicator.type !== 'check') return (await loadRequestBuckets(store, slo, range, opts)).data;
  const ids = await checkIdsOf(store, indicator);
  const checks: Array<{ runs: RunPoint[]; staleAfterMs: number }> = [];
  for (const checkId of ids) checks.push(await loadCheckRuns(store, checkId, range, indicator.staleAfterMs));
  return { kind: 'runs', checks };
}

/** One check's runs for a range, from one staleness before it (the run then says how the range starts). */
export async function loadCheckRuns(store: Store, checkId: string, range: Interval, staleAfterMs?: number): Promise<{ runs: RunPoint[]; staleAfterMs: number }> {
  const record = await store.getCheck(checkId);
  const stale = staleAfterFor(record?.definition, staleAfterMs);
  const runs = await store.checkRuns({ checkId, fromMs: range.fromMs - stale, toMs: range.toMs, limit: MAX_RUNS });
  return { runs: runs.map((r) => ({ startedAtMs: r.startedAtMs, ok: r.ok, durationMs: r.durationMs })), staleAfterMs: stale };
}
