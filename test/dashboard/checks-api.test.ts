// The checks calls on the typed client: methods, bodies and paths, answers checked, and a
// save's 400 diagnostics handed back as values for the form.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createApiClient } from '../../dashboard/src/api/client.ts';
import { checkRuns, createCheck, diagnosticsOf, runCheck, saveCheck } from '../../dashboard/src/api/checks.ts';

const runBody = {
  checkId: 'a b', type: 'http', ok: false, degraded: false, startedAtMs: 1000, durationMs: 12, statusCode: 500,
  phases: { dnsMs: 0, connectMs: 1, tlsMs: 0, firstByteMs: 10, downloadMs: 1, totalMs: 12 },
  assertions: [{ kind: 'status', expected: 'equals 200', actual: 500, pass: false }],
  error: { code: 'assertion_failed', message: 'status 500' }, traceId: '0af7651916cd43dd8448eb211c80319c', attempts: 1,
};

function fake(status: number, body: unknown) {
  const seen: { method: string; url: URL; body: unknown }[] = [];
  const fetchImpl = async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : input, 'http://t.test');
    seen.push({ method: init?.method ?? 'GET', url, body: typeof init?.body === 'string' ? JSON.parse(init.body) as unknown : undefined });
    return new Response(JSON.stringify(body), { status });
  };
  return { api: createApiClient({ token: 't', fetch: fetchImpl }), seen };
}

test('run now posts to the check’s run path and checks the answer', async () => {
  const { api, seen } = fake(200, runBody);
  const run = await runCheck(api, 'a b');
  assert.equal(run.assertions[0]!.actual, 500);
  assert.deepEqual([seen[0]!.method, seen[0]!.url.pathname], ['POST', '/api/v1/checks/a%20b/run']);
});

test('runs are asked for by window and limit', async () => {
  const { api, seen } = fake(200, { from: '', to: '', runs: [runBody] });
  assert.equal((await checkRuns(api, 'x', { fromMs: 1.5, toMs: 9.5, limit: 30 })).length, 1);
  assert.deepEqual(Object.fromEntries(seen[0]!.url.searchParams), { from: '1', to: '10', limit: '30' });
});

test('a save sends JSON; a 400 gives its diagnostics, other failures none', async () => {
  const diagnostics = [{ path: '/request/url', message: 'scheme ftp: is not allowed' }];
  const bad = fake(400, { statusCode: 400, code: 'TELLTALE_ERR_CHECK_INVALID', message: 'the check is invalid', diagnostics });
  const error = await createCheck(bad.api, { id: 'x' }).then(() => null, (err: unknown) => err);
  assert.deepEqual(diagnosticsOf(error), diagnostics);
  assert.deepEqual([bad.seen[0]!.method, bad.seen[0]!.url.pathname, bad.seen[0]!.body], ['POST', '/api/v1/checks', { id: 'x' }]);

  const forbidden = fake(403, { statusCode: 403, code: 'TELLTALE_ERR_FORBIDDEN', message: 'needs write' });
  const refused = await saveCheck(forbidden.api, 'x', {}).then(() => null, (err: unknown) => err);
  assert.equal(diagnosticsOf(refused), null);
  assert.equal(forbidden.seen[0]!.method, 'PUT');
});
