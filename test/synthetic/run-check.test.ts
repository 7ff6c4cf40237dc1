// runCheck's contract: retries until an attempt passes (and says how many it took), an injected
// clock for start and duration, `degraded` for slow passes, and failures as values — never a throw.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CheckRunResultSchema, runCheck, type Check } from '../../synthetic/index.ts';
import { Value } from '@sinclair/typebox/value';
import { startTarget, json } from './target-server.ts';

test('a failed attempt is retried up to `retries` times; the result counts attempts', async (t) => {
  let calls = 0;
  const target = await startTarget(t, {
    '/flaky': (_req, res) => (++calls <= 2 ? json(res, 503, { calls }) : json(res, 200, { calls })),
    '/down': (_req, res) => json(res, 500, {}),
  });
  const check = (path: string, retries: number): Check => ({ id: 'retry', name: 'retry', type: 'http', schedule: '1m', retries, request: { url: `${target.url}${path}` } });

  const recovered = await runCheck(check('/flaky', 3));
  assert.equal(recovered.ok, true);
  assert.equal(recovered.attempts, 3, 'two failures, then a pass');
  assert.equal(recovered.statusCode, 200);
  const traceIds = target.requests.map((r) => String(r.headers.traceparent).split('-')[1]);
  assert.equal(new Set(traceIds).size, 3, 'each attempt is its own trace');
  assert.equal(recovered.traceId, traceIds[2], 'the result links to the reported attempt');

  const down = await runCheck(check('/down', 2));
  assert.equal(down.ok, false);
  assert.equal(down.attempts, 3);
  assert.equal(down.error?.code, 'assertion_failed');

  const once = await runCheck(check('/down', 0));
  assert.equal(once.attempts, 1);
  assert.ok(Value.Check(CheckRunResultSchema, once), 'results match the published schema');
  assert.ok(Value.Check(CheckRunResultSchema, recovered));
});

test('the injected clock dates the run; degraded marks a slow pass', async (t) => {
  const target = await startTarget(t, { '/slow': (_req, res) => setTimeout(() => res.end('ok'), 80) });
  let clock = 1_900_000_000_000;
  const now = () => (clock += 250);
  const result = await runCheck({ id: 'slow', name: 'slow', type: 'http', schedule: '1m', degradedLatencyMs: 40, request: { url: `${target.url}/slow` } }, { now });
  assert.equal(result.startedAtMs, 1_900_000_000_250);
  assert.equal(result.durationMs, 250, 'start and end read the injected clock once each');
  assert.equal(result.ok, true);
  assert.equal(result.degraded, true, `total ${result.phases.totalMs} ms is over 40 ms`);
  const fast = await runCheck({ id: 'fast', name: 'fast', type: 'http', schedule: '1m', degradedLatencyMs: 5000, request: { url: `${target.url}/slow` } });
  assert.equal(fast.degraded, false);
});

test('never throws: malformed input and broken dependencies come back as failed results', async () => {
  const broken = await runCheck(
    { id: 'broken', name: 'broken', type: 'http', schedule: '1m', request: { url: 'http://name.test/' } },
    { lookup: () => { throw new Error('resolver exploded'); } },
  );
  assert.equal(broken.ok, false);
  assert.ok(broken.error);
  assert.match(broken.error.message, /resolver exploded/);

  const garbage = await runCheck({ id: 'g', name: 'g', type: 'http', schedule: '1m', request: { url: 'not a url' } });
  assert.equal(garbage.error?.code, 'invalid_url');

  const unknownType = await runCheck({ id: 'u', name: 'u', type: 'smtp', schedule: '1m' } as unknown as Check);
  assert.equal(unknownType.ok, false);
  assert.equal(unknownType.error?.code, 'internal_error');
  assert.equal(unknownType.attempts, 1);
});
