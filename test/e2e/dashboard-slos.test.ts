// The SLO pages and the SLA report end to end: a real Telltale with two SLOs made through the
// API and calls in the store, the built app in headless Chromium. The list and an SLO's page show
// the numbers the API answers (formatted the way the page formats them), the overview's "SLOs at
// risk" panel ranks them and fails alone, and the report page downloads a CSV byte-equal to the
// API's CSV for the same period (and an HTML report).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { ensureDashboardBuilt, launchBrowser, openPage, type WatchedPage } from '../helpers/browser.ts';
import { startTelltale, type TestTelltale } from '../helpers/telltale.ts';
import { formatBurn, formatPct, formatRemaining, sloState, STATE_TEXT } from '../../dashboard/src/slos/slo-format.ts';
import { previousWeek } from '../../dashboard/src/reports/report-period.ts';
import type { SloStatus } from '../../dashboard/src/api/slos.ts';
import type { ApiCall } from '../../store/index.ts';

const SLOS = [
  { id: 'checkout-availability', name: 'Checkout availability', target: 99, window: '7d', indicator: { type: 'availability', selector: { service: 'checkout' } } },
  { id: 'search-latency', name: 'Search under 100 ms', target: 95, window: '7d', indicator: { type: 'latency', thresholdMs: 100, selector: { service: 'search' } } },
];

/** `n` calls of `service` spread over [fromMs, toMs): `bad` of them failing (500) or slow (250 ms). */
function calls(service: string, n: number, bad: number, kind: 'error' | 'slow', fromMs: number, toMs: number, prefix: string): ApiCall[] {
  const step = (toMs - fromMs) / n;
  return Array.from({ length: n }, (_, i) => {
    const isBad = i % Math.floor(n / bad) === 0 && Math.floor(i / Math.floor(n / bad)) < bad;
    return {
      id: `${prefix}${i}`, timeUnixMs: Math.floor(fromMs + i * step), service, method: 'GET', route: '/items', statusCode: isBad && kind === 'error' ? 500 : 200,
      durationMs: isBad && kind === 'slow' ? 250 : 20, source: 'trace' as const, traceId: null, spanId: null, consumer: null, error: isBad && kind === 'error',
    };
  });
}

function assertClean(w: WatchedPage, what: string): void {
  assert.deepEqual(w.problems, [], `${what}: console errors or failed requests`);
  assert.deepEqual(w.dialogs, [], `${what}: a dialog opened`);
}


async function statusOf(tt: TestTelltale, id: string) {
  const answer = await tt.get(`/api/v1/slos/${id}`);
  assert.equal(answer.status, 200);
  return answer.body as SloStatus;
}

test('SLOs and the SLA report: numbers as the API answers them, the overview panel, CSV and HTML downloads', async (t) => {
  await ensureDashboardBuilt();
  const [tt, browser] = await Promise.all([startTelltale(t), launchBrowser(t)]);
  for (const slo of SLOS) {
    const created = await fetch(`${tt.url}/api/v1/slos`, { method: 'POST', headers: { authorization: `Bearer ${tt.tokens.write}`, 'content-type': 'application/json' }, body: JSON.stringify(slo) });
    assert.equal(created.status, 201, await created.text());
  }
  const now = Date.now();
  const week = previousWeek(now);
  await tt.store.append({
    calls: [
      ...calls('checkout', 1000, 5, 'error', now - 6 * 3_600_000, now - 60_000, 'c'),
      ...calls('search', 200, 20, 'slow', now - 6 * 3_600_000, now - 60_000, 's'),
      ...calls('checkout', 600, 3, 'error', week.fromMs + 3_600_000, week.toMs - 3_600_000, 'wc'),
      ...calls('search', 300, 6, 'slow', week.fromMs + 3_600_000, week.toMs - 3_600_000, 'ws'),
    ],
    spans: [],
  });
  const checkout = await statusOf(tt, 'checkout-availability');
  const search = await statusOf(tt, 'search-latency');
  // The fixture is what the test says it is (within the 7-day windows: the previous week's calls may count too).
  assert.equal(sloState(search), 'breached');
  assert.equal(checkout.met, true);

  const w = await openPage(browser, { baseUrl: tt.url, token: tt.tokens.read });
  const { page } = w;

  await t.test('the SLO list shows target, attainment, budget left, burn rate and status as the API answers', async () => {
    await page.goto('/');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'SLOs' }).click();
    await page.locator('#slos-table tbody tr').first().waitFor();
    assert.equal(new URL(page.url()).pathname, '/slos');
    for (const [id, s] of [['checkout-availability', checkout], ['search-latency', search]] as const) {
      const row = page.locator(`#slos-table tr[data-slo="${id}"]`);
      assert.equal(await row.locator('.slo-target').textContent(), formatPct(s.slo.target));
      assert.equal(await row.locator('.slo-attained').textContent(), formatPct(s.attainment));
      assert.equal(await row.locator('.budget-text').textContent(), formatRemaining(s.budget.remainingRatio));
      assert.equal(await row.locator('.slo-burn').textContent(), formatBurn(s.burnRate));
      assert.equal(await row.locator('.slo-status').textContent(), STATE_TEXT[sloState(s)]);
      const meter = await row.locator('[role="meter"]').getAttribute('aria-valuenow');
      assert.equal(Number(meter), Math.round(Math.max(0, Math.min(1, s.budget.remainingRatio ?? 0)) * 100));
    }
    assertClean(w, 'SLO list');
  });

  await t.test('an SLO page shows the same numbers and the budget and burn charts over its window', async () => {
    await page.getByRole('link', { name: 'Checkout availability' }).click();
    await page.locator('#slo-title').filter({ hasText: 'Checkout availability' }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/slos/checkout-availability');
    assert.equal(await page.locator('#slo-target').textContent(), formatPct(checkout.slo.target));
    assert.equal(await page.locator('#slo-attained').textContent(), formatPct(checkout.attainment));
    assert.equal(await page.locator('#slo-remaining').textContent(), formatRemaining(checkout.budget.remainingRatio));
    assert.equal(await page.locator('#slo-burn').textContent(), formatBurn(checkout.burnRate));
    await page.locator('#slo-budget-chart canvas').first().waitFor();
    await page.locator('#slo-burn-chart canvas').first().waitFor();
    assertClean(w, 'SLO page');
  });

  await t.test('the overview ranks SLOs by budget left; when the SLO API fails only that panel says so', async () => {
    await page.goto('/');
    await page.locator('#slos-at-risk-table tbody tr').first().waitFor();
    const order = await page.locator('#slos-at-risk-table tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-slo')));
    const expected = [['checkout-availability', checkout], ['search-latency', search]]
      .sort((a, b) => ((a[1] as typeof checkout).budget.remainingRatio ?? Infinity) - ((b[1] as typeof checkout).budget.remainingRatio ?? Infinity)).map((x) => x[0]);
    assert.deepEqual(order, expected);
    const risky = [checkout, search].filter((s) => sloState(s) === 'at-risk' || sloState(s) === 'breached').length;
    assert.equal(await page.locator('#slos-at-risk-count').textContent(), String(risky));
    assertClean(w, 'overview');

    await page.route('**/api/v1/slo-status', (route) => route.fulfill({ status: 500, contentType: 'application/json', body: JSON.stringify({ statusCode: 500, code: 'TELLTALE_ERR_INTERNAL', message: 'store unavailable' }) }));
    await page.reload();
    await page.locator('#slos-at-risk .form-error').filter({ hasText: 'store unavailable' }).waitFor();
    await page.locator('#firing-alerts').getByText('Nothing is firing.').waitFor();
    await page.locator('#services').waitFor();
    await page.unroute('**/api/v1/slo-status');
    assert.ok(w.problems.every((p) => p.includes('500')), w.problems.join('\n'));
    w.clearProblems();
  });

  await t.test('the report page for the previous week downloads the API\'s CSV, and an HTML report', async () => {
    await page.goto('/slos');
    await page.getByRole('link', { name: 'SLA report' }).click();
    await page.getByRole('button', { name: 'Previous week' }).click();
    assert.equal(new URL(page.url()).searchParams.get('period'), 'prev-week');
    const period = page.locator('#report-period');
    await period.and(page.locator(`[data-from="${new Date(week.fromMs).toISOString()}"]`)).waitFor();
    await page.locator('#report-slos-table tbody tr').first().waitFor();
    const from = (await period.getAttribute('data-from'))!;
    const to = (await period.getAttribute('data-to'))!;
    assert.equal(to, new Date(week.toMs).toISOString());

    const json = (await tt.get(`/api/v1/reports/sla?from=${from}&to=${to}&scope=all`)).body as { slos: Array<{ id: string; attained: number | null }> };
    for (const s of json.slos) {
      assert.equal(await page.locator(`#report-slos-table tr[data-slo="${s.id}"] .report-attained`).textContent(), formatPct(s.attained));
    }

    const [csv] = await Promise.all([page.waitForEvent('download'), page.click('#download-csv')]);
    assert.equal(csv.suggestedFilename(), `telltale-sla-${from.slice(0, 10)}_${to.slice(0, 10)}-all.csv`);
    const downloaded = await readFile((await csv.path()), 'utf8');
    const api = await fetch(`${tt.url}/api/v1/reports/sla?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}&scope=all&format=csv`, { headers: { authorization: `Bearer ${tt.tokens.read}` } });
    assert.equal(api.status, 200);
    assert.equal(downloaded, await api.text(), 'the downloaded CSV is the API\'s CSV');
    assert.match(downloaded, /^kind,id,name,/);
    assert.ok(downloaded.includes('checkout-availability') && downloaded.includes('search-latency'));

    const [html] = await Promise.all([page.waitForEvent('download'), page.click('#download-html')]);
    assert.match(html.suggestedFilename(), /\.html$/);
    const htmlText = await readFile((await html.path()), 'utf8');
    assert.match(htmlText, /<html/i);
    assert.ok(htmlText.includes('Checkout availability'));

    // The scope is in the URL too, and a deep link opens the same report.
    await page.fill('#report-scope', 'service:search');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForFunction(() => document.querySelectorAll('#report-slos-table tbody tr').length === 1);
    assert.equal(new URL(page.url()).searchParams.get('scope'), 'service:search');
    await page.reload();
    await page.locator('#report-slos-table tr[data-slo="search-latency"]').waitFor();
    assert.equal(await page.locator('#report-slos-table tbody tr').count(), 1);
    assertClean(w, 'report');
  });
  await w.close();
});
