// Health endpoints and what ingest answers when the store cannot write.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTelltale } from '../helpers/telltale.ts';
import { jsonRequest, jsonSpan } from '../helpers/otlp-json.ts';

test('/readyz is 200 when the store takes writes and 503 while draining', async (t) => {
  const telltale = await startTelltale(t);
  assert.equal((await fetch(`${telltale.url}/livez`)).status, 200);
  assert.equal((await fetch(`${telltale.url}/readyz`)).status, 200);
  telltale.runtime.draining = true;
  const draining = await fetch(`${telltale.url}/readyz`);
  assert.equal(draining.status, 503);
  assert.deepEqual(await draining.json(), { status: 'draining' });
  assert.equal((await fetch(`${telltale.url}/livez`)).status, 200, 'still alive while draining');
});

test('when the store cannot write, ingest is 503 with Retry-After and /readyz fails', async (t) => {
  const telltale = await startTelltale(t);
  await telltale.store.close();
  const ready = await fetch(`${telltale.url}/readyz`);
  assert.equal(ready.status, 503);
  const response = await fetch(`${telltale.otlpUrl}/v1/traces`, {
    method: 'POST', headers: { authorization: `Bearer ${telltale.tokens.ingest}`, 'content-type': 'application/json' },
    body: jsonRequest('svc', [jsonSpan()]),
  });
  assert.equal(response.status, 503);
  assert.equal(response.headers.get('retry-after'), '5');
  assert.equal(((await response.json()) as { code: number }).code, 14);
  // The bootstrap token needs no store lookup, so this request reaches the failing write itself.
  const write = await fetch(`${telltale.otlpUrl}/v1/traces`, {
    method: 'POST', headers: { authorization: `Bearer ${telltale.tokens.admin}`, 'content-type': 'application/json' },
    body: jsonRequest('svc', [jsonSpan()]),
  });
  assert.equal(write.status, 503);
  assert.equal(write.headers.get('retry-after'), '5');
  assert.match(((await write.json()) as { message: string }).message, /store write failed/);
  assert.equal((await fetch(`${telltale.url}/livez`)).status, 200);
});

test('ingest counters move on /metrics', async (t) => {
  const telltale = await startTelltale(t);
  await fetch(`${telltale.otlpUrl}/v1/traces`, {
    method: 'POST', headers: { authorization: `Bearer ${telltale.tokens.ingest}`, 'content-type': 'application/json' },
    body: jsonRequest('svc', [jsonSpan(), jsonSpan({ kind: 3, attributes: { 'db.system': 'sqlite' } })]),
  });
  const metrics = await (await fetch(`${telltale.url}/metrics`, { headers: { authorization: `Bearer ${telltale.tokens.read}` } })).text();
  assert.match(metrics, /telltale_ingest_spans_total\{receiver="otlp_traces"\} 2/);
  assert.match(metrics, /telltale_ingest_api_calls_total\{receiver="otlp_traces"\} 1/);
  assert.match(metrics, /telltale_store_write_duration_seconds_count 1/);
  assert.match(metrics, /telltale_http_request_duration_seconds_count\{method="POST",route="\/v1\/traces",status_class="2xx"\} 1/);
});
