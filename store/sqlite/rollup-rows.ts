// How an Aggregate is laid out in a rollup row, shared by the writer and the reader so the
// two can never disagree on a column.
import { LatencySketch } from '../sketch.ts';
import type { Aggregate, CallSource } from '../types.ts';

export type RollupTable = 'rollup_minute' | 'rollup_hour';

export interface RollupRow {
  bucket_start_ms: number;
  service: string;
  method: string;
  route: string;
  source: CallSource;
  calls: number;
  errors: number;
  status_4xx: number;
  status_5xx: number;
  duration_sum_ms: number;
  duration_min_ms: number;
  duration_max_ms: number;
  status_counts: string;
  sketch: Buffer;
}

export const ROLLUP_COLUMNS =
  'bucket_start_ms, service, method, route, source, calls, errors, status_4xx, status_5xx, ' +
  'duration_sum_ms, duration_min_ms, duration_max_ms, status_counts, sketch';

export function rowToAggregate(row: RollupRow): Aggregate {
  return {
    calls: row.calls,
    errors: row.errors,
    status4xx: row.status_4xx,
    status5xx: row.status_5xx,
    durationSumMs: row.duration_sum_ms,
    durationMinMs: row.duration_min_ms,
    durationMaxMs: row.duration_max_ms,
    statusCounts: JSON.parse(row.status_counts) as Record<string, number>,
    sketch: LatencySketch.decode(row.sketch),
  };
}

/** The aggregate columns in ROLLUP_COLUMNS order, after the five key columns. */
export function aggregateValues(agg: Aggregate): [number, number, number, number, number, number, number, string, Buffer] {
  return [
    agg.calls, agg.errors, agg.status4xx, agg.status5xx,
    agg.durationSumMs, agg.durationMinMs, agg.durationMaxMs,
    JSON.stringify(agg.statusCounts), agg.sketch.encode(),
  ];
}
