// `telltale migrate --to clickhouse [--from FILE]`: copies the SQLite installation in the data
// folder (calls, spans, check runs, rollup history, checks, tokens, cursors) into the ClickHouse
// named by TELLTALE_CLICKHOUSE_*. Re-running it is safe and resumes an interrupted copy.
// The control plane (alert rules, silences, history, outbox) is not copied: it stays in the
// SQLite file, which ClickHouse mode keeps using for it (see server/open-store.ts).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openClickHouseStore } from '../../store/index.ts';
import { copySqliteToClickHouse, type CopyProgress } from '../../store/clickhouse/copy-from-sqlite.ts';
import type { Config } from '../config.ts';
import { fail } from './fail.ts';

const USAGE = 'usage: telltale migrate --to clickhouse [--from path/to/telltale.db] [--batch-rows N]';

/** Prints a line per step, and at most one line per second while a step runs. */
function progressPrinter(now: () => number = Date.now): (p: CopyProgress) => void {
  let lastWhat = '';
  let lastAt = 0;
  return ({ what, done, total }) => {
    const finished = done >= total;
    if (what === lastWhat && !finished && now() - lastAt < 1000) return;
    lastWhat = what;
    lastAt = now();
    const pct = total === 0 ? 100 : Math.floor((done / total) * 100);
    console.log(`  ${what}: ${done.toLocaleString('en')}/${total.toLocaleString('en')} (${pct}%)`);
  };
}

export async function migrateCommand(args: string[], config: Config): Promise<void> {
  const { values } = parseArgs({ args, options: { to: { type: 'string' }, from: { type: 'string' }, 'batch-rows': { type: 'string' } } });
  if (values.to !== 'clickhouse') fail(USAGE);
  const batchRows = values['batch-rows'] === undefined ? 10_000 : Number(values['batch-rows']);
  if (!Number.isInteger(batchRows) || batchRows < 1) fail(`--batch-rows must be a positive integer; ${USAGE}`);
  const sqliteFile = values.from ?? join(config.dataDir, 'telltale.db');
  if (!existsSync(sqliteFile)) fail(`no SQLite store at ${sqliteFile}; ${USAGE}`);

  const { url, user, password, database } = config.clickhouse;
  console.log(`Copying ${sqliteFile} to ClickHouse ${url} database ${database}`);
  const target = await openClickHouseStore({ url, user, password, database });
  try {
    const started = Date.now();
    const summary = await copySqliteToClickHouse({ sqliteFile, target, batchRows, onProgress: progressPrinter() });
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(`Done in ${seconds} s: ${summary.calls} new calls, ${summary.spans} new spans, ${summary.checkRuns} check runs, ` +
      `${summary.rollupDays} days of older rollups, ${summary.tokens} new tokens, ${summary.checks} checks, ${summary.cursors} cursors.`);
    console.log('Start Telltale with TELLTALE_STORE=clickhouse to use it.');
  } finally {
    await target.close();
  }
}
