// Deletes in ClickHouse are mutations: ALTER TABLE … DELETE returns at once and parts are
// rewritten in the background. 18.16 has no mutations_sync setting, so we wait by polling
// system.mutations, bounded: callers rely on deleted rows being gone when the promise resolves.
import type { ClickHouseClient } from '@clickhouse/client';
import { execute, selectRows } from './query.ts';
import { str } from './sql.ts';

export interface MutationOptions {
  /** Give up waiting after this long (the mutation itself still completes in the background). */
  timeoutMs: number;
  pollMs: number;
}

const DEFAULTS: MutationOptions = { timeoutMs: 120_000, pollMs: 25 };

/** Runs `ALTER TABLE db.table DELETE WHERE condition` and resolves once it has been applied. */
export async function deleteWhere(
  client: ClickHouseClient, database: string, db: string, table: string, condition: string, options: MutationOptions = DEFAULTS,
): Promise<void> {
  await execute(client, `ALTER TABLE ${db}.${table} DELETE WHERE ${condition}`);
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const [row] = await selectRows<{ n: string }>(client,
      `SELECT count() AS n FROM system.mutations WHERE database = ${str(database)} AND table = ${str(table)} AND is_done = 0`);
    if (Number(row?.n ?? 0) === 0) return;
    if (Date.now() > deadline) throw new Error(`ClickHouse mutation on ${table} did not finish within ${options.timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, options.pollMs));
  }
}
