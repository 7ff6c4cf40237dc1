// Gateway-log benchmark: 1,000,000 nginx-timed lines parsed, templated, stored and rolled up
// by `telltale import`'s code path into a fresh SQLite store, beside GoAccess (Debian
// `goaccess`) analysing the same file, and the raw better-sqlite3 insert ceiling for
// ApiCall-shaped rows, all in the same run.
import { execFileSync, spawnSync } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { importLogFile } from '../collector/import-file.ts';
import { LogFormats } from '../collector/log-formats.ts';
import { RouteBook } from '../collector/route-book.ts';
import { openSqliteStore } from '../store/index.ts';
import { nginxTimedLines } from '../test/helpers/nginx-lines.ts';
import { progress } from './progress.ts';

const GOACCESS_FORMAT = '%h %^ %e [%d:%t %^] "%r" %s %b "%R" "%u" %T %^';

async function writeLog(path: string, lines: number): Promise<void> {
  const out = createWriteStream(path);
  const chunk = 10_000;
  const startMs = Math.floor((Date.now() - 2 * 86_400_000) / 1000) * 1000;
  for (let i = 0; i < lines; i += chunk) {
    const text = nginxTimedLines(Math.min(chunk, lines - i), startMs + (i / 20) * 1000, i + 1).map((l) => l.line).join('\n') + '\n';
    if (!out.write(text)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

/** Rows/s for ApiCall-shaped INSERTs (the store's one time-leading unique key) in 5,000-row transactions. */
function rawCallInsertRate(dir: string, rows: number): number {
  const db = new Database(join(dir, 'raw.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(`CREATE TABLE calls (id TEXT, time_ms INTEGER, service TEXT, method TEXT, route TEXT, status_code INTEGER,
    duration_ms REAL, source TEXT, trace_id TEXT, span_id TEXT, consumer TEXT, error INTEGER);
    CREATE UNIQUE INDEX calls_dedupe ON calls (time_ms, id);`);
  const insert = db.prepare('INSERT OR IGNORE INTO calls VALUES (?,?,?,?,?,?,?,?,?,?,?,?)');
  const batch = db.transaction((from: number) => {
    for (let i = from; i < from + 5000; i++) insert.run(`import:abc:${i}`, 1.7e12 + i * 50, 'shop', 'GET', '/api/users/{id}', 200, 40.5, 'gateway', null, null, null, 0);
  });
  const started = performance.now();
  for (let i = 0; i < rows; i += 5000) batch(i);
  const seconds = (performance.now() - started) / 1000;
  db.close();
  return rows / seconds;
}

export async function gatewayBenchmark(options: { lines: number }) {
  const dir = await mkdtemp(join(tmpdir(), 'telltale-bench-gw-'));
  try {
    const file = join(dir, 'access.log');
    progress(`writing ${options.lines.toLocaleString()} nginx-timed lines…`);
    await writeLog(file, options.lines);
    const { size } = await stat(file);
    progress(`  ${(size / 2 ** 20).toFixed(0)} MiB`);

    progress('GoAccess…');
    const goaccessVersion = execFileSync('goaccess', ['--version']).toString().split('\n')[0];
    let started = performance.now();
    const goaccess = spawnSync('goaccess', [file, `--log-format=${GOACCESS_FORMAT}`, '--date-format=%d/%b/%Y', '--time-format=%H:%M:%S', '--no-global-config', '-o', join(dir, 'report.json')], { encoding: 'utf8' });
    const goaccessSeconds = (performance.now() - started) / 1000;
    if (goaccess.status !== 0) throw new Error(`goaccess failed: ${goaccess.stderr}`);
    progress(`  ${goaccessSeconds.toFixed(1)} s`);

    progress('Telltale (import path: parse, template, store, roll up)…');
    const store = await openSqliteStore({ file: join(dir, 'telltale', 'telltale.db') });
    started = performance.now();
    const result = await importLogFile({
      path: file,
      format: new LogFormats().create('nginx-timed'),
      context: { service: 'shop', routes: new RouteBook({ maxRoutesPerService: 500 }), consumerFrom: 'log' },
      append: (batch) => store.append(batch),
      onProgress: (p) => { if (p.lines % 200_000 === 0) progress(`  ${p.lines.toLocaleString()} lines`); },
    });
    const telltaleSeconds = (performance.now() - started) / 1000;
    const [total] = await store.aggregate({ fromMs: 0, toMs: Date.now() + 86_400_000, filter: {}, groupBy: [] });
    await store.close();
    if (total?.agg.calls !== options.lines) throw new Error(`stored ${total?.agg.calls} of ${options.lines} lines`);
    progress(`  ${telltaleSeconds.toFixed(1)} s`);

    progress('raw better-sqlite3 inserts of ApiCall-shaped rows…');
    const rawRate = rawCallInsertRate(dir, Math.min(options.lines, 500_000));

    const telltaleRate = options.lines / telltaleSeconds;
    const goaccessRate = options.lines / goaccessSeconds;
    return {
      lines: options.lines, fileMiB: Math.round(size / 2 ** 20), rejected: result.rejected,
      telltaleSeconds: Math.round(telltaleSeconds * 10) / 10, telltaleLinesPerSecond: Math.round(telltaleRate),
      goaccess: goaccessVersion, goaccessSeconds: Math.round(goaccessSeconds * 10) / 10, goaccessLinesPerSecond: Math.round(goaccessRate),
      rawSqliteRowsPerSecond: Math.round(rawRate),
      telltaleToGoaccess: Math.round((telltaleRate / goaccessRate) * 100) / 100,
      telltaleToRawSqlite: Math.round((telltaleRate / rawRate) * 100) / 100,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
