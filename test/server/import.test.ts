// The same 100,000 generated nginx-timed lines through `telltale import` (a real process,
// from a gzip file) and through HTTP push give the same counts, and percentiles within the
// sketch's 1% of exact values computed from the file. Re-importing stores nothing twice.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { openSqliteStore } from '../../store/index.ts';
import { routeTable } from '../../server/query/verbs.ts';
import { runTelltale } from '../helpers/process.ts';
import { startTelltale } from '../helpers/telltale.ts';
import { nginxTimedLines } from '../helpers/nginx-lines.ts';
import { exactQuantile, relativeError } from '../helpers/exact.ts';

const LINES = 100_000;

test('import and push of the same lines agree with each other and with exact values', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'telltale-import-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const startMs = Math.floor((Date.now() - 3 * 3_600_000) / 1000) * 1000;
  const lines = nginxTimedLines(LINES, startMs, 11);
  const text = lines.map((l) => l.line).join('\n') + '\n';
  const file = join(dir, 'access.log.gz');
  await writeFile(file, gzipSync(text));

  const env = { TELLTALE_DATA_DIR: join(dir, 'imported') };
  const run = runTelltale(['import', '--format', 'nginx-timed', '--service', 'shop', file], env);
  assert.equal(await run.exited, 0, run.output());
  assert.match(run.output(), /100,000 lines .*100,000 calls \(100,000 new, 0 already stored\), 0 lines rejected/);
  const again = runTelltale(['import', '--format', 'nginx-timed', '--service', 'shop', file], env);
  assert.equal(await again.exited, 0);
  assert.match(again.output(), /\(0 new, 100,000 already stored\)/);

  const pushed = await startTelltale(t);
  const chunk = 20_000;
  for (let i = 0; i < LINES; i += chunk) {
    const response = await fetch(`${pushed.url}/v1/gateway-logs?format=nginx-timed&service=shop`, {
      method: 'POST', headers: { authorization: `Bearer ${pushed.tokens.ingest}`, 'content-type': 'text/plain' },
      body: lines.slice(i, i + chunk).map((l) => l.line).join('\n'),
    });
    assert.equal(response.status, 200);
  }

  const imported = await openSqliteStore({ file: join(dir, 'imported', 'telltale.db') });
  t.after(() => imported.close());
  const range = { fromMs: startMs - 60_000, toMs: Date.now() };
  const viaImport = await routeTable(imported, range, { service: 'shop' });
  const viaPush = await routeTable(pushed.store, range, { service: 'shop' });
  assert.deepEqual(viaImport.map(({ rps: _r, ...row }) => row), viaPush.map(({ rps: _r, ...row }) => row), 'import and push give the same route table');

  for (const row of viaImport) {
    const mine = lines.filter((l) => l.route === row.route && l.method === row.method);
    assert.equal(row.calls, mine.length);
    assert.equal(row.status5xx, mine.filter((l) => l.status >= 500).length);
    const durations = mine.map((l) => l.durationMs);
    for (const [field, q] of [['p50', 0.5], ['p95', 0.95], ['p99', 0.99]] as const) {
      assert.ok(relativeError(row[field]!, exactQuantile(durations, q)) <= 0.01, `${row.route} ${field}`);
    }
  }
  assert.equal(viaImport.reduce((n, r) => n + r.calls, 0), LINES);
});
