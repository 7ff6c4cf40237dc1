// The overview with 500 routes and 30 days of data renders in under a second once the API has
// answered. The data goes straight into the store (its append is what ingest calls) because
// sending 30 days through OTLP would only time the receiver, which other suites cover.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ApiCall } from '../../store/index.ts';
import { ensureDashboardBuilt, launchBrowser, openPage } from '../helpers/browser.ts';
import { createRandom } from '../helpers/random.ts';
import { startTelltale } from '../helpers/telltale.ts';

const SERVICES = 10;
const ROUTES_PER_SERVICE = 50;
const DAYS = 30;
/** Calls per route: one every ~4 hours over 30 days, 90,000 in all, in every hour rollup of the month. */
const CALLS_PER_ROUTE = 180;
const RENDER_BUDGET_MS = 1000;

function* generateCalls(nowMs: number): Generator<ApiCall[]> {
  const random = createRandom(500);
  const spanMs = DAYS * 86_400_000;
  const methods = ['GET', 'GET', 'GET', 'POST', 'PUT', 'DELETE'];
  for (let s = 0; s < SERVICES; s++) {
    const batch: ApiCall[] = [];
    for (let r = 0; r < ROUTES_PER_SERVICE; r++) {
      const base = random.lognormal(Math.log(20 + r * 3), 0.3);
      for (let i = 0; i < CALLS_PER_ROUTE; i++) {
        const roll = random.next();
        const statusCode = roll < 0.02 ? 503 : roll < 0.06 ? 404 : 200;
        batch.push({
          id: `scale-${s}-${r}-${i}`, timeUnixMs: nowMs - spanMs + Math.floor(((i + random.next()) / CALLS_PER_ROUTE) * (spanMs - 60_000)),
          service: `service-${String(s).padStart(2, '0')}`, method: methods[r % methods.length]!, route: `/api/v${1 + (r % 3)}/resource-${r}/{id}`,
          statusCode, durationMs: random.lognormal(Math.log(base), 0.7), source: i % 5 === 0 ? 'gateway' : 'trace',
          traceId: null, spanId: null, consumer: `consumer-${random.int(20)}`, error: statusCode >= 500,
        });
      }
    }
    yield batch;
  }
}

test('the overview renders 500 routes × 30 days in under a second after the API answers', async (t) => {
  await ensureDashboardBuilt();
  const telltale = await startTelltale(t);
  const nowMs = Date.now();
  let stored = 0;
  for (const batch of generateCalls(nowMs)) stored += (await telltale.store.append({ calls: batch, spans: [] })).callsInserted;
  assert.equal(stored, SERVICES * ROUTES_PER_SERVICE * CALLS_PER_ROUTE);

  const browser = await launchBrowser(t);
  const w = await openPage(browser, { baseUrl: telltale.url, token: telltale.tokens.read });
  const { page } = w;
  // Warm the cache with the app's files so the measurement is of data and rendering.
  await page.goto('/?from=now-15m');
  await page.waitForSelector('#routes');

  const started = Date.now();
  await page.goto('/?from=now-30d');
  await page.waitForSelector('#routes-table tbody tr:not(.spacer)');
  const wallMs = Date.now() - started;
  await page.waitForFunction(() => performance.getEntriesByName('telltale:overview-rendered').length > 0);
  const marks = await page.evaluate(() => ({
    data: performance.getEntriesByName('telltale:overview-data').map((e) => e.startTime),
    rendered: performance.getEntriesByName('telltale:overview-rendered')[0]!.startTime,
  }));
  const answeredAt = Math.max(...marks.data);
  const renderMs = marks.rendered - answeredAt;
  t.diagnostic(`500 routes × 30 days: API answered ${Math.round(answeredAt)} ms after navigation, rendered ${Math.round(renderMs)} ms later; ${wallMs} ms from navigation to the table`);
  assert.equal(marks.data.length, 2, 'services and routes each marked their answer');
  assert.ok(renderMs < RENDER_BUDGET_MS, `rendering took ${Math.round(renderMs)} ms after the API answered`);

  assert.equal((await page.textContent('#routes-count'))?.trim(), '500 of 500 routes');
  const rendered = await page.locator('#routes-table tbody tr:not(.spacer)').count();
  assert.ok(rendered < 60, `only the visible rows are in the DOM (${rendered})`);
  // Scrolling to the end renders the last rows, without re-asking the API.
  await page.locator('.table-wrap.virtual').evaluate((el) => el.scrollTo(0, el.scrollHeight));
  await page.waitForFunction(() => document.querySelector('#routes-table tbody tr:not(.spacer):last-of-type')?.getAttribute('aria-rowindex') === '501');
  assert.deepEqual(w.problems, []);
});
