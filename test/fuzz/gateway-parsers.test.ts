// Property tests of every gateway access-log parser: any line (random text, or a real line with
// fuzzed pieces spliced in) gives a call or a line error — never an exception — and hostile long
// lines are parsed in linear time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FORMAT_NAMES, MAX_LINE_LENGTH, gatewayFormat } from '../../collector/gateway/index.ts';
import type { FormatName, GatewayFormat, JsonMapping, ParseResult } from '../../collector/gateway/index.ts';
import { fixtureJson, fixtureLines } from '../collector/gateway/fixtures/golden.ts';
import { fc, runsFor } from './settings.ts';

const MAPPING: JsonMapping = { time: 'ts', method: 'http.method', path: 'http.path', status: 'http.status', durationMs: 'took_us', durationUnit: 'us' };
const FIXTURES: Record<FormatName, string> = {
  'nginx': 'nginx-combined.log', 'nginx-timed': 'nginx-timed.log', 'envoy': 'envoy.log', 'envoy-json': 'envoy-json.log',
  'kong': 'kong.json', 'traefik': 'traefik.log', 'aws': 'aws.log', 'json': 'json-mapping.log',
};
const build = (name: FormatName): GatewayFormat => gatewayFormat(name, name === 'json' ? { jsonMapping: MAPPING } : {});
const validLines = (name: FormatName): string[] =>
  name === 'kong' ? (fixtureJson('kong.json') as unknown[]).map((e) => JSON.stringify(e)) : fixtureLines(FIXTURES[name]).filter((l) => l.trim() !== '');

function wellFormed(result: ParseResult): void {
  if (!result.ok) {
    assert.equal(typeof result.reason, 'string');
    assert.ok(result.reason.length > 0);
    return;
  }
  assert.ok(Number.isFinite(result.call.timeUnixMs));
  assert.ok(Number.isInteger(result.call.statusCode));
  assert.ok(result.call.path.length > 0);
}

/** Text that tends to confuse access-log parsers: quotes, escapes, brackets, separators. */
const nasty = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('"', '\\"', '\\x22', '[', ']', '-', ' ', '\t', '{', '}', ':', ',', 'null', '""', '\u0000', '\uFFFD', '%%', '99999999999999999999', '-1', 'NaN'),
);

for (const name of FORMAT_NAMES) {
  const format = build(name);
  const lines = validLines(name);

  test(`${name}: any text gives a call or a line error, never an exception`, () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (line) => wellFormed(format.parseLine(line))), { numRuns: runsFor(2) });
  });

  test(`${name}: real lines with fuzzed text spliced in or cut out never throw`, () => {
    fc.assert(fc.property(fc.constantFrom(...lines), fc.nat(), fc.nat(), nasty, fc.integer({ min: 1, max: 30 }), (line, at, cut, insert, times) => {
      const i = at % (line.length + 1);
      const j = Math.min(line.length, i + (cut % 12));
      wellFormed(format.parseLine(line.slice(0, i) + insert.repeat(times) + line.slice(j)));
    }), { numRuns: runsFor(2) });
  });

  if (format.parseRecord) {
    const parseRecord = format.parseRecord.bind(format);
    test(`${name}: any decoded JSON record gives a call or a record error`, () => {
      fc.assert(fc.property(fc.jsonValue({ maxDepth: 4 }), (value) => wellFormed(parseRecord(value))), { numRuns: runsFor(2) });
    });
  }

  test(`${name}: hostile lines just under the length cap parse in linear time`, () => {
    fc.assert(fc.property(fc.constantFrom(...lines), nasty.filter((s) => s.length > 0), fc.nat(), (line, chunk, at) => {
      const i = at % (line.length + 1);
      const room = MAX_LINE_LENGTH - line.length - 1;
      const long = line.slice(0, i) + chunk.repeat(Math.floor(room / chunk.length)) + line.slice(i);
      const short = line.slice(0, i) + chunk.repeat(Math.floor(room / chunk.length / 16)) + line.slice(i);
      const time = (text: string) => {
        let best = Infinity;
        // Best of five: one GC pause or a busy neighbour on a shared CI machine must not read as a blow-up.
        for (let k = 0; k < 5; k++) {
          const started = performance.now();
          wellFormed(format.parseLine(text));
          best = Math.min(best, performance.now() - started);
        }
        return best;
      };
      const longMs = time(long);
      // Linear: 16× the input may cost about 16× the time (plus noise), never a quadratic 256×.
      assert.ok(longMs < 250 || longMs < 64 * Math.max(time(short), 1), `${name}: ${longMs.toFixed(1)} ms for ${long.length} chars`);
    }), { numRuns: runsFor(20) });
  });
}
