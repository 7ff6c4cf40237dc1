// The dashboard end to end: a real Telltale fed through its real ingest endpoints (the
// OpenTelemetry SDK over OTLP/HTTP, nginx lines pushed to /v1/gateway-logs), the built app in
// headless Chromium. Sign-in, numbers equal to the API's, drilling from a route to a trace,
// deep links, span data shown as text, and no console errors or failed requests anywhere.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { Browser, Page } from 'playwright-core';
import { formatCount, formatMs, formatPercent, formatRps } from '../../dashboard/src/lib/format.ts';
import { ensureDashboardBuilt, launchBrowser, openPage, type WatchedPage } from '../helpers/browser.ts';
import { nginxTimedLines } from '../helpers/nginx-lines.ts';
import { recordServerCall, sdkClient } from '../helpers/otel-sdk.ts';
import { createRandom } from '../helpers/random.ts';
import { startTelltale, type TestTelltale } from '../helpers/telltale.ts';

const XSS_NAME = '<img src=x onerror=alert(1)>';
const XSS_ROUTE = '/xss/<script>window.__pwned=1</script>';
const XSS_ATTR = '<img src=y onerror="window.__pwned=2">';

interface Fixture {
  telltale: TestTelltale;
  browser: Browser;
  /** The window every comparison uses, as ISO strings (a fixed window: rps depends on its length). */
  from: string;
  to: string;
  slowTraceId: string;
}

async function sendData(telltale: TestTelltale): Promise<{ from: string; to: string; slowTraceId: string }> {
  const startMs = Date.now() - 20 * 60_000;
  const random = createRandom(11);
  const checkout = sdkClient({ baseUrl: telltale.url, token: telltale.tokens.ingest, service: 'checkout', encoding: 'json' });
  const evil = sdkClient({ baseUrl: telltale.otlpUrl, token: telltale.tokens.ingest, service: 'evil', encoding: 'protobuf' });
  try {
    const routes = [['GET', '/orders/{id}'], ['POST', '/orders'], ['GET', '/health']] as const;
    for (let i = 0; i < 300; i++) {
      const [method, route] = routes[i % routes.length]!;
      const roll = random.next();
      recordServerCall(checkout.tracer, {
        method, route, path: route.replace('{id}', String(1000 + i)), startMs: startMs + i * 3000,
        durationMs: route === '/health' ? random.lognormal(0, 0.3) : random.lognormal(Math.log(40), 0.6),
        status: roll < 0.08 && method === 'POST' ? 503 : roll < 0.15 ? 404 : 200, consumer: `customer-${random.int(4)}`,
      });
    }
    // The slowest call of all, with a database child span: the one the drill-down follows.
    const slowTraceId = recordServerCall(checkout.tracer, { method: 'GET', route: '/orders/{id}', path: '/orders/7', startMs: startMs + 60_000, durationMs: 2500, childMs: 2000, status: 200, consumer: 'customer-1' });

    // Hostile span data: whoever holds an ingest token controls these strings.
    const span = evil.tracer.startSpan(XSS_NAME, {
      kind: SpanKind.SERVER, startTime: startMs + 5000,
      attributes: { 'http.request.method': 'GET', 'http.route': XSS_ROUTE, 'http.response.status_code': 500, 'enduser.id': '<b>mallory</b>', 'evil.html': XSS_ATTR },
    });
    span.addEvent('<svg onload=alert(4)>', { 'evil.event': '<iframe src=javascript:alert(5)>' }, startMs + 5010);
    span.setStatus({ code: SpanStatusCode.ERROR, message: '<b>boom</b>' });
    span.end(startMs + 5020);
    await Promise.all([checkout.flush(), evil.flush()]);

    const lines = nginxTimedLines(200, Math.floor((startMs + 120_000) / 1000) * 1000).map((l) => l.line).join('\n');
    const pushed = await fetch(`${telltale.url}/v1/gateway-logs?format=nginx-timed&service=edge`, { method: 'POST', headers: { authorization: `Bearer ${telltale.tokens.ingest}` }, body: lines });
    assert.equal(pushed.status, 200, await pushed.text());
    return { from: new Date(startMs - 60_000).toISOString(), to: new Date(Date.now() + 60_000).toISOString(), slowTraceId };
  } finally {
    await Promise.all([checkout.shutdown(), evil.shutdown()]);
  }
}

async function setUp(t: TestContext): Promise<Fixture> {
  await ensureDashboardBuilt();
  const telltale = await startTelltale(t);
  const [data, browser] = await Promise.all([sendData(telltale), launchBrowser(t)]);
  return { telltale, browser, ...data };
}

function assertClean(watched: WatchedPage, what: string): void {
  assert.deepEqual(watched.problems, [], `${what}: console errors or failed requests`);
  assert.deepEqual(watched.dialogs, [], `${what}: a dialog opened`);
}

const cellTexts = (page: Page, selector: string) => page.$$eval(selector, (cells) => cells.map((c) => ({ text: (c.textContent ?? '').trim(), title: c.getAttribute('title') })));

test('the dashboard against a real Telltale', async (t) => {
  const fx = await setUp(t);
  const range = `from=${encodeURIComponent(fx.from)}&to=${encodeURIComponent(fx.to)}`;
  const apiRange = `from=${fx.from}&to=${fx.to}`;

  await t.test('sign-in refuses unknown and ingest-only tokens, keeps a good one, and signs out', async () => {
    const w = await openPage(fx.browser, { baseUrl: fx.telltale.url });
    const { page } = w;
    await page.goto('/');
    await page.fill('#token', 'not-a-real-token');
    await page.click('button[type=submit]');
    await page.getByRole('alert').filter({ hasText: 'That token was refused' }).waitFor();
    await page.fill('#token', fx.telltale.tokens.ingest);
    await page.click('button[type=submit]');
    await page.getByRole('alert').filter({ hasText: 'cannot read' }).waitFor();
    // Those refusals were the point: the browser logs each 401/403 as a failed resource.
    assert.equal(w.problems.filter((p) => !/40[13]/.test(p)).length, 0, w.problems.join('\n'));
    w.clearProblems();

    await page.fill('#token', fx.telltale.tokens.read);
    await page.click('button[type=submit]');
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    assert.equal(await page.evaluate(() => localStorage.getItem('telltale.token')), fx.telltale.tokens.read);
    await page.reload();
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.locator('#token').waitFor();
    assert.equal(await page.evaluate(() => localStorage.getItem('telltale.token')), null);
    assertClean(w, 'sign-in');
    await w.close();
  });

  await t.test('a revoked token mid-session brings back sign-in with a message', async () => {
    const w = await openPage(fx.browser, { baseUrl: fx.telltale.url, token: 'revoked-token-0123456789' });
    await w.page.goto(`/?${range}`);
    await w.page.getByText('no longer accepted').waitFor();
    assert.ok(await w.page.locator('#token').isVisible());
    w.clearProblems();
    await w.close();
  });

  await t.test("the overview's numbers are the API's numbers for the same window", async () => {
    const w = await openPage(fx.browser, { baseUrl: fx.telltale.url, token: fx.telltale.tokens.read });
    const { page } = w;
    const services = (await fx.telltale.get(`/api/v1/services?${apiRange}`)).body.services;
    const routes = (await fx.telltale.get(`/api/v1/routes?${apiRange}`)).body.routes;
    assert.deepEqual(services.map((s: { service: string }) => s.service).sort(), ['checkout', 'edge', 'evil']);

    await page.goto(`/?${range}`);
    await page.waitForSelector('#routes-table tbody tr:not(.spacer)');
    for (const s of services) {
      const cells = await cellTexts(page, `#services-table tr[data-service="${s.service}"] td.num`);
      assert.deepEqual(cells.map((c) => c.text), [formatCount(s.calls), formatRps(s.rps), formatPercent(s.errorRate), formatMs(s.p50), formatMs(s.p95), formatMs(s.p99)], s.service);
      assert.equal(cells[0]!.title, String(s.calls));
      assert.equal(cells[5]!.title, String(s.p99), 'the exact p99 on hover');
    }
    await page.waitForFunction((n) => document.querySelectorAll('svg.sparkline').length === n, services.length);

    assert.equal((await page.textContent('#routes-count'))?.trim(), `${routes.length} of ${routes.length} routes`);
    const rows = await page.$$eval('#routes-table tbody tr:not(.spacer)', (trs) => trs.map((tr) => [...tr.querySelectorAll('th, td')].map((c) => (c.textContent ?? '').trim())));
    assert.equal(rows.length, routes.length);
    for (const r of routes) {
      const row = rows.find((cells) => cells[0] === `${r.method} ${r.route}` && cells[1] === r.service);
      assert.ok(row, `${r.method} ${r.route} is listed`);
      assert.deepEqual(row.slice(2), [formatCount(r.calls), formatRps(r.rps), formatPercent(r.errorRate), formatCount(r.status4xx), formatCount(r.status5xx), formatMs(r.p50), formatMs(r.p95), formatMs(r.p99), formatMs(r.max)]);
    }
    const slowest = [...routes].sort((a, b) => (b.p99 ?? 0) - (a.p99 ?? 0))[0];
    assert.equal((await page.textContent('#worst-p99 li:first-child .route-text'))?.trim(), slowest.route);
    assert.equal((await page.textContent('#worst-p99 li:first-child .rank-value'))?.trim(), formatMs(slowest.p99));

    // Sorting and filtering are part of the URL.
    await page.getByRole('button', { name: 'p99' }).click();
    await page.waitForURL(/sort=p99/);
    assert.equal((await page.textContent('#routes-table tbody tr:not(.spacer) .route-text'))?.trim(), slowest.route);
    await page.fill('#route-filter', 'health');
    await page.waitForURL(/q=health/);
    assert.equal(await page.locator('#routes-table tbody tr:not(.spacer)').count(), 1);
    assertClean(w, 'overview');
    await w.close();
  });

  await t.test('from a slow route to its slowest call, its trace and the child span; deep links reopen each view', async () => {
    const w = await openPage(fx.browser, { baseUrl: fx.telltale.url, token: fx.telltale.tokens.read });
    const { page } = w;
    await page.goto(`/?${range}`);
    const checkoutOrders = page.locator('#worst-p99 li').filter({ hasText: 'checkout' }).filter({ has: page.getByText('/orders/{id}', { exact: true }) });
    await checkoutOrders.locator('a').click();
    await page.waitForURL(/\/routes\?/);
    const url = new URL(page.url());
    assert.equal(url.searchParams.get('service'), 'checkout');
    assert.equal(url.searchParams.get('route'), '/orders/{id}');
    assert.equal(url.searchParams.get('from'), fx.from, 'the window follows the drill-down');

    const [row] = (await fx.telltale.get(`/api/v1/routes?${apiRange}&service=checkout&method=GET&route=/orders/{id}`)).body.routes;
    await page.waitForSelector('#route-summary');
    const tiles = await cellTexts(page, '#route-summary dd');
    assert.equal(tiles[0]!.text, formatCount(row.calls));
    assert.equal(tiles[7]!.text, formatMs(row.p99));
    await page.waitForSelector('#latency-chart canvas');
    await page.waitForSelector('#traffic-chart canvas');
    await page.waitForSelector('#errors-by-consumer table');
    await page.waitForSelector('#errors-by-source table');
    const consumers = (await fx.telltale.get(`/api/v1/errors?${apiRange}&service=checkout&method=GET&route=/orders/{id}&by=consumer`)).body.rows;
    assert.equal(await page.locator('#errors-by-consumer tbody tr').count(), consumers.length);

    await page.waitForSelector('#slowest-table tbody tr');
    assert.equal((await page.textContent('#slowest-table tbody tr:first-child td.num'))?.trim(), formatMs(2500));
    const routeUrl = page.url();
    const routeTitle = await page.textContent('#route-title');
    await page.locator('#slowest-table tbody tr:first-child a.trace-link').click();
    await page.waitForURL(new RegExp(`/traces/${fx.slowTraceId}`));
    await page.waitForSelector('#span-details');
    assert.equal((await page.textContent('#span-title'))?.trim(), 'GET /orders/{id}', 'the call’s own span is selected');
    const child = page.locator('.wf-row', { hasText: 'SELECT orders' });
    await child.waitFor();
    await child.getByRole('button', { name: /SELECT orders/ }).click();
    await page.waitForFunction(() => document.querySelector('#span-title')?.textContent === 'SELECT orders');
    assert.match((await page.textContent('#span-attributes')) ?? '', /db\.system\s*postgresql/);
    assert.equal(await page.locator('.wf-row[role=row][data-span-id]').count(), 2);
    const traceUrl = page.url();
    assert.match(traceUrl, /span=[0-9a-f]{16}/);
    assertClean(w, 'drill-down');

    // A link pasted into chat, opened by someone else: the same views.
    const other = await openPage(fx.browser, { baseUrl: fx.telltale.url, token: fx.telltale.tokens.read });
    await other.page.goto(traceUrl);
    await other.page.waitForSelector('#span-details');
    assert.equal((await other.page.textContent('#span-title'))?.trim(), 'SELECT orders');
    assert.equal((await other.page.textContent('#trace-title'))?.trim(), (await page.textContent('#trace-title'))?.trim());
    await other.page.goto(routeUrl);
    await other.page.waitForSelector('#route-summary');
    assert.deepEqual(await cellTexts(other.page, '#route-summary dd'), tiles);
    assert.equal(await other.page.textContent('#route-title'), routeTitle);
    assertClean(other, 'deep links');
    await Promise.all([w.close(), other.close()]);
  });

  await t.test('span names, routes and attributes carrying HTML are shown as text, never run', async () => {
    const w = await openPage(fx.browser, { baseUrl: fx.telltale.url, token: fx.telltale.tokens.read });
    const { page } = w;
    await page.goto(`/?${range}`);
    await page.waitForSelector('#routes-table tbody tr:not(.spacer)');
    await page.getByText(XSS_ROUTE, { exact: true }).first().waitFor();

    await page.goto(`/traces?${range}&service=evil`);
    await page.getByRole('link', { name: XSS_NAME, exact: true }).click();
    await page.waitForSelector('.wf-row[data-span-id]');
    await page.locator('.wf-span-button').first().click();
    await page.waitForSelector('#span-details');
    assert.equal((await page.textContent('#span-title'))?.trim(), XSS_NAME);
    assert.match((await page.textContent('#span-attributes')) ?? '', new RegExp(XSS_ATTR.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    assert.match((await page.textContent('#span-events')) ?? '', /<svg onload=alert\(4\)>/);
    assert.match((await page.textContent('#span-details')) ?? '', /<b>boom<\/b>/);
    assert.equal(await page.locator('img[src=x], img[src=y], svg[onload], iframe, script:not([src])').count(), 0, 'no element was made from span data');
    assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);
    assertClean(w, 'hostile span data');
  });

  await t.test('an API error other than 401 shows in the banner until dismissed or the page changes', async () => {
    const w = await openPage(fx.browser, { baseUrl: fx.telltale.url, token: fx.telltale.tokens.read });
    const missing = `${'0'.repeat(31)}1`;
    await w.page.goto(`/traces/${missing}`);
    await w.page.getByRole('alert').filter({ hasText: `no trace ${missing}` }).waitFor();
    await w.page.getByRole('button', { name: 'Dismiss this error' }).click();
    assert.equal(await w.page.locator('.banner').count(), 0);
    await w.page.reload();
    await w.page.locator('.banner').waitFor();
    await w.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Traces' }).click();
    await w.page.waitForSelector('#trace-search');
    assert.equal(await w.page.locator('.banner').count(), 0, 'the old page’s error no longer applies');
    assert.ok(await w.page.getByRole('button', { name: 'Sign out' }).isVisible(), 'still signed in');
    // The two 404s asked for are the only problems (each shows as a response and a console line).
    assert.ok(w.problems.length > 0 && w.problems.every((p) => /404/.test(p)), w.problems.join('\n'));
    assert.deepEqual(w.dialogs, []);
    await w.close();
  });

  await t.test('controls are reachable by keyboard and show focus; the time range and refresh go to the URL', async () => {
    const w = await openPage(fx.browser, { baseUrl: fx.telltale.url, token: fx.telltale.tokens.read });
    const { page } = w;
    await page.goto(`/?${range}`);
    await page.waitForSelector('#services-table');
    let reached = false;
    for (let i = 0; i < 12 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = await page.evaluate(() => document.activeElement?.id === 'time-range');
    }
    assert.ok(reached, 'the time-range picker is reachable with Tab');
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
    assert.notEqual(outline, 'none', 'focus is visible');
    await page.selectOption('#time-range', '6h');
    await page.waitForURL(/from=now-6h/);
    assert.ok(!new URL(page.url()).searchParams.has('to'));
    await page.selectOption('#auto-refresh', '10s');
    await page.waitForURL(/refresh=10s/);
    await page.getByRole('button', { name: /dark theme/ }).click();
    assert.equal(await page.evaluate(() => document.documentElement.dataset['theme']), 'dark');
    await page.reload();
    await page.waitForSelector('#services-table');
    assert.equal(await page.evaluate(() => document.documentElement.dataset['theme']), 'dark', 'the choice is remembered');
    assertClean(w, 'keyboard');
    await w.close();
  });
});
