// Number formatting people read on call: units switch where they should, tiny rates never
// read as zero, counts stay exact.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatAttribute, formatCount, formatMs, formatPercent, formatRps, formatSpan } from '../../dashboard/src/lib/format.ts';

test('latency: ms below a second, s below a minute, then minutes and hours', () => {
  assert.equal(formatMs(null), '—');
  assert.equal(formatMs(0), '0 ms');
  assert.equal(formatMs(0.4237), '0.42 ms');
  assert.equal(formatMs(4.567), '4.57 ms');
  assert.equal(formatMs(45.67), '45.7 ms');
  assert.equal(formatMs(456.7), '457 ms');
  assert.equal(formatMs(999.4), '999 ms');
  assert.equal(formatMs(1000), '1.00 s');
  assert.equal(formatMs(4567), '4.57 s');
  assert.equal(formatMs(45_670), '45.7 s');
  assert.equal(formatMs(150_000), '2.5 min');
  assert.equal(formatMs(5_400_000), '1.5 h');
});

test('error rates: fractions as percentages, small non-zero ones visible', () => {
  assert.equal(formatPercent(0), '0%');
  assert.equal(formatPercent(0.00005), '<0.01%');
  assert.equal(formatPercent(0.0123), '1.23%');
  assert.equal(formatPercent(0.456), '45.6%');
  assert.equal(formatPercent(1), '100%');
  assert.equal(formatPercent(null), '—');
});

test('request rates and counts', () => {
  assert.equal(formatRps(0), '0/s');
  assert.equal(formatRps(0.004), '<0.01/s');
  assert.equal(formatRps(0.7412), '0.74/s');
  assert.equal(formatRps(12.34), '12.3/s');
  assert.equal(formatRps(1234.5), '1,235/s');
  assert.equal(formatCount(1234567), '1,234,567', 'exact, never 1.2M');
  assert.equal(formatCount(0), '0');
});

test('window spans in words', () => {
  assert.equal(formatSpan(3 * 3_600_000), '3 hours');
  assert.equal(formatSpan(86_400_000), '1 day');
  assert.equal(formatSpan(15 * 60_000), '15 minutes');
});

test('attribute values: strings as they are, the rest as JSON', () => {
  assert.equal(formatAttribute('<b>x</b>'), '<b>x</b>');
  assert.equal(formatAttribute(42), '42');
  assert.equal(formatAttribute([1, 'a']), '[1,"a"]');
  assert.equal(formatAttribute({ a: null }), '{"a":null}');
  assert.equal(formatAttribute(null), 'null');
});
