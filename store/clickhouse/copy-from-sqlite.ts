// `telltale migrate --to clickhouse`: copies a SQLite store into the ClickHouse store.
// Safe to re-run (and to resume after an interruption): calls, spans and runs are appended
// through the idempotent write path; tokens are created only when missing, checks replaced,
// cursors rewritten; rollup days already present are skipped.
//
// Rollups: SQLite keeps hour rollups far longer than raw calls. For time before the oldest raw
// call (rounded up to the hour, B) the rollup rows themselves are copied; from B on, the copied
// calls rebuild the rollups in ClickHouse. Raw calls before B (under an hour of the oldest data,
// next in line for retention) are not copied, since their rollups already are.
import { HOUR_MS, MINUTE_MS, coarsen } from '../aggregate.ts';
import { DAY_MS } from './rollup-import.ts';
import type { RollupDelta } from '../aggregate.ts';
import type { ClickHouseStore } from './clickhouse-store.ts';
import { SqliteSource } from './sqlite-source.ts';

export interface CopyProgress {
  /** What is being copied: `calls`, `spans`, `check runs`, `rollups (minute)` … */
  what: string;
  done: number;
  total: number;
}

export interface CopySummary {
  calls: number;
  spans: number;
  checkRuns: number;
  rollupDays: number;
  tokens: number;
  checks: number;
  cursors: number;
}

export interface CopyOptions {
  sqliteFile: string;
  target: ClickHouseStore;
  /** Rows per append (default 10,000). */
  batchRows?: number;
  onProgress?: (progress: CopyProgress) => void;
}

export async function copySqliteToClickHouse(options: CopyOptions): Promise<CopySummary> {
  const { target } = options;
  const size = options.batchRows ?? 10_000;
  const progress = options.onProgress ?? (() => {});
  const source = new SqliteSource(options.sqliteFile);
  const summary: CopySummary = { calls: 0, spans: 0, checkRuns: 0, rollupDays: 0, tokens: 0, checks: 0, cursors: 0 };
  try {
    for (const token of source.tokens()) {
      if (await target.findTokenByHash(token.hash)) continue;
      await target.createToken(token);
      summary.tokens += 1;
    }
    for (const check of source.checks()) {
      await target.putCheck(check);
      summary.checks += 1;
    }

    const earliest = source.earliestCallMs();
    const boundary = earliest === null ? Number.MAX_SAFE_INTEGER : Math.ceil(earliest / HOUR_MS) * HOUR_MS;
    // Before the calls: a day's presence check must not see rows the copied calls produced.
    // Day rows are the hour rows coarsened: SQLite has no day width.
    const plans = [
      ['rollup_minute', MINUTE_MS, 'minute', (deltas: RollupDelta[]) => deltas],
      ['rollup_hour', HOUR_MS, 'hour', (deltas: RollupDelta[]) => deltas],
      ['rollup_hour', DAY_MS, 'day', (deltas: RollupDelta[]) => coarsen(deltas, DAY_MS)],
    ] as const;
    for (const [table, widthMs, label, shape] of plans) {
      const days = source.rollupDays(table, boundary);
      for (const [i, day] of days.entries()) {
        const toMs = Math.min(day + DAY_MS, boundary);
        const written = await target.importRollups(widthMs, day, toMs, shape(source.rollups(table, day, toMs)));
        // Counted once per day, by its hour rows (kept longest, so they cover every day copied).
        if (written && widthMs === HOUR_MS) summary.rollupDays += 1;
        progress({ what: `rollups (${label})`, done: i + 1, total: days.length });
      }
    }

    const totalCalls = earliest === null ? 0 : source.count('calls', 'time_ms >= ?', boundary);
    let done = 0;
    for (const calls of source.calls(boundary, size)) {
      summary.calls += (await target.append({ calls, spans: [] })).callsInserted;
      done += calls.length;
      progress({ what: 'calls', done, total: totalCalls });
    }
    const totalSpans = source.count('spans');
    done = 0;
    for (const spans of source.spans(size)) {
      summary.spans += (await target.append({ calls: [], spans })).spansInserted;
      done += spans.length;
      progress({ what: 'spans', done, total: totalSpans });
    }
    const totalRuns = source.count('check_runs');
    done = 0;
    for (const checkRuns of source.checkRuns(size)) {
      await target.append({ calls: [], spans: [], checkRuns });
      summary.checkRuns += checkRuns.length;
      done += checkRuns.length;
      progress({ what: 'check runs', done, total: totalRuns });
    }
    // Last, like every append: a reader resumes from a position whose rows are all copied.
    const cursors = source.cursors();
    if (cursors.length > 0) await target.append({ calls: [], spans: [], cursors });
    summary.cursors = cursors.length;
    return summary;
  } finally {
    source.close();
  }
}
