// Retention by explicit cutoffs, as the Store interface asks (TTL clauses would need 19.6+ and
// a fixed period at CREATE time). Rows are partitioned by day (raw) or month (rollups): a
// partition that lies wholly before its cutoff is dropped, which costs no rewrite; what is old in
// the partition holding the cutoff is deleted by one mutation, which rewrites that partition.
import type { ClickHouseClient } from '@clickhouse/client';
import type { RetentionCutoffs } from '../types.ts';
import { deleteWhere } from './mutations.ts';
import { execute, selectRows } from './query.ts';
import { ROLLUP_TABLES, day, dayOfNs, month, type RollupTable } from './schema.ts';
import { num, str } from './sql.ts';

interface Target {
  table: string;
  /** Rows with `column < before` are old. */
  column: string;
  before: (c: RetentionCutoffs) => number | bigint;
  /** The table's partition key as a function of the column, when it has one. */
  partition?: (expr: string) => string;
}

const rawNs = (c: RetentionCutoffs): bigint => BigInt(Math.ceil(c.rawBeforeMs)) * 1_000_000n;

// Minute and hour rows follow their cutoffs; coarser rows follow the hour cutoff and go only
// once their whole bucket is before it, so they never claim calls whose hour rows are gone.
const rollupTarget = ({ table, widthMs }: RollupTable): Target => ({
  table, column: 'bucket_start_ms', partition: month,
  before: (c) => widthMs === 60_000 ? c.minuteRollupsBeforeMs
    : widthMs === 3_600_000 ? c.hourRollupsBeforeMs
      : Math.floor(c.hourRollupsBeforeMs) - widthMs + 1,
});

const TARGETS: readonly Target[] = [
  { table: 'calls', column: 'time_ms', before: (c) => c.rawBeforeMs, partition: day },
  { table: 'spans', column: 'start_ns', before: rawNs, partition: dayOfNs },
  // A summary row is a partial state; rows whose spans all started before the cutoff go. A trace
  // straddling the cutoff keeps the summary of its later spans, as those spans are kept too.
  { table: 'traces', column: 'finalizeAggregation(start_min)', before: rawNs },
  { table: 'check_runs', column: 'started_at_ms', before: (c) => c.rawBeforeMs, partition: month },
  ...ROLLUP_TABLES.map(rollupTarget),
];

/** Drops the partitions that lie wholly before `before` (their key is below the key of `before`). */
async function dropOldPartitions(client: ClickHouseClient, database: string, db: string, target: Required<Target>, before: string): Promise<void> {
  const [cutoff] = await selectRows<{ p: string }>(client, `SELECT toString(${target.partition(before)}) AS p`);
  const parts = await selectRows<{ partition: string }>(client,
    `SELECT DISTINCT partition FROM system.parts WHERE database = ${str(database)} AND table = ${str(target.table)} AND active`);
  for (const { partition } of parts) {
    if (/^\d+$/.test(partition) && Number(partition) < Number(cutoff!.p)) {
      await execute(client, `ALTER TABLE ${db}.${target.table} DROP PARTITION ${num(Number(partition))}`);
    }
  }
}

/** Deletes what is older than the cutoffs; returns the rows removed (stored rows, before merges). */
export async function applyRetention(client: ClickHouseClient, database: string, db: string, cutoffs: RetentionCutoffs): Promise<number> {
  let removed = 0;
  for (const target of TARGETS) {
    const before = num(target.before(cutoffs));
    const where = `${target.column} < ${before}`;
    const count = async () => Number((await selectRows<{ n: string }>(client, `SELECT count() AS n FROM ${db}.${target.table} WHERE ${where}`))[0]?.n ?? 0);
    const n = await count();
    if (n === 0) continue;
    removed += n;
    if (target.partition) await dropOldPartitions(client, database, db, target as Required<Target>, before);
    if (await count() > 0) await deleteWhere(client, database, db, target.table, where);
  }
  return removed;
}
