// Deploy markers end to end: a real Telltale told of deploys through POST /api/v1/deploys (one
// whose version and description carry markup), calls in the store, and the built app in
// headless Chromium. The route view draws a dashed marker per deploy of its service on both
// charts (read back from the canvas pixels) and lists them as text; other services' deploys and
// deploys outside the window stay out; the alert chart and the overview's service rows show
// them too; the hostile text is text, with no img element and no dialog.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ensureDashboardBuilt, launchBrowser, openPage, type WatchedPage } from '../helpers/browser.ts';
import { startTelltale, type TestTelltale } from '../helpers/telltale.ts';
import { evaluateAlerts } from '../../alerts/evaluator.ts';
import { formatDateTime } from '../../dashboard/src/lib/format.ts';
import type { ApiCall } from '../../store/index.ts';

const HOSTILE = '<img src=x onerror=alert(1)>';
const HOSTILE_DESCRIPTION = `rollback of ${HOSTILE} <script>alert(2)</script>`;
const SERVICE = 'checkout';
const ROUTE = '/orders';
/** The light theme's --accent, the deploy markers' colour. */
const ACCENT = [0x24, 0x58, 0xd6];

function calls(nowMs: number, n: number): ApiCall[] {
  // One call every 30 s over the last hour; every fifth one a server error.
  return Array.from({ length: n }, (_, i) => ({
    id: `c${i}`, timeUnixMs: nowMs - 60 * 60_000 + i * 30_000, service: SERVICE, method: 'POST', route: ROUTE, statusCode: i % 5 === 0 ? 500 : 200,
    durationMs: 20 + (i % 7) * 5, source: 'trace' as const, traceId: null, spanId: null, consumer: null, error: i % 5 === 0,
  }));
}

async function post(tt: TestTelltale, path: string, token: string, body: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(tt.url + path, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, body: await response.json() };
}

function assertClean(w: WatchedPage, what: string): void {
  assert.deepEqual(w.problems, [], `${what}: console errors or failed requests`);
  assert.deepEqual(w.dialogs, [], `${what}: a dialog opened`);
}

/**
 * Groups of adjacent pixel columns of the chart's canvas where at least a quarter of the pixels
 * are the accent colour blended at least 40% over the white plot: the vertical deploy lines
 * (dashed, and antialiased over two or three columns). The latency chart's own colours (green,
 * orange, red, grey) are not on that blend; the traffic chart's calls bars are, so it is not
 * read this way.
 */
async function markerLines(w: WatchedPage, chart: string): Promise<number> {
  return w.page.locator(`${chart} canvas`).first().evaluate((node, accent) => {
    const canvas = node as HTMLCanvasElement;
    const ctx = canvas.getContext('2d');
    if (!ctx) return -1;
    const { data, width, height } = ctx.getImageData(0, 0, canvas.width, canvas.height);
    const [ar, ag, ab] = accent as [number, number, number];
    // No named helper functions in here: the test's transpiler would wrap them in a `__name`
    // call the page does not have.
    let groups = 0;
    let inGroup = false;
    for (let x = 0; x < width; x++) {
      let hits = 0;
      for (let y = 0; y < height; y++) {
        const i = (y * width + x) * 4;
        const alpha = (255 - data[i]!) / (255 - ar);
        if (alpha < 0.4 || alpha > 1.1) continue;
        if (Math.abs(data[i + 1]! - (255 - alpha * (255 - ag))) + Math.abs(data[i + 2]! - (255 - alpha * (255 - ab))) < 30) hits++;
      }
      const line = hits >= height / 4;
      if (line && !inGroup) groups++;
      inGroup = line;
    }
    return groups;
  }, ACCENT);
}

/** markerLines once the chart has painted what it was given (deploys may arrive after the series). */
async function awaitMarkerLines(w: WatchedPage, chart: string, expected: number): Promise<number> {
  let seen = await markerLines(w, chart);
  for (let i = 0; i < 50 && seen !== expected; i++) {
    await w.page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 20))));
    seen = await markerLines(w, chart);
  }
  return seen;
}

const squeeze = (text: string | null) => (text ?? '').replace(/\s+/g, ' ').trim();

test('deploys: markers and a text list on the route charts, only the service’s own in the window, hostile text inert, the alert chart and the overview', async (t) => {
  await ensureDashboardBuilt();
  const [tt, browser] = await Promise.all([startTelltale(t), launchBrowser(t)]);
  const now = Date.now();
  await tt.store.append({ calls: calls(now, 120), spans: [] });
  const ingest = tt.tokens.ingest;
  const hostile = await post(tt, '/api/v1/deploys', ingest, { service: SERVICE, version: HOSTILE, at: new Date(now - 40 * 60_000).toISOString(), description: HOSTILE_DESCRIPTION });
  assert.equal(hostile.status, 201, JSON.stringify(hostile.body));
  const good = await post(tt, '/api/v1/deploys', ingest, { service: SERVICE, version: 'v2.0.1', at: new Date(now - 15 * 60_000).toISOString(), environment: 'production', description: 'Faster order totals' });
  assert.equal(good.status, 201, JSON.stringify(good.body));
  // Another service's deploy inside the window, and this service's long before it.
  assert.equal((await post(tt, '/api/v1/deploys', ingest, { service: 'billing', version: 'billing-9.9.9', at: new Date(now - 20 * 60_000).toISOString() })).status, 201);
  assert.equal((await post(tt, '/api/v1/deploys', ingest, { service: SERVICE, version: 'v1.0.0-old', at: new Date(now - 5 * 3_600_000).toISOString() })).status, 201);

  const from = new Date(now - 65 * 60_000).toISOString();
  const to = new Date(now + 60_000).toISOString();
  const range = `from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;
  const reader = await openPage(browser, { baseUrl: tt.url, token: tt.tokens.read });

  await t.test('the route view marks both deploys of its service on both charts and lists them as text', async () => {
    const { page } = reader;
    await page.goto(`/routes?service=${SERVICE}&method=POST&route=${encodeURIComponent(ROUTE)}&${range}`);
    const items = page.locator('#route-deploy-list li');
    await items.nth(1).waitFor();
    assert.equal(await items.count(), 2, 'the other service’s deploy and the one before the window are left out');
    assert.equal(squeeze(await page.locator('#route-deploys h2').textContent()), `Deploys of ${SERVICE} in this window`);

    // Newest first, each with its version, time, source and description as text.
    const rows = await items.evaluateAll((lis) => lis.map((li) => ({
      version: li.querySelector('.deploy-version')?.textContent, time: li.querySelector('.deploy-time')?.textContent,
      source: li.querySelector('.deploy-source')?.textContent, environment: li.querySelector('.deploy-environment')?.textContent ?? null,
      description: li.querySelector('.deploy-description')?.textContent ?? null, dataSource: li.getAttribute('data-source'),
    })));
    assert.deepEqual(rows, [
      { version: 'v2.0.1', time: formatDateTime(Date.parse(good.body.at)), source: 'reported through the API', environment: 'production', description: 'Faster order totals', dataSource: 'api' },
      { version: HOSTILE, time: formatDateTime(Date.parse(hostile.body.at)), source: 'reported through the API', environment: null, description: HOSTILE_DESCRIPTION, dataSource: 'api' },
    ]);
    // Hovering an entry tells the same in its title.
    assert.match((await items.nth(0).getAttribute('title')) ?? '', /^checkout v2\.0\.1\n.*\nreported through the API\nproduction\nFaster order totals$/);
    const text = await page.locator('#main').textContent();
    assert.ok(!text?.includes('billing-9.9.9'), 'no other service’s deploy');
    assert.ok(!text?.includes('v1.0.0-old'), 'no deploy from before the window');

    // Drawn: both charts' labels name them, and the latency canvas has two vertical accent lines.
    for (const chart of ['#latency-chart', '#traffic-chart']) {
      const label = await page.locator(`${chart} .chart`).getAttribute('aria-label');
      assert.ok(label?.includes(`(marked: v2.0.1, ${HOSTILE})`), `${chart}: ${label}`);
    }
    await page.locator('#latency-chart canvas').first().waitFor();
    assert.equal(await awaitMarkerLines(reader, '#latency-chart', 2), 2, 'two deploy lines on the latency canvas');

    assert.equal(await page.locator('#main img, #main script').count(), 0, 'the hostile version is not markup');
    assertClean(reader, 'route view');
  });

  await t.test('a window without deploys shows no markers and no list', async () => {
    const { page } = reader;
    const early = `from=${encodeURIComponent(new Date(now - 60 * 60_000).toISOString())}&to=${encodeURIComponent(new Date(now - 45 * 60_000).toISOString())}`;
    await page.goto(`/routes?service=${SERVICE}&method=POST&route=${encodeURIComponent(ROUTE)}&${early}`);
    await page.locator('#latency-chart canvas').first().waitFor();
    await page.waitForLoadState('networkidle');
    assert.equal(await page.locator('#route-deploys').count(), 0);
    assert.equal(await page.locator('#latency-chart .chart').getAttribute('aria-label'), 'Latency p50, p95 and p99 over time');
    assert.equal(await awaitMarkerLines(reader, '#latency-chart', 0), 0);
    assertClean(reader, 'route view without deploys');
  });

  await t.test('the overview names each service’s latest deploy in the window', async () => {
    const { page } = reader;
    await page.goto(`/?${range}`);
    const note = page.locator(`#services-table tr[data-service="${SERVICE}"] .deploy-note`);
    await note.waitFor();
    assert.equal(squeeze(await note.textContent()), 'deployed v2.0.1 15 min ago');
    assertClean(reader, 'overview');
  });

  await t.test('the alert chart marks and lists the deploys of the alert’s service', async () => {
    const rule = { id: 'checkout-errors', name: 'Checkout errors', kind: 'error_rate', selector: { service: SERVICE, route: ROUTE }, threshold: 0.05, window: '10m', for: '0s', groupWait: '0s' };
    assert.equal((await post(tt, '/api/v1/alert-rules', tt.tokens.write, rule)).status, 201);
    await evaluateAlerts({ store: tt.store, control: tt.control, runbooks: tt.runtime.runbooks, publicUrl: tt.url, render: (n, target) => ({ channel: target.type, body: n }) }, now);
    const firing = (await tt.get('/api/v1/alerts?state=firing')).body.alerts as Array<{ fingerprint: string }>;
    assert.equal(firing.length, 1);
    const { page } = reader;
    await page.goto(`/alerts/${firing[0]!.fingerprint}`);
    await page.locator('#alert-deploy-list li').nth(1).waitFor();
    const versions = await page.locator('#alert-deploy-list .deploy-version').allTextContents();
    assert.deepEqual(versions, ['v2.0.1', HOSTILE]);
    const label = await page.locator('#alert-chart').getAttribute('aria-label');
    assert.ok(label?.includes(`firing, v2.0.1, ${HOSTILE}`), label ?? '');
    assert.equal(await page.locator('#main img, #main script').count(), 0);
    assertClean(reader, 'alert page');
  });

  assert.equal(await reader.page.evaluate(() => document.querySelectorAll('img').length), 0);
  assert.deepEqual(reader.dialogs, []);
  await reader.close();
});
