import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ABSENT, decimalAt, decimalListAt, decodeEscapes, methodOf, pathOf, splitRequestLine } from '../../../collector/gateway/scan.ts';
import type { RequestParts } from '../../../collector/gateway/scan.ts';
import { clfTimeAt, epochToMs, isoTimeAt } from '../../../collector/gateway/time.ts';

const whole = (parse: (text: string, start: number, end: number) => number) => (text: string): number => parse(text, 0, text.length);

test('decimals scale exactly: seconds to ms without float noise; `-` is absent, junk is NaN', () => {
  const ms = (text: string): number => decimalAt(text, 0, text.length, 3);
  assert.deepEqual(['0.123', '1.5', '12', '0.0001', '1.2345678'].map(ms), [123, 1500, 12000, 0.1, 1234.5678]);
  assert.equal(ms('-'), ABSENT);
  assert.equal(ms(''), ABSENT);
  for (const junk of ['1.2.3', '.', 'abc', '-1', '1e3', ' 1', '1234567890123456']) assert.ok(Number.isNaN(ms(junk)), junk);
  assert.equal(decimalAt('x 200 y', 2, 5, 0), 200);
});

test('upstream lists add up retries (", ") and redirects (" : "); all `-` is absent', () => {
  const list = (text: string): number => decimalListAt(text, 0, text.length, 3);
  assert.equal(list('0.010, 0.020'), 30);
  assert.equal(list('0.010 : 0.020, 0.005'), 35);
  assert.equal(list('-, 0.004'), 4);
  assert.equal(list('- : -'), ABSENT);
  assert.ok(Number.isNaN(list('0.1, soon')));
});

test('paths: query and fragment go, absolute-form keeps its path, anything pathless is /', () => {
  assert.deepEqual(
    ['/a/b?c=d', '/a#frag', '/', '', '?x', '*', 'example.com:443', 'https://h.example/x/y?z', 'http://h.example', 'garbage', '/a?b#c'].map(pathOf),
    ['/a/b', '/a', '/', '/', '/', '/', '/', '/x/y', '/', '/', '/a'],
  );
});

test('request lines: method and target, tolerant of missing protocols and junk', () => {
  const split = (line: string): RequestParts => {
    const parts: RequestParts = { method: '', path: '' };
    splitRequestLine(line, 0, line.length, parts);
    return parts;
  };
  assert.deepEqual(split('GET /a?b=c HTTP/1.1'), { method: 'GET', path: '/a' });
  assert.deepEqual(split('GET /legacy'), { method: 'GET', path: '/legacy' });
  assert.deepEqual(split('GET  /two-spaces  HTTP/1.0'), { method: 'GET', path: '/two-spaces' });
  assert.deepEqual(split('-'), { method: '_OTHER', path: '/' });
  assert.deepEqual(split(''), { method: '_OTHER', path: '/' });
  assert.deepEqual(split('\x16\x03\x01\x02\x00\x01'), { method: '_OTHER', path: '/' });
  assert.deepEqual(split('OPTIONS * HTTP/1.1'), { method: 'OPTIONS', path: '/' });
  assert.deepEqual(split('CONNECT example.com:443 HTTP/1.1'), { method: 'CONNECT', path: '/' });
  assert.deepEqual(split('BREW /pot HTTP/1.1'), { method: '_OTHER', path: '/pot' });
});

test('methods: known ones upper-cased, everything else _OTHER', () => {
  assert.deepEqual(['GET', 'post', 'Patch', 'QUERY', 'OPTIONS', 'PROPFIND', '', 'GETX', 'G E T'].map(methodOf),
    ['GET', 'POST', 'PATCH', 'QUERY', 'OPTIONS', '_OTHER', '_OTHER', '_OTHER', '_OTHER']);
});

test('nginx escapes: \\xHH runs decode as UTF-8 (U+FFFD for bad bytes); \\" \\\\ \\uXXXX; unknown escapes stay', () => {
  const decode = (text: string): string => decodeEscapes(text, 0, text.length);
  assert.equal(decode(String.raw`caf\xC3\xA9 \x22q\x22`), 'café "q"');
  assert.equal(decode(String.raw`\xFF\xC3`), '\uFFFD\uFFFD');
  assert.equal(decode(String.raw`a\"b\\c\u00e9`), 'a"b\\cé');
  assert.equal(decode(String.raw`\q \x2 \x`), String.raw`\q \x2 \x`);
  assert.equal(decode(String.raw`end\x4`), String.raw`end\x4`);
});

test('CLF time (nginx $time_local, AWS requestTime) with its offset', () => {
  const clf = whole(clfTimeAt);
  assert.equal(clf('10/Oct/2026:13:55:36 +0200'), Date.UTC(2026, 9, 10, 11, 55, 36));
  assert.equal(clf('01/Jan/2027:00:00:00 -0530'), Date.UTC(2027, 0, 1, 5, 30, 0));
  for (const bad of ['10/Oct/2026:13:55:36', '10/Okt/2026:13:55:36 +0200', '32/Oct/2026:13:55:36 +0200', '10/Oct/2026:25:55:36 +0200', '10/Oct/2026:13:55:36 +2500', '10-Oct-2026:13:55:36 +0200']) {
    assert.ok(Number.isNaN(clf(bad)), bad);
  }
});

test('ISO-8601 time: Z, offsets with and without colon, fractions to nanoseconds, no zone = UTC', () => {
  const iso = whole(isoTimeAt);
  const base = Date.UTC(2026, 10, 26, 10, 0, 0);
  assert.equal(iso('2026-11-26T10:00:00Z'), base);
  assert.equal(iso('2026-11-26T10:00:00.123456789Z'), base + 123);
  assert.equal(iso('2026-11-26T12:00:00.5+02:00'), base + 500);
  assert.equal(iso('2026-11-26T05:00:00-0500'), base);
  assert.equal(iso('2026-11-26 10:00:00'), base);
  assert.equal(iso('2026-11-26T11:00:00+01'), base);
  for (const bad of ['2026-11-26', '2026-11-26T10:00:00.Z', '2026-13-26T10:00:00Z', '2026-11-26T10:00:00Zjunk', '0026-11-26T10:00:00Z', 'yesterday']) {
    assert.ok(Number.isNaN(iso(bad)), bad);
  }
});

test('epoch numbers in unknown units are told apart by magnitude', () => {
  const ms = Date.UTC(2026, 10, 26, 10, 0, 0, 250);
  assert.deepEqual([ms / 1000, ms, ms * 1000, ms * 1e6].map(epochToMs), [ms, ms, ms, ms]);
  assert.ok(Number.isNaN(epochToMs(-1)));
  assert.ok(Number.isNaN(epochToMs(Number.POSITIVE_INFINITY)));
});
