import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_BACKOFF, backoffDelayMs, decideRetry, seededRandom } from '../../../alerts/notify/index.ts';

const policy = DEFAULT_BACKOFF;

test('full jitter: each delay lies in [floor, min(cap, base·2^(n−1))) and spreads over it', () => {
  const random = seededRandom(42);
  for (let attempt = 1; attempt <= 12; attempt++) {
    const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** (attempt - 1));
    const delays = Array.from({ length: 200 }, () => backoffDelayMs(attempt, policy, random));
    for (const d of delays) {
      assert.ok(d >= policy.minMs && d <= ceiling, `attempt ${attempt}: ${d} outside [${policy.minMs}, ${ceiling}]`);
    }
    const mean = delays.reduce((a, b) => a + b, 0) / delays.length;
    // Uniform over [0, ceiling): the mean sits near the middle, not at an edge.
    assert.ok(mean > ceiling * 0.35 && mean < ceiling * 0.65, `attempt ${attempt}: mean ${mean} of ${ceiling}`);
  }
});

test('the same seed gives the same delays; the edges of random map to the floor and the ceiling', () => {
  const a = seededRandom(7);
  const b = seededRandom(7);
  const da = Array.from({ length: 10 }, (_, i) => backoffDelayMs(i + 1, policy, a));
  const db = Array.from({ length: 10 }, (_, i) => backoffDelayMs(i + 1, policy, b));
  assert.deepEqual(da, db);
  assert.equal(backoffDelayMs(1, policy, () => 0), 1_000);
  assert.equal(backoffDelayMs(1, policy, () => 0.999999), 9_999);
  assert.equal(backoffDelayMs(3, policy, () => 0.5), 20_000);
  assert.equal(backoffDelayMs(50, policy, () => 0.5), 300_000, 'capped at 10 minutes');
  assert.equal(backoffDelayMs(10_000, policy, () => 0.999999), 599_999, 'no overflow at absurd attempt counts');
});

test('a retry is scheduled from now, honours Retry-After within a bound, and never past the maximum age', () => {
  const createdAtMs = 1_000_000;
  const half = () => 0.5;
  assert.deepEqual(decideRetry({ createdAtMs, nowMs: createdAtMs, attempt: 1, policy, random: half }), { status: 'pending', nextAttemptAtMs: createdAtMs + 5_000 });
  assert.deepEqual(
    decideRetry({ createdAtMs, nowMs: createdAtMs, attempt: 1, retryAfterMs: 120_000, policy, random: half }),
    { status: 'pending', nextAttemptAtMs: createdAtMs + 120_000 },
  );
  assert.deepEqual(
    decideRetry({ createdAtMs, nowMs: createdAtMs, attempt: 1, retryAfterMs: 7 * 86_400_000, policy, random: half }),
    { status: 'pending', nextAttemptAtMs: createdAtMs + policy.maxRetryAfterMs },
    'a week of Retry-After is cut to an hour',
  );
  const nearDeadline = createdAtMs + policy.maxAgeMs - 1_000;
  assert.deepEqual(
    decideRetry({ createdAtMs, nowMs: nearDeadline, attempt: 30, policy, random: half }),
    { status: 'pending', nextAttemptAtMs: createdAtMs + policy.maxAgeMs },
    'the last retry is pulled in to the deadline',
  );
  assert.deepEqual(decideRetry({ createdAtMs, nowMs: createdAtMs + policy.maxAgeMs, attempt: 31, policy, random: half }), { status: 'failed' });
});

test('a message retried for a day takes a bounded number of attempts', () => {
  const random = seededRandom(1);
  const createdAtMs = 0;
  let nowMs = 0;
  let attempts = 0;
  for (;;) {
    attempts++;
    const d = decideRetry({ createdAtMs, nowMs, attempt: attempts, policy, random });
    if (d.status === 'failed') break;
    assert.ok(d.nextAttemptAtMs > nowMs);
    nowMs = d.nextAttemptAtMs;
  }
  assert.equal(nowMs, policy.maxAgeMs);
  // About one attempt every 5 minutes once capped: a few hundred, not thousands.
  assert.ok(attempts > 150 && attempts < 400, `${attempts} attempts`);
});
