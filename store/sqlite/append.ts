// The write path: raw calls, spans, trace summaries, check runs and both rollup widths in one transaction, so a crash
// or a duplicate request can never leave rollups that disagree with the raw rows.
import type Database from 'better-sqlite3';
import { HOUR_MS, MINUTE_MS, coarsen, mergeAggregate, rollupCalls } from '../aggregate.ts';
import type { ApiCall, AppendResult, IngestBatch, SpanRecord } from '../types.ts';
import { ROLLUP_COLUMNS, aggregateValues, rowToAggregate } from './rollup-rows.ts';
import type { RollupRow, RollupTable } from './rollup-rows.ts';
import { createTraceSummaryWriter } from './trace-summaries.ts';
import { createRunInserter } from './checks.ts';

interface RollupStatements {
  widthMs: number;
  select: Database.Statement<[number, string, string, string, string], RollupRow>;
  upsert: Database.Statement;
}

function rollupStatements(db: Database.Database, table: RollupTable, widthMs: number): RollupStatements {
  const agg = ['calls', 'errors', 'status_4xx', 'status_5xx', 'duration_sum_ms', 'duration_min_ms', 'duration_max_ms', 'status_counts', 'sketch'];
  return {
    widthMs,
    select: db.prepare(
      `SELECT ${ROLLUP_COLUMNS} FROM ${table}
       WHERE bucket_start_ms = ? AND service = ? AND method = ? AND route = ? AND source = ?`,
    ),
    // The merged values are computed in JS (sketches and status maps cannot add in SQL), so
    // the conflict branch simply takes them.
    upsert: db.prepare(
      `INSERT INTO ${table} (${ROLLUP_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (bucket_start_ms, service, method, route, source) DO UPDATE SET
       ${agg.map((c) => `${c} = excluded.${c}`).join(', ')}`,
    ),
  };
}

export interface Appender {
  append(batch: IngestBatch): AppendResult;
}

export function createAppender(db: Database.Database): Appender {
  const insertCall = db.prepare(
    `INSERT OR IGNORE INTO calls
     (id, time_ms, service, method, route, status_code, duration_ms, source, trace_id, span_id, consumer, error)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertSpan = db.prepare(
    `INSERT OR IGNORE INTO spans
     (trace_id, span_id, parent_span_id, service, name, kind, start_ns, end_ns, duration_ms,
      status_code, status_message, attributes, resource, events)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const writeTraceSummaries = createTraceSummaryWriter(db);
  const rollups = [rollupStatements(db, 'rollup_minute', MINUTE_MS), rollupStatements(db, 'rollup_hour', HOUR_MS)];

  function writeCall(call: ApiCall): boolean {
    return insertCall.run(
      call.id, call.timeUnixMs, call.service, call.method, call.route, call.statusCode, call.durationMs,
      call.source, call.traceId, call.spanId, call.consumer, call.error ? 1 : 0,
    ).changes === 1;
  }

  function writeSpan(span: SpanRecord): boolean {
    return insertSpan.run(
      span.traceId, span.spanId, span.parentSpanId, span.service, span.name, span.kind,
      BigInt(span.startTimeUnixNano), BigInt(span.endTimeUnixNano), span.durationMs,
      span.statusCode, span.statusMessage,
      JSON.stringify(span.attributes), JSON.stringify(span.resource), JSON.stringify(span.events),
    ).changes === 1;
  }

  function addToRollups(inserted: readonly ApiCall[]): void {
    const minutes = rollupCalls(inserted, MINUTE_MS);
    for (const { widthMs, select, upsert } of rollups) {
      for (const delta of widthMs === MINUTE_MS ? minutes : coarsen(minutes, widthMs)) {
        const k = delta.key;
        const existing = select.get(delta.bucketStartMs, k.service, k.method, k.route, k.source);
        const merged = existing ? mergeAggregate(rowToAggregate(existing), delta.agg) : delta.agg;
        upsert.run(delta.bucketStartMs, k.service, k.method, k.route, k.source, ...aggregateValues(merged));
      }
    }
  }

  const saveCursor = db.prepare(
    `INSERT INTO cursors (source, position, updated_at_ms) VALUES (?, ?, ?)
     ON CONFLICT (source) DO UPDATE SET position = excluded.position, updated_at_ms = excluded.updated_at_ms`,
  );

  const insertRun = createRunInserter(db);

  const transaction = db.transaction((batch: IngestBatch): AppendResult => {
    // Only rows this transaction actually inserted reach the rollups: that is what makes a
    // re-sent batch a no-op instead of a double count.
    const inserted = batch.calls.filter(writeCall);
    const insertedSpans = batch.spans.filter(writeSpan);
    addToRollups(inserted);
    writeTraceSummaries(insertedSpans);
    // In the same transaction as the rows: a crash can lose neither without the other.
    for (const cursor of batch.cursors ?? []) saveCursor.run(cursor.source, cursor.position, Date.now());
    // A check run and the ApiCall that feeds its rollups are one commit: history and uptime agree.
    for (const run of batch.checkRuns ?? []) insertRun(run);
    return { callsInserted: inserted.length, spansInserted: insertedSpans.length };
  });

  return {
    append(batch) {
      if (batch.calls.length === 0 && batch.spans.length === 0 && !batch.cursors?.length && !batch.checkRuns?.length) return { callsInserted: 0, spansInserted: 0 };
      // IMMEDIATE takes the write lock up front, so a busy database fails at BEGIN rather
      // than after the batch's reads.
      return transaction.immediate(batch);
    },
  };
}
