// The built dashboard: the JavaScript index.html loads before the first paint stays under
// 250 KB gzipped (pages are separate chunks), and Telltale serves the files with a strict
// Content-Security-Policy, long caching for hashed assets and the app shell for deep links.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DIST_DIR, ensureDashboardBuilt } from '../helpers/browser.ts';
import { startTelltale } from '../helpers/telltale.ts';

const INITIAL_JS_BUDGET = 250 * 1024;

/** Files index.html makes the browser fetch before anything renders. */
function initialAssets(html: string): { js: string[]; css: string[] } {
  const attr = (tag: string, name: string) => new RegExp(`${name}="([^"]+)"`).exec(tag)?.[1];
  const tags = html.match(/<(script|link)\b[^>]*>/g) ?? [];
  const js = tags.filter((tag) => /^<script\b/.test(tag) && /type="module"/.test(tag) || /rel="modulepreload"/.test(tag)).map((tag) => attr(tag, 'src') ?? attr(tag, 'href') ?? '');
  const css = tags.filter((tag) => /rel="stylesheet"/.test(tag)).map((tag) => attr(tag, 'href') ?? '');
  return { js, css };
}

test('the initial JavaScript is under 250 KB gzipped and each page is its own chunk', async (t) => {
  await ensureDashboardBuilt();
  const html = await readFile(join(DIST_DIR, 'index.html'), 'utf8');
  const { js, css } = initialAssets(html);
  assert.ok(js.length >= 1, 'index.html loads an entry script');
  const gzipped = async (file: string) => gzipSync(await readFile(join(DIST_DIR, file))).length;
  const sizes = await Promise.all(js.map(gzipped));
  const total = sizes.reduce((a, b) => a + b, 0);
  const cssTotal = (await Promise.all(css.map(gzipped))).reduce((a, b) => a + b, 0);
  t.diagnostic(`initial JS ${(total / 1024).toFixed(1)} KB gzipped (${js.join(', ')}); CSS ${(cssTotal / 1024).toFixed(1)} KB gzipped`);
  assert.ok(total < INITIAL_JS_BUDGET, `initial JS is ${total} bytes gzipped`);

  // Pages are lazy: the chart library (uPlot, only on the route view) is not in the initial load.
  const all = (await readdir(join(DIST_DIR, 'assets'))).filter((f) => f.endsWith('.js')).map((f) => `/assets/${f}`);
  const lazy = all.filter((f) => !js.includes(f));
  assert.ok(lazy.length >= 4, `pages are split into chunks (${lazy.length} lazy)`);
  const text = async (f: string) => readFile(join(DIST_DIR, f), 'utf8');
  assert.ok(!(await Promise.all(js.map(text))).some((code) => code.includes('u-legend')), 'uPlot is not in the initial bundle');
  assert.ok((await Promise.all(lazy.map(text))).some((code) => code.includes('u-legend')), 'uPlot is in a lazy chunk');
});

test('the dashboard is served with security headers, cached by hash, and deep links get the app shell', async (t) => {
  await ensureDashboardBuilt();
  const telltale = await startTelltale(t);
  const root = await fetch(`${telltale.url}/`);
  assert.equal(root.status, 200);
  const csp = root.headers.get('content-security-policy') ?? '';
  for (const directive of ["default-src 'self'", "script-src 'self'", "frame-ancestors 'none'", "object-src 'none'"]) assert.ok(csp.includes(directive), directive);
  assert.ok(!csp.includes('unsafe-inline') && !csp.includes('unsafe-eval'));
  assert.equal(root.headers.get('x-content-type-options'), 'nosniff');
  assert.equal(root.headers.get('referrer-policy'), 'no-referrer');
  assert.equal(root.headers.get('cache-control'), 'no-cache', 'index.html is revalidated so a new build shows at once');
  const html = await root.text();

  const entry = initialAssets(html).js[0]!;
  const asset = await fetch(telltale.url + entry);
  assert.equal(asset.status, 200);
  assert.match(asset.headers.get('content-type') ?? '', /javascript/);
  assert.equal(asset.headers.get('cache-control'), 'public, max-age=31536000, immutable');

  for (const deep of ['/routes?service=a&method=GET&route=%2Fx', `/traces/${'a'.repeat(32)}?span=${'b'.repeat(16)}`]) {
    const response = await fetch(telltale.url + deep);
    assert.equal(response.status, 200, deep);
    assert.equal(await response.text(), html, `${deep} is answered with the app shell`);
    assert.ok(response.headers.get('content-security-policy'));
  }
  const missing = await fetch(`${telltale.url}/assets/index-DoesNotExist.js`);
  assert.equal(missing.status, 404, 'a missing asset is not answered with HTML');
  assert.equal((await fetch(`${telltale.url}/api/v1/services`)).status, 401, 'the API behind the public files still needs a token');
});
