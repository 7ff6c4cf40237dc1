// Series reshaped for uPlot and for sparklines.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { latencyColumns, sparklinePath, trafficColumns } from '../../dashboard/src/lib/series.ts';

const points = [
  { time: '2026-11-26T10:00:00.000Z', calls: 4, errors: 1, p50: 10, p95: 20, p99: 30 },
  { time: '2026-11-26T10:01:00.000Z', calls: 0, errors: 0, p50: null, p95: null, p99: null },
];

test('uPlot columns: x in seconds, gaps kept as null', () => {
  const [x, p50, p95, p99] = latencyColumns(points);
  assert.deepEqual(x, [Date.parse(points[0]!.time) / 1000, Date.parse(points[1]!.time) / 1000]);
  assert.deepEqual(p50, [10, null]);
  assert.deepEqual(p95, [20, null]);
  assert.deepEqual(p99, [30, null]);
  assert.deepEqual(trafficColumns(points).slice(1), [[4, 0], [1, 0]]);
});

test('sparkline paths scale to the box and break at nulls', () => {
  assert.equal(sparklinePath([0, 5, 10], 100, 20), 'M0 20L50 10L100 0');
  assert.equal(sparklinePath([10, null, 10], 100, 20), 'M0 0M100 0');
  assert.equal(sparklinePath([5], 100, 20, 10), 'M0 10');
  assert.equal(sparklinePath([0, 0], 100, 20), 'M0 20L100 20', 'all zero sits on the baseline');
  assert.equal(sparklinePath([], 100, 20), '');
});
