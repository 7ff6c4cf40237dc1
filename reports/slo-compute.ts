// The SLO accounting rules as pure functions of plain data: per-minute event counts (from rollups
// or raw calls) or check runs in, attainment, error budget and burn out. The rules are written
// down in the README ("SLO accounting"); every rule has a hand-computed test in test/reports.
import { RELATIVE_ACCURACY, bucketIndex } from '../store/sketch.ts';
import type { Aggregate } from '../store/types.ts';
import type { Interval } from './periods.ts';

const MINUTE_MS = 60_000;
const GAMMA = (1 + RELATIVE_ACCURACY) / (1 - RELATIVE_ACCURACY);

/** How a stretch of time with no data counts. */
export type NoDataPolicy = 'excluded' | 'good' | 'bad';

/** Events of one rollup bucket: a minute, or a whole hour judged as one (see slo-data.ts for when). */
export interface EventBucket {
  startMs: number;
  /** Default: the data's bucketMs. */
  widthMs?: number;
  total: number;
  bad: number;
}

/** The part of a check run accounting reads: its final outcome, after retries. */
export interface RunPoint {
  startedAtMs: number;
  ok: boolean;
  /** Latency of the reported attempt, for report percentiles; accounting ignores it. */
  durationMs?: number;
}

/** What an SLO is measured on. */
export type SloData =
  | { kind: 'requests'; buckets: readonly EventBucket[]; bucketMs: number }
  /** One run list per check, each with how long a run speaks for; several checks (a tag) add their check-minutes. */
  | { kind: 'runs'; checks: ReadonlyArray<{ runs: readonly RunPoint[]; staleAfterMs: number }> };

export interface ComputeInput {
  /** Target in percent, 0 < target < 100. */
  target: number;
  noData: NoDataPolicy;
  range: Interval;
  /** Maintenance intervals (any order, may overlap): excluded from everything. */
  maintenance: readonly Interval[];
  data: SloData;
  /** Ascending bin boundaries from range.fromMs to range.toMs for per-bin tallies (days, hours); none when left out. */
  bins?: readonly number[];
}

/** Tallies of one stretch of time. For request-based SLOs the minute fields count whole buckets. */
export interface Tally {
  goodEvents: number;
  badEvents: number;
  /** Time that counted as up (after the no-data policy). */
  goodMs: number;
  /** Time that counted as down (after the no-data policy): the downtime. */
  badMs: number;
  /** Time with no data (counted into good or bad too, unless the policy excludes it). */
  noDataMs: number;
  maintenanceMs: number;
}

export interface Budget {
  /** What the target allows: (1 − target) × the total. */
  total: number;
  consumed: number;
  remaining: number;
}

export interface SloComputation {
  /** `requests`: attainment counts events (calls). `time`: it counts check-time. */
  basis: 'requests' | 'time';
  range: Interval;
  target: number;
  /** Percent; null when nothing counted (no data, excluded). */
  attainment: number | null;
  met: boolean | null;
  tally: Tally;
  /** Error budget in events (calls, or check runs for time-based SLOs). */
  eventBudget: Budget;
  /** Error budget in minutes: time-based SLOs only. */
  minuteBudget: Budget | null;
  /** Share of the budget spent (consumed ÷ total of the basis); may pass 1. Null when the budget is 0 and nothing was spent. */
  budgetConsumedRatio: number | null;
  bins: Array<Interval & Tally>;
}

const emptyTally = (): Tally => ({ goodEvents: 0, badEvents: 0, goodMs: 0, badMs: 0, noDataMs: 0, maintenanceMs: 0 });

function addTally(into: Tally, from: Tally): void {
  into.goodEvents += from.goodEvents;
  into.badEvents += from.badEvents;
  into.goodMs += from.goodMs;
  into.badMs += from.badMs;
  into.noDataMs += from.noDataMs;
  into.maintenanceMs += from.maintenanceMs;
}

/** Availability: every call is an event, server errors (ApiCall.error) are the bad ones. */
export function availabilityCounts(agg: Aggregate): { total: number; bad: number } {
  return { total: agg.calls, bad: agg.errors };
}

/**
 * Latency: timed calls are events; good ones took at most `thresholdMs`. From a sketch a call is
 * good when its whole bucket is: the bucket's upper bound γ^i ≤ threshold. A slow call is never
 * counted good; a fast call is counted bad only when it took between threshold ÷ γ (γ ≈ 1.0202)
 * and the threshold, the one bucket that straddles it.
 */
export function latencyCounts(agg: Aggregate, thresholdMs: number): { total: number; bad: number } {
  const total = agg.sketch.count;
  let good = thresholdMs >= 0 ? agg.sketch.zeroCount : 0;
  if (thresholdMs > 0) {
    const straddling = bucketIndex(thresholdMs);
    for (const [index, n] of agg.sketch.buckets) {
      if (index < straddling || (index === straddling && Math.pow(GAMMA, index) <= thresholdMs)) good += n;
    }
  }
  return { total, bad: total - good };
}

/** Sorted, merged copy of intervals, clipped to the range. */
export function normalizeIntervals(intervals: readonly Interval[], range: Interval): Interval[] {
  const clipped = intervals
    .map((i) => ({ fromMs: Math.max(i.fromMs, range.fromMs), toMs: Math.min(i.toMs, range.toMs) }))
    .filter((i) => i.toMs > i.fromMs)
    .sort((a, b) => a.fromMs - b.fromMs);
  const merged: Interval[] = [];
  for (const i of clipped) {
    const last = merged[merged.length - 1];
    if (last && i.fromMs <= last.toMs) last.toMs = Math.max(last.toMs, i.toMs);
    else merged.push({ ...i });
  }
  return merged;
}

/** Parts of `segments` outside `cut`; both sorted and disjoint. */
function subtract<T extends Interval>(segments: readonly T[], cut: readonly Interval[]): T[] {
  const out: T[] = [];
  let j = 0;
  for (const seg of segments) {
    let from = seg.fromMs;
    while (j < cut.length && (cut[j]?.toMs ?? 0) <= from) j += 1;
    for (let k = j; k < cut.length && from < seg.toMs; k += 1) {
      const c = cut[k]!;
      if (c.fromMs >= seg.toMs) break;
      if (c.fromMs > from) out.push({ ...seg, fromMs: from, toMs: c.fromMs });
      from = Math.max(from, c.toMs);
    }
    if (from < seg.toMs) out.push({ ...seg, fromMs: from, toMs: seg.toMs });
  }
  return out;
}

/** Index of the bin holding `ms` (bins[i] ≤ ms < bins[i+1]); -1 outside. */
function binOf(bins: readonly number[], ms: number): number {
  let lo = 0;
  let hi = bins.length - 2;
  if (hi < 0 || ms < (bins[0] ?? 0) || ms >= (bins[bins.length - 1] ?? 0)) return -1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((bins[mid] ?? 0) <= ms) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Adds `ms` of one kind across the bins a segment spans. */
function spread(bins: readonly number[], tallies: Tally[], seg: Interval, field: 'goodMs' | 'badMs' | 'noDataMs' | 'maintenanceMs'): void {
  for (let b = binOf(bins, seg.fromMs); b >= 0 && b < tallies.length; b += 1) {
    const from = Math.max(seg.fromMs, bins[b]!);
    const to = Math.min(seg.toMs, bins[b + 1]!);
    if (to <= from) break;
    tallies[b]![field] += to - from;
  }
}

/**
 * The stretches a check's runs cover: each run's outcome holds from its start until the next
 * run starts, but at most `staleAfterMs`; after that there is no data until the next run.
 */
export function runSegments(runs: readonly RunPoint[], range: Interval, staleAfterMs: number): Array<Interval & { ok: boolean }> {
  const sorted = [...runs].sort((a, b) => a.startedAtMs - b.startedAtMs);
  const segments: Array<Interval & { ok: boolean }> = [];
  sorted.forEach((run, i) => {
    const next = sorted[i + 1]?.startedAtMs ?? Infinity;
    const fromMs = Math.max(run.startedAtMs, range.fromMs);
    const toMs = Math.min(next, run.startedAtMs + staleAfterMs, range.toMs);
    if (toMs > fromMs) segments.push({ fromMs, toMs, ok: run.ok });
  });
  return segments;
}

function applyPolicy(t: Tally, policy: NoDataPolicy): void {
  if (policy === 'good') t.goodMs += t.noDataMs;
  if (policy === 'bad') t.badMs += t.noDataMs;
}

function tallyRequests(input: ComputeInput, data: Extract<SloData, { kind: 'requests' }>, bins: readonly number[]): Tally[] {
  const { range, target } = input;
  const maintenance = normalizeIntervals(input.maintenance, range);
  const tallies = bins.slice(1).map(emptyTally);
  const byStart = new Map<number, EventBucket>();
  for (const b of data.buckets) {
    const prev = byStart.get(b.startMs);
    byStart.set(b.startMs, prev ? { startMs: b.startMs, widthMs: prev.widthMs, total: prev.total + b.total, bad: prev.bad + b.bad } : b);
  }
  const allowedRatio = 1 - target / 100;
  let m = 0;
  const first = Math.ceil(range.fromMs / data.bucketMs) * data.bucketMs;
  for (let start = first; start < range.toMs;) {
    const b = byStart.get(start);
    const width = Math.min(b?.widthMs ?? data.bucketMs, range.toMs - start);
    const bin = tallies[binOf(bins, start)];
    const here = start;
    start += width;
    if (!bin) continue;
    while (m < maintenance.length && maintenance[m]!.toMs <= here) m += 1;
    // A bucket is under maintenance when a window is open at its first millisecond.
    if (m < maintenance.length && maintenance[m]!.fromMs <= here) {
      bin.maintenanceMs += width;
      continue;
    }
    if (!b || b.total === 0) {
      bin.noDataMs += width;
      continue;
    }
    bin.goodEvents += b.total - b.bad;
    bin.badEvents += b.bad;
    // A bucket is down when on its own it misses the target.
    if (b.bad / b.total > allowedRatio) bin.badMs += width;
    else bin.goodMs += width;
  }
  for (const t of tallies) applyPolicy(t, input.noData);
  return tallies;
}

function tallyRuns(input: ComputeInput, data: Extract<SloData, { kind: 'runs' }>, bins: readonly number[]): Tally[] {
  const { range } = input;
  const maintenance = normalizeIntervals(input.maintenance, range);
  const tallies = bins.slice(1).map(emptyTally);
  for (const m of maintenance) spread(bins, tallies, m, 'maintenanceMs');
  for (const { runs, staleAfterMs } of data.checks) {
    const segments = subtract(runSegments(runs, range, staleAfterMs), maintenance);
    for (const s of segments) spread(bins, tallies, s, s.ok ? 'goodMs' : 'badMs');
    // Runs are counted where they start, outside maintenance.
    for (const run of runs) {
      if (run.startedAtMs < range.fromMs || run.startedAtMs >= range.toMs) continue;
      if (maintenance.some((w) => w.fromMs <= run.startedAtMs && run.startedAtMs < w.toMs)) continue;
      const bin = tallies[binOf(bins, run.startedAtMs)];
      if (bin) bin[run.ok ? 'goodEvents' : 'badEvents'] += 1;
    }
  }
  tallies.forEach((t, i) => {
    // Per check, everything in the bin that is neither maintenance, up nor down had no data.
    const width = bins[i + 1]! - bins[i]!;
    t.noDataMs = Math.max(0, data.checks.length * (width - t.maintenanceMs) - t.goodMs - t.badMs);
    t.maintenanceMs *= data.checks.length;
    applyPolicy(t, input.noData);
  });
  return tallies;
}

function budget(target: number, total: number, consumed: number): Budget {
  const allowed = (1 - target / 100) * total;
  return { total: allowed, consumed, remaining: allowed - consumed };
}

/** Attainment in percent of a tally, by the basis; null when nothing counted. */
export function attainmentOf(t: Tally, basis: 'requests' | 'time', noData: NoDataPolicy): number | null {
  if (basis === 'time') {
    const counted = t.goodMs + t.badMs;
    return counted === 0 ? null : (t.goodMs / counted) * 100;
  }
  const total = t.goodEvents + t.badEvents;
  if (total > 0) return (t.goodEvents / total) * 100;
  // No calls at all: the policy decides, as it does for time.
  return noData === 'good' ? 100 : noData === 'bad' ? 0 : null;
}

/** Bad events (or bad time) ÷ all counted, the number burn rates are made of; NaN when nothing counted. */
export function errorRatioOf(c: SloComputation): number {
  const t = c.tally;
  if (c.basis === 'time') return t.goodMs + t.badMs === 0 ? NaN : t.badMs / (t.goodMs + t.badMs);
  return t.goodEvents + t.badEvents === 0 ? NaN : t.badEvents / (t.goodEvents + t.badEvents);
}

/** Applies the accounting rules to one range. */
export function computeSlo(input: ComputeInput): SloComputation {
  const { range, target } = input;
  const bins = input.bins && input.bins.length >= 2 ? input.bins : [range.fromMs, range.toMs];
  const data = input.data;
  const binTallies = data.kind === 'requests' ? tallyRequests(input, data, bins) : tallyRuns(input, data, bins);
  const tally = emptyTally();
  for (const t of binTallies) addTally(tally, t);
  const basis = data.kind === 'requests' ? 'requests' : 'time';
  const attainment = attainmentOf(tally, basis, input.noData);
  const eventBudget = budget(target, tally.goodEvents + tally.badEvents, tally.badEvents);
  const minuteBudget = basis === 'time' ? budget(target, (tally.goodMs + tally.badMs) / MINUTE_MS, tally.badMs / MINUTE_MS) : null;
  const main = minuteBudget ?? eventBudget;
  const budgetConsumedRatio = main.total > 0 ? main.consumed / main.total : main.consumed > 0 ? Infinity : null;
  return {
    basis, range, target, attainment, met: attainment === null ? null : attainment >= target,
    tally, eventBudget, minuteBudget, budgetConsumedRatio,
    bins: binTallies.map((t, i) => ({ fromMs: bins[i]!, toMs: bins[i + 1]!, ...t })),
  };
}

/** A point of the remaining-budget series: the share of the whole range's budget left at `timeMs`. */
export interface BudgetPoint {
  timeMs: number;
  /** 1 = untouched, 0 = spent, negative = overspent; null when the range has no budget. */
  remainingRatio: number | null;
}

/**
 * Remaining budget after each bin: 1 − (bad so far ÷ the budget of the whole range). Measured
 * against the whole range's budget, the line only ever goes down and ends at the SLO's remaining share.
 */
export function remainingBudgetSeries(c: SloComputation): BudgetPoint[] {
  const time = c.basis === 'time';
  const allowed = time ? (c.minuteBudget?.total ?? 0) * MINUTE_MS : c.eventBudget.total;
  let spent = 0;
  return c.bins.map((b) => {
    spent += time ? b.badMs : b.badEvents;
    return { timeMs: b.toMs, remainingRatio: allowed > 0 ? 1 - spent / allowed : spent > 0 ? -Infinity : null };
  });
}

/** Per-bin attainment (percent; null for a bin where nothing counted): the daily availability chart. */
export function binAttainment(c: SloComputation): Array<Interval & { attainment: number | null }> {
  // An empty bin stays empty in a chart whatever the policy: it had no calls to judge.
  return c.bins.map((b) => ({ fromMs: b.fromMs, toMs: b.toMs, attainment: attainmentOf(b, c.basis, 'excluded') }));
}
