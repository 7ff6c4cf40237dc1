// Synthetic checks and their runs. Definitions and results are JSON text: their shape belongs
// to synthetic/, and nothing here filters inside them. Runs are inserted by append.ts, inside
// the ingest transaction, so a run and its ApiCall commit together.
import type Database from 'better-sqlite3';
import type { CheckOrigin, CheckRecord, CheckRunQuery, CheckRunRecord } from '../types.ts';

interface CheckRow {
  id: string;
  definition: string;
  origin: CheckOrigin;
  created_at_ms: number;
  updated_at_ms: number;
}

interface RunRow {
  check_id: string;
  started_at_ms: number;
  ok: number;
  degraded: number;
  duration_ms: number;
  status_code: number | null;
  error: string | null;
  trace_id: string | null;
  result: string;
}

const CHECK_COLUMNS = 'id, definition, origin, created_at_ms, updated_at_ms';
const RUN_COLUMNS = 'check_id, started_at_ms, ok, degraded, duration_ms, status_code, error, trace_id, result';

function rowToCheck(row: CheckRow): CheckRecord {
  return { id: row.id, definition: JSON.parse(row.definition), origin: row.origin, createdAtMs: row.created_at_ms, updatedAtMs: row.updated_at_ms };
}

function rowToRun(row: RunRow): CheckRunRecord {
  return {
    checkId: row.check_id, startedAtMs: row.started_at_ms, ok: row.ok === 1, degraded: row.degraded === 1,
    durationMs: row.duration_ms, statusCode: row.status_code, error: row.error, traceId: row.trace_id,
    result: JSON.parse(row.result),
  };
}

export interface CheckTable {
  put(check: CheckRecord): void;
  get(id: string): CheckRecord | null;
  list(): CheckRecord[];
  delete(id: string): boolean;
  runs(query: CheckRunQuery): CheckRunRecord[];
}

export function createCheckTable(db: Database.Database): CheckTable {
  const upsert = db.prepare(
    `INSERT INTO checks (${CHECK_COLUMNS}) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET definition = excluded.definition, origin = excluded.origin,
     created_at_ms = excluded.created_at_ms, updated_at_ms = excluded.updated_at_ms`,
  );
  const byId = db.prepare<[string], CheckRow>(`SELECT ${CHECK_COLUMNS} FROM checks WHERE id = ?`);
  const all = db.prepare<[], CheckRow>(`SELECT ${CHECK_COLUMNS} FROM checks ORDER BY id`);
  const removeCheck = db.prepare<[string]>('DELETE FROM checks WHERE id = ?');
  const removeRuns = db.prepare<[string]>('DELETE FROM check_runs WHERE check_id = ?');
  const runs = db.prepare<[string, number, number, number], RunRow>(
    `SELECT ${RUN_COLUMNS} FROM check_runs
     WHERE check_id = ? AND started_at_ms >= ? AND started_at_ms < ?
     ORDER BY started_at_ms DESC LIMIT ?`,
  );
  // A deleted check's history would be unreachable through the API; it goes with the check.
  const deleteWithRuns = db.transaction((id: string) => {
    removeRuns.run(id);
    return removeCheck.run(id).changes > 0;
  });
  return {
    put: (c) => void upsert.run(c.id, JSON.stringify(c.definition), c.origin, c.createdAtMs, c.updatedAtMs),
    get: (id) => {
      const row = byId.get(id);
      return row ? rowToCheck(row) : null;
    },
    list: () => all.all().map(rowToCheck),
    delete: (id) => deleteWithRuns.immediate(id),
    runs: (q) => {
      if (!Number.isInteger(q.limit) || q.limit < 1) throw new RangeError(`limit must be a positive integer, got ${q.limit}`);
      return runs.all(q.checkId, q.fromMs, q.toMs, q.limit).map(rowToRun);
    },
  };
}

/** The insert append.ts runs inside its transaction; true when the run was new. */
export function createRunInserter(db: Database.Database): (run: CheckRunRecord) => boolean {
  const insert = db.prepare(`INSERT OR IGNORE INTO check_runs (${RUN_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  return (r) => insert.run(
    r.checkId, r.startedAtMs, r.ok ? 1 : 0, r.degraded ? 1 : 0, r.durationMs, r.statusCode, r.error, r.traceId, JSON.stringify(r.result),
  ).changes === 1;
}
