// A stalled store (here: another connection holding SQLite's write lock, as a backup tool or a
// starved CPU would) must not leave an ingest request hanging past the client's own timeout
// (OpenTelemetry SDKs give up after 10 s and may not retry). Past TELLTALE_INGEST_TIMEOUT the
// request is answered 503 with Retry-After; a batch still queued is never written, and one
// already being written may commit, so its retry must store nothing twice.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { jsonRequest, jsonSpan } from '../helpers/otlp-json.ts';
import { JSON_TYPE, callCount, postOtlp } from '../helpers/otlp-http.ts';
import { nginxTimedLines } from '../helpers/nginx-lines.ts';
import { measured, startCorpusTelltale } from './harness.ts';

const TIMEOUT_MS = 400;

test('behind a stalled write, requests are answered 503 within the ingest timeout; the queued one is never written, retries store nothing twice', async (t) => {
  const telltale = await startCorpusTelltale(t, { ingestTimeoutMs: TIMEOUT_MS });
  const spans = (n: number) => Array.from({ length: n }, () => jsonSpan());
  const first = jsonRequest('stall-first', spans(3));
  const second = jsonRequest('stall-second', spans(2));
  const post = (body: string) => postOtlp(telltale, body, { path: '/v1/traces', headers: { 'content-type': JSON_TYPE } });

  const blocker = new Database(join(telltale.runtime.config.dataDir!, 'telltale.db'));
  t.after(() => blocker.close());
  blocker.exec('BEGIN IMMEDIATE');
  const { result, discards } = await measured(telltale, async () => {
    const started = performance.now();
    const writing = post(first);
    // Sent once the first is being written, so it waits in the queue behind it.
    await new Promise((r) => setTimeout(r, 50));
    const [a, b] = await Promise.all([writing, post(second)]);
    return { a, b, ms: performance.now() - started };
  });
  assert.equal(result.a.status, 503);
  assert.equal(result.b.status, 503);
  assert.equal(result.a.retryAfter, '10');
  assert.match(JSON.parse(result.a.bytes.toString()).message as string, /not written within 400 ms/);
  assert.ok(result.ms < 5_000, `answered after ${Math.round(result.ms)} ms, well before a client's 10 s`);
  assert.deepEqual(discards, { 'otlp_traces/overloaded': 5 });

  blocker.exec('COMMIT');
  // The write that had begun completes once the lock is gone; the queued one was dropped.
  for (let i = 0; i < 100 && (await callCount(telltale, 'stall-first')) < 3; i++) await new Promise((r) => setTimeout(r, 50));
  assert.equal(await callCount(telltale, 'stall-first'), 3);
  assert.equal(await callCount(telltale, 'stall-second'), 0);

  // The clients retry as told: the first stores nothing twice, the second arrives whole.
  assert.equal((await post(first)).status, 200);
  assert.equal((await post(second)).status, 200);
  assert.equal(await callCount(telltale, 'stall-first'), 3);
  assert.equal(await callCount(telltale, 'stall-second'), 2);
});

test('a gateway push behind a stalled write is answered 503 in time, and its retry is stored once', async (t) => {
  const telltale = await startCorpusTelltale(t, { ingestTimeoutMs: TIMEOUT_MS });
  const lines = nginxTimedLines(4, Math.floor((Date.now() - 600_000) / 1000) * 1000).map((l) => l.line).join('\n');
  const push = () => fetch(`${telltale.url}/v1/gateway-logs?format=nginx-timed&service=stall-gw`, {
    method: 'POST', body: lines, headers: { authorization: `Bearer ${telltale.tokens.ingest}`, 'content-type': 'text/plain' },
  });
  const blocker = new Database(join(telltale.runtime.config.dataDir!, 'telltale.db'));
  t.after(() => blocker.close());
  blocker.exec('BEGIN IMMEDIATE');
  const refused = await push();
  assert.equal(refused.status, 503);
  assert.equal(refused.headers.get('retry-after'), '10');
  assert.equal(((await refused.json()) as { code: string }).code, 'TELLTALE_ERR_UNAVAILABLE');
  blocker.exec('COMMIT');
  const retried = await push();
  assert.equal(retried.status, 200);
  assert.equal(await callCount(telltale, 'stall-gw'), 4);
});
