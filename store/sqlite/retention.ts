// Retention deletes in bounded chunks, each its own short transaction, and yields to the
// event loop between chunks: a month of expired rows must not freeze ingest or queries.
import type Database from 'better-sqlite3';
import type { RetentionCutoffs } from '../types.ts';

/** Rows per DELETE: a chunk of wide span rows takes ~15 ms, short enough not to stall ingest. */
export const RETENTION_CHUNK_ROWS = 2_000;

interface ChunkedDelete {
  statement: Database.Statement<[number | bigint, number]>;
  cutoff: (c: RetentionCutoffs) => number | bigint;
}

function chunked(db: Database.Database, table: string, column: string, key = 'rowid'): Database.Statement<[number | bigint, number]> {
  return db.prepare(`DELETE FROM ${table} WHERE ${key} IN (SELECT ${key} FROM ${table} WHERE ${column} < ? LIMIT ?)`);
}

const rawNs = (c: RetentionCutoffs): bigint => BigInt(Math.ceil(c.rawBeforeMs)) * 1_000_000n;

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export type RetentionRunner = (cutoffs: RetentionCutoffs, isOpen: () => boolean) => Promise<number>;

export function createRetention(db: Database.Database, chunkRows = RETENTION_CHUNK_ROWS): RetentionRunner {
  const deletes: ChunkedDelete[] = [
    { statement: chunked(db, 'calls', 'time_ms'), cutoff: (c) => c.rawBeforeMs },
    { statement: chunked(db, 'spans', 'start_ns'), cutoff: rawNs },
    { statement: chunked(db, 'traces', 'start_ns', 'trace_id'), cutoff: rawNs },
    { statement: chunked(db, 'check_runs', 'started_at_ms'), cutoff: (c) => c.rawBeforeMs },
    { statement: chunked(db, 'rollup_minute', 'bucket_start_ms'), cutoff: (c) => c.minuteRollupsBeforeMs },
    { statement: chunked(db, 'rollup_hour', 'bucket_start_ms'), cutoff: (c) => c.hourRollupsBeforeMs },
  ];
  return async (cutoffs, isOpen) => {
    let removed = 0;
    for (const { statement, cutoff } of deletes) {
      const before = cutoff(cutoffs);
      for (;;) {
        // The store may be closed while we wait between chunks; stop instead of throwing.
        if (!isOpen()) return removed;
        const { changes } = statement.run(before, chunkRows);
        removed += changes;
        if (changes < chunkRows) break;
        await yieldToEventLoop();
      }
    }
    return removed;
  };
}
