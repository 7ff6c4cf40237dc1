// The report renderers: CSV by RFC 4180 with formula injection neutralized, HTML escaped and
// self-contained, rendered by headless Chromium without a single problem and printable to PDF.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { csvField, renderCsv } from '../../reports/render-csv.ts';
import { escapeHtml, renderHtml } from '../../reports/render-html.ts';
import { toJsonReport } from '../../reports/render-json.ts';
import type { SlaReport, SlaSloRow } from '../../reports/sla-report.ts';
import { launchBrowser, openPage } from '../helpers/browser.ts';

const DAY = 86_400_000;
const FROM = Date.UTC(2026, 2, 1);

function row(over: Partial<SlaSloRow>): SlaSloRow {
  return {
    id: 'checkout', name: 'Checkout', indicator: 'availability of service=checkout', basis: 'requests', target: 99.9, attained: 99.95, met: true,
    downtimeMinutes: 12, maintenanceMinutes: 0, noDataMinutes: 0, goodEvents: 19_990, badEvents: 10,
    budget: { unit: 'events', total: 20, consumed: 10, remaining: 10 }, errorBudgetConsumed: 50,
    latency: { p50: 12.5, p95: 180, p99: 1450 }, incidents: [],
    worstRoutes: [{ service: 'checkout', method: 'POST', route: '/pay', calls: 5000, errors: 8, errorShare: 0.8 }],
    daily: [0, 1, 2].map((d) => ({ fromMs: FROM + d * DAY, toMs: FROM + (d + 1) * DAY, attained: d === 1 ? 99.5 : d === 2 ? null : 100 })),
    burn: [1, 2, 3].map((d) => ({ timeMs: FROM + d * DAY, remainingRatio: d === 1 ? 1 : 0.5 })),
    ...over,
  };
}

const report: SlaReport = {
  generatedAtMs: FROM + 3 * DAY, period: { fromMs: FROM, toMs: FROM + 3 * DAY }, timeZone: 'UTC', scope: { kind: 'tag', tag: 'shop' }, publicUrl: 'https://telltale.example',
  slos: [
    row({}),
    row({ id: 'evil', name: '=cmd|"/c calc"!A1 <img src=x onerror=alert(1)>', met: false, attained: 97, errorBudgetConsumed: 3000, budget: { unit: 'events', total: 20, consumed: 600, remaining: -580 }, burn: [{ timeMs: FROM + DAY, remainingRatio: -5 }, { timeMs: FROM + 2 * DAY, remainingRatio: -29 }, { timeMs: FROM + 3 * DAY, remainingRatio: -29 }] }),
    row({ id: 'quiet', name: '@quiet, "idle"\nsecond line', attained: null, met: null, errorBudgetConsumed: null, daily: [], burn: [] }),
  ],
  checks: [{ id: 'home', name: '+home', uptime: 99.99, downtimeMinutes: 1, runs: 1440, failedRuns: 1, latency: { p50: 80, p95: 120, p99: 300 }, incidents: [] }],
  incidents: [{
    fingerprint: 'f', ruleId: 'r', ruleName: 'Errors <high>', severity: 'page', summary: 'error rate 12% > 5%', labels: { service: 'checkout' },
    startMs: FROM + DAY, endMs: FROM + DAY + 1_800_000, durationMs: 1_800_000, runbookId: 'high-error-rate', runbookUrl: 'https://telltale.example/runbooks/high-error-rate',
  }],
};

test('CSV fields: RFC 4180 quoting and spreadsheet formulas neutralized', () => {
  assert.equal(csvField('plain'), 'plain');
  assert.equal(csvField('a,b'), '"a,b"');
  assert.equal(csvField('say "hi"'), '"say ""hi"""');
  assert.equal(csvField('two\nlines'), '"two\nlines"');
  for (const dangerous of ['=1+1', '+1', '-1', '@SUM(A1)', '\tx']) assert.equal(csvField(dangerous).replace(/^"/, '').startsWith("'"), true, dangerous);
  assert.equal(csvField('=a,b'), `"'=a,b"`);
  // Numbers are ours: a negative budget stays a number.
  assert.equal(csvField(-580), '-580');
  assert.equal(csvField(null), '');
  assert.equal(csvField(Infinity), '');
});

test('CSV report: one header and one row per SLO and check, CRLF line ends', () => {
  const csv = renderCsv(report);
  assert.ok(csv.endsWith('\r\n'));
  assert.ok(csv.includes(`,"'=cmd|""/c calc""!A1 <img src=x onerror=alert(1)>",`));
  assert.ok(csv.includes(`,"'@quiet, ""idle""\nsecond line",`));
  assert.ok(csv.includes('\r\ncheck,home,\'+home,'));
  assert.ok(csv.includes(',-580,'));
});

test('JSON report: attained in percent and met as a boolean (null without data)', () => {
  const json = toJsonReport(report);
  assert.deepEqual(json.slos.map((s) => [s.attained, s.met]), [[99.95, true], [97, false], [null, null]]);
  assert.deepEqual(json.summary, { slos: 3, met: 1, breached: 1, noData: 1 });
  assert.equal(json.incidents[0]?.durationMinutes, 30);
});

test('HTML report: every text escaped, no script, no external resource', () => {
  const html = renderHtml(report);
  assert.equal(escapeHtml(`<a href="x">'&`), '&lt;a href=&quot;x&quot;&gt;&#39;&amp;');
  assert.ok(!/<script|<img|<iframe|<link|<object/i.test(html));
  assert.ok(html.includes('&lt;img src=x onerror=alert(1)&gt;'));
  assert.ok(html.includes('Errors &lt;high&gt;'));
  assert.ok(!/(?:src|href)="(?!https:\/\/telltale\.example)/.test(html));
  assert.ok(html.includes('@media print'));
});

test('HTML report renders in headless Chromium without problems and prints to PDF', async (t) => {
  const browser = await launchBrowser(t);
  const watched = await openPage(browser, { baseUrl: 'about:blank' });
  const { page } = watched;
  await page.setContent(renderHtml(report), { waitUntil: 'load' });
  assert.equal(await page.title(), 'SLA report 2026-03-01 – 2026-03-03');
  // Two charts per SLO.
  assert.equal(await page.locator('svg').count(), 6);
  assert.equal(await page.locator('.badge.breached').count(), 2);
  // No element wider than the page (email clients are narrow).
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `overflows by ${overflow}px`);
  await page.emulateMedia({ media: 'print' });
  const pdf = await page.pdf({ format: 'A4' });
  assert.ok(pdf.subarray(0, 5).toString() === '%PDF-' && pdf.length > 1000);
  assert.deepEqual(watched.problems, []);
  await watched.close();
});
