// The SloSource the slo_burn rule reads, on a real store: error ratios of check-time and of calls
// over trailing windows, computed by hand.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import type { CheckRunRecord } from '../../store/index.ts';
import { createSloSource } from '../../reports/slo-source.ts';
import { sloDocument } from '../../reports/slo-registry.ts';
import { validateSlo } from '../../reports/slo-schema.ts';
import { sloStatus } from '../../reports/slo-status.ts';
import { tempStores } from '../helpers/stores.ts';

const MIN = 60_000;
const T0 = Date.UTC(2026, 4, 4, 10);

const stores = (t: TestContext) => tempStores(t);

function parsed(input: unknown) {
  const v = validateSlo(input);
  if (!v.ok) throw new Error(JSON.stringify(v.diagnostics));
  return v.slo;
}

const slo = (input: unknown) => sloDocument({ slo: parsed(input), origin: 'api', createdAtMs: T0, updatedAtMs: T0 });
const healthSlo = { id: 'health', name: 'Health', target: 99, window: '30d', indicator: { type: 'check', checkId: 'api-health' } };

test('slo_burn reads check-time and call error ratios over trailing windows', async (t) => {
  const { store, control } = await stores(t);
  await store.putCheck({ id: 'api-health', definition: { id: 'api-health', name: 'API health', schedule: '1m', type: 'http', request: { url: 'https://example.com' }, tags: ['critical'] }, origin: 'api', createdAtMs: T0, updatedAtMs: T0 });
  // A run a minute for an hour; the runs of minutes 10–14 failed after their retries.
  const runs: CheckRunRecord[] = Array.from({ length: 60 }, (_, m) => ({
    checkId: 'api-health', startedAtMs: T0 + m * MIN, ok: !(m >= 10 && m < 15), degraded: false, durationMs: 100 + m, statusCode: 200, error: null, traceId: null, result: {},
  }));
  // 100 calls a minute for the last 5 minutes, 3 of them server errors in total.
  const calls = Array.from({ length: 500 }, (_, i) => ({
    id: `c${i}`, timeUnixMs: T0 + 55 * MIN + i * 600, service: 'api', method: 'GET', route: '/', statusCode: i % 200 === 7 ? 502 : 200, durationMs: 5,
    source: 'trace' as const, traceId: null, spanId: null, consumer: null, error: i % 200 === 7,
  }));
  await store.append({ calls, spans: [], checkRuns: runs });
  await control.commit({ put: [
    slo(healthSlo),
    slo({ id: 'api', name: 'API', target: 99.9, window: '30d', indicator: { type: 'availability', selector: { service: 'api' } } }),
  ] });
  const source = createSloSource(store, control);
  assert.equal(await source.target('health'), 99);
  assert.equal(await source.target('nope'), null);
  assert.ok(Number.isNaN(await source.errorRatio('nope', 3_600_000, T0)));
  const now = T0 + 60 * MIN - 1; // the window ends at T0 + 60 min
  // Check: down 10–15 of 0–60 → 5/60.
  assert.equal(await source.errorRatio('health', 60 * MIN, now), 5 / 60);
  // Last 30 minutes: all up.
  assert.equal(await source.errorRatio('health', 30 * MIN, now), 0);
  // Calls: 3 errors (i = 7, 207, 407) of 500.
  assert.equal(await source.errorRatio('api', 5 * MIN, now), 3 / 500);
  // No calls in the window before: NaN, burns nothing.
  assert.ok(Number.isNaN(await source.errorRatio('api', 5 * MIN, T0 + 30 * MIN)));

  // The status of the check SLO: time-based, budget in minutes. Window 30 days; the check ran an hour.
  const status = await sloStatus(store, parsed(healthSlo), now);
  const c = status.computation;
  assert.equal(c.basis, 'time');
  // Up 55 minutes, down 5; the rest of the 30 days had no runs (excluded). Budget: 1 % of 60 min.
  assert.equal(c.tally.badMs, 5 * MIN);
  assert.equal(c.tally.goodMs, 55 * MIN);
  assert.equal(c.attainment, (55 / 60) * 100);
  assert.ok(Math.abs((c.minuteBudget?.total ?? 0) - 0.6) < 1e-9);
  assert.equal(c.minuteBudget?.consumed, 5);
});
