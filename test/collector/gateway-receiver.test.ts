// POST /v1/gateway-logs against a running Telltale: good lines kept beside bad ones, the
// answer's counts and reasons, JSON batches, gzip, limits, duplicates, and routes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { startTelltale, type TestTelltale } from '../helpers/telltale.ts';
import { nginxTimedLines } from '../helpers/nginx-lines.ts';
import { exactQuantile, relativeError } from '../helpers/exact.ts';

async function push(telltale: TestTelltale, query: string, body: string | Buffer, headers: Record<string, string> = {}) {
  const response = await fetch(`${telltale.url}/v1/gateway-logs?${query}`, {
    method: 'POST', body: typeof body === 'string' ? body : new Uint8Array(body),
    headers: { authorization: `Bearer ${telltale.tokens.ingest}`, 'content-type': 'text/plain', ...headers },
  });
  return { status: response.status, body: (await response.json()) };
}

const startSecond = () => Math.floor((Date.now() - 20 * 60_000) / 1000) * 1000;

test('nginx-timed lines become gateway ApiCalls with templated routes and exact percentiles', async (t) => {
  const telltale = await startTelltale(t);
  const lines = nginxTimedLines(2000, startSecond());
  const answer = await push(telltale, 'format=nginx-timed&service=shop', lines.map((l) => l.line).join('\n') + '\n');
  assert.equal(answer.status, 200);
  assert.deepEqual(answer.body, { accepted: 2000, rejected: 0, errors: [] });

  const { body } = await telltale.get('/api/v1/routes?service=shop&from=now-2h&source=gateway');
  assert.equal(body.routes.length, 4);
  for (const row of body.routes) {
    const mine = lines.filter((l) => l.route === row.route && l.method === row.method);
    assert.equal(row.calls, mine.length, row.route);
    assert.equal(row.status5xx, mine.filter((l) => l.status >= 500).length);
    assert.equal(row.status4xx, mine.filter((l) => l.status >= 400 && l.status < 500).length);
    const exact = exactQuantile(mine.map((l) => l.durationMs), 0.95);
    assert.ok(relativeError(row.p95, exact) <= 0.01, `${row.route} p95 ${row.p95} vs ${exact}`);
  }
  const calls = await telltale.get('/api/v1/calls?service=shop&from=now-2h&limit=1&order=slowest');
  assert.equal(calls.body.calls[0].source, 'gateway');
  assert.equal(calls.body.calls[0].durationMs, Math.max(...lines.map((l) => l.durationMs)));
});

test('a bad line is reported with its number and reason; the good lines are kept', async (t) => {
  const telltale = await startTelltale(t);
  const [a, b, c] = nginxTimedLines(3, startSecond()).map((l) => l.line);
  const body = [a, 'this is not an access log line', '', b, `${'x'.repeat(1024 * 1024)}`, ' '.repeat(100_000), c].join('\n');
  const answer = await push(telltale, 'format=nginx-timed&service=mixed', body);
  assert.equal(answer.status, 200);
  assert.equal(answer.body.accepted, 3);
  assert.equal(answer.body.rejected, 2, 'blank lines are skipped, not rejected');
  assert.deepEqual(answer.body.errors.map((e: { line: number }) => e.line), [2, 5]);
  assert.match(answer.body.errors[1].reason, /too long/);

  const allBad = await push(telltale, 'format=nginx-timed&service=mixed', 'garbage\nmore garbage\n');
  assert.equal(allBad.status, 400, 'nothing usable: the sender is told not to retry');
  assert.equal(allBad.body.rejected, 2);
});

test('JSON batches (Kong), gzip, and the service from the log', async (t) => {
  const telltale = await startTelltale(t);
  const startedAt = Date.now() - 10 * 60_000;
  const kong = (i: number) => ({
    request: { method: 'GET', uri: `/v2/carts/${i}?x=1`, url: `http://kong/v2/carts/${i}`, size: 100, headers: {} },
    response: { status: i % 10 === 0 ? 503 : 200, size: 200, headers: {} },
    latencies: { request: 10 + i, kong: 1, proxy: 8 + i },
    started_at: startedAt + i, client_ip: '203.0.113.9', service: { name: 'carts' }, route: { name: 'carts-route' },
    consumer: { username: i % 2 ? 'mobile' : 'web' },
  });
  const records = Array.from({ length: 20 }, (_, i) => kong(i));
  const answer = await push(telltale, 'format=kong', gzipSync(JSON.stringify(records)), { 'content-type': 'application/json', 'content-encoding': 'gzip' });
  assert.equal(answer.status, 200);
  assert.equal(answer.body.accepted, 20);
  const { body } = await telltale.get('/api/v1/routes?service=carts&from=now-1h');
  assert.equal(body.routes[0].route, '/v2/carts/{id}');
  assert.equal(body.routes[0].status5xx, 2);
  const consumers = await telltale.get('/api/v1/errors?service=carts&by=consumer&from=now-1h');
  assert.deepEqual(consumers.body.rows.map((r: { key: string }) => r.key).sort(), ['mobile', 'web']);
});

test('the same push twice is stored once', async (t) => {
  const telltale = await startTelltale(t);
  const body = nginxTimedLines(50, startSecond()).map((l) => l.line).join('\n');
  assert.equal((await push(telltale, 'format=nginx-timed&service=dup', body)).status, 200);
  assert.equal((await push(telltale, 'format=nginx-timed&service=dup', body)).status, 200);
  const { body: services } = await telltale.get('/api/v1/services?from=now-2h');
  assert.equal(services.services.find((s: { service: string }) => s.service === 'dup').calls, 50);
});

test('bad requests: unknown format 400, wrong type 415, too large 413, no token 401', async (t) => {
  const telltale = await startTelltale(t, { maxBodyBytes: 64 * 1024 });
  const unknown = await push(telltale, 'format=apache', 'x');
  assert.equal(unknown.status, 400);
  assert.match(unknown.body.message, /unknown format "apache"/);
  assert.equal((await push(telltale, 'format=nginx', 'x', { 'content-type': 'image/png' })).status, 415);
  assert.equal((await push(telltale, 'format=nginx', 'x'.repeat(100 * 1024))).status, 413);
  assert.equal((await push(telltale, 'format=nginx', gzipSync(Buffer.alloc(10 * 1024 * 1024, 'a')), { 'content-encoding': 'gzip' })).status, 413);
  const noToken = await fetch(`${telltale.url}/v1/gateway-logs?format=nginx`, { method: 'POST', body: 'x' });
  assert.equal(noToken.status, 401);
});

test('routes: templates learned from traces name gateway paths; the per-service cap folds the rest', async (t) => {
  const telltale = await startTelltale(t, { maxRoutesPerService: 3 });
  // A trace taught Telltale this service's own template for user paths.
  telltale.runtime.routes.learnTemplate('shop', '/api/users/{userId}');
  const lines = nginxTimedLines(8, startSecond()).map((l) => l.line);
  const extra = lines[0]!.replace('/api/users/1000?expand=orders', '/health');
  const answer = await push(telltale, 'format=nginx-timed&service=shop', [...lines, extra].join('\n'));
  assert.equal(answer.body.accepted, 9);
  const { body } = await telltale.get('/api/v1/routes?service=shop&from=now-2h');
  const routes = body.routes.map((r: { route: string }) => r.route).sort();
  assert.ok(routes.includes('/api/users/{userId}'), `the trace's template wins: ${routes.join(', ')}`);
  assert.ok(routes.includes('{other}'), 'routes past the cap are folded, not dropped');
  assert.equal(routes.length, 4);
  assert.equal(body.routes.reduce((n: number, r: { calls: number }) => n + r.calls, 0), 9);
});
