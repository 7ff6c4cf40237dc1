// Bad-input corpus for POST /v1/gateway-logs: status, body, the good lines kept, and how
// `telltale_ingest_discarded_total{receiver="gateway_push",reason}` moved, for each case.
//
// Lives elsewhere: parser-level hostile lines in every format with a time budget
// (test/collector/gateway/robustness.test.ts), 415/413/401 and duplicate pushes
// (test/collector/gateway-receiver.test.ts, "bad requests…", "the same push twice…").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TestTelltale } from '../helpers/telltale.ts';
import { nginxTimedLines } from '../helpers/nginx-lines.ts';
import { fileScope, measured, startCorpusTelltale } from './harness.ts';

let shared: Promise<TestTelltale> | null = null;
const start = () => (shared ??= startCorpusTelltale(fileScope));

async function push(telltale: TestTelltale, query: string, body: string, contentType = 'text/plain') {
  const response = await fetch(`${telltale.url}/v1/gateway-logs?${query}`, {
    method: 'POST', body, headers: { authorization: `Bearer ${telltale.tokens.ingest}`, 'content-type': contentType },
  });
  return { status: response.status, body: await response.json() as { accepted: number; rejected: number; errors: { line: number; reason: string }[]; code?: string; message?: string } };
}

async function calls(telltale: TestTelltale, service: string): Promise<number> {
  const { body } = await telltale.get('/api/v1/services?from=now-2h');
  return body.services.find((s: { service: string }) => s.service === service)?.calls ?? 0;
}

const goodLines = (n: number) => nginxTimedLines(n, Math.floor((Date.now() - 10 * 60_000) / 1000) * 1000).map((l) => l.line);

/** Good lines around one bad line: 200, the bad one reported by number and counted, the good ones stored. */
async function assertOneBadLine(service: string, bad: string, reason: RegExp) {
  const telltale = await start();
  const [a, b] = goodLines(2);
  const started = performance.now();
  const { result, discards } = await measured(telltale, () => push(telltale, `format=nginx-timed&service=${service}`, [a, bad, b].join('\n')));
  assert.ok(performance.now() - started < 3000, 'answered promptly');
  assert.equal(result.status, 200);
  assert.equal(result.body.accepted, 2);
  assert.equal(result.body.rejected, 1);
  assert.equal(result.body.errors.length, 1);
  assert.equal(result.body.errors[0]!.line, 2);
  assert.match(result.body.errors[0]!.reason, reason);
  assert.deepEqual(discards, { 'gateway_push/invalid_line': 1 });
  assert.equal(await calls(telltale, service), 2);
}

test('a 1 MB line is refused by its length, with its line number; the lines around it are kept', async () => {
  await assertOneBadLine('long-line', `1.2.3.4 - - [x] "GET /${'a'.repeat(1024 * 1024)} HTTP/1.1" 200 1 "-" "-" 0.001 0.001`, /too long/);
});

test('a line of 100,000 spaces is a blank line: skipped, not stored, not counted', async () => {
  const telltale = await start();
  const [a, b] = goodLines(2);
  const { result, discards } = await measured(telltale, () => push(telltale, 'format=nginx-timed&service=spaces', [a, ' '.repeat(100_000), b].join('\n')));
  assert.equal(result.status, 200);
  assert.deepEqual(result.body, { accepted: 2, rejected: 0, errors: [] });
  assert.deepEqual(discards, {});
  assert.equal(await calls(telltale, 'spaces'), 2);
});

test('60,000 spaces inside a line (under the length cap) are parsed in linear time and refused', async () => {
  const [line] = goodLines(1);
  await assertOneBadLine('inner-spaces', line!.replace('" 200 ', `"${' '.repeat(60_000)}200 `).replace(' HTTP/1.1', `${' '.repeat(1000)}HTTP/1.1`), /./);
});

test('a line of 60,000 unbalanced quotes and backslashes is refused quickly', async () => {
  await assertOneBadLine('quotes', `1.2.3.4 - - [26/Nov/2026:03:51:07 +0000] "${'\\"'.repeat(30_000)}`, /./);
});

test('escaped quotes inside quoted fields (nginx \\x22 and \\") keep the line', async () => {
  const telltale = await start();
  const [a] = goodLines(1);
  const escaped = a!.replace('"curl/8.5.0"', '"Mozilla \\x22quoted\\x22 and \\"escaped\\" agent"');
  assert.notEqual(escaped, a);
  const { result, discards } = await measured(telltale, () => push(telltale, 'format=nginx-timed&service=escaped', [a, escaped].join('\n')));
  assert.equal(result.status, 200);
  assert.deepEqual(result.body, { accepted: 2, rejected: 0, errors: [] });
  assert.deepEqual(discards, {});
  assert.equal(await calls(telltale, 'escaped'), 2);
});

test('a push with no usable line is 400 (not retried), every line counted', async () => {
  const telltale = await start();
  const { result, discards } = await measured(telltale, () => push(telltale, 'format=nginx-timed&service=garbage', 'garbage\nmore garbage\n"\\"\n'));
  assert.equal(result.status, 400);
  assert.equal(result.body.accepted, 0);
  assert.equal(result.body.rejected, 3);
  assert.deepEqual(result.body.errors.map((e) => e.line), [1, 2, 3]);
  assert.deepEqual(discards, { 'gateway_push/invalid_line': 3 });
  assert.equal(await calls(telltale, 'garbage'), 0);
});

test('a body that starts like a JSON array but is not one is 400, counted undecodable', async () => {
  const telltale = await start();
  const { result, discards } = await measured(telltale, () => push(telltale, 'format=kong&service=broken-json', '[{"request": {"method": "GET"', 'application/json'));
  assert.equal(result.status, 400);
  assert.equal(result.body.code, 'TELLTALE_ERR_BAD_BODY');
  assert.match(result.body.message ?? '', /not a valid JSON array/);
  assert.deepEqual(discards, { 'gateway_push/undecodable': 1 });
  assert.equal(await calls(telltale, 'broken-json'), 0);
});

test('Kong records with fields of the wrong type are refused one by one; the good record is kept', async () => {
  const telltale = await start();
  const good = {
    request: { method: 'GET', uri: '/pets/1', url: 'http://x/pets/1', size: 10, querystring: {}, headers: {} },
    response: { status: 200, size: 10, headers: {} }, latencies: { request: 12, kong: 1, proxy: 11 },
    upstream_uri: '/pets/1', client_ip: '10.0.0.1', started_at: Date.now() - 60_000, service: { name: 'kong-svc' },
  };
  const bad = [{ ...good, request: 'GET /pets' }, { ...good, response: { status: '<script>' } }, 42, null, { ...good, started_at: 'yesterday' }];
  const { result, discards } = await measured(telltale, () => push(telltale, 'format=kong&service=kong-mixed', JSON.stringify([good, ...bad]), 'application/json'));
  assert.equal(result.status, 200);
  assert.equal(result.body.accepted, 1);
  assert.equal(result.body.rejected, bad.length);
  assert.deepEqual(result.body.errors.map((e) => e.line), [2, 3, 4, 5, 6]);
  assert.deepEqual(discards, { 'gateway_push/invalid_line': bad.length });
  assert.equal(await calls(telltale, 'kong-mixed'), 1);
});
