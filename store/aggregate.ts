// Pure arithmetic on Aggregates: how calls become rollups and how rollups merge.
// Both stores use these, so a rollup means the same thing on SQLite and ClickHouse.
import { LatencySketch } from './sketch.ts';
import type { Aggregate, ApiCall, RollupKey } from './types.ts';

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;

export function emptyAggregate(): Aggregate {
  return {
    calls: 0, errors: 0, status4xx: 0, status5xx: 0,
    durationSumMs: 0, durationMinMs: Infinity, durationMaxMs: -Infinity,
    statusCounts: {}, sketch: new LatencySketch(),
  };
}

export function addCall(agg: Aggregate, call: ApiCall): void {
  agg.calls += 1;
  if (call.error) agg.errors += 1;
  if (call.statusCode >= 400 && call.statusCode < 500) agg.status4xx += 1;
  if (call.statusCode >= 500 && call.statusCode < 600) agg.status5xx += 1;
  const code = String(call.statusCode);
  agg.statusCounts[code] = (agg.statusCounts[code] ?? 0) + 1;
  // An untimed call counts everywhere but in latency: a made-up 0 would drag percentiles down.
  if (call.durationMs === null) return;
  agg.durationSumMs += call.durationMs;
  agg.durationMinMs = Math.min(agg.durationMinMs, call.durationMs);
  agg.durationMaxMs = Math.max(agg.durationMaxMs, call.durationMs);
  agg.sketch.add(call.durationMs);
}

/** Adds `from` into `into` (exact: counts and sketch buckets add). */
export function mergeAggregate(into: Aggregate, from: Aggregate): Aggregate {
  into.calls += from.calls;
  into.errors += from.errors;
  into.status4xx += from.status4xx;
  into.status5xx += from.status5xx;
  into.durationSumMs += from.durationSumMs;
  into.durationMinMs = Math.min(into.durationMinMs, from.durationMinMs);
  into.durationMaxMs = Math.max(into.durationMaxMs, from.durationMaxMs);
  for (const [code, n] of Object.entries(from.statusCounts)) into.statusCounts[code] = (into.statusCounts[code] ?? 0) + n;
  into.sketch.merge(from.sketch);
  return into;
}

/** A percentile clamped to the exact min and max, which only ever reduces the error. */
export function percentile(agg: Aggregate, q: number): number {
  if (agg.sketch.count === 0) return NaN;
  return Math.min(agg.durationMaxMs, Math.max(agg.durationMinMs, agg.sketch.quantile(q)));
}

export function floorTo(ms: number, widthMs: number): number {
  return Math.floor(ms / widthMs) * widthMs;
}

export interface RollupDelta {
  key: RollupKey;
  bucketStartMs: number;
  agg: Aggregate;
}

/** Groups calls into per-(key, bucket) aggregates: the unit a store adds to its rollup rows. */
export function rollupCalls(calls: readonly ApiCall[], widthMs: number): RollupDelta[] {
  const deltas = new Map<string, RollupDelta>();
  for (const call of calls) {
    const bucketStartMs = floorTo(call.timeUnixMs, widthMs);
    const mapKey = `${bucketStartMs}\u0000${call.service}\u0000${call.method}\u0000${call.route}\u0000${call.source}`;
    let delta = deltas.get(mapKey);
    if (!delta) {
      delta = {
        key: { service: call.service, method: call.method, route: call.route, source: call.source },
        bucketStartMs,
        agg: emptyAggregate(),
      };
      deltas.set(mapKey, delta);
    }
    addCall(delta.agg, call);
  }
  return [...deltas.values()];
}

/** Re-buckets deltas into a wider width (minutes into hours): exact, and far cheaper than re-reading the calls. */
export function coarsen(deltas: readonly RollupDelta[], widthMs: number): RollupDelta[] {
  const wider = new Map<string, RollupDelta>();
  for (const delta of deltas) {
    const bucketStartMs = floorTo(delta.bucketStartMs, widthMs);
    const k = delta.key;
    const mapKey = `${bucketStartMs}\u0000${k.service}\u0000${k.method}\u0000${k.route}\u0000${k.source}`;
    const into = wider.get(mapKey);
    if (into) mergeAggregate(into.agg, delta.agg);
    else wider.set(mapKey, { key: k, bucketStartMs, agg: mergeAggregate(emptyAggregate(), delta.agg) });
  }
  return [...wider.values()];
}
