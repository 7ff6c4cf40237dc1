// The SLO accounting rules, each on data small enough to compute on paper. The numbers in the
// comments are the hand computation; the assertions compare with them exactly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addCall, emptyAggregate } from '../../store/aggregate.ts';
import type { ApiCall } from '../../store/types.ts';
import { inMaintenance } from '../../alerts/silences.ts';
import { maintenanceIntervals } from '../../reports/maintenance.ts';
import { binAttainment, computeSlo, errorRatioOf, latencyCounts, remainingBudgetSeries, runSegments, type EventBucket, type RunPoint } from '../../reports/slo-compute.ts';

const MIN = 60_000;
const T0 = Date.UTC(2026, 0, 5); // a Monday, 00:00 UTC
const range10 = { fromMs: T0, toMs: T0 + 10 * MIN };
const bucket = (minute: number, total: number, bad: number): EventBucket => ({ startMs: T0 + minute * MIN, total, bad });

test('availability: attainment is good calls over all calls; empty minutes hold no events', () => {
  // 100 + 100 + 50 calls, 0 + 1 + 50 bad → 199/250 good = 79.6 %.
  const c = computeSlo({
    target: 99, noData: 'excluded', range: range10, maintenance: [],
    data: { kind: 'requests', bucketMs: MIN, buckets: [bucket(0, 100, 0), bucket(1, 100, 1), bucket(2, 50, 50)] },
  });
  assert.equal(c.basis, 'requests');
  assert.equal(c.tally.goodEvents, 199);
  assert.equal(c.tally.badEvents, 51);
  assert.ok(Math.abs((c.attainment ?? 0) - 79.6) < 1e-9);
  assert.equal(c.met, false);
  // Budget: 1 % of 250 = 2.5 calls; 51 spent; 48.5 overspent.
  assert.ok(Math.abs(c.eventBudget.total - 2.5) < 1e-9);
  assert.equal(c.eventBudget.consumed, 51);
  assert.ok(Math.abs(c.eventBudget.remaining + 48.5) < 1e-9);
  assert.ok(Math.abs((c.budgetConsumedRatio ?? 0) - 20.4) < 1e-9);
  assert.equal(c.minuteBudget, null);
  // Minute 1 is exactly at the allowed 1 % (not above): up. Minute 2 is down. 7 minutes had no calls.
  assert.equal(c.tally.badMs, 1 * MIN);
  assert.equal(c.tally.goodMs, 2 * MIN);
  assert.equal(c.tally.noDataMs, 7 * MIN);
});

test('no-data policy: bad makes empty minutes downtime, good makes them uptime; events do not change', () => {
  const data = { kind: 'requests' as const, bucketMs: MIN, buckets: [bucket(0, 10, 0)] };
  const bad = computeSlo({ target: 99, noData: 'bad', range: range10, maintenance: [], data });
  assert.equal(bad.tally.badMs, 9 * MIN);
  assert.equal(bad.attainment, 100);
  const good = computeSlo({ target: 99, noData: 'good', range: range10, maintenance: [], data });
  assert.equal(good.tally.goodMs, 10 * MIN);
  assert.equal(good.tally.badMs, 0);
  // A window without any call: the policy decides the attainment.
  const none = { kind: 'requests' as const, bucketMs: MIN, buckets: [] };
  assert.equal(computeSlo({ target: 99, noData: 'excluded', range: range10, maintenance: [], data: none }).attainment, null);
  assert.equal(computeSlo({ target: 99, noData: 'good', range: range10, maintenance: [], data: none }).attainment, 100);
  assert.equal(computeSlo({ target: 99, noData: 'bad', range: range10, maintenance: [], data: none }).attainment, 0);
});

test('maintenance: minutes whose start is inside a window are left out entirely', () => {
  // Window 00:02–00:04 UTC: minute 2 (50 of 50 bad) and minute 3 (no calls) are excluded.
  const maintenance = maintenanceIntervals([{ id: 'm', cron: '2 0 * * *', durationMs: 2 * MIN, matchers: [] }], range10);
  assert.deepEqual(maintenance, [{ fromMs: T0 + 2 * MIN, toMs: T0 + 4 * MIN }]);
  const c = computeSlo({
    target: 99, noData: 'bad', range: range10, maintenance,
    data: { kind: 'requests', bucketMs: MIN, buckets: [bucket(0, 100, 0), bucket(1, 100, 1), bucket(2, 50, 50)] },
  });
  // 199 good of 200 = 99.5 %; maintenance 2 min; down = 6 empty minutes (policy bad); up = 2.
  assert.equal(c.attainment, 99.5);
  assert.equal(c.met, true);
  assert.equal(c.tally.maintenanceMs, 2 * MIN);
  assert.equal(c.tally.badMs, 6 * MIN);
  assert.equal(c.tally.goodMs, 2 * MIN);
});

test('maintenance intervals are exactly the instants alerts call in maintenance', () => {
  const windows = [
    { id: 'a', cron: '50 23 * * *', durationMs: 30 * MIN, matchers: [] },
    { id: 'b', cron: '*/20 3 * * 1', durationMs: 90_000, matchers: [] },
  ];
  const day = { fromMs: T0, toMs: T0 + 24 * 60 * MIN };
  const intervals = maintenanceIntervals(windows, day);
  for (let t = day.fromMs; t < day.toMs; t += 30_000) {
    const mine = intervals.some((i) => i.fromMs <= t && t < i.toMs);
    const theirs = windows.some((w) => inMaintenance(w, t));
    assert.equal(mine, theirs, new Date(t).toISOString());
  }
  // The window that opened at 23:50 the evening before still covers 00:00–00:20.
  assert.deepEqual(intervals[0], { fromMs: T0 - 10 * MIN, toMs: T0 + 20 * MIN });
});

function call(i: number, durationMs: number | null, error = false): ApiCall {
  return { id: `c${i}`, timeUnixMs: T0, service: 's', method: 'GET', route: '/', statusCode: error ? 500 : 200, durationMs, source: 'trace', traceId: null, spanId: null, consumer: null, error };
}

test('latency from a sketch: the bucket straddling the threshold counts slow, nothing slow counts fast', () => {
  // Threshold 100 ms. Exactly: 10, 50, 99, 100 are good (≤ 100), 101 and 200 are not → 4 good of 6.
  // Bucket 230 is (97.53, 99.50], wholly ≤ 100: 99 is good. Bucket 231 is (99.50, 101.51], it
  // straddles 100: 100 counts slow → 3 good. At 98, bucket 230 straddles: 98 and 99 count slow.
  const agg = emptyAggregate();
  [10, 50, 99, 100, 101, 200].forEach((d, i) => addCall(agg, call(i, d)));
  addCall(agg, call(9, null)); // untimed: not a latency event
  assert.deepEqual(latencyCounts(agg, 100), { total: 6, bad: 3 });
  assert.deepEqual(latencyCounts(agg, 98), { total: 6, bad: 4 });
  assert.deepEqual(latencyCounts(agg, 300), { total: 6, bad: 0 });
});

test('latency from a sketch matches an exact count up to the calls within 2.02 % below the threshold', () => {
  const gamma = 1.01 / 0.99;
  let seed = 42;
  const rand = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  const durations = Array.from({ length: 5000 }, () => Math.exp(rand() * 7));
  const agg = emptyAggregate();
  durations.forEach((d, i) => addCall(agg, call(i, d)));
  for (const threshold of [5, 50, 250, 300, 999]) {
    const exactGood = durations.filter((d) => d <= threshold).length;
    const band = durations.filter((d) => d > threshold / gamma && d <= threshold).length;
    const { total, bad } = latencyCounts(agg, threshold);
    const sketchGood = total - bad;
    assert.ok(sketchGood <= exactGood, `never optimistic at ${threshold}`);
    assert.ok(exactGood - sketchGood <= band, `off by at most the band at ${threshold}: ${exactGood - sketchGood} > ${band}`);
  }
});

const runs = (list: Array<[number, boolean]>): RunPoint[] => list.map(([m, ok]) => ({ startedAtMs: T0 + m * MIN, ok }));
const hour = { fromMs: T0, toMs: T0 + 60 * MIN };
// Runs at −2 (before the range), 5 ✗, 8 ✗, 10, 20, 45; a run speaks for 10 minutes at most.
const checkRuns = runs([[-2, true], [5, false], [8, false], [10, true], [20, true], [45, true]]);

test('check runs: each outcome holds until the next run, at most staleAfter; the rest is no data', () => {
  const segments = runSegments(checkRuns, hour, 10 * MIN).map((s) => [(s.fromMs - T0) / MIN, (s.toMs - T0) / MIN, s.ok]);
  assert.deepEqual(segments, [[0, 5, true], [5, 8, false], [8, 10, false], [10, 20, true], [20, 30, true], [45, 55, true]]);
  const c = computeSlo({ target: 90, noData: 'excluded', range: hour, maintenance: [], data: { kind: 'runs', checks: [{ runs: checkRuns, staleAfterMs: 10 * MIN }] } });
  // Up 5+10+10+10 = 35 min, down 5, no data 30→45 and 55→60 = 20. 35/40 = 87.5 %.
  assert.equal(c.basis, 'time');
  assert.equal(c.tally.goodMs, 35 * MIN);
  assert.equal(c.tally.badMs, 5 * MIN);
  assert.equal(c.tally.noDataMs, 20 * MIN);
  assert.equal(c.attainment, 87.5);
  // Minute budget: 10 % of 40 = 4 min; 5 spent; −1 left. Runs in range: 5, of which 2 failed.
  assert.ok(Math.abs((c.minuteBudget?.total ?? 0) - 4) < 1e-9);
  assert.equal(c.minuteBudget?.consumed, 5);
  assert.ok(Math.abs((c.minuteBudget?.remaining ?? 0) + 1) < 1e-9);
  assert.equal(c.tally.goodEvents, 3);
  assert.equal(c.tally.badEvents, 2);
  assert.ok(Math.abs(c.eventBudget.total - 0.5) < 1e-9);
  assert.equal(errorRatioOf(c), 5 / 40);
});

test('check runs: the no-data policy folds the 20 silent minutes into up or down', () => {
  const data = { kind: 'runs' as const, checks: [{ runs: checkRuns, staleAfterMs: 10 * MIN }] };
  const good = computeSlo({ target: 90, noData: 'good', range: hour, maintenance: [], data });
  assert.equal(good.attainment, (55 / 60) * 100);
  const bad = computeSlo({ target: 90, noData: 'bad', range: hour, maintenance: [], data });
  assert.equal(bad.attainment, (35 / 60) * 100);
  assert.equal(bad.tally.badMs, 25 * MIN);
});

test('check runs: maintenance cuts time and the runs that start inside it', () => {
  // Window 00:30–00:50: up 0–5, 10–30, 50–55 = 30 min; down 5 min; no data 55–60 = 5 min.
  const maintenance = maintenanceIntervals([{ id: 'm', cron: '30 0 * * *', durationMs: 20 * MIN, matchers: [] }], hour);
  const c = computeSlo({ target: 90, noData: 'excluded', range: hour, maintenance, data: { kind: 'runs', checks: [{ runs: checkRuns, staleAfterMs: 10 * MIN }] } });
  assert.equal(c.tally.goodMs, 30 * MIN);
  assert.equal(c.tally.badMs, 5 * MIN);
  assert.equal(c.tally.maintenanceMs, 20 * MIN);
  assert.equal(c.tally.noDataMs, 5 * MIN);
  assert.equal(c.attainment, (30 / 35) * 100);
  // The run at 45 started in maintenance: runs counted are 5, 8, 10, 20.
  assert.equal(c.tally.goodEvents + c.tally.badEvents, 4);
});

test('check tag: several checks add their check-minutes', () => {
  // A: up all hour. B: down 0–30, up 30–60. 90 up of 120 check-minutes = 75 %.
  const a = runs([[0, true], [10, true], [20, true], [30, true], [40, true], [50, true]]);
  const b = runs([[0, false], [10, false], [20, false], [30, true], [40, true], [50, true]]);
  const c = computeSlo({ target: 99, noData: 'excluded', range: hour, maintenance: [], data: { kind: 'runs', checks: [{ runs: a, staleAfterMs: 20 * MIN }, { runs: b, staleAfterMs: 20 * MIN }] } });
  assert.equal(c.attainment, 75);
  assert.equal(c.tally.badMs, 30 * MIN);
});

test('bins and the remaining-budget series', () => {
  // Two 5-minute bins. 1000 calls a minute; 2 bad in minute 1, 3 bad in minute 7 → 5 of 10 000.
  // Target 99.9: budget 10 calls. After bin 1: 1 − 2/10 = 0.8; after bin 2: 1 − 5/10 = 0.5.
  const buckets = Array.from({ length: 10 }, (_, m) => bucket(m, 1000, m === 1 ? 2 : m === 7 ? 3 : 0));
  const c = computeSlo({ target: 99.9, noData: 'excluded', range: range10, maintenance: [], data: { kind: 'requests', bucketMs: MIN, buckets }, bins: [T0, T0 + 5 * MIN, T0 + 10 * MIN] });
  const series = remainingBudgetSeries(c);
  assert.deepEqual(series.map((p) => p.timeMs), [T0 + 5 * MIN, T0 + 10 * MIN]);
  assert.ok(Math.abs((series[0]?.remainingRatio ?? 0) - 0.8) < 1e-9);
  assert.ok(Math.abs((series[1]?.remainingRatio ?? 0) - 0.5) < 1e-9);
  assert.deepEqual(binAttainment(c).map((b) => b.attainment), [(4998 / 5000) * 100, (4997 / 5000) * 100]);
});
