// The write path. ClickHouse has no transactions, so exactly-once rollups rest on two things:
// 1. Before inserting, the keys of the batch are looked up in the raw tables (by time and id,
//    the leading columns of their sort keys), and only rows not stored yet are inserted.
// 2. Rollups and trace summaries are materialized views on the raw tables: they see exactly the
//    rows one INSERT adds, in the same statement.
// Each table is deduplicated on its own key, so a batch that failed half-way is completed by
// its retry without counting anything twice. The guarantee holds for one writer per batch:
// two instances inserting the same new call at the same instant can both miss it in step 1
// (the raw table then collapses the copy, the rollups keep it), and a server crash between a
// raw part and its view parts inside one INSERT can lose that block's rollups.
import type { ClickHouseClient } from '@clickhouse/client';
import type { AppendResult, IngestBatch } from '../types.ts';
import { selectRows } from './query.ts';
import { callToRow, runToRow, spanToRow } from './rows.ts';
import type { CallRow, RunRow, SpanRow } from './rows.ts';
import { chunkLiterals, num, str } from './sql.ts';
import type { VersionClock } from './versions.ts';

/** Rows of one kind, keyed for deduplication. */
interface Keyed<Row> {
  key: string;
  literal: string;
  row: Row;
}

function uniqueByKey<Row>(items: readonly Keyed<Row>[]): Keyed<Row>[] {
  const seen = new Map<string, Keyed<Row>>();
  for (const item of items) if (!seen.has(item.key)) seen.set(item.key, item);
  return [...seen.values()];
}

interface KeySpec<Row> {
  table: string;
  /** The key tuple's columns, leading with the sort key's first column. */
  columns: string;
  /** The range predicate on the leading column that lets the primary index skip granules. */
  range: (items: readonly Keyed<Row>[]) => string;
}

/** The dedupe key of a row: its key columns as strings, JSON-encoded so no value can forge a separator. */
const keyOf = (values: ReadonlyArray<string | number>): string => JSON.stringify(values.map(String));

async function notStored<Row>(client: ClickHouseClient, db: string, spec: KeySpec<Row>, items: readonly Keyed<Row>[]): Promise<Keyed<Row>[]> {
  if (items.length === 0) return [];
  const columns = spec.columns.split(', ');
  const found = new Set<string>();
  for (const chunk of chunkLiterals(items.map((i) => i.literal))) {
    const rows = await selectRows<Record<string, string | number>>(client,
      `SELECT DISTINCT ${spec.columns} FROM ${db}.${spec.table} WHERE ${spec.range(items)} AND (${spec.columns}) IN (${chunk.join(', ')})`);
    for (const row of rows) found.add(keyOf(columns.map((c) => row[c] ?? '')));
  }
  return items.filter((i) => !found.has(i.key));
}

const minMax = (values: readonly bigint[]): [bigint, bigint] =>
  values.reduce<[bigint, bigint]>(([lo, hi], v) => [v < lo ? v : lo, v > hi ? v : hi], [values[0]!, values[0]!]);

export function createAppender(client: ClickHouseClient, db: string, versions: VersionClock) {
  const callKeys: KeySpec<CallRow> = {
    table: 'calls', columns: 'time_ms, id',
    range: (items) => {
      const [lo, hi] = minMax(items.map((i) => BigInt(i.row.time_ms)));
      return `time_ms >= ${num(lo)} AND time_ms <= ${num(hi)}`;
    },
  };
  const spanKeys: KeySpec<SpanRow> = {
    table: 'spans', columns: 'start_ns, trace_id, span_id',
    range: (items) => {
      const [lo, hi] = minMax(items.map((i) => BigInt(i.row.start_ns)));
      return `start_ns >= ${num(lo)} AND start_ns <= ${num(hi)}`;
    },
  };
  const runKeys: KeySpec<RunRow> = {
    table: 'check_runs', columns: 'check_id, started_at_ms',
    range: (items) => `check_id IN (${[...new Set(items.map((i) => i.row.check_id))].map(str).join(', ')})`,
  };

  async function insert(table: string, values: readonly unknown[]): Promise<void> {
    if (values.length === 0) return;
    await client.insert({ table: `${db}.${table}`, values, format: 'JSONEachRow' });
  }

  return async function append(batch: IngestBatch): Promise<AppendResult> {
    // Every row is converted first: a malformed record fails the batch before anything is written.
    const calls = uniqueByKey(batch.calls.map((c) => {
      const row = callToRow(c);
      return { key: keyOf([row.time_ms, row.id]), literal: `(${num(c.timeUnixMs)}, ${str(c.id)})`, row };
    }));
    const spans = uniqueByKey(batch.spans.map((s) => {
      const row = spanToRow(s);
      return { key: keyOf([row.start_ns, row.trace_id, row.span_id]), literal: `(${row.start_ns}, ${str(row.trace_id)}, ${str(row.span_id)})`, row };
    }));
    const runs = uniqueByKey((batch.checkRuns ?? []).map((r) => {
      const row = runToRow(r);
      return { key: keyOf([row.check_id, row.started_at_ms]), literal: `(${str(r.checkId)}, ${num(r.startedAtMs)})`, row };
    }));

    const newCalls = await notStored(client, db, callKeys, calls);
    const newSpans = await notStored(client, db, spanKeys, spans);
    const newRuns = await notStored(client, db, runKeys, runs);

    await insert('calls', newCalls.map((c) => c.row));
    await insert('spans', newSpans.map((s) => s.row));
    await insert('check_runs', newRuns.map((r) => r.row));
    // Last: a cursor never gets ahead of the rows it stands for.
    const now = Date.now();
    await insert('cursors', (batch.cursors ?? []).map((c) => ({ source: c.source, position: c.position, updated_at_ms: now, version: versions.next() })));
    return { callsInserted: newCalls.length, spansInserted: newSpans.length };
  };
}
