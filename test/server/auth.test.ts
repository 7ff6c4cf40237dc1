// The authorization matrix: every operation of the OpenAPI document, and the routes it
// hides, with no token, a bad token, and a token of each scope.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTelltale } from '../helpers/telltale.ts';
import { TOKEN_SCOPES, type TokenScope } from '../../store/index.ts';
import { scopeAllows } from '../../server/auth/tokens.ts';

const SAMPLE_PARAMS: Record<string, string> = { traceId: '0af7651916cd43dd8448eb211c80319c', id: 'no-such-id' };
const SAMPLE_BODIES: Record<string, unknown> = { 'POST /api/v1/tokens': { name: 'matrix', scope: 'read' } };

test('every API operation enforces its documented scope', async (t) => {
  const telltale = await startTelltale(t);
  const doc = (await telltale.get('/api/openapi.json')).body;
  const operations = Object.entries(doc.paths as Record<string, Record<string, { security?: Array<{ bearer: TokenScope[] }> }>>)
    .flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ path, method: method.toUpperCase(), op })));
  assert.ok(operations.length >= 8, `found ${operations.length} operations`);

  for (const { path, method, op } of operations) {
    const needed = op.security?.[0]?.bearer[0];
    assert.ok(needed, `${method} ${path} documents its scope`);
    const url = telltale.url + path.replace(/\{(\w+)\}/g, (_, name: string) => SAMPLE_PARAMS[name] ?? 'x');
    const body = SAMPLE_BODIES[`${method} ${path}`];
    const call = (token?: string) => fetch(url, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    }).then((r) => r.status);

    assert.equal(await call(), 401, `${method} ${path} without a token`);
    assert.equal(await call('tt_not-a-real-token'), 401, `${method} ${path} with an unknown token`);
    for (const scope of TOKEN_SCOPES) {
      const status = await call(telltale.tokens[scope]);
      if (scopeAllows(scope, needed)) assert.ok(status !== 401 && status !== 403, `${method} ${path} with ${scope}: ${status}`);
      else assert.equal(status, 403, `${method} ${path} with ${scope}`);
    }
  }
});

test('health and docs are public; metrics need a read token', async (t) => {
  const telltale = await startTelltale(t);
  for (const path of ['/livez', '/readyz', '/api/openapi.json', '/api/docs/', '/']) {
    assert.equal((await fetch(telltale.url + path)).status, 200, path);
  }
  assert.equal((await fetch(`${telltale.url}/metrics`)).status, 401);
  assert.equal((await fetch(`${telltale.url}/metrics`, { headers: { authorization: `Bearer ${telltale.tokens.ingest}` } })).status, 403);
  const metrics = await fetch(`${telltale.url}/metrics`, { headers: { authorization: `Bearer ${telltale.tokens.read}` } });
  assert.equal(metrics.status, 200);
  const text = await metrics.text();
  for (const name of ['telltale_ingest_spans_total', 'telltale_http_request_duration_seconds', 'nodejs_eventloop_lag_seconds', 'telltale_store_write_duration_seconds']) {
    assert.ok(text.includes(name), `metrics expose ${name}`);
  }
});

test('a token created over the API works once and can be revoked; its secret is never listed', async (t) => {
  const telltale = await startTelltale(t);
  const created = await fetch(`${telltale.url}/api/v1/tokens`, {
    method: 'POST', headers: { authorization: `Bearer ${telltale.tokens.admin}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'ci', scope: 'read' }),
  });
  assert.equal(created.status, 201);
  const { token, id } = (await created.json()) as { token: string; id: string };
  assert.match(token, /^tt_/);
  const asNew = await fetch(`${telltale.url}/api/v1/services`, { headers: { authorization: `Bearer ${token}` } });
  assert.equal(asNew.status, 200);
  const list = await telltale.get('/api/v1/tokens', 'admin');
  assert.ok(!JSON.stringify(list.body).includes(token), 'secret not listed');
  const revoked = await fetch(`${telltale.url}/api/v1/tokens/${id}`, { method: 'DELETE', headers: { authorization: `Bearer ${telltale.tokens.admin}` } });
  assert.equal(revoked.status, 204);
  assert.equal((await fetch(`${telltale.url}/api/v1/services`, { headers: { authorization: `Bearer ${token}` } })).status, 401);
});
