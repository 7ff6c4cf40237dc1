import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GatewayFormatError, NGINX_TIMED_FORMAT, compileNginxLogFormat, gatewayFormat } from '../../../collector/gateway/index.ts';
import type { GatewayCall, GatewayFormat } from '../../../collector/gateway/index.ts';
import { assertGolden, fixtureLines } from './fixtures/golden.ts';

const USER_FORMAT = `'$remote_addr [$time_iso8601] "$request" $status $request_time "$http_x_api_key"'`;

function call(format: GatewayFormat, line: string): GatewayCall {
  const result = format.parseLine(line);
  assert.ok(result.ok, `expected a call, got ${result.ok ? '' : result.reason}`);
  return result.call;
}

test('nginx-timed: golden lines, from plain requests to TLS handshakes, escapes and upstream lists', () => {
  const format = gatewayFormat('nginx-timed');
  assertGolden('nginx-timed', fixtureLines('nginx-timed.log').map((line) => format.parseLine(line)));
});

test('nginx (combined): golden lines; trailing fields a team added are tolerated', () => {
  const format = gatewayFormat('nginx');
  assertGolden('nginx-combined', fixtureLines('nginx-combined.log').map((line) => format.parseLine(line)));
});

test('a user log_format, pasted with its nginx.conf quotes, is compiled and parsed', () => {
  const format = compileNginxLogFormat(USER_FORMAT, { consumerVariable: '$http_x_api_key' });
  assertGolden('nginx-custom', fixtureLines('nginx-custom.log').map((line) => format.parseLine(line)));
});

test('$time_local is the END of the request: the start subtracts $request_time', () => {
  const format = gatewayFormat('nginx-timed');
  const parsed = call(format, '10.0.0.1 - - [26/Nov/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 1 "-" "-" 1.500 1.400');
  assert.equal(parsed.timeUnixMs, Date.UTC(2026, 10, 26, 9, 59, 58, 500));
  assert.equal(parsed.durationMs, 1500);
  assert.equal(parsed.upstreamMs, 1400);
});

test('the time cache never serves a stale second: alternating timestamps each parse right', () => {
  const format = gatewayFormat('nginx');
  const seconds = ['00', '00', '01', '00', '59', '59', '01'];
  for (const second of seconds) {
    const parsed = call(format, `10.0.0.1 - - [26/Nov/2026:10:00:${second} +0000] "GET / HTTP/1.1" 200 1 "-" "-"`);
    assert.equal(parsed.timeUnixMs, Date.UTC(2026, 10, 26, 10, 0, Number(second)));
  }
  assert.equal(call(format, '10.0.0.1 - - [26/Nov/2026:10:00:00 -0130] "GET / HTTP/1.1" 200 1 "-" "-"').timeUnixMs, Date.UTC(2026, 10, 26, 11, 30, 0));
});

test('$msec, $request_method + $request_uri, $uri, $bytes_sent, $request_id and X-Forwarded-For', () => {
  const format = compileNginxLogFormat('$msec $request_method $request_uri $status $bytes_sent $request_time "$http_x_forwarded_for" $request_id');
  const parsed = call(format, '1795687200.250 patch /api/items/3?x=1 200 512 0.250 "198.51.100.9, 10.0.0.1" 5f3c9a');
  assert.deepEqual(parsed, {
    timeUnixMs: Date.UTC(2026, 10, 26, 10, 0, 0, 0), method: 'PATCH', path: '/api/items/3', route: null, statusCode: 200,
    durationMs: 250, upstreamMs: null, service: null, routerName: null, consumer: null, clientAddress: '198.51.100.9',
    userAgent: null, requestId: '5f3c9a', bytesSent: 512,
  });
  const byUri = compileNginxLogFormat('[$time_local] $uri $status');
  assert.deepEqual([call(byUri, '[26/Nov/2026:10:00:00 +0000] /caf\\xC3\\xA9 200').path, call(byUri, '[26/Nov/2026:10:00:00 +0000] - 200').path], ['/café', '/']);
});

test('unknown variables are opaque tokens; ${braced} names work; the consumer falls back to $remote_user', () => {
  const format = compileNginxLogFormat('$remote_addr - $remote_user [$time_local] "$request" $status ${upstream_addr} $host $http_x_api_key', { consumerVariable: 'http_x_api_key' });
  const line = '10.0.0.1 - carol [26/Nov/2026:10:00:00 +0000] "GET /a HTTP/1.1" 502 10.0.3.1:80, 10.0.3.2:80 : 10.0.4.1:80 api.example.com';
  const parsed = call(format, `${line} key-1`);
  assert.equal(parsed.consumer, 'key-1');
  assert.equal(parsed.statusCode, 502);
  assert.equal(call(format, `${line} -`).consumer, 'carol');
});

test('escape=json style \\" and \\\\ inside quoted fields are understood too', () => {
  const format = gatewayFormat('nginx');
  const parsed = call(format, String.raw`10.0.0.1 - - [26/Nov/2026:10:00:00 +0000] "GET /q?a=\"b\" HTTP/1.1" 200 1 "-" "agent \"x\" \\ y \u0041"`);
  assert.equal(parsed.path, '/q');
  assert.equal(parsed.userAgent, 'agent "x" \\ y A');
});

test('log_formats that cannot be parsed unambiguously, or lack essentials, are refused when compiled', () => {
  assert.throws(() => compileNginxLogFormat('$remote_addr$remote_user [$time_local] "$request" $status'), GatewayFormatError);
  assert.throws(() => compileNginxLogFormat('$remote_addr [$time_local] "$request"'), /\$status/);
  assert.throws(() => compileNginxLogFormat('$remote_addr "$request" $status'), /\$time_local/);
  assert.throws(() => compileNginxLogFormat('[$time_local] $status'), /\$request/);
  assert.throws(() => gatewayFormat('nginx-timed', { nginxLogFormat: NGINX_TIMED_FORMAT }), GatewayFormatError);
  assert.throws(() => gatewayFormat('kong', { consumerVariable: 'x' }), GatewayFormatError);
  // A lone `$` is literal text, as in nginx.
  assert.doesNotThrow(() => compileNginxLogFormat('$ [$time_local] "$request" $status'));
});

test('a format given to gatewayFormat("nginx") replaces combined, and GatewayFormat.name says which', () => {
  const format = gatewayFormat('nginx', { nginxLogFormat: USER_FORMAT, consumerVariable: 'http_x_api_key' });
  assert.equal(format.name, 'nginx');
  assert.equal(gatewayFormat('nginx-timed').name, 'nginx-timed');
  assert.equal(call(format, '10.0.0.1 [2026-11-26T10:00:00+00:00] "GET / HTTP/1.1" 200 0.001 "k"').consumer, 'k');
});

test('consumerVariable may name a variable Telltale reads anyway: $remote_addr is then both address and consumer', () => {
  const format = gatewayFormat('nginx', { consumerVariable: 'remote_addr' });
  const parsed = call(format, '2001:db8::5 - - [26/Nov/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 1 "-" "-"');
  assert.equal(parsed.consumer, '2001:db8::5');
  assert.equal(parsed.clientAddress, '2001:db8::5');
});
