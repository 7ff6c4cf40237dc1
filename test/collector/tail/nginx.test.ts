// A real nginx proxying to a small API with known statuses and delays: its access logs, in
// nginx-timed and in a team's own log_format, are tailed into SQLite with the right routes,
// statuses, latencies and consumers; then logrotate's rename + USR1, with requests on both sides.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { renameSync } from 'node:fs';
import { createServer } from 'node:http';
import { LogFormats } from '../../../collector/log-formats.ts';
import { NGINX_TIMED_FORMAT } from '../../../collector/gateway/index.ts';
import { startNginx } from '../../helpers/nginx.ts';
import { tailFixture } from './tail-fixture.ts';

interface Endpoint { method: string; path: (i: number) => string; route: string; status: number; delayMs: number }
const ENDPOINTS: Endpoint[] = [
  { method: 'GET', path: (i) => `/api/users/${1000 + i}`, route: '/api/users/{id}', status: 200, delayMs: 40 },
  { method: 'POST', path: () => '/api/orders', route: '/api/orders', status: 201, delayMs: 120 },
  { method: 'GET', path: (i) => `/api/payments/${5000 + i}/refund`, route: '/api/payments/{id}/refund', status: 503, delayMs: 25 },
  { method: 'GET', path: () => '/api/nothing', route: '/api/nothing', status: 404, delayMs: 0 },
];
const KEYED_FORMAT = '$remote_addr [$time_local] "$request" $status $request_time "$http_x_api_key"';

async function startUpstream() {
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://upstream').pathname;
    const endpoint = ENDPOINTS.find((e) => e.method === request.method && e.route.split('/').length === path.split('/').length
      && e.route.split('/').every((s, i) => s === '{id}' || s === path.split('/')[i]));
    request.resume();
    setTimeout(() => {
      response.writeHead(endpoint?.status ?? 500, { 'content-type': 'application/json' });
      response.end('{}');
    }, endpoint?.delayMs ?? 0);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no address');
  return { server, url: `http://127.0.0.1:${address.port}` };
}

test('requests through a real nginx are tailed with routes, statuses, latencies; a rename + USR1 rotation loses and doubles nothing', async (t) => {
  const upstream = await startUpstream();
  t.after(() => new Promise<void>((resolve) => upstream.server.close(() => resolve())));
  const nginx = await startNginx({ upstreamUrl: upstream.url, accessLogs: { 'access.log': NGINX_TIMED_FORMAT, 'keyed.log': KEYED_FORMAT } });
  t.after(() => nginx.stop());

  const f = await tailFixture(t);
  const formats = new LogFormats({ keyed: { format: 'nginx', logFormat: KEYED_FORMAT, consumerVariable: 'http_x_api_key' } });
  await f.tail(nginx.logPath('access.log'), { context: { service: 'edge', routes: f.routes, consumerFrom: 'log' } });
  await f.tail(nginx.logPath('keyed.log'), { format: formats.create('keyed'), context: { service: 'edge-keyed', routes: f.routes, consumerFrom: 'log' } });

  // One at a time, so the log's line order is the request order and each logged time can be
  // held against the time the client measured for the same request.
  const requests: Array<{ endpoint: Endpoint; clientMs: number }> = [];
  const send = async (count: number) => {
    for (let k = 0; k < count; k++) {
      const i = requests.length;
      const endpoint = ENDPOINTS[i % ENDPOINTS.length]!;
      const started = performance.now();
      const response = await fetch(nginx.url + endpoint.path(i), { method: endpoint.method, headers: { 'x-api-key': i % 2 ? 'team-odd' : 'team-even' } });
      await response.arrayBuffer();
      requests.push({ endpoint, clientMs: performance.now() - started });
      assert.equal(response.status, endpoint.status);
    }
  };
  const stored = async (service: string) => (await f.calls()).filter((c) => c.service === service);

  const before = Date.now();
  await send(24);
  await f.allStored(48, 'both logs are tailed');
  // Ids end in the line's byte offset: in offset order the calls are in request order.
  const offset = (id: string) => Number(id.slice(id.lastIndexOf(':') + 1));
  const edge = (await stored('edge')).sort((a, b) => offset(a.id) - offset(b.id));
  edge.forEach((call, i) => {
    const { endpoint, clientMs } = requests[i]!;
    assert.equal(call.route, endpoint.route);
    assert.equal(call.method, endpoint.method);
    assert.equal(call.statusCode, endpoint.status);
    assert.equal(call.error, endpoint.status >= 500);
    // $request_time (millisecond resolution) holds the API's delay and lies within what the
    // client measured around the whole exchange, however loaded the machine is.
    assert.ok(call.durationMs !== null && call.durationMs >= endpoint.delayMs - 1 && call.durationMs <= clientMs + 1,
      `${call.route}: nginx ${call.durationMs} ms, API delay ${endpoint.delayMs} ms, client ${clientMs.toFixed(1)} ms`);
    assert.ok(Math.abs(call.timeUnixMs - before) < 60_000, 'logged times are now');
  });
  for (const endpoint of ENDPOINTS) assert.equal((await stored('edge')).filter((c) => c.route === endpoint.route).length, 6, endpoint.route);
  const keyed = await stored('edge-keyed');
  assert.deepEqual(keyed.map((c) => c.consumer).sort(), [...Array<string>(12).fill('team-even'), ...Array<string>(12).fill('team-odd')]);
  assert.ok(keyed.every((c) => ENDPOINTS.some((e) => e.route === c.route && e.status === c.statusCode)));

  // logrotate: rename, requests still logged to the renamed files, USR1, requests to the new ones.
  renameSync(nginx.logPath('access.log'), `${nginx.logPath('access.log')}.1`);
  renameSync(nginx.logPath('keyed.log'), `${nginx.logPath('keyed.log')}.1`);
  await send(12);
  await nginx.reopenLogs();
  await send(12);
  await f.allStored(96, 'every request of both sides of the rotation is tailed');
  assert.equal(f.counters.rejected, 0, await nginx.errorLog());
  for (const service of ['edge', 'edge-keyed']) {
    const calls = await stored(service);
    assert.equal(calls.length, 48);
    for (const endpoint of ENDPOINTS) assert.equal(calls.filter((c) => c.route === endpoint.route && c.statusCode === endpoint.status).length, 12, `${service} ${endpoint.route}`);
  }
});
