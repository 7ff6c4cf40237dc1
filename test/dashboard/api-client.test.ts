// The typed API client: requests carry the token and window, answers are checked against the
// schemas, a 401 signs out, other failures become readable errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError, UnauthorizedError, createApiClient } from '../../dashboard/src/api/client.ts';
import { arrayOf, nullable, num, objectOf, str } from '../../dashboard/src/api/guards.ts';
import { routesResponse } from '../../dashboard/src/api/schemas.ts';

type Handler = (url: URL, init: RequestInit | undefined) => { status: number; body: unknown };

function fakeFetch(handler: Handler): { fetch: typeof fetch; urls: URL[] } {
  const urls: URL[] = [];
  const fn = async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : input, 'http://telltale.test');
    urls.push(url);
    const { status, body } = handler(url, init);
    return new Response(typeof body === 'string' ? body : JSON.stringify(body), { status });
  };
  return { fetch: fn, urls };
}

const route = { service: 'shop', method: 'GET', route: '/a', calls: 3, rps: 0.1, errorRate: 0, status4xx: 0, status5xx: 0, p50: 1, p90: 1, p95: 1, p99: 1, max: 2 };
const w = { fromMs: 1_764_151_200_000, toMs: 1_764_154_800_000 };

test('requests carry the bearer token, the resolved window and only the filters set', async () => {
  const fake = fakeFetch((_url, init) => {
    assert.equal(new Headers(init?.headers).get('authorization'), 'Bearer t0ken');
    return { status: 200, body: { from: '', to: '', routes: [route] } };
  });
  const api = createApiClient({ token: 't0ken', fetch: fake.fetch });
  assert.deepEqual(await api.routes(w, { service: 'shop', method: null, source: 'gateway' }), [route]);
  const url = fake.urls[0]!;
  assert.equal(url.pathname, '/api/v1/routes');
  assert.deepEqual(Object.fromEntries(url.searchParams), { from: String(w.fromMs), to: String(w.toMs), service: 'shop', source: 'gateway' });
});

test('series steps are sent in whole minutes; calls send their flags', async () => {
  const fake = fakeFetch((url) => (url.pathname.endsWith('/series')
    ? { status: 200, body: { from: '', to: '', stepMs: 300_000, points: [] } }
    : { status: 200, body: { from: '', to: '', calls: [] } }));
  const api = createApiClient({ token: 't', fetch: fake.fetch });
  assert.deepEqual(await api.series(w, {}, 300_000), { stepMs: 300_000, points: [] });
  await api.calls(w, { errorsOnly: true, order: 'slowest', limit: 50, consumer: null });
  assert.equal(fake.urls[0]!.searchParams.get('step'), '5m');
  assert.deepEqual(Object.fromEntries(fake.urls[1]!.searchParams), { from: String(w.fromMs), to: String(w.toMs), errorsOnly: 'true', order: 'slowest', limit: '50' });
});

test('a 401 calls onUnauthorized and rejects with UnauthorizedError', async () => {
  let signedOut = 0;
  const fake = fakeFetch(() => ({ status: 401, body: { statusCode: 401, code: 'TELLTALE_ERR_UNAUTHENTICATED', message: 'unknown token' } }));
  const api = createApiClient({ token: 'bad', fetch: fake.fetch, onUnauthorized: () => signedOut++ });
  await assert.rejects(api.services(w), (err: unknown) => err instanceof UnauthorizedError && err.message === 'unknown token');
  assert.equal(signedOut, 1);
});

test('other failures carry the API error body, or a generic message for a proxy page', async () => {
  const api = createApiClient({ token: 't', fetch: fakeFetch((url) => (url.pathname.includes('traces')
    ? { status: 404, body: { statusCode: 404, code: 'TELLTALE_ERR_NOT_FOUND', message: 'no trace abc' } }
    : { status: 502, body: '<html>Bad gateway</html>' })).fetch });
  await assert.rejects(api.trace('abc'), (err: unknown) => err instanceof ApiError && err.status === 404 && err.code === 'TELLTALE_ERR_NOT_FOUND' && err.message === 'no trace abc');
  await assert.rejects(api.services(w), (err: unknown) => err instanceof ApiError && err.status === 502 && /HTTP 502/.test(err.message));
});

test('a network failure says Telltale did not answer; an abort passes through unreported', async () => {
  const down = createApiClient({ token: 't', fetch: (async () => { throw new TypeError('fetch failed'); }) });
  await assert.rejects(down.services(w), (err: unknown) => err instanceof ApiError && err.status === 0 && /did not answer/.test(err.message));
  const controller = new AbortController();
  controller.abort();
  const aborting = createApiClient({ token: 't', fetch: (async () => { throw new DOMException('aborted', 'AbortError'); }) });
  await assert.rejects(aborting.services(w, controller.signal), (err: unknown) => !(err instanceof ApiError));
});

test('an answer of the wrong shape is refused with the path that differs', async () => {
  const api = createApiClient({ token: 't', fetch: fakeFetch(() => ({ status: 200, body: { from: '', to: '', routes: [route, { ...route, p99: '12ms' }] } })).fetch });
  await assert.rejects(api.routes(w, {}), (err: unknown) => err instanceof ApiError && err.code === 'TELLTALE_ERR_BAD_RESPONSE' && /routes\[1\]\.p99: expected a number, got string/.test(err.message));
});

test('guards: typed results, extra fields dropped, precise paths', () => {
  const guard = objectOf({ name: str, tags: arrayOf(str), score: nullable(num) });
  assert.deepEqual(guard({ name: 'a', tags: ['x'], score: null, extra: 1 }, ''), { name: 'a', tags: ['x'], score: null });
  assert.throws(() => guard({ name: 'a', tags: ['x', 2], score: 1 }, ''), /tags\[1\]: expected a string, got number/);
  assert.throws(() => guard(null, ''), /response: expected an object, got null/);
  assert.throws(() => num(Number.NaN, 'n'), /n: expected a number/);
  assert.throws(() => routesResponse({ from: '', to: '', routes: {} }, ''), /routes: expected an array, got object/);
});
