// The scaled-out Store: telemetry in ClickHouse over HTTP (@clickhouse/client). Every method
// is a few bounded statements; writes go through one WriteQueue per instance.
import { hostname } from 'node:os';
import type { ClickHouseClient } from '@clickhouse/client';
import type { Store } from '../store.ts';
import type { RollupDelta } from '../aggregate.ts';
import type {
  AggregateQuery, AggregateRow, ApiCall, AppendResult, CallFilter, CallQuery, CheckRecord, CheckRunQuery, CheckRunRecord,
  ConsumerBreakdownRow, IngestBatch, RetentionCutoffs, SpanRecord, TimeRange, TokenRecord, TraceQuery, TraceSummary,
} from '../types.ts';
import { queryAggregate, type CompleteFrom } from './aggregate-query.ts';
import { createAppender } from './append.ts';
import { queryCalls, queryConsumerBreakdown } from './call-queries.ts';
import { ClickHouseUnavailableError } from './errors.ts';
import { deleteWhere } from './mutations.ts';
import { selectRows } from './query.ts';
import { applyRetention } from './retention.ts';
import { importRollupChunk } from './rollup-import.ts';
import type { RollupWidth } from './rollup-import.ts';
import { RUN_COLUMNS, rowToRun } from './rows.ts';
import type { RunRow } from './rows.ts';
import { createSmallTables } from './small-tables.ts';
import type { SmallTables } from './small-tables.ts';
import { ident, num, str } from './sql.ts';
import { readTrace, searchTraces } from './trace-queries.ts';
import { VersionClock } from './versions.ts';
import { WriteQueue } from './write-queue.ts';

export interface ClickHouseStoreParts {
  client: ClickHouseClient;
  database: string;
  /** Appends allowed to wait behind the one being written before new ones are refused. */
  maxWaitingAppends: number;
  /** From when each rollup table added by schema migration 3 holds every call. */
  completeFrom: CompleteFrom;
}

export class ClickHouseStore implements Store {
  readonly #client: ClickHouseClient;
  readonly #database: string;
  readonly #db: string;
  readonly #queue: WriteQueue;
  readonly #append: (batch: IngestBatch) => Promise<AppendResult>;
  readonly #small: SmallTables;
  readonly #completeFrom: CompleteFrom;
  readonly #instance = `${hostname()}:${process.pid}`;
  #closed = false;

  constructor(parts: ClickHouseStoreParts) {
    this.#client = parts.client;
    this.#database = parts.database;
    this.#db = ident(parts.database);
    this.#queue = new WriteQueue(parts.maxWaitingAppends);
    this.#completeFrom = parts.completeFrom;
    const versions = new VersionClock();
    this.#append = createAppender(this.#client, this.#db, versions);
    this.#small = createSmallTables(this.#client, this.#db, versions);
  }

  /** Batches waiting to be written (for metrics and tests). */
  get queuedAppends(): number {
    return this.#queue.depth;
  }

  append(batch: IngestBatch): Promise<AppendResult> {
    if (this.#closed) return Promise.reject(new ClickHouseUnavailableError('ClickHouse store is closed', 5));
    if (batch.calls.length === 0 && batch.spans.length === 0 && !batch.cursors?.length && !batch.checkRuns?.length) {
      return Promise.resolve({ callsInserted: 0, spansInserted: 0 });
    }
    return this.#queue.run(() => this.#append(batch));
  }

  getCursor(source: string): Promise<string | null> {
    return this.#small.getCursor(source);
  }

  aggregate(query: AggregateQuery): Promise<AggregateRow[]> {
    return queryAggregate(this.#client, this.#db, query, this.#completeFrom);
  }

  calls(query: CallQuery): Promise<ApiCall[]> {
    return queryCalls(this.#client, this.#db, query);
  }

  consumerBreakdown(range: TimeRange, filter: CallFilter, limit: number): Promise<ConsumerBreakdownRow[]> {
    return queryConsumerBreakdown(this.#client, this.#db, range, filter, limit);
  }

  searchTraces(query: TraceQuery): Promise<TraceSummary[]> {
    return searchTraces(this.#client, this.#db, query);
  }

  trace(traceId: string): Promise<SpanRecord[]> {
    return readTrace(this.#client, this.#db, traceId);
  }

  createToken(token: TokenRecord): Promise<void> {
    return this.#small.createToken(token);
  }

  findTokenByHash(hash: string): Promise<TokenRecord | null> {
    return this.#small.findTokenByHash(hash);
  }

  listTokens(): Promise<TokenRecord[]> {
    return this.#small.listTokens();
  }

  deleteToken(id: string): Promise<boolean> {
    return this.#small.deleteToken(id);
  }

  putCheck(check: CheckRecord): Promise<void> {
    return this.#small.putCheck(check);
  }

  getCheck(id: string): Promise<CheckRecord | null> {
    return this.#small.getCheck(id);
  }

  listChecks(): Promise<CheckRecord[]> {
    return this.#small.listChecks();
  }

  async deleteCheck(id: string): Promise<boolean> {
    if (!(await this.#small.deleteCheck(id))) return false;
    // A deleted check's history would be unreachable through the API; it goes with the check.
    await deleteWhere(this.#client, this.#database, this.#db, 'check_runs', `check_id = ${str(id)}`);
    return true;
  }

  async checkRuns(q: CheckRunQuery): Promise<CheckRunRecord[]> {
    if (!Number.isInteger(q.limit) || q.limit < 1) throw new RangeError(`limit must be a positive integer, got ${q.limit}`);
    const rows = await selectRows<RunRow>(this.#client, `
      SELECT ${RUN_COLUMNS} FROM ${this.#db}.check_runs
      WHERE check_id = ${str(q.checkId)} AND started_at_ms >= ${num(q.fromMs)} AND started_at_ms < ${num(q.toMs)}
      ORDER BY started_at_ms DESC LIMIT 1 BY started_at_ms LIMIT ${q.limit}`);
    return rows.map(rowToRun);
  }

  /**
   * Writes whole rollup rows for [fromMs, toMs) unless that range already has some (the
   * migration's history before its oldest raw call); true when written.
   */
  importRollups(widthMs: RollupWidth, fromMs: number, toMs: number, deltas: readonly RollupDelta[]): Promise<boolean> {
    return importRollupChunk(this.#client, this.#db, widthMs, fromMs, toMs, deltas);
  }

  applyRetention(cutoffs: RetentionCutoffs): Promise<number> {
    return applyRetention(this.#client, this.#database, this.#db, cutoffs);
  }

  async checkWritable(): Promise<void> {
    if (this.#closed) throw new ClickHouseUnavailableError('ClickHouse store is closed', 5);
    // A real insert, not a ping: it fails on a read-only or full server, which is what /readyz needs to know.
    await this.#client.insert({
      table: `${this.#db}.health`, format: 'JSONEachRow', values: [{ instance: this.#instance, checked_at_ms: Date.now() }],
    });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    // Batches already accepted are written (or fail to their callers) before the connection goes.
    await this.#queue.drain();
    await this.#client.close();
  }
}
