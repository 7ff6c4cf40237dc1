// The checks API against a real Telltale and real local HTTP targets: create, run now, the
// run list, and uptime and percentiles that agree exactly with the stored runs; every
// validation problem at once; 404 and 409; secrets encrypted at rest and masked in answers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { startTelltale, type TestTelltale } from '../helpers/telltale.ts';
import { json, startTarget } from '../synthetic/target-server.ts';

const SECRET = 'Bearer live-token-5f2c9a7e1234';

async function api(telltale: TestTelltale, method: string, path: string, body?: unknown, scope: 'read' | 'write' = 'write') {
  const response = await fetch(`${telltale.url}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${telltale.tokens[scope]}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

/** sorted[floor(q·(n−1))], the definition the sketches promise to be within 1% of. */
function exact(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(q * (sorted.length - 1))]!;
}

test('create, run now, list runs; uptime and percentiles agree with the stored runs', async (t) => {
  let failing = false;
  const target = await startTarget(t, {
    '/health': (_req, res) => (failing ? json(res, 503, { ok: false }) : json(res, 200, { ok: true })),
  });
  const telltale = await startTelltale(t);
  const definition = {
    id: 'api-health', name: 'API health', type: 'http', schedule: '1m',
    request: { url: `${target.url}/health`, headers: { authorization: SECRET, 'x-team': 'payments' } },
    assertions: [{ kind: 'status', equals: 200 }, { kind: 'jsonPath', path: '$.ok', equals: true }],
  };
  const created = await api(telltale, 'POST', '/checks', definition);
  assert.equal(created.status, 201, JSON.stringify(created.body));
  assert.deepEqual(created.body.check, { ...definition, request: { ...definition.request, headers: { authorization: '••••1234', 'x-team': 'payments' } } },
    'shown as written (no defaults filled in), secrets masked');
  assert.deepEqual([created.body.origin, created.body.readOnly, created.body.changed], ['api', false, true]);

  const results = [];
  for (let i = 0; i < 12; i++) {
    failing = i % 4 === 3;
    const run = await api(telltale, 'POST', '/checks/api-health/run');
    assert.equal(run.status, 200, JSON.stringify(run.body));
    assert.equal(run.body.ok, !failing);
    results.push(run.body);
  }
  assert.equal(target.requests[0]!.headers.authorization, SECRET, 'the target gets the secret in full');
  assert.match(String(target.requests[0]!.headers.traceparent), new RegExp(`^00-${results[0].traceId}-[0-9a-f]{16}-01$`));
  assert.equal(results[3].error.code, 'assertion_failed');

  const listed = await api(telltale, 'GET', '/checks/api-health/runs?from=now-1h&limit=1000', undefined, 'read');
  assert.equal(listed.status, 200);
  assert.deepEqual(listed.body.runs, [...results].reverse(), 'every run stored, newest first, as returned');
  assert.equal((await api(telltale, 'GET', '/checks/api-health/runs?from=now-1h&limit=5', undefined, 'read')).body.runs.length, 5);

  const detail = await api(telltale, 'GET', '/checks/api-health', undefined, 'read');
  assert.equal(detail.status, 200);
  assert.deepEqual(detail.body.lastRun, results.at(-1));
  const latencies = results.map((r) => r.phases.totalMs as number);
  for (const window of ['24h', '7d', '30d'] as const) {
    const s = detail.body.stats[window];
    assert.deepEqual([s.runs, s.okRuns, s.uptime], [12, 9, 9 / 12], window);
    for (const [name, q] of [['p50', 0.5], ['p95', 0.95], ['p99', 0.99]] as const) {
      const want = exact(latencies, q);
      assert.ok(Math.abs(s[name] - want) <= 0.01 * want + 0.001, `${window} ${name}: ${s[name]} vs exact ${want}`);
    }
  }
  // The runs are ApiCalls like any other: the route table shows them under the check's route.
  const routes = await telltale.get('/api/v1/routes?source=synthetic');
  assert.deepEqual(routes.body.routes.map((r: any) => [r.service, r.method, r.route, r.calls, r.status5xx]), [['127.0.0.1', 'GET', 'check/api-health', 12, 3]]);
});

test('an invalid check gets every problem at once; unknown ids are 404; ids are unique', async (t) => {
  const telltale = await startTelltale(t);
  const bad = await api(telltale, 'POST', '/checks', { id: 'Not A Slug', type: 'http', schedule: 'sometimes', retries: 99, request: { url: 'http://example.com/' } });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.code, 'TELLTALE_ERR_CHECK_INVALID');
  assert.deepEqual(bad.body.diagnostics.map((d: { path: string }) => d.path).sort(), ['/id', '/name', '/retries', '/schedule']);
  assert.ok(bad.body.diagnostics.every((d: { message: string }) => d.message.length > 0));
  const semantic = await api(telltale, 'POST', '/checks', {
    id: 'sem', name: 'sem', type: 'http', schedule: '1m',
    request: { url: 'http://169.254.169.254/latest/meta-data', headers: { 'bad header': 'x' } },
    assertions: [{ kind: 'status', equals: 200, in: [200] }],
  });
  assert.equal(semantic.status, 400);
  assert.ok(semantic.body.diagnostics.length >= 3, JSON.stringify(semantic.body.diagnostics));
  assert.equal((await api(telltale, 'POST', '/checks', 'not a check')).status, 400);
  assert.equal((await api(telltale, 'POST', '/checks')).status, 400);

  const ok = { id: 'once', name: 'once', type: 'tcp', schedule: '1m', host: '127.0.0.1', port: 9 };
  assert.equal((await api(telltale, 'POST', '/checks', ok)).status, 201);
  const again = await api(telltale, 'POST', '/checks', ok);
  assert.deepEqual([again.status, again.body.code], [409, 'TELLTALE_ERR_CHECK_EXISTS']);
  const renamed = await api(telltale, 'PUT', '/checks/once', { ...ok, id: 'other' });
  assert.deepEqual([renamed.status, renamed.body.diagnostics[0].path], [400, '/id']);
  const unchanged = await api(telltale, 'PUT', '/checks/once', ok);
  assert.deepEqual([unchanged.status, unchanged.body.changed], [200, false]);
  const upserted = await api(telltale, 'PUT', '/checks/new-one', { ...ok, id: undefined });
  assert.deepEqual([upserted.status, upserted.body.check.id], [201, 'new-one']);

  for (const [method, path] of [['GET', '/checks/nope'], ['DELETE', '/checks/nope'], ['POST', '/checks/nope/run'], ['GET', '/checks/nope/runs']] as const) {
    const missing = await api(telltale, method, path);
    assert.deepEqual([missing.status, missing.body.code], [404, 'TELLTALE_ERR_CHECK_NOT_FOUND'], `${method} ${path}`);
  }
  assert.equal((await api(telltale, 'DELETE', '/checks/once')).status, 204);
  assert.equal((await api(telltale, 'GET', '/checks/once')).status, 404);
  assert.deepEqual((await api(telltale, 'GET', '/checks', undefined, 'read')).body.checks.map((c: any) => c.check.id), ['new-one']);
});

test('secrets are encrypted at rest, masked in answers, and kept when the mask is sent back', async (t) => {
  const target = await startTarget(t, { '/': (_req, res) => json(res, 200, {}) });
  const telltale = await startTelltale(t);
  const check = {
    id: 'secretive', name: 'secretive', type: 'multistep', schedule: '5m', variables: { password: 'hunter2-correct-horse', base: target.url },
    steps: [{ name: 'call', request: { url: '{{ vars.base }}/?p={{ vars.password }}', headers: { 'X-Api-Key': 'key-0123456789abcd', Cookie: 'sid=abc' } } }],
  };
  assert.equal((await api(telltale, 'POST', '/checks', check)).status, 201);
  const shown = (await api(telltale, 'GET', '/checks/secretive', undefined, 'read')).body.check;
  assert.deepEqual(shown.steps[0].request.headers, { 'X-Api-Key': '••••abcd', Cookie: '••••' });
  assert.equal(shown.variables.password, '••••orse');
  assert.equal(shown.variables.base, target.url);
  const run = await api(telltale, 'POST', '/checks/secretive/run');
  assert.equal(run.body.ok, true, JSON.stringify(run.body));
  assert.equal(target.requests.at(-1)!.headers['x-api-key'], 'key-0123456789abcd');

  const dataDir = telltale.runtime.config.dataDir!;
  const db = new Database(join(dataDir, 'telltale.db'), { readonly: true });
  t.after(() => db.close());
  const stored = db.prepare("SELECT definition FROM checks WHERE id = 'secretive'").pluck().get() as string;
  const runs = (db.prepare("SELECT result FROM check_runs WHERE check_id = 'secretive'").pluck().all() as string[]).join('\n');
  for (const plain of ['key-0123456789abcd', 'sid=abc', 'hunter2-correct-horse']) {
    assert.ok(!stored.includes(plain), `${plain} is not stored in the clear`);
    assert.ok(!runs.includes(plain), `${plain} is scrubbed from the stored run (the URL held it)`);
  }
  assert.equal((stored.match(/enc:v1:/g) ?? []).length, 3);
  for (const file of ['telltale.db', 'telltale.db-wal']) {
    const bytes = await readFile(join(dataDir, file)).catch(() => Buffer.alloc(0));
    assert.ok(!bytes.includes('key-0123456789abcd'), `${file} has no plaintext secret`);
  }
  assert.equal((await stat(join(dataDir, 'secret.key'))).mode & 0o777, 0o600);

  // What GET returned, sent back with one change: the stored secrets stay.
  const edited = { ...shown, name: 'renamed' };
  const put = await api(telltale, 'PUT', '/checks/secretive', edited);
  assert.deepEqual([put.status, put.body.changed], [200, true]);
  await api(telltale, 'POST', '/checks/secretive/run');
  assert.equal(target.requests.at(-1)!.headers['x-api-key'], 'key-0123456789abcd');
  assert.equal(target.requests.at(-1)!.headers.cookie, 'sid=abc');
  const wrongMask = structuredClone(shown);
  wrongMask.steps[0].request.headers['X-Api-Key'] = '••••9999';
  const refused = await api(telltale, 'PUT', '/checks/secretive', wrongMask);
  assert.deepEqual([refused.status, refused.body.diagnostics.map((d: any) => d.path)], [400, ['/steps/0/request/headers/X-Api-Key']]);
  const rotated = structuredClone(shown);
  rotated.steps[0].request.headers['X-Api-Key'] = 'key-rotated-00000000';
  assert.equal((await api(telltale, 'PUT', '/checks/secretive', rotated)).status, 200);
  await api(telltale, 'POST', '/checks/secretive/run');
  assert.equal(target.requests.at(-1)!.headers['x-api-key'], 'key-rotated-00000000');
  const list = await api(telltale, 'GET', '/checks', undefined, 'read');
  assert.ok(!JSON.stringify(list.body).includes('key-rotated'), 'never in a list either');
});

test('a check runs at most once at a time: a second "run now" joins the run in flight', async (t) => {
  const target = await startTarget(t, {
    '/slow': (_req, res) => void setTimeout(() => json(res, 200, { ok: true }), 300),
  });
  const telltale = await startTelltale(t);
  const created = await api(telltale, 'POST', '/checks', { id: 'slow', name: 'slow', type: 'http', schedule: '1m', request: { url: `${target.url}/slow` } });
  assert.equal(created.status, 201);
  const [first, second] = await Promise.all([api(telltale, 'POST', '/checks/slow/run'), api(telltale, 'POST', '/checks/slow/run')]);
  assert.equal(first.status, 200);
  assert.equal(second.body.traceId, first.body.traceId, 'both answers are the same run');
  assert.equal(target.requests.length, 1, 'the target saw one request');
  const runs = await api(telltale, 'GET', '/checks/slow/runs?from=now-1h', undefined, 'read');
  assert.equal(runs.body.runs.length, 1);
});
