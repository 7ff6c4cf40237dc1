// Bad-input corpus for the query API's filters: quotes, SQL, LIKE wildcards, NUL, backslashes
// and very long values in every filter of every query route. Each case asserts the status, the
// body (only exact matches, never "everything"), that the stored data is intact afterwards, and
// that nothing was counted as discarded (a query refuses nothing of the stored data).
//
// Lives elsewhere: 400s for malformed windows, steps, limits and trace ids
// (test/server/query-api.test.ts, "bad parameters are 400 with a coded error…", which also sends
// hostile `service` values to /routes).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TestTelltale } from '../helpers/telltale.ts';
import { jsonRequest, jsonSpan } from '../helpers/otlp-json.ts';
import { JSON_TYPE, postOtlp } from '../helpers/otlp-http.ts';
import { fileScope, measured, startCorpusTelltale } from './harness.ts';

// Services and routes whose names are themselves hostile: an exact filter must find them, and only them.
const QUOTED_SERVICE = `o'brien"; DROP TABLE calls; --`;
const WILDCARD_SERVICE = 'shop_%';
const HOSTILE_ROUTE = "/q/' OR 1=1 --";

const HOSTILE_VALUES = [
  "shop' OR '1'='1", 'shop"; DROP TABLE calls; --', "') UNION SELECT * FROM tokens --", '%', '_', '%%', 'sho_', 'shop%',
  '\\', "\\'", '\u0000', '{id}', '*', '../../etc/passwd', 'x'.repeat(256), '☃ \u202e', '$where', '{"$ne":null}',
];

let shared: Promise<TestTelltale> | null = null;
function start(): Promise<TestTelltale> {
  shared ??= (async () => {
    const telltale = await startCorpusTelltale(fileScope);
    const spans = (n: number, route: string) => Array.from({ length: n }, () => jsonSpan({ attributes: { 'http.request.method': 'GET', 'http.route': route, 'http.response.status_code': 500 } }));
    for (const [service, n, route] of [['shop', 3, '/items/{id}'], ['shopping', 2, '/items/{id}'], [QUOTED_SERVICE, 4, HOSTILE_ROUTE], [WILDCARD_SERVICE, 5, '/w']] as const) {
      const response = await postOtlp(telltale, jsonRequest(service, spans(n, route)), { path: '/v1/traces', headers: { 'content-type': JSON_TYPE } });
      assert.equal(response.status, 200);
    }
    return telltale;
  })();
  return shared;
}

async function servicesIntact(telltale: TestTelltale) {
  const { body } = await telltale.get('/api/v1/services?from=now-2h');
  const counts = Object.fromEntries((body.services as { service: string; calls: number }[]).map((s) => [s.service, s.calls]));
  assert.deepEqual(counts, { shop: 3, shopping: 2, [QUOTED_SERVICE]: 4, [WILDCARD_SERVICE]: 5 });
}

const rowsOf = (path: string, body: Record<string, unknown>): unknown[] => {
  const key = ['routes', 'calls', 'traces', 'rows'].find((k) => Array.isArray(body[k]));
  assert.ok(key, `${path}: no rows array in ${JSON.stringify(body).slice(0, 200)}`);
  return body[key] as unknown[];
};

const ROUTES = ['/api/v1/routes', '/api/v1/errors', '/api/v1/calls', '/api/v1/traces'];

for (const param of ['service', 'route', 'method'] as const) {
  test(`hostile ${param} filters are data: 200, no rows, the data intact, nothing discarded`, async () => {
    const telltale = await start();
    const { discards } = await measured(telltale, async () => {
      for (const path of [...ROUTES, '/api/v1/series']) {
        if (param === 'method' && path === '/api/v1/traces') continue;
        for (const value of HOSTILE_VALUES) {
          const limited = param === 'method' ? value.slice(0, 32) : value;
          const { status, body } = await telltale.get(`${path}?from=now-2h&${param}=${encodeURIComponent(limited)}`);
          assert.equal(status, 200, `${path} ${param}=${JSON.stringify(limited)}: ${JSON.stringify(body)}`);
          if (path === '/api/v1/series') {
            const points = (body.points ?? body.series ?? []) as { calls?: number }[];
            assert.equal(points.reduce((sum, p) => sum + (p.calls ?? 0), 0), 0, `${path} ${param}=${JSON.stringify(limited)} matched calls`);
          } else {
            assert.deepEqual(rowsOf(path, body), [], `${path} ${param}=${JSON.stringify(limited)} matched rows`);
          }
        }
      }
      return null;
    });
    assert.deepEqual(discards, {});
    await servicesIntact(telltale);
  });
}

test('names that look like SQL or LIKE patterns match exactly themselves, nothing more', async () => {
  const telltale = await start();
  const routes = async (query: string) => (await telltale.get(`/api/v1/routes?from=now-2h&${query}`)).body.routes as { service: string; route: string; calls: number }[];
  assert.deepEqual((await routes(`service=${encodeURIComponent(QUOTED_SERVICE)}`)).map((r) => [r.service, r.route, r.calls]), [[QUOTED_SERVICE, HOSTILE_ROUTE, 4]]);
  assert.deepEqual((await routes(`service=${encodeURIComponent(WILDCARD_SERVICE)}`)).map((r) => [r.service, r.calls]), [[WILDCARD_SERVICE, 5]]);
  assert.deepEqual((await routes(`route=${encodeURIComponent(HOSTILE_ROUTE)}`)).map((r) => r.service), [QUOTED_SERVICE]);
  assert.deepEqual((await routes('service=shop')).map((r) => r.calls), [3], '`shop` is not a prefix match of `shopping`');
  const series = (await telltale.get(`/api/v1/series?from=now-2h&service=${encodeURIComponent(WILDCARD_SERVICE)}`)).body.points as { calls: number }[];
  assert.equal(series.reduce((sum, p) => sum + p.calls, 0), 5, 'the series sum the hostile filters are checked against is real');
  await servicesIntact(telltale);
});

test('over-long filter values are 400 with a coded error, not a query', async () => {
  const telltale = await start();
  for (const [param, max] of [['service', 256], ['route', 1024], ['method', 32]] as const) {
    const { status, body } = await telltale.get(`/api/v1/routes?from=now-2h&${param}=${'x'.repeat(max + 1)}`);
    assert.equal(status, 400, param);
    assert.equal(body.code, 'TELLTALE_ERR_BAD_REQUEST');
    assert.match(body.message, new RegExp(param));
  }
  await servicesIntact(telltale);
});
