// Reads an existing SQLite store file for `telltale migrate --to clickhouse`: read-only, in
// keyset-paginated batches over the unique indexes, so memory stays flat however large it is.
import Database from 'better-sqlite3';
import type { RollupDelta } from '../aggregate.ts';
import { rowToAggregate } from '../sqlite/rollup-rows.ts';
import type { RollupRow, RollupTable } from '../sqlite/rollup-rows.ts';
import type { ApiCall, Attributes, CallSource, CheckOrigin, CheckRecord, CheckRunRecord, IngestCursor, SpanEvent, SpanRecord, TokenRecord, TokenScope } from '../types.ts';

interface CallRow {
  id: string; time_ms: number; service: string; method: string; route: string; status_code: number; duration_ms: number | null;
  source: CallSource; trace_id: string | null; span_id: string | null; consumer: string | null; error: number;
}
interface SpanRow {
  trace_id: string; span_id: string; parent_span_id: string | null; service: string; name: string; kind: bigint; start_ns: bigint; end_ns: bigint;
  duration_ms: number; status_code: bigint; status_message: string; attributes: string; resource: string; events: string;
}
interface RunRow {
  check_id: string; started_at_ms: number; ok: number; degraded: number; duration_ms: number; status_code: number | null;
  error: string | null; trace_id: string | null; result: string;
}

const toCall = (r: CallRow): ApiCall => ({
  id: r.id, timeUnixMs: r.time_ms, service: r.service, method: r.method, route: r.route, statusCode: r.status_code, durationMs: r.duration_ms,
  source: r.source, traceId: r.trace_id, spanId: r.span_id, consumer: r.consumer, error: r.error === 1,
});
const toSpan = (r: SpanRow): SpanRecord => ({
  traceId: r.trace_id, spanId: r.span_id, parentSpanId: r.parent_span_id, service: r.service, name: r.name, kind: Number(r.kind),
  startTimeUnixNano: r.start_ns.toString(), endTimeUnixNano: r.end_ns.toString(), durationMs: r.duration_ms,
  statusCode: Number(r.status_code), statusMessage: r.status_message, attributes: JSON.parse(r.attributes) as Attributes,
  resource: JSON.parse(r.resource) as Attributes, events: JSON.parse(r.events) as SpanEvent[],
});
const toRun = (r: RunRow): CheckRunRecord => ({
  checkId: r.check_id, startedAtMs: r.started_at_ms, ok: r.ok === 1, degraded: r.degraded === 1, durationMs: r.duration_ms,
  statusCode: r.status_code, error: r.error, traceId: r.trace_id, result: JSON.parse(r.result),
});

export class SqliteSource {
  readonly #db: Database.Database;

  constructor(file: string) {
    // fileMustExist: a mistyped path must not silently migrate an empty new database.
    this.#db = new Database(file, { readonly: true, fileMustExist: true });
  }

  count(table: 'calls' | 'spans' | 'check_runs', where = '1 = 1', ...params: unknown[]): number {
    return this.#db.prepare(`SELECT COUNT(*) FROM ${table} WHERE ${where}`).pluck().get(...params) as number;
  }

  earliestCallMs(): number | null {
    return this.#db.prepare('SELECT MIN(time_ms) FROM calls').pluck().get() as number | null;
  }

  tokens(): TokenRecord[] {
    return this.#db.prepare<[], { id: string; name: string; scope: TokenScope; hash: string; created_at_ms: number }>(
      'SELECT id, name, scope, hash, created_at_ms FROM tokens ORDER BY created_at_ms, id',
    ).all().map((r) => ({ id: r.id, name: r.name, scope: r.scope, hash: r.hash, createdAtMs: r.created_at_ms }));
  }

  checks(): CheckRecord[] {
    return this.#db.prepare<[], { id: string; definition: string; origin: CheckOrigin; created_at_ms: number; updated_at_ms: number }>(
      'SELECT id, definition, origin, created_at_ms, updated_at_ms FROM checks ORDER BY id',
    ).all().map((r) => ({ id: r.id, definition: JSON.parse(r.definition) as unknown, origin: r.origin, createdAtMs: r.created_at_ms, updatedAtMs: r.updated_at_ms }));
  }

  cursors(): IngestCursor[] {
    return this.#db.prepare<[], IngestCursor>('SELECT source, position FROM cursors ORDER BY source').all();
  }

  /** Days (UTC) that have rollup rows before `beforeMs`, oldest first. */
  rollupDays(table: RollupTable, beforeMs: number): number[] {
    return this.#db.prepare(`SELECT DISTINCT bucket_start_ms / 86400000 * 86400000 FROM ${table} WHERE bucket_start_ms < ? ORDER BY 1`)
      .pluck().all(beforeMs) as number[];
  }

  rollups(table: RollupTable, fromMs: number, toMs: number): RollupDelta[] {
    const rows = this.#db.prepare<[number, number], RollupRow>(
      `SELECT * FROM ${table} WHERE bucket_start_ms >= ? AND bucket_start_ms < ? ORDER BY bucket_start_ms`,
    ).all(fromMs, toMs);
    return rows.map((r) => ({ key: { service: r.service, method: r.method, route: r.route, source: r.source }, bucketStartMs: r.bucket_start_ms, agg: rowToAggregate(r) }));
  }

  /** Calls at or after `fromMs` in (time, id) order, `size` at a time. */
  *calls(fromMs: number, size: number): Generator<ApiCall[]> {
    const first = this.#db.prepare<[number, number], CallRow>('SELECT * FROM calls WHERE time_ms >= ? ORDER BY time_ms, id LIMIT ?');
    const next = this.#db.prepare<[number, number, string, number], CallRow>(
      'SELECT * FROM calls WHERE time_ms > ? OR (time_ms = ? AND id > ?) ORDER BY time_ms, id LIMIT ?',
    );
    let page = first.all(fromMs, size);
    while (page.length > 0) {
      yield page.map(toCall);
      const last = page.at(-1)!;
      page = next.all(last.time_ms, last.time_ms, last.id, size);
    }
  }

  *spans(size: number): Generator<SpanRecord[]> {
    const columns = 'trace_id, span_id, parent_span_id, service, name, kind, start_ns, end_ns, duration_ms, status_code, status_message, attributes, resource, events';
    const first = this.#db.prepare<[number], SpanRow>(`SELECT ${columns} FROM spans ORDER BY start_ns, trace_id, span_id LIMIT ?`).safeIntegers(true);
    const next = this.#db.prepare<[bigint, bigint, string, string, string, number], SpanRow>(
      `SELECT ${columns} FROM spans WHERE start_ns > ? OR (start_ns = ? AND (trace_id > ? OR (trace_id = ? AND span_id > ?)))
       ORDER BY start_ns, trace_id, span_id LIMIT ?`,
    ).safeIntegers(true);
    let page = first.all(size);
    while (page.length > 0) {
      yield page.map((r) => toSpan({ ...r, duration_ms: Number(r.duration_ms) }));
      const l = page.at(-1)!;
      page = next.all(l.start_ns, l.start_ns, l.trace_id, l.trace_id, l.span_id, size);
    }
  }

  *checkRuns(size: number): Generator<CheckRunRecord[]> {
    const first = this.#db.prepare<[number], RunRow>('SELECT * FROM check_runs ORDER BY check_id, started_at_ms LIMIT ?');
    const next = this.#db.prepare<[string, string, number, number], RunRow>(
      'SELECT * FROM check_runs WHERE check_id > ? OR (check_id = ? AND started_at_ms > ?) ORDER BY check_id, started_at_ms LIMIT ?',
    );
    let page = first.all(size);
    while (page.length > 0) {
      yield page.map(toRun);
      const l = page.at(-1)!;
      page = next.all(l.check_id, l.check_id, l.started_at_ms, size);
    }
  }

  close(): void {
    if (this.#db.open) this.#db.close();
  }
}
