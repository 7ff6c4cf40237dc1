import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FORMAT_NAMES, MAX_LINE_LENGTH, gatewayFormat, isFormatName } from '../../../collector/gateway/index.ts';
import type { FormatName, GatewayFormat, JsonMapping, ParseResult } from '../../../collector/gateway/index.ts';
import { createRandom } from '../../helpers/random.ts';
import type { Random } from '../../helpers/random.ts';
import { fixtureJson, fixtureLines } from './fixtures/golden.ts';

const MAPPING: JsonMapping = { time: 'ts', method: 'http.method', path: 'http.path', status: 'http.status', durationMs: 'took_us', durationUnit: 'us' };
const FIXTURES: Record<FormatName, string> = {
  'nginx': 'nginx-combined.log', 'nginx-timed': 'nginx-timed.log', 'envoy': 'envoy.log', 'envoy-json': 'envoy-json.log',
  'kong': 'kong.json', 'traefik': 'traefik.log', 'aws': 'aws.log', 'json': 'json-mapping.log',
};
const TIME_BUDGET_MS = 50;

function build(name: FormatName): GatewayFormat {
  return gatewayFormat(name, name === 'json' ? { jsonMapping: MAPPING } : {});
}

function validLines(name: FormatName): string[] {
  if (name === 'kong') return (fixtureJson('kong.json') as unknown[]).map((element) => JSON.stringify(element));
  return fixtureLines(FIXTURES[name]);
}

// What every result must look like, whatever the input.
function assertWellFormed(result: ParseResult, context: string): void {
  if (!result.ok) {
    assert.equal(typeof result.reason, 'string', context);
    assert.ok(result.reason.length > 0 && result.reason.length < 200, `${context}: reason ${result.reason}`);
    return;
  }
  const call = result.call;
  assert.equal(Object.keys(call).length, 14, context);
  assert.ok(Number.isFinite(call.timeUnixMs), `${context}: time`);
  assert.match(call.method, /^(?:[A-Z]+|_OTHER)$/, context);
  assert.ok(call.path.length > 0, `${context}: path`);
  assert.ok(Number.isInteger(call.statusCode) && call.statusCode >= 0 && call.statusCode <= 999, `${context}: status`);
  for (const value of [call.durationMs, call.upstreamMs, call.bytesSent]) assert.ok(value === null || (Number.isFinite(value) && value >= 0), `${context}: number ${value}`);
  for (const value of [call.route, call.service, call.routerName, call.consumer, call.clientAddress, call.userAgent, call.requestId]) {
    assert.ok(value === null || (typeof value === 'string' && value.length > 0), `${context}: string`);
  }
}

function fastestMs(run: () => void): number {
  let best = Infinity;
  for (let i = 0; i < 3; i++) {
    const start = performance.now();
    run();
    best = Math.min(best, performance.now() - start);
  }
  return best;
}

const NOISE = ['"', '[', ']', ' ', '  ', '\\', '\\x', '\\x2', '\\x22', '-', ',', ', ', ' : ', '\uFFFD', '\r', '\t', '{', '}', ':', '0', '9', '.', '/', '?', '%', 'null', '""'];

function mutate(line: string, random: Random): string {
  let text = line;
  for (let step = 1 + random.int(4); step > 0; step--) {
    const at = random.int(text.length + 1);
    switch (random.int(5)) {
      case 0:
        text = text.slice(0, at);
        break;
      case 1:
        text = text.slice(0, at) + random.pick(NOISE) + text.slice(at);
        break;
      case 2:
        text = text.slice(0, at) + text.slice(at + 1 + random.int(8));
        break;
      case 3:
        text = text.slice(0, at) + text.slice(random.int(text.length + 1));
        break;
      default:
        text = text.slice(0, at) + random.pick(NOISE).repeat(1 + random.int(50)) + text.slice(at);
    }
  }
  return text;
}

test('FORMAT_NAMES lists exactly the formats gatewayFormat builds', () => {
  assert.deepEqual([...FORMAT_NAMES].sort(), ['aws', 'envoy', 'envoy-json', 'json', 'kong', 'nginx', 'nginx-timed', 'traefik']);
  for (const name of FORMAT_NAMES) assert.equal(build(name).name, name);
  assert.ok(isFormatName('kong'));
  assert.ok(!isFormatName('apache'));
  assert.throws(() => gatewayFormat('apache' as FormatName), /unknown gateway format "apache"/);
});

test(`lines longer than ${MAX_LINE_LENGTH} characters are refused before any parsing, in every format`, () => {
  const huge = 'x'.repeat(1024 * 1024);
  for (const name of FORMAT_NAMES) {
    const format = build(name);
    assert.deepEqual(format.parseLine(huge), { ok: false, reason: 'line too long' }, name);
    assert.deepEqual(format.parseLine(' '.repeat(100_000)), { ok: false, reason: 'line too long' }, name);
    assert.deepEqual(format.parseLine('x'.repeat(MAX_LINE_LENGTH + 1)), { ok: false, reason: 'line too long' }, name);
    assert.notDeepEqual(format.parseLine('x'.repeat(MAX_LINE_LENGTH)), { ok: false, reason: 'line too long' }, name);
  }
});

test(`hostile lines finish within ${TIME_BUDGET_MS} ms each, in every format`, () => {
  const underLimit = (unit: string, prefix = ''): string => prefix + unit.repeat(Math.floor((MAX_LINE_LENGTH - prefix.length) / unit.length));
  const nginxPrefix = '10.0.0.1 - - [26/Nov/2026:10:00:00 +0000] "';
  const hostile = [
    'x'.repeat(1024 * 1024),
    ' '.repeat(100_000),
    '"\\x22['.repeat(100 * 1024 / 6),
    underLimit(' '),
    underLimit('\\x22', nginxPrefix),
    underLimit('\\', nginxPrefix),
    underLimit('- - [', ''),
    underLimit('" "', nginxPrefix),
    underLimit('0.1, ', `${nginxPrefix}GET / HTTP/1.1" 200 1 "-" "-" 0.1 `),
    underLimit('0.1 : ', `${nginxPrefix}GET / HTTP/1.1" 200 1 "-" "-" 0.1 `),
    underLimit('] "', '['),
    underLimit('" "', '[2026-11-26T10:00:00.000Z] "GET / HTTP/1.1" 200 - 0 1 1 1 "'),
    underLimit('['),
    underLimit('{"a":'),
    `{"a":"${'\uFFFD'.repeat(MAX_LINE_LENGTH - 10)}"}`,
  ];
  for (const name of FORMAT_NAMES) {
    const format = build(name);
    for (const line of hostile) {
      const elapsed = fastestMs(() => assertWellFormed(format.parseLine(line), name));
      assert.ok(elapsed < TIME_BUDGET_MS, `${name}: a ${line.length}-character line starting ${JSON.stringify(line.slice(0, 20))} took ${elapsed.toFixed(1)} ms`);
    }
  }
});

test('property: mutated valid lines never throw and always give a call or a reason (seeded)', () => {
  const random = createRandom(0x7e11a1e);
  for (const name of FORMAT_NAMES) {
    const format = build(name);
    const lines = validLines(name);
    let calls = 0;
    for (let i = 0; i < 3000; i++) {
      const line = mutate(random.pick(lines), random);
      let result: ParseResult;
      try {
        result = format.parseLine(line);
      } catch (error) {
        assert.fail(`${name} threw ${String(error)} on ${JSON.stringify(line)}`);
      }
      assertWellFormed(result, `${name} on ${JSON.stringify(line)}`);
      if (result.ok) calls++;
    }
    // Both paths must be exercised, or the property says little.
    assert.ok(calls > 60 && calls < 2940, `${name}: ${calls} of 3000 mutated lines parsed`);
  }
});

test('property: JSON records with fields swapped for values of the wrong type never throw (seeded)', () => {
  const random = createRandom(42);
  const oddValues: unknown[] = [null, true, false, 0, -1, 1e300, Number.MAX_SAFE_INTEGER, '', '-', 'x', '200', '1e3', [], ['a'], {}, { a: 1 }, '\uFFFD'];
  const swap = (value: unknown, depth: number): unknown => {
    if (Array.isArray(value)) return value.map((item) => swap(item, depth + 1));
    if (typeof value !== 'object' || value === null) return random.next() < 0.3 ? random.pick(oddValues) : value;
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, depth > 3 || random.next() < 0.3 ? random.pick(oddValues) : swap(item, depth + 1)]));
  };
  for (const name of ['envoy-json', 'kong', 'traefik', 'aws', 'json'] as const) {
    const format = build(name);
    const records = validLines(name).flatMap((line) => {
      try {
        return [JSON.parse(line) as unknown];
      } catch {
        return [];
      }
    });
    for (let i = 0; i < 2000; i++) {
      const record = swap(random.pick(records), 0);
      assertWellFormed(format.parseRecord!(record), `${name} on ${JSON.stringify(record)}`);
    }
  }
});
