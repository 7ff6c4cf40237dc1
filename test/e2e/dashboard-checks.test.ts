// The checks pages end to end: a real Telltale, a real local HTTP target (port 0) the checks
// run against through POST …/run, the built app in headless Chromium. Create a check in the
// form (a bad URL scheme is refused next to the URL field), run it, see its result and
// assertion table; a failing check's run is linked from the list's strip; a read-only token is
// told why it cannot run a check. No console errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ensureDashboardBuilt, launchBrowser, openPage, type WatchedPage } from '../helpers/browser.ts';
import { startTelltale } from '../helpers/telltale.ts';
import { syncCodeChecks } from '../../server/checks/code-checks.ts';
import type { Check } from '../../synthetic/index.ts';

function assertClean(watched: WatchedPage, what: string): void {
  assert.deepEqual(watched.problems, [], `${what}: console errors or failed requests`);
  assert.deepEqual(watched.dialogs, [], `${what}: a dialog opened`);
}

test('checks: create in the form, run now, results, history strip and read-only refusal', async (t) => {
  await ensureDashboardBuilt();
  const target = createServer((req, res) => {
    const failing = req.url?.startsWith('/fail') ?? false;
    res.writeHead(failing ? 503 : 200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ ok: !failing }));
  });
  await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => target.close(() => resolve())));
  const targetUrl = `http://127.0.0.1:${(target.address() as AddressInfo).port}`;
  const [telltale, browser] = await Promise.all([startTelltale(t), launchBrowser(t)]);

  const w = await openPage(browser, { baseUrl: telltale.url, token: telltale.tokens.write });
  const { page } = w;

  await t.test('the form refuses a bad URL scheme next to the URL field, then creates the check', async () => {
    await page.goto('/checks');
    await page.getByText('No checks yet').waitFor();
    await page.getByRole('link', { name: 'New check' }).click();
    await page.getByRole('heading', { name: 'New check' }).waitFor();
    await page.fill('#check-id', 'shop-health');
    await page.fill('#check-name', 'Shop health');
    await page.fill('#check-url', 'ftp://127.0.0.1/health');
    await page.fill('#check-latencyMs', '5000');
    const yaml = await page.locator('#check-yaml-text').textContent();
    assert.match(yaml ?? '', /^id: shop-health\nname: Shop health\ntype: http\nschedule: 1m\nrequest:\n {2}method: GET\n {2}url: "ftp:\/\/127\.0\.0\.1\/health"\nassertions:\n {2}- kind: status\n {4}equals: 200\n {2}- kind: latency\n {4}lessThan: 5000\n$/);
    await page.click('#save-check');
    const urlError = page.locator('#check-url-error');
    await urlError.waitFor();
    assert.match((await urlError.textContent()) ?? '', /\/request\/url: .*ftp/i);
    assert.equal(await page.getAttribute('#check-url', 'aria-invalid'), 'true');
    // The 400 was the point.
    assert.ok(w.problems.length > 0 && w.problems.every((p) => p.includes('400')), w.problems.join('\n'));
    w.clearProblems();

    await page.fill('#check-url', `${targetUrl}/health`);
    await page.click('#save-check');
    await page.locator('#check-title').filter({ hasText: 'Shop health' }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/checks/shop-health');
    assertClean(w, 'create');
  });

  await t.test('run now shows the new result and its assertion table', async () => {
    await page.click('#run-now');
    const result = page.locator('#run-result');
    await result.waitFor();
    await result.locator('.check-status.ok').waitFor();
    const rows = await result.locator('.assertion-table tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => (td.textContent ?? '').trim())));
    assert.equal(rows.length, 2);
    assert.deepEqual(rows.map((r) => [r[0], r[2], r[3]]), [['status', '200', 'pass'], ['latency total', rows[1]![2], 'pass']]);
    assert.match(rows[0]![1]!, /200/);
    // Every run links to its backend trace.
    const traceHref = await result.getByRole('link', { name: 'Backend trace' }).getAttribute('href');
    assert.match(traceHref ?? '', /^\/traces\/[0-9a-f]{32}/);
    await page.locator('#runs tbody tr').first().waitFor();
    await page.locator('#phase-bars .phase-row').first().waitFor();
    assertClean(w, 'run now');
  });

  await t.test('a failing check: its failed run is linked from the list’s strip and shows the failed assertion', async () => {
    const created = await fetch(`${telltale.url}/api/v1/checks`, {
      method: 'POST', headers: { authorization: `Bearer ${telltale.tokens.write}`, 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'shop-fail', name: 'Shop failing', type: 'http', schedule: '5m', request: { url: `${targetUrl}/fail` }, assertions: [{ kind: 'status', equals: 200 }] }),
    });
    assert.equal(created.status, 201, await created.text());
    const ran = await fetch(`${telltale.url}/api/v1/checks/shop-fail/run`, { method: 'POST', headers: { authorization: `Bearer ${telltale.tokens.write}` } });
    assert.equal(ran.status, 200);

    await page.goto('/checks');
    const row = page.locator('tr[data-check="shop-fail"]');
    await row.locator('.check-status.failed').waitFor();
    await page.locator('tr[data-check="shop-health"] .check-status.ok').waitFor();
    assert.equal(await page.locator('tr[data-check="shop-health"] .origin').textContent(), 'api');
    await row.locator('a.run-cell.failed').click();
    const failed = page.locator('#failed-run');
    await failed.locator('.assertion-table tr.failed').waitFor();
    const cells = await failed.locator('.assertion-table tr.failed td').allTextContents();
    assert.deepEqual([cells[0], cells[2], cells[3]], ['status', '503', 'fail']);
    assert.match((await failed.locator('.run-error').textContent()) ?? '', /assertion_failed/);
    assertClean(w, 'failing check');
  });

  await t.test('editing keeps the id and shows the YAML of the stored check', async () => {
    await page.goto('/checks/shop-health?edit=1');
    await page.getByRole('heading', { name: 'Edit Shop health' }).waitFor();
    assert.equal(await page.inputValue('#check-url'), `${targetUrl}/health`);
    assert.equal(await page.getAttribute('#check-id', 'readonly'), '');
    assert.match((await page.locator('#check-yaml-text').textContent()) ?? '', /url: "http:\/\/127\.0\.0\.1:\d+\/health"/);
    assertClean(w, 'edit');
  });
  await w.close();

  await t.test('a read-only token is told why it cannot run a check', async () => {
    const ro = await openPage(browser, { baseUrl: telltale.url, token: telltale.tokens.read });
    await ro.page.goto('/checks/shop-health');
    await ro.page.locator('#check-title').filter({ hasText: 'Shop health' }).waitFor();
    await ro.page.click('#run-now');
    const message = ro.page.locator('#run-error');
    await message.waitFor();
    assert.match((await message.textContent()) ?? '', /write scope/);
    assert.ok(ro.problems.length > 0 && ro.problems.every((p) => p.includes('403')), ro.problems.join('\n'));
    ro.clearProblems();
    assertClean(ro, 'read-only');
    await ro.close();
  });

  await t.test('a check defined in code is shown read-only, and says so', async () => {
    const check = { id: 'code-health', name: 'Code health', type: 'http', schedule: '1h', request: { url: `${targetUrl}/health` } } as Check;
    const synced = await syncCodeChecks(telltale.runtime.checks, [{ check, file: 'checks/code-health.yaml', line: 1 }]);
    assert.deepEqual(synced.created, ['code-health']);
    const cw = await openPage(browser, { baseUrl: telltale.url, token: telltale.tokens.write });
    await cw.page.goto('/checks');
    assert.equal(await cw.page.locator('tr[data-check="code-health"] .origin').textContent(), 'code');
    await cw.page.goto('/checks/code-health');
    await cw.page.getByRole('link', { name: 'View definition and YAML' }).click();
    await cw.page.locator('#readonly-note').filter({ hasText: 'defined in code' }).waitFor();
    assert.equal(await cw.page.locator('#save-check').count(), 0);
    assert.equal(await cw.page.locator('#check-url').isDisabled(), true);
    assert.match((await cw.page.locator('#check-yaml-text').textContent()) ?? '', /^id: code-health\n/);
    assertClean(cw, 'code-owned');
    await cw.close();
  });
});
