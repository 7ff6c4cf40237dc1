// Writing whole rollup rows (from another store) instead of deriving them from calls: used by
// `telltale migrate --to clickhouse` for the history older than the oldest raw call. A chunk
// is one INSERT of one day, and a day that already has rows is skipped, so a re-run of the
// migration never adds a day twice.
import type { ClickHouseClient } from '@clickhouse/client';
import { HOUR_MS, MINUTE_MS } from '../aggregate.ts';
import type { RollupDelta } from '../aggregate.ts';
import { selectRows } from './query.ts';
import { num } from './sql.ts';

export const DAY_MS = 86_400_000;
export type RollupWidth = typeof MINUTE_MS | typeof HOUR_MS | typeof DAY_MS;

const TABLE: Record<RollupWidth, string> = { [MINUTE_MS]: 'rollup_minute', [HOUR_MS]: 'rollup_hour', [DAY_MS]: 'rollup_day' };

/** Inserts one chunk of rollup rows covering [fromMs, toMs) unless that range already has rows; true when written. */
export async function importRollupChunk(
  client: ClickHouseClient, db: string, widthMs: RollupWidth, fromMs: number, toMs: number, deltas: readonly RollupDelta[],
): Promise<boolean> {
  const table = TABLE[widthMs];
  const [present] = await selectRows<{ n: string }>(client,
    `SELECT count() AS n FROM ${db}.${table} WHERE bucket_start_ms >= ${num(fromMs)} AND bucket_start_ms < ${num(toMs)}`);
  if (Number(present?.n ?? 0) > 0 || deltas.length === 0) return false;
  const values = deltas.map(({ key, bucketStartMs, agg }) => {
    if (bucketStartMs < fromMs || bucketStartMs >= toMs) throw new RangeError(`rollup row at ${bucketStartMs} is outside [${fromMs}, ${toMs})`);
    const { indexes, counts } = agg.sketch.toArrays();
    const codes = Object.keys(agg.statusCounts);
    return {
      width_ms: widthMs, bucket_start_ms: bucketStartMs, service: key.service, method: key.method, route: key.route, source: key.source,
      in_calls: agg.calls, in_errors: agg.errors, in_status_4xx: agg.status4xx, in_status_5xx: agg.status5xx,
      in_duration_sum_ms: agg.durationSumMs,
      // ±Infinity (no timed call) travels as null; the view turns it back into ±inf.
      in_duration_min_ms: Number.isFinite(agg.durationMinMs) ? agg.durationMinMs : null,
      in_duration_max_ms: Number.isFinite(agg.durationMaxMs) ? agg.durationMaxMs : null,
      in_zero_count: agg.sketch.zeroCount,
      status_codes: codes.map(Number), status_code_counts: codes.map((c) => agg.statusCounts[c] ?? 0),
      sketch_indexes: indexes, sketch_counts: counts,
    };
  });
  await client.insert({ table: `${db}.rollup_import`, values, format: 'JSONEachRow' });
  return true;
}
