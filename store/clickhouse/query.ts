// The two calls every file here makes: read rows, run a statement.
import type { ClickHouseClient } from '@clickhouse/client';

/** Runs a SELECT and returns its rows; 64-bit integers arrive as decimal strings (exact). */
export async function selectRows<T>(client: ClickHouseClient, query: string): Promise<T[]> {
  const result = await client.query({
    query, format: 'JSONEachRow',
    // Explicit, since it is what keeps nanosecond times exact whatever the server's default.
    clickhouse_settings: { output_format_json_quote_64bit_integers: 1 },
  });
  return result.json<T>();
}

export async function execute(client: ClickHouseClient, query: string): Promise<void> {
  await client.command({ query });
}
