import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GatewayFormatError, gatewayFormat } from '../../../collector/gateway/index.ts';
import type { JsonMapping } from '../../../collector/gateway/index.ts';
import { assertGolden, fixtureJson, fixtureLines } from './fixtures/golden.ts';

const MAPPING: JsonMapping = {
  time: 'ts', method: 'http.method', path: 'http.path', status: 'http.status', route: 'http.route', durationMs: 'took_us', durationUnit: 'us',
  service: 'svc', consumer: 'user.id', clientAddress: 'client.ip', requestId: 'rid',
};

test('kong: a pushed http-log batch, element by element through parseRecord', () => {
  const format = gatewayFormat('kong');
  const batch = fixtureJson('kong.json') as unknown[];
  assertGolden('kong', batch.map((element) => format.parseRecord!(element)));
  // The same records as JSON lines (file-log, tcp-log) parse the same.
  for (const element of batch) assert.deepEqual(format.parseLine(JSON.stringify(element)), format.parseRecord!(element));
});

test('traefik: golden lines; @provider stripped from the service, nanoseconds become ms', () => {
  const format = gatewayFormat('traefik');
  assertGolden('traefik', fixtureLines('traefik.log').map((line) => format.parseLine(line)));
});

test('aws: golden lines; string statuses, epoch and CLF times, nested and flat identity, routeKey', () => {
  const format = gatewayFormat('aws');
  assertGolden('aws', fixtureLines('aws.log').map((line) => format.parseLine(line)));
});

test('json: golden lines through a user mapping; dotted paths, whole dotted keys, epoch units by magnitude', () => {
  const format = gatewayFormat('json', { jsonMapping: MAPPING });
  assertGolden('json-mapping', fixtureLines('json-mapping.log').map((line) => format.parseLine(line)));
});

test('json: duration units; seconds are rounded to the microsecond so 1.005 s is 1005 ms', () => {
  const durations = (d: number): unknown[] => (['s', 'ms', 'us', 'ns'] as const).map((durationUnit) => {
    const record = { t: '2026-11-26T10:00:00Z', m: 'GET', p: '/', s: 200, d };
    const result = gatewayFormat('json', { jsonMapping: { time: 't', method: 'm', path: 'p', status: 's', durationMs: 'd', durationUnit } }).parseRecord!(record);
    return result.ok ? result.call.durationMs : result.reason;
  });
  assert.deepEqual(durations(1500), [1_500_000, 1500, 1.5, 0.0015]);
  assert.equal(durations(1.005)[0], 1005);
});

test('json: a bad mapping is a configuration error, thrown once when the parser is built', () => {
  assert.throws(() => gatewayFormat('json'), GatewayFormatError);
  assert.throws(() => gatewayFormat('json', { jsonMapping: { ...MAPPING, status: '' } }), /status is required/);
  assert.throws(() => gatewayFormat('json', { jsonMapping: { ...MAPPING, durationUnit: 'h' as 'ms' } }), /durationUnit/);
  assert.throws(() => gatewayFormat('aws', { jsonMapping: MAPPING }), GatewayFormatError);
});

test('every JSON format: invalid JSON, non-objects and empty lines come back as reasons', () => {
  for (const name of ['envoy-json', 'kong', 'traefik', 'aws'] as const) {
    const format = gatewayFormat(name);
    assert.deepEqual(format.parseLine('{"a":'), { ok: false, reason: 'not valid JSON' }, name);
    assert.deepEqual(format.parseLine('[{"a":1}]'), { ok: false, reason: 'not a JSON object' }, name);
    assert.deepEqual(format.parseLine('null'), { ok: false, reason: 'not a JSON object' }, name);
    assert.deepEqual(format.parseLine(''), { ok: false, reason: 'empty line' }, name);
    assert.deepEqual(format.parseRecord!(undefined), { ok: false, reason: 'not a JSON object' }, name);
  }
});
