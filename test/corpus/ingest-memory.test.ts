// The memory watermark (TELLTALE_INGEST_MEMORY_MAX_MB): above it ingest answers 503 with
// Retry-After on every receiver, counted as `memory_pressure`, and stores nothing of the refused
// batch, while queries keep working; below it again, ingest resumes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IngestOverloadedError, IngestQueue } from '../../collector/ingest-queue.ts';
import { openSqliteStore } from '../../store/index.ts';
import { jsonRequest, jsonSpan } from '../helpers/otlp-json.ts';
import { JSON_TYPE, callCount, postOtlp } from '../helpers/otlp-http.ts';
import { nginxTimedLines } from '../helpers/nginx-lines.ts';
import { fileScope, measured, startCorpusTelltale } from './harness.ts';

const MiB = 1024 * 1024;

test('the queue refuses with memory_pressure while usage is above the watermark and accepts again below it', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'telltale-memory-'));
  const store = await openSqliteStore({ file: join(dir, 'telltale.db') });
  let rss = 100 * MiB;
  const queue = new IngestQueue({ store, maxQueuedItems: 1000, memoryMaxBytes: 200 * MiB, memoryUsage: () => rss, memorySampleMs: 0 });
  t.after(async () => {
    await queue.close();
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });
  const call = (id: string) => ({ calls: [{ id, timeUnixMs: Date.now() - 60_000, service: 'mem', method: 'GET', route: '/', statusCode: 200, durationMs: 1, source: 'trace' as const, traceId: null, spanId: null, consumer: null, error: false }], spans: [] });
  await queue.submit(call('a'));
  rss = 201 * MiB;
  await assert.rejects(queue.submit(call('b')), (err: unknown) => err instanceof IngestOverloadedError && err.reason === 'memory_pressure' && err.retryAfterSeconds > 0);
  rss = 150 * MiB;
  await queue.submit(call('c'));
  const ids = (await store.calls({ fromMs: 0, toMs: Date.now(), filter: {}, limit: 10, order: 'recent' })).map((c) => c.id).sort();
  assert.deepEqual(ids, ['a', 'c']);
});

let shared: ReturnType<typeof startCorpusTelltale> | null = null;
// A 1 MB watermark: any Node process is above it, so every ingest request meets it.
const start = () => (shared ??= startCorpusTelltale(fileScope, { ingestMemoryMaxBytes: 1 * MiB }));

test('above the watermark, OTLP ingest is 503 with Retry-After and a Status, counted memory_pressure, nothing stored', async () => {
  const telltale = await start();
  const { result, discards } = await measured(telltale, () => postOtlp(telltale, jsonRequest('mem-otlp', [jsonSpan(), jsonSpan()]), { path: '/v1/traces', headers: { 'content-type': JSON_TYPE } }));
  assert.equal(result.status, 503);
  assert.ok(Number(result.retryAfter) > 0);
  const status = JSON.parse(result.bytes.toString()) as { code: number; message: string };
  assert.equal(status.code, 14);
  assert.match(status.message, /memory/);
  assert.deepEqual(discards, { 'otlp_traces/memory_pressure': 2 });
  assert.equal(await callCount(telltale, 'mem-otlp'), 0);
});

test('above the watermark, gateway pushes are 503 with Retry-After, counted memory_pressure, nothing stored', async () => {
  const telltale = await start();
  const lines = nginxTimedLines(3, Math.floor((Date.now() - 600_000) / 1000) * 1000).map((l) => l.line).join('\n');
  const { result, discards } = await measured(telltale, async () => {
    const response = await fetch(`${telltale.url}/v1/gateway-logs?format=nginx-timed&service=mem-gw`, { method: 'POST', body: lines, headers: { authorization: `Bearer ${telltale.tokens.ingest}`, 'content-type': 'text/plain' } });
    return { status: response.status, retryAfter: response.headers.get('retry-after'), body: await response.json() as { code: string; message: string } };
  });
  assert.equal(result.status, 503);
  assert.ok(Number(result.retryAfter) > 0);
  assert.equal(result.body.code, 'TELLTALE_ERR_UNAVAILABLE');
  assert.deepEqual(discards, { 'gateway_push/memory_pressure': 3 });
  assert.equal(await callCount(telltale, 'mem-gw'), 0);
});

test('above the watermark, queries, health and metrics keep working', async () => {
  const telltale = await start();
  for (const path of ['/api/v1/services?from=now-1h', '/api/v1/routes?from=now-1h', '/api/v1/checks', '/metrics']) {
    assert.equal((await fetch(telltale.url + path, { headers: { authorization: `Bearer ${telltale.tokens.read}` } })).status, 200, path);
  }
  assert.equal((await fetch(`${telltale.url}/livez`)).status, 200);
  // Not ready: a load balancer should send ingest to an instance that can take it.
  const ready = await fetch(`${telltale.url}/readyz`);
  assert.equal(ready.status, 503);
  assert.match(((await ready.json()) as { reason: string }).reason, /memory/);
});
