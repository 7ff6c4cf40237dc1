// The runbooks pages end to end: a real Telltale with the shipped runbooks plus a team folder
// holding a hostile runbook, the built app in headless Chromium. The list (with its filter in
// the URL), a click into a runbook whose first steps match the API's, a deep link, the dark
// theme, and the hostile runbook shown as text with nothing executed: no script, no handler,
// no dialog, not even a CSP refusal in the console (which would mean something tried).
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureDashboardBuilt, launchBrowser, openPage, type WatchedPage } from '../helpers/browser.ts';
import { BOOTSTRAP_TOKEN } from '../helpers/telltale.ts';
import { openSqliteControlStore, openSqliteStore } from '../../store/index.ts';
import { buildApp, createRuntime } from '../../server/app.ts';
import { createToken } from '../../server/auth/tokens.ts';
import { createMetrics } from '../../server/metrics.ts';

const HOSTILE = `---
id: hostile
title: <img src=x onerror="window.__pwned = 'title'">Hostile
owner: <script>window.__pwned = 'owner'</script>
severity: page
applies_to: [error_rate]
---

## First steps

1. <script>window.__pwned = 'script'</script> Step one
2. <img src=x onerror="window.__pwned = 'img'"> Step two
3. [x](javascript:window.__pwned='js') and [y](data:text/html,<script>window.__pwned='data'</script>)
4. [z](JaVaScRiPt:window.__pwned='case') <javascript:window.__pwned='auto'> ![i](javascript:window.__pwned='src')
5. [safe](https://example.com/) [in page](#more)

<a href="javascript:window.__pwned='raw'">raw link</a> <svg onload="window.__pwned='svg'"></svg>
<iframe src="data:text/html,<script>parent.__pwned='iframe'</script>"></iframe>

[ref]: javascript:window.__pwned='ref'

A [reference][ref] link.

## More

<details open ontoggle="window.__pwned='details'">x</details>
`;

/** startTelltale's twin with TELLTALE_RUNBOOKS_DIR set (the shared helper has no option for it). */
async function startWithTeamRunbooks(t: TestContext, teamDir: string): Promise<{ url: string; token: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'telltale-test-'));
  const store = await openSqliteStore({ file: join(dir, 'telltale.db') });
  const control = await openSqliteControlStore({ file: join(dir, 'telltale.db') });
  const runtime = createRuntime({
    config: {
      bootstrapToken: BOOTSTRAP_TOKEN, maxBodyBytes: 1024 * 1024, ingestQueueMax: 10_000, consumerAttributes: [],
      publicUrl: 'http://localhost', logLevel: 'silent', maxRoutesPerService: 500, dataDir: dir, runbooksDir: teamDir,
    },
    store, control, metrics: createMetrics(), now: Date.now,
  });
  const app = await buildApp(runtime);
  await app.listen({ port: 0, host: '127.0.0.1' });
  t.after(async () => {
    await app.close();
    await runtime.queue.close();
    await control.close();
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('not listening');
  return { url: `http://127.0.0.1:${address.port}`, token: (await createToken(store, 'read', 'runbooks e2e')).token };
}

function assertClean(watched: WatchedPage, what: string): void {
  assert.deepEqual(watched.problems, [], `${what}: console errors or failed requests`);
  assert.deepEqual(watched.dialogs, [], `${what}: a dialog opened`);
}

const squeeze = (text: string | null) => (text ?? '').replace(/\s+/g, ' ').trim();

test('runbooks: list, filter, open one with its first steps, deep link, dark theme, a hostile team runbook stays inert', async (t) => {
  await ensureDashboardBuilt();
  const teamDir = await mkdtemp(join(tmpdir(), 'telltale-team-runbooks-'));
  t.after(() => rm(teamDir, { recursive: true, force: true }));
  await writeFile(join(teamDir, 'hostile.md'), HOSTILE);
  const [telltale, browser] = await Promise.all([startWithTeamRunbooks(t, teamDir), launchBrowser(t)]);
  const firstStepsOf = async (id: string): Promise<string[]> => {
    const response = await fetch(`${telltale.url}/api/v1/runbooks/${id}`, { headers: { authorization: `Bearer ${telltale.token}` } });
    return ((await response.json()) as { firstSteps: string[] }).firstSteps;
  };

  const w = await openPage(browser, { baseUrl: telltale.url, token: telltale.token });
  const { page } = w;

  await t.test('the list shows every runbook with owner, severity and origin; the filter lives in the URL', async () => {
    await page.goto('/');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Runbooks' }).click();
    await page.locator('#runbooks-table tbody tr').first().waitFor();
    assert.equal(new URL(page.url()).pathname, '/runbooks');
    assert.equal(await page.getByRole('link', { name: 'Runbooks', exact: true }).getAttribute('aria-current'), 'page');
    const ids = await page.locator('#runbooks-table tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-runbook')));
    assert.deepEqual(ids, ['certificate-expiring', 'check-failing', 'high-error-rate', 'high-latency', 'hostile', 'no-data', 'slo-burn']);
    const row = page.locator('tr[data-runbook="slo-burn"]');
    assert.equal(squeeze(await row.locator('td').nth(0).textContent()), 'sre-oncall');
    assert.equal(squeeze(await row.locator('td').nth(1).textContent()), 'page');
    assert.equal(await page.locator('tr[data-runbook="hostile"] .origin').textContent(), 'team');

    await page.fill('#runbook-filter', 'latency');
    await page.waitForFunction(() => document.querySelectorAll('#runbooks-table tbody tr').length === 1);
    assert.equal(new URL(page.url()).searchParams.get('q'), 'latency');
    await page.reload();
    await page.locator('tr[data-runbook="high-latency"]').waitFor();
    assert.equal(await page.locator('#runbooks-table tbody tr').count(), 1, 'the filter survives a reload');
    assert.equal(await page.inputValue('#runbook-filter'), 'latency');
    await page.fill('#runbook-filter', '');
    await page.locator('tr[data-runbook="no-data"]').waitFor();
    assertClean(w, 'list');
  });

  await t.test('clicking a runbook shows its facts and the same first steps the API (and the email) has', async () => {
    await page.getByRole('link', { name: 'High error rate on an API route' }).click();
    await page.locator('#runbook-title').filter({ hasText: 'High error rate on an API route' }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/runbooks/high-error-rate');
    assert.equal(await page.title(), 'Runbooks · Telltale');
    assert.equal(await page.locator('#runbook-owner').textContent(), 'platform-oncall');
    const facts = await page.locator('#runbook-facts > div').evaluateAll((items) => items.map((d) => [d.querySelector('dt')?.textContent, d.querySelector('dd')?.textContent?.trim()]));
    assert.deepEqual(facts, [['Owner', 'platform-oncall'], ['Severity', 'page'], ['Applies to', 'error_rate (default)'], ['Origin', 'shipped high-error-rate']]);

    const expected = await firstStepsOf('high-error-rate');
    const shown = await page.locator('#runbook-html #rb-first-steps + ol > li').allTextContents();
    assert.equal(shown.length, 5);
    assert.deepEqual(shown.map(squeeze), expected);
    await page.getByRole('heading', { name: 'Common causes' }).waitFor();
    await page.locator('#runbook-html pre code').first().waitFor();
    assertClean(w, 'one runbook');

    await page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: 'Runbooks' }).click();
    await page.locator('#runbooks-table').waitFor();
    assert.equal(new URL(page.url()).pathname, '/runbooks');
  });

  await t.test('a deep link opens the same runbook; the dark theme applies to its body', async () => {
    const dark = await openPage(browser, { baseUrl: telltale.url, token: telltale.token, colorScheme: 'dark' });
    await dark.page.goto('/runbooks/no-data');
    await dark.page.locator('#runbook-title').filter({ hasText: 'A service or route stopped receiving traffic' }).waitFor();
    await dark.page.locator('#runbook-html #rb-first-steps').waitFor();
    const look = await dark.page.evaluate(() => ({
      theme: document.documentElement.dataset['theme'],
      body: getComputedStyle(document.querySelector('.runbook-body')!).backgroundColor,
      text: getComputedStyle(document.querySelector('#runbook-html p')!).color,
    }));
    assert.deepEqual(look, { theme: 'dark', body: 'rgb(23, 28, 37)', text: 'rgb(227, 232, 239)' });
    assertClean(dark, 'deep link, dark');
    await dark.close();
  });

  await t.test('a hostile team runbook is shown as text: nothing runs, no live link to javascript: or data:', async () => {
    await page.goto('/runbooks/hostile');
    await page.locator('#runbook-html #rb-first-steps').waitFor();
    // The title and owner come from front matter: React renders them as text.
    assert.equal(await page.locator('#runbook-title').textContent(), `<img src=x onerror="window.__pwned = 'title'">Hostile`);
    assert.equal(await page.locator('#runbook-owner').textContent(), "<script>window.__pwned = 'owner'</script>");
    const body = page.locator('#runbook-html');
    assert.equal(await body.locator('script, img, iframe, svg, details, object, embed, [onerror], [onload], [ontoggle]').count(), 0);
    const hrefs = await body.locator('a').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
    assert.deepEqual(hrefs, ['https://example.com/', '#rb-more']);
    // The hostile text is there for the reader to see, escaped.
    const text = (await body.textContent()) ?? '';
    assert.ok(text.includes("<script>window.__pwned = 'script'</script> Step one"));
    assert.ok(text.includes("[x](javascript:window.__pwned='js')"));
    // Clicking what looks like links does nothing.
    await body.getByText('raw link').click();
    await body.getByText("[x](javascript:window.__pwned='js')", { exact: false }).click();
    // The in-page link scrolls to its heading and stays on the page.
    await body.getByRole('link', { name: 'in page' }).click();
    await page.waitForFunction(() => window.location.hash === '#rb-more');
    assert.equal(new URL(page.url()).pathname, '/runbooks/hostile');
    assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: string }).__pwned), undefined);
    assertClean(w, 'hostile runbook');
  });

  await t.test('an unknown runbook says so instead of failing', async () => {
    await page.goto('/runbooks/no-such-runbook');
    await page.locator('#runbook-missing').waitFor();
    // The API's 404 is the expected answer here.
    assert.ok(w.problems.every((p) => p.includes('404')), w.problems.join('\n'));
    w.clearProblems();
    assert.deepEqual(w.dialogs, []);
  });
  await w.close();
});
