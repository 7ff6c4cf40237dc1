// The embedded Store: one better-sqlite3 connection in WAL mode. The driver is synchronous,
// so every method here runs one bounded statement or transaction and returns.
import type Database from 'better-sqlite3';
import type { Store } from '../store.ts';
import type {
  AggregateQuery, AggregateRow, ApiCall, AppendResult, CallFilter, CallQuery, CheckRecord, CheckRunQuery, CheckRunRecord,
  ConsumerBreakdownRow, IngestBatch, RetentionCutoffs, SpanRecord, TimeRange, TokenRecord, TraceQuery, TraceSummary,
} from '../types.ts';
import { queryAggregate } from './aggregate-query.ts';
import { queryCalls, queryConsumerBreakdown } from './call-queries.ts';
import { createCheckTable, type CheckTable } from './checks.ts';
import { createRetention } from './retention.ts';
import type { RetentionRunner } from './retention.ts';
import { StatementCache } from './statement-cache.ts';
import { createTokenTable } from './tokens.ts';
import type { TokenTable } from './tokens.ts';
import { createTraceReader } from './trace-queries.ts';
import type { Writer } from './writer.ts';
import type { TraceReader } from './trace-queries.ts';

// Runs synchronous driver work inside a promise, so a SQLite error becomes a rejection as
// the Store interface promises, never a synchronous throw from an async-looking method.
function settle<T>(work: () => T): Promise<T> {
  return new Promise((resolve) => resolve(work()));
}

export class SqliteStore implements Store {
  readonly #db: Database.Database;
  readonly #cache: StatementCache;
  readonly #writer: Writer;
  readonly #traces: TraceReader;
  readonly #tokens: TokenTable;
  readonly #checks: CheckTable;
  readonly #retention: RetentionRunner;
  readonly #writeHealth: Database.Statement<[number]>;
  readonly #readCursor: Database.Statement<[string], string>;

  constructor(db: Database.Database, writer: Writer) {
    this.#db = db;
    this.#writer = writer;
    this.#cache = new StatementCache(db);
    this.#traces = createTraceReader(db, this.#cache);
    this.#tokens = createTokenTable(db);
    this.#checks = createCheckTable(db);
    this.#retention = createRetention(db);
    this.#readCursor = db.prepare<[string], string>('SELECT position FROM cursors WHERE source = ?').pluck();
    this.#writeHealth = db.prepare(
      'INSERT INTO health (id, checked_at_ms) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET checked_at_ms = excluded.checked_at_ms',
    );
  }

  append(batch: IngestBatch): Promise<AppendResult> {
    return this.#writer.append(batch);
  }

  getCursor(source: string): Promise<string | null> {
    return settle(() => this.#readCursor.get(source) ?? null);
  }

  aggregate(query: AggregateQuery): Promise<AggregateRow[]> {
    return settle(() => queryAggregate(this.#cache, query));
  }

  calls(query: CallQuery): Promise<ApiCall[]> {
    return settle(() => queryCalls(this.#cache, query));
  }

  consumerBreakdown(range: TimeRange, filter: CallFilter, limit: number): Promise<ConsumerBreakdownRow[]> {
    return settle(() => queryConsumerBreakdown(this.#cache, range, filter, limit));
  }

  searchTraces(query: TraceQuery): Promise<TraceSummary[]> {
    return settle(() => this.#traces.search(query));
  }

  trace(traceId: string): Promise<SpanRecord[]> {
    return settle(() => this.#traces.trace(traceId));
  }

  createToken(token: TokenRecord): Promise<void> {
    return settle(() => { this.#tokens.create(token); });
  }

  findTokenByHash(hash: string): Promise<TokenRecord | null> {
    return settle(() => this.#tokens.findByHash(hash));
  }

  listTokens(): Promise<TokenRecord[]> {
    return settle(() => this.#tokens.list());
  }

  deleteToken(id: string): Promise<boolean> {
    return settle(() => this.#tokens.delete(id));
  }

  // Check definitions are control-plane writes, rare and tiny: the main connection takes them
  // like tokens; only runs (which arrive with ingest batches) go through the writer.
  putCheck(check: CheckRecord): Promise<void> {
    return settle(() => this.#checks.put(check));
  }

  getCheck(id: string): Promise<CheckRecord | null> {
    return settle(() => this.#checks.get(id));
  }

  listChecks(): Promise<CheckRecord[]> {
    return settle(() => this.#checks.list());
  }

  deleteCheck(id: string): Promise<boolean> {
    return settle(() => this.#checks.delete(id));
  }

  checkRuns(query: CheckRunQuery): Promise<CheckRunRecord[]> {
    return settle(() => this.#checks.runs(query));
  }

  applyRetention(cutoffs: RetentionCutoffs): Promise<number> {
    return this.#retention(cutoffs, () => this.#db.open);
  }

  checkWritable(): Promise<void> {
    // A real commit, not a pragma read: it fails on a full disk, a read-only file, a lock
    // held past busy_timeout or a closed handle, which is what /readyz needs to know.
    return settle(() => {
      this.#writer.checkAlive();
      this.#writeHealth.run(Date.now());
    });
  }

  async close(): Promise<void> {
    await this.#writer.close();
    if (!this.#db.open) return;
    // TRUNCATE leaves an empty WAL, so a copied data folder is complete without the -wal file.
    this.#db.pragma('wal_checkpoint(TRUNCATE)');
    this.#db.close();
  }
}
