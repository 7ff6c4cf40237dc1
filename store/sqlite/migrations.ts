// Numbered schema migrations. A migration is never edited once released: a change is a new
// number, so every existing database file reaches the same schema by the same steps.
import type Database from 'better-sqlite3';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

// One definition for both rollup widths keeps their columns from drifting apart.
function rollupTable(table: string): string {
  return `
    CREATE TABLE ${table} (
      bucket_start_ms INTEGER NOT NULL,
      service TEXT NOT NULL,
      method TEXT NOT NULL,
      route TEXT NOT NULL,
      source TEXT NOT NULL,
      calls INTEGER NOT NULL,
      errors INTEGER NOT NULL,
      status_4xx INTEGER NOT NULL,
      status_5xx INTEGER NOT NULL,
      duration_sum_ms REAL NOT NULL,
      duration_min_ms REAL NOT NULL,
      duration_max_ms REAL NOT NULL,
      status_counts TEXT NOT NULL,
      sketch BLOB NOT NULL,
      UNIQUE (bucket_start_ms, service, method, route, source)
    );
    CREATE INDEX ${table}_service ON ${table} (service, bucket_start_ms);
  `;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'calls, spans, traces, rollups, tokens, health',
    sql: `
      CREATE TABLE calls (
        id TEXT NOT NULL,
        time_ms INTEGER NOT NULL,
        service TEXT NOT NULL,
        method TEXT NOT NULL,
        route TEXT NOT NULL,
        status_code INTEGER NOT NULL,
        duration_ms REAL,
        source TEXT NOT NULL,
        trace_id TEXT,
        span_id TEXT,
        consumer TEXT,
        error INTEGER NOT NULL
      );
      -- Dedupe keys lead with time: a re-sent record has the same time, and time-ordered keys
      -- make index inserts nearly sequential. Random keys (trace and span ids) would dirty one
      -- page per insert and cost more than everything else on the write path. This index also
      -- serves every time-window scan.
      CREATE UNIQUE INDEX calls_dedupe ON calls (time_ms, id);
      CREATE INDEX calls_service_time ON calls (service, time_ms);

      -- Nanosecond times are INTEGER (int64) so they sort and compare numerically and
      -- round-trip exactly through BigInt.
      CREATE TABLE spans (
        trace_id TEXT NOT NULL,
        span_id TEXT NOT NULL,
        parent_span_id TEXT,
        service TEXT NOT NULL,
        name TEXT NOT NULL,
        kind INTEGER NOT NULL,
        start_ns INTEGER NOT NULL,
        end_ns INTEGER NOT NULL,
        duration_ms REAL NOT NULL,
        status_code INTEGER NOT NULL,
        status_message TEXT NOT NULL,
        attributes TEXT NOT NULL,
        resource TEXT NOT NULL,
        events TEXT NOT NULL
      );
      -- Time-leading for the same reason; a trace's spans are found through its summary row's
      -- [start_ns, end_ns] range.
      CREATE UNIQUE INDEX spans_dedupe ON spans (start_ns, trace_id, span_id);

      -- One row per trace, kept up to date by append, so trace search walks an index
      -- newest-first and stops at its limit instead of grouping every span in the window.
      -- The root is the span ranked lowest by (root_rank, root_start_ns, root_span_id),
      -- where rank 0 means "has no parent".
      CREATE TABLE traces (
        trace_id TEXT NOT NULL PRIMARY KEY,
        start_ns INTEGER NOT NULL,
        end_ns INTEGER NOT NULL,
        span_count INTEGER NOT NULL,
        error_count INTEGER NOT NULL,
        root_rank INTEGER NOT NULL,
        root_start_ns INTEGER NOT NULL,
        root_span_id TEXT NOT NULL,
        root_service TEXT NOT NULL,
        root_name TEXT NOT NULL
      ) WITHOUT ROWID; -- keyed by random trace ids: one B-tree instead of a table plus its key index
      CREATE INDEX traces_start ON traces (start_ns, trace_id);

      ${rollupTable('rollup_minute')}
      ${rollupTable('rollup_hour')}

      CREATE TABLE tokens (
        id TEXT NOT NULL PRIMARY KEY,
        name TEXT NOT NULL,
        scope TEXT NOT NULL,
        hash TEXT NOT NULL UNIQUE,
        created_at_ms INTEGER NOT NULL
      );

      -- One row, rewritten by checkWritable: a real write proves the file takes commits.
      CREATE TABLE health (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        checked_at_ms INTEGER NOT NULL
      );
    `,
  },
  {
    version: 2,
    name: 'reader cursors',
    sql: `
      CREATE TABLE cursors (
        source TEXT NOT NULL PRIMARY KEY,
        position TEXT NOT NULL,
        updated_at_ms INTEGER NOT NULL
      );
    `,
  },
  {
    version: 3,
    name: 'synthetic checks and their runs',
    sql: `
      -- The definition is JSON the server has validated; the store does not look inside it.
      CREATE TABLE checks (
        id TEXT NOT NULL PRIMARY KEY,
        definition TEXT NOT NULL,
        origin TEXT NOT NULL,
        created_at_ms INTEGER NOT NULL,
        updated_at_ms INTEGER NOT NULL
      );

      -- A rowid table (not WITHOUT ROWID) so retention deletes it in rowid chunks like the others.
      CREATE TABLE check_runs (
        check_id TEXT NOT NULL,
        started_at_ms INTEGER NOT NULL,
        ok INTEGER NOT NULL,
        degraded INTEGER NOT NULL,
        duration_ms REAL NOT NULL,
        status_code INTEGER,
        error TEXT,
        trace_id TEXT,
        result TEXT NOT NULL
      );
      -- The idempotency key, and the index a check's history is read newest-first through.
      CREATE UNIQUE INDEX check_runs_key ON check_runs (check_id, started_at_ms);
      CREATE INDEX check_runs_started ON check_runs (started_at_ms);
    `,
  },
  {
    version: 4,
    name: 'control plane: documents, history, outbox',
    sql: `
      -- Alert rules, alert instances and groups, silences, SLOs, schedules: small JSON documents
      -- whose shape belongs to the capability that writes them.
      CREATE TABLE control_documents (
        kind TEXT NOT NULL,
        id TEXT NOT NULL,
        body TEXT NOT NULL,
        updated_at_ms INTEGER NOT NULL,
        PRIMARY KEY (kind, id)
      ) WITHOUT ROWID;

      CREATE TABLE control_events (
        kind TEXT NOT NULL,
        key TEXT NOT NULL,
        at_ms INTEGER NOT NULL,
        body TEXT NOT NULL
      );
      CREATE INDEX control_events_key ON control_events (kind, key, at_ms);
      CREATE INDEX control_events_time ON control_events (kind, at_ms);

      -- Notifications and reports waiting for delivery, and the record of what was delivered.
      CREATE TABLE outbox (
        id TEXT NOT NULL PRIMARY KEY,
        channel TEXT NOT NULL,
        body TEXT NOT NULL,
        created_at_ms INTEGER NOT NULL,
        status TEXT NOT NULL,
        attempts INTEGER NOT NULL,
        next_attempt_at_ms INTEGER NOT NULL,
        last_error TEXT,
        settled_at_ms INTEGER
      );
      CREATE INDEX outbox_due ON outbox (status, next_attempt_at_ms);
      CREATE INDEX outbox_created ON outbox (created_at_ms);
    `,
  },
  {
    version: 5,
    name: 'raw calls keep only their time index',
    // Every call paid for a second B-tree insert into (service, time_ms): measured on the
    // gateway import of 1M lines, dropping it takes Telltale from 160k to 205k lines/s. The
    // drill-down queries it served (slowest and failed calls, consumers) still scan only their
    // time window through calls_dedupe: at 1,000 calls/s over 10 services an hour's scan takes
    // 0.35-0.75 s instead of 0.15-0.2 s. Percentiles, series and route tables read rollups.
    sql: `DROP INDEX IF EXISTS calls_service_time;`,
  },
];

/**
 * Applies every migration newer than the file's, all in one IMMEDIATE transaction so two
 * processes opening the same new file cannot both migrate it. Returns the versions applied.
 */
export function migrate(db: Database.Database, migrations: readonly Migration[] = MIGRATIONS): number[] {
  const latest = migrations.reduce((max, m) => Math.max(max, m.version), 0);
  const run = db.transaction(() => {
    db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY,
      name TEXT NOT NULL,
      applied_at_ms INTEGER NOT NULL
    )`);
    const current = db.prepare<[], { v: number | null }>('SELECT MAX(version) AS v FROM schema_migrations').get()?.v ?? 0;
    if (current > latest) {
      // An older build must not write into a schema it does not understand.
      throw new Error(`database schema version ${current} is newer than this Telltale supports (${latest})`);
    }
    const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at_ms) VALUES (?, ?, ?)');
    const applied: number[] = [];
    for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
      if (m.version <= current) continue;
      db.exec(m.sql);
      record.run(m.version, m.name, Date.now());
      applied.push(m.version);
    }
    return applied;
  });
  return run.immediate();
}
