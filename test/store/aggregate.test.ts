import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  HOUR_MS, MINUTE_MS, addCall, coarsen, emptyAggregate, floorTo, mergeAggregate, percentile, rollupCalls,
} from '../../store/aggregate.ts';
import type { Aggregate, ApiCall } from '../../store/types.ts';
import { createRandom } from '../helpers/random.ts';

const T0 = Date.UTC(2026, 0, 5, 10, 0, 0);

function call(i: number, overrides: Partial<ApiCall> = {}): ApiCall {
  return {
    id: `c${i}`, timeUnixMs: T0 + i * 1000, service: 'api', method: 'GET', route: '/users/{id}',
    statusCode: 200, durationMs: 10, source: 'trace', traceId: null, spanId: null, consumer: null, error: false,
    ...overrides,
  };
}

function aggregateOf(calls: readonly ApiCall[]): Aggregate {
  const agg = emptyAggregate();
  for (const c of calls) addCall(agg, c);
  return agg;
}

function plain(agg: Aggregate): unknown {
  const { sketch, ...rest } = agg;
  return { ...rest, sketch: sketch.toArrays(), zeroCount: sketch.zeroCount, count: sketch.count };
}

void test('addCall counts errors, 4xx, 5xx, no-response and every status code', () => {
  const agg = aggregateOf([
    call(1, { statusCode: 200, durationMs: 4 }),
    call(2, { statusCode: 404, durationMs: 2 }),
    call(3, { statusCode: 503, durationMs: 30, error: true }),
    call(4, { statusCode: 0, durationMs: 0, error: true }),
    call(5, { statusCode: 200, durationMs: 8, error: true }),
  ]);
  assert.equal(agg.calls, 5);
  assert.equal(agg.errors, 3);
  assert.equal(agg.status4xx, 1);
  assert.equal(agg.status5xx, 1);
  assert.equal(agg.durationSumMs, 44);
  assert.equal(agg.durationMinMs, 0);
  assert.equal(agg.durationMaxMs, 30);
  assert.deepEqual(agg.statusCounts, { 0: 1, 200: 2, 404: 1, 503: 1 });
  assert.equal(agg.sketch.count, 5);
  assert.equal(agg.sketch.zeroCount, 1);
});

void test('rollupCalls groups by key and by bucket start', () => {
  const calls = [
    call(0, { timeUnixMs: T0 + 5_000 }),
    call(1, { timeUnixMs: T0 + 59_999 }),
    call(2, { timeUnixMs: T0 + 60_000 }),
    call(3, { timeUnixMs: T0 + 61_000, route: '/orders' }),
    call(4, { timeUnixMs: T0 + 62_000, source: 'gateway' }),
    call(5, { timeUnixMs: T0 + 63_000, method: 'POST' }),
    call(6, { timeUnixMs: T0 + 64_000, service: 'billing' }),
  ];
  const minute = rollupCalls(calls, MINUTE_MS);
  const summary = minute
    .map((d) => `${d.bucketStartMs - T0} ${d.key.service} ${d.key.method} ${d.key.route} ${d.key.source} ${d.agg.calls}`)
    .sort();
  assert.deepEqual(summary, [
    '0 api GET /users/{id} trace 2',
    '60000 api GET /orders trace 1',
    '60000 api GET /users/{id} gateway 1',
    '60000 api GET /users/{id} trace 1',
    '60000 api POST /users/{id} trace 1',
    '60000 billing GET /users/{id} trace 1',
  ]);
  const hour = rollupCalls(calls, HOUR_MS);
  assert.equal(hour.length, 5);
  assert.ok(hour.every((d) => d.bucketStartMs === T0));
  assert.equal(hour.reduce((n, d) => n + d.agg.calls, 0), calls.length);
});

void test('mergeAggregate of parts equals the aggregate of the whole, exactly', () => {
  const random = createRandom(7);
  // Durations on a 1/1024 ms grid add exactly in any order, so the sum can be compared with equality.
  const calls = Array.from({ length: 3000 }, (_, i) => call(i, {
    durationMs: Math.round(random.bimodal() * 1024) / 1024,
    statusCode: random.pick([200, 200, 200, 404, 500, 0]),
    error: random.next() < 0.1,
  }));
  const whole = aggregateOf(calls);
  const parts = [calls.slice(0, 700), calls.slice(700, 2100), calls.slice(2100)].map(aggregateOf);
  const forward = parts.reduce((into, p) => mergeAggregate(into, p), emptyAggregate());
  const backward = [...parts].reverse().reduce((into, p) => mergeAggregate(into, p), emptyAggregate());
  assert.deepEqual(plain(forward), plain(whole));
  assert.deepEqual(plain(backward), plain(whole));
  assert.deepEqual(plain(mergeAggregate(aggregateOf(calls), emptyAggregate())), plain(whole), 'empty is the identity');
});

void test('percentile is clamped to the exact min and max', () => {
  const single = aggregateOf([call(1, { durationMs: 10 })]);
  for (const q of [0, 0.5, 0.99, 1]) assert.equal(percentile(single, q), 10);
  const flat = aggregateOf([1, 2, 3].map((i) => call(i, { durationMs: 7.3 })));
  assert.equal(percentile(flat, 0.5), 7.3);
  const spread = aggregateOf([call(1, { durationMs: 1 }), call(2, { durationMs: 1000 })]);
  assert.equal(percentile(spread, 0), 1);
  assert.equal(percentile(spread, 1), 1000);
  assert.ok(Number.isNaN(percentile(emptyAggregate(), 0.5)));
});

void test('floorTo aligns to multiples of the width since the epoch', () => {
  assert.equal(floorTo(T0 + 59_999, MINUTE_MS), T0);
  assert.equal(floorTo(T0 + 60_000, MINUTE_MS), T0 + MINUTE_MS);
  assert.equal(floorTo(T0 + 90 * MINUTE_MS, HOUR_MS), T0 + HOUR_MS);
});

void test('coarsening minute deltas into hours equals rolling the calls up by hour', () => {
  const r = createRandom(5);
  const calls = Array.from({ length: 3000 }, (_, i) => call(i, {
    timeUnixMs: T0 + Math.floor(r.next() * 5 * HOUR_MS),
    route: r.pick(['/a', '/b', '/c/{id}']),
    statusCode: r.pick([200, 404, 503]),
    // On a 1/1024 ms grid, so sums are exact in any order of addition.
    durationMs: r.next() < 0.05 ? null : Math.round(r.lognormal(3, 1) * 1024) / 1024,
  }));
  const byKey = (deltas: ReturnType<typeof rollupCalls>) =>
    Object.fromEntries(deltas.map((d) => [`${d.bucketStartMs} ${d.key.route}`, plain(d.agg)]));
  assert.deepEqual(byKey(coarsen(rollupCalls(calls, MINUTE_MS), HOUR_MS)), byKey(rollupCalls(calls, HOUR_MS)));
});
