// Bad-input corpus for check targets, end to end through the checks API under the strictest
// policy (TELLTALE_CHECKS_ALLOW_PRIVATE=false): each hostile URL is refused when the check is
// saved (400 with one diagnostic naming the field and the reason), so no request is ever made.
// Checks have no discard counter; the "kept" part is that a good check (and a good definition
// being replaced by a hostile one) stays as it was.
//
// Lives elsewhere, at the engine level where a DNS server and redirects can be injected:
// - a public-looking name resolving to a blocked address, a redirect to a blocked address, and the
//   numeric spellings under each policy: test/synthetic/address-policy.test.ts;
// - a target that trickles bytes forever, sends a 1 GB body, or 64 KB of headers:
//   test/synthetic/http-engine.test.ts ("…trickles a byte every 100 ms are cut at the timeout",
//   "a 1 GB body is cut at maxResponseBytes…", "64 KB of response headers is a clear error…").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TestTelltale } from '../helpers/telltale.ts';
import { fileScope, startCorpusTelltale } from './harness.ts';

let shared: Promise<TestTelltale> | null = null;
const start = () => (shared ??= startCorpusTelltale(fileScope, { checksAllowPrivate: 'false' }));

async function api(telltale: TestTelltale, method: string, path: string, body?: unknown) {
  const response = await fetch(`${telltale.url}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${telltale.tokens.write}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

const check = (id: string, url: string) => ({ id, name: id, type: 'http', schedule: '1h', request: { url }, assertions: [{ kind: 'status', equals: 200 }] });

const CASES: [string, string, RegExp][] = [
  ['metadata', 'http://169.254.169.254/latest/meta-data/', /link-local|metadata/],
  ['mapped-loopback', 'http://[::ffff:127.0.0.1]/', /loopback/],
  ['hex-loopback', 'http://0x7f000001/', /loopback/],
  ['decimal-loopback', 'http://2130706433/', /loopback/],
  ['file', 'file:///etc/passwd', /scheme|http/],
  ['gopher', 'gopher://127.0.0.1:25/_HELO', /scheme|http/],
];

for (const [id, url, reason] of CASES) {
  test(`check target ${url} is refused when the check is saved, with a diagnostic; a good check beside it is saved`, async () => {
    const telltale = await start();
    const saved = await api(telltale, 'POST', '/checks', check(id, url));
    assert.equal(saved.status, 400);
    assert.equal(saved.body.code, 'TELLTALE_ERR_CHECK_INVALID');
    assert.equal(saved.body.diagnostics.length, 1);
    assert.equal(saved.body.diagnostics[0].path, '/request/url');
    assert.match(saved.body.diagnostics[0].message, reason);
    assert.equal((await api(telltale, 'GET', `/checks/${id}`)).status, 404, 'a refused check is not stored');
    // The same refusal for an update of an existing check: it keeps its good definition.
    const good = await api(telltale, 'PUT', `/checks/${id}-good`, check(`${id}-good`, 'https://example.com/health'));
    assert.equal(good.status, 201, JSON.stringify(good.body));
    const replaced = await api(telltale, 'PUT', `/checks/${id}-good`, check(`${id}-good`, url));
    assert.equal(replaced.status, 400);
    assert.equal((await api(telltale, 'GET', `/checks/${id}-good`)).body.check.request.url, 'https://example.com/health');
  });
}
