// Opening the ClickHouse store: a client, the database and schema (created if missing), the Store.
import { ClickHouseLogLevel, createClient } from '@clickhouse/client';
import { migrate } from './schema.ts';
import { selectRows } from './query.ts';
import { ident } from './sql.ts';
import { ClickHouseStore } from './clickhouse-store.ts';

export interface ClickHouseStoreOptions {
  /** HTTP interface, e.g. http://localhost:8123. */
  url: string;
  user?: string;
  password?: string;
  /** Created if missing. Letters, digits and underscores. */
  database: string;
  /** How long one statement may take before the write is failed as retryable (default 30 s). */
  requestTimeoutMs?: number;
  /** Appends waiting behind the one in flight before new ones are refused (default 8). */
  maxWaitingAppends?: number;
}

export async function openClickHouseStore(options: ClickHouseStoreOptions): Promise<ClickHouseStore> {
  const client = createClient({
    url: options.url,
    username: options.user ?? 'default',
    password: options.password ?? '',
    request_timeout: options.requestTimeoutMs ?? 30_000,
    max_open_connections: 10,
    // Failures reach the caller as rejections (ingest answers 503 and counts them); the
    // client's own error log would print each one a second time.
    log: { level: ClickHouseLogLevel.OFF },
  });
  let completeFrom: Map<string, number>;
  try {
    await migrate(client, options.database);
    // The latest value wins: two instances upgrading at once may both have written one.
    const rows = await selectRows<{ level: string; from: string }>(client,
      `SELECT level, max(complete_from_ms) AS from FROM ${ident(options.database)}.rollup_levels GROUP BY level`);
    completeFrom = new Map(rows.map((r) => [r.level, Number(r.from)]));
  } catch (err) {
    await client.close();
    throw err;
  }
  return new ClickHouseStore({ client, database: options.database, maxWaitingAppends: options.maxWaitingAppends ?? 8, completeFrom });
}
