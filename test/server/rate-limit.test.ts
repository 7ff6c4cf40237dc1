// Per-token ingest limits: a token over its rate gets 429 with Retry-After (OTLP: a
// google.rpc.Status RESOURCE_EXHAUSTED), nothing of its request is stored, other tokens are
// unaffected, and the refusal is counted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TokenRateLimiter } from '../../server/auth/rate-limit.ts';
import { createToken } from '../../server/auth/tokens.ts';
import { startTelltale } from '../helpers/telltale.ts';
import { jsonRequest, jsonSpan } from '../helpers/otlp-json.ts';

test('the token bucket allows a burst, then the rate, and says when to come back', () => {
  const limiter = new TokenRateLimiter({ bytesPerSecond: 1000, burstBytes: 2000 });
  assert.deepEqual(limiter.take('a', 1500, 0), { ok: true });
  assert.deepEqual(limiter.take('a', 1000, 0), { ok: false, retryAfterS: 1 });
  assert.deepEqual(limiter.take('b', 2000, 0), { ok: true }, 'another key has its own bucket');
  assert.deepEqual(limiter.take('a', 1000, 500), { ok: true }, 'half a second refilled 500 bytes');
  assert.deepEqual(limiter.take('a', 2000, 500), { ok: false, retryAfterS: 2 });
  assert.deepEqual(limiter.take('a', 50_000, 10_000), { ok: true }, 'a body larger than the burst passes on a full bucket');
});

test('over its rate a token gets 429 + Retry-After; another token is unaffected; nothing of the refused request is stored', async (t) => {
  let now = Date.now();
  const tt = await startTelltale(t, { now: () => now, ingestRateBytesPerSecond: 2000, ingestBurstBytes: 4000 });
  const other = (await createToken(tt.store, 'ingest', 'other sender')).token;
  // Fresh spans per request: a re-sent body would be stored once, and the count below would lie.
  const body = () => jsonRequest('limited', Array.from({ length: 5 }, () => jsonSpan()));
  assert.ok(body().length > 1000 && body().length < 4000, `body ${body().length} bytes`);
  const send = (token: string) => fetch(`${tt.url}/v1/traces`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body() });

  let accepted = 0;
  let refused: Response | null = null;
  for (let i = 0; i < 10 && !refused; i += 1) {
    const r = await send(tt.tokens.ingest);
    if (r.status === 200) accepted += 1;
    else refused = r;
  }
  assert.ok(refused, 'the limit is reached within the burst');
  assert.equal(refused.status, 429);
  assert.ok(Number(refused.headers.get('retry-after')) >= 1);
  const status = (await refused.json()) as { code: number; message: string };
  assert.equal(status.code, 8, 'RESOURCE_EXHAUSTED');
  assert.match(status.message, /rate limit/);

  assert.equal((await send(other)).status, 200, 'another token keeps its own rate');
  const gateway = await fetch(`${tt.url}/v1/gateway-logs?format=nginx&service=edge`, {
    method: 'POST', headers: { authorization: `Bearer ${tt.tokens.ingest}`, 'content-type': 'text/plain' }, body: 'x'.repeat(3000),
  });
  assert.equal(gateway.status, 429);
  assert.equal(((await gateway.json()) as { code: string }).code, 'TELLTALE_ERR_RATE_LIMITED');

  const services = (await tt.get('/api/v1/services?from=now-1h')).body.services as Array<{ service: string; calls: number }>;
  assert.equal(services.find((s) => s.service === 'limited')?.calls, 5 * (accepted + 1), 'exactly the accepted requests are stored');
  const metrics = await (await fetch(`${tt.url}/metrics`, { headers: { authorization: `Bearer ${tt.tokens.read}` } })).text();
  assert.match(metrics, /telltale_ingest_discarded_total\{receiver="otlp_traces",reason="rate_limited"\} 1/);
  assert.match(metrics, /telltale_ingest_discarded_total\{receiver="gateway_push",reason="rate_limited"\} 1/);

  now += 5000;
  assert.equal((await send(tt.tokens.ingest)).status, 200, 'the bucket refills with time');
  assert.equal((await tt.get('/api/v1/services?from=now-1h')).status, 200, 'queries are never limited');
});
