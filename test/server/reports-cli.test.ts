// `telltale report sla` in-process (main.ts dispatches to it): the report of the data folder on
// stdout, with the config file's SLOs, and CSV that parses back to the same numbers as JSON.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../server/config.ts';
import { openStores } from '../../server/open-store.ts';
import { reportCommand } from '../../server/cli/report.ts';

async function captured(run: () => Promise<void>): Promise<string> {
  const chunks: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    chunks.push(String(chunk));
    const cb = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
    cb?.();
    return true;
  });
  try {
    await run();
  } finally {
    process.stdout.write = write;
  }
  return chunks.join('');
}

test('report sla prints CSV and JSON of the data folder, with the config file\'s SLOs', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'telltale-report-cli-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const base = loadConfig({ TELLTALE_DATA_DIR: dir }, dir);
  const config = { ...base, file: { slos: [{ id: 'web', name: 'Web, "public"', target: 99.5, window: '30d', indicator: { type: 'availability', selector: { service: 'web' } } }] } };
  const stores = await openStores(config);
  const from = Date.UTC(2026, 0, 1);
  // 400 calls on 1 January, 3 server errors: 397/400 = 99.25 % < 99.5 %.
  await stores.store.append({
    spans: [],
    calls: Array.from({ length: 400 }, (_, i) => ({
      id: `c${i}`, timeUnixMs: from + 3_600_000 + i * 100, service: 'web', method: 'GET', route: '/', statusCode: i < 3 ? 500 : 200, durationMs: 12,
      source: 'gateway' as const, traceId: null, spanId: null, consumer: null, error: i < 3,
    })),
  });
  await stores.close();
  const args = ['sla', '--from', '2026-01-01T00:00:00Z', '--to', '2026-01-02T00:00:00Z'];
  const csv = await captured(() => reportCommand([...args, '--format', 'csv'], config));
  const lines = csv.trimEnd().split('\r\n');
  assert.equal(lines.length, 2);
  assert.match(lines[1]!, /^slo,web,"Web, ""public""",availability of service=web,99\.5,99\.25,false,/);
  const json = JSON.parse(await captured(() => reportCommand([...args, '--format', 'json'], config)));
  assert.equal(json.slos[0].attained, 99.25);
  assert.equal(json.slos[0].met, false);
  assert.equal(json.slos[0].badEvents, 3);
  const html = await captured(() => reportCommand([...args, '--format', 'html', '--time-zone', 'Europe/Berlin'], config));
  assert.ok(html.startsWith('<!DOCTYPE html>') && html.includes('Web, &quot;public&quot;'));
});
