import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gatewayFormat } from '../../../collector/gateway/index.ts';
import { assertGolden, fixtureLines } from './fixtures/golden.ts';

test('envoy: golden lines, including code 0 with UF, raw quotes in a user agent and IPv6 upstreams', () => {
  const format = gatewayFormat('envoy');
  assertGolden('envoy', fixtureLines('envoy.log').map((line) => format.parseLine(line)));
});

test('envoy-json: golden lines; null and "-" are unset, numbers may be strings, upstream_cluster is the service', () => {
  const format = gatewayFormat('envoy-json');
  assertGolden('envoy-json', fixtureLines('envoy-json.log').map((line) => format.parseLine(line)));
});

test('envoy-json: parseRecord on a decoded element gives what parseLine gives on its text', () => {
  const format = gatewayFormat('envoy-json');
  for (const line of fixtureLines('envoy-json.log').slice(0, 5)) {
    assert.deepEqual(format.parseRecord!(JSON.parse(line)), format.parseLine(line));
  }
});

test('envoy: START_TIME is the request start, kept to the millisecond', () => {
  const format = gatewayFormat('envoy');
  const result = format.parseLine('[2026-11-26T10:00:00.999Z] "GET /a HTTP/1.1" 200 - 0 1 1 - "-" "-" "-" "-" "-"');
  assert.ok(result.ok);
  assert.equal(result.call.timeUnixMs, Date.UTC(2026, 10, 26, 10, 0, 0, 999));
  assert.equal(result.call.upstreamMs, null);
});
