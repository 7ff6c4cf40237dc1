// Retention by explicit cutoffs, as the Store interface asks (TTL clauses would need 19.6+ and
// a fixed period at CREATE time). Each table is counted, then deleted by one mutation; rows are
// partitioned by day (raw) or month (rollups), so a mutation rewrites only the old parts.
import type { ClickHouseClient } from '@clickhouse/client';
import type { RetentionCutoffs } from '../types.ts';
import { deleteWhere } from './mutations.ts';
import { selectRows } from './query.ts';
import { num } from './sql.ts';

const DAY_MS = 86_400_000;

const rawNs = (c: RetentionCutoffs): bigint => BigInt(Math.ceil(c.rawBeforeMs)) * 1_000_000n;

const ROLLUP_TARGETS = (prefix: string): Array<{ table: string; condition: (c: RetentionCutoffs) => string }> => [
  { table: `${prefix}minute`, condition: (c) => `bucket_start_ms < ${num(c.minuteRollupsBeforeMs)}` },
  { table: `${prefix}hour`, condition: (c) => `bucket_start_ms < ${num(c.hourRollupsBeforeMs)}` },
  // Day rows follow the hour cutoff, and go only once their whole day is before it, so a day row
  // never claims calls whose hour rows are already gone.
  { table: `${prefix}day`, condition: (c) => `bucket_start_ms + ${num(DAY_MS)} <= ${num(c.hourRollupsBeforeMs)}` },
];

const TARGETS: ReadonlyArray<{ table: string; condition: (c: RetentionCutoffs) => string }> = [
  { table: 'calls', condition: (c) => `time_ms < ${num(c.rawBeforeMs)}` },
  { table: 'spans', condition: (c) => `start_ns < ${num(rawNs(c))}` },
  // A summary row is a partial state; rows whose spans all started before the cutoff go. A trace
  // straddling the cutoff keeps the summary of its later spans, as those spans are kept too.
  { table: 'traces', condition: (c) => `finalizeAggregation(start_min) < ${num(rawNs(c))}` },
  { table: 'check_runs', condition: (c) => `started_at_ms < ${num(c.rawBeforeMs)}` },
  ...ROLLUP_TARGETS('rollup_'),
  ...ROLLUP_TARGETS('rollup_service_'),
];

/** Deletes what is older than the cutoffs; returns the rows removed (stored rows, before merges). */
export async function applyRetention(client: ClickHouseClient, database: string, db: string, cutoffs: RetentionCutoffs): Promise<number> {
  let removed = 0;
  for (const { table, condition } of TARGETS) {
    const where = condition(cutoffs);
    const [row] = await selectRows<{ n: string }>(client, `SELECT count() AS n FROM ${db}.${table} WHERE ${where}`);
    const n = Number(row?.n ?? 0);
    if (n === 0) continue;
    await deleteWhere(client, database, db, table, where);
    removed += n;
  }
  return removed;
}
