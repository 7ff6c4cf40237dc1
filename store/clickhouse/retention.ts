// Retention by explicit cutoffs, as the Store interface asks (TTL clauses would need 19.6+ and
// a fixed period at CREATE time). Each table is counted, then deleted by one mutation; rows are
// partitioned by day (raw) or month (rollups), so a mutation rewrites only the old parts.
import type { ClickHouseClient } from '@clickhouse/client';
import type { RetentionCutoffs } from '../types.ts';
import { deleteWhere } from './mutations.ts';
import { selectRows } from './query.ts';
import { ROLLUP_TABLES, type RollupTable } from './schema.ts';
import { num } from './sql.ts';

const rawNs = (c: RetentionCutoffs): bigint => BigInt(Math.ceil(c.rawBeforeMs)) * 1_000_000n;

// Minute and hour rows follow their cutoffs; coarser rows follow the hour cutoff and go only
// once their whole bucket is before it, so they never claim calls whose hour rows are gone.
const rollupCondition = ({ widthMs }: RollupTable) => (c: RetentionCutoffs): string => {
  if (widthMs === 60_000) return `bucket_start_ms < ${num(c.minuteRollupsBeforeMs)}`;
  if (widthMs === 3_600_000) return `bucket_start_ms < ${num(c.hourRollupsBeforeMs)}`;
  return `bucket_start_ms + ${num(widthMs)} <= ${num(c.hourRollupsBeforeMs)}`;
};

const TARGETS: ReadonlyArray<{ table: string; condition: (c: RetentionCutoffs) => string }> = [
  { table: 'calls', condition: (c) => `time_ms < ${num(c.rawBeforeMs)}` },
  { table: 'spans', condition: (c) => `start_ns < ${num(rawNs(c))}` },
  // A summary row is a partial state; rows whose spans all started before the cutoff go. A trace
  // straddling the cutoff keeps the summary of its later spans, as those spans are kept too.
  { table: 'traces', condition: (c) => `finalizeAggregation(start_min) < ${num(rawNs(c))}` },
  { table: 'check_runs', condition: (c) => `started_at_ms < ${num(c.rawBeforeMs)}` },
  ...ROLLUP_TABLES.map((t) => ({ table: t.table, condition: rollupCondition(t) })),
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
