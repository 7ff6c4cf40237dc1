// Reading by the hour where whole hours fit must not change a number: the hybrid read equals the
// accounting on minute buckets built straight from the raw calls.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore, rollupCalls, type ApiCall } from '../../store/index.ts';
import { maintenanceIntervals } from '../../reports/maintenance.ts';
import { dayBoundaries } from '../../reports/periods.ts';
import { availabilityCounts, computeSlo } from '../../reports/slo-compute.ts';
import { loadSloData } from '../../reports/slo-data.ts';
import { sloMaintenanceWindows, validateSlo } from '../../reports/slo-schema.ts';

const MIN = 60_000;
const T0 = Date.UTC(2026, 5, 1, 14, 17); // ragged start

test('hybrid hour/minute reads give the same tallies as minute buckets from raw calls', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'telltale-slo-data-'));
  const store = await openSqliteStore({ file: join(dir, 'telltale.db') });
  t.after(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });
  // Ten hours of calls, two a minute except quiet stretches; errors in a few minutes, some inside maintenance.
  const calls: ApiCall[] = [];
  for (let m = 0; m < 600; m++) {
    if (m % 50 >= 45) continue;
    for (let i = 0; i < 2; i++) {
      const error = (m % 131 === 7 && i === 0) || (m >= 200 && m < 205);
      calls.push({ id: `c${m}-${i}`, timeUnixMs: T0 + m * MIN + i * 7000, service: 'api', method: 'GET', route: '/', statusCode: error ? 500 : 200, durationMs: 10, source: 'trace', traceId: null, spanId: null, consumer: null, error });
    }
  }
  await store.append({ calls, spans: [] });
  const nowMs = T0 + 601 * MIN;
  for (const noData of ['excluded', 'good', 'bad'] as const) {
    const v = validateSlo({
      id: 's', name: 's', target: 99.5, window: '7d', noData, timeZone: 'Asia/Kolkata',
      indicator: { type: 'availability', selector: { service: 'api' } },
      maintenance: [{ cron: '30 17 * * *', durationMs: 40 * MIN }], // 17:30–18:10 UTC, errors at 17:37–17:41 (m 200–204)
    });
    assert.ok(v.ok);
    const range = { fromMs: T0 + 3 * MIN + 30_000, toMs: T0 + 590 * MIN };
    const maintenance = maintenanceIntervals(sloMaintenanceWindows(v.slo), range);
    // Local midnight in Kolkata is 18:30 UTC: a boundary in the middle of an hour.
    const bins = dayBoundaries(range, 'Asia/Kolkata');
    assert.ok(bins.length === 3 && bins[1]! % 3_600_000 !== 0);
    const exact = computeSlo({
      target: v.slo.target, noData, range, maintenance, bins,
      data: { kind: 'requests', bucketMs: MIN, buckets: rollupCalls(calls, MIN).map((d) => ({ startMs: d.bucketStartMs, ...availabilityCounts(d.agg) })) },
    });
    const detailed = computeSlo({ target: v.slo.target, noData, range, maintenance, bins, data: await loadSloData(store, v.slo, range, { nowMs, maintenance, boundaries: bins, minuteDetail: true }) });
    assert.deepEqual(detailed.tally, exact.tally, noData);
    assert.deepEqual(detailed.bins, exact.bins, noData);
    const fast = computeSlo({ target: v.slo.target, noData, range, maintenance, bins, data: await loadSloData(store, v.slo, range, { nowMs, maintenance, boundaries: bins }) });
    assert.equal(fast.tally.goodEvents, exact.tally.goodEvents);
    assert.equal(fast.tally.badEvents, exact.tally.badEvents);
    assert.equal(fast.attainment, exact.attainment);
    assert.equal(fast.tally.maintenanceMs, exact.tally.maintenanceMs);
    assert.deepEqual(fast.bins.map((b) => b.badEvents), exact.bins.map((b) => b.badEvents));
  }
});
