import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDuration, parseTime } from '../../server/query/time.ts';
import { autoStepMs } from '../../server/query/verbs.ts';

const NOW = Date.parse('2026-11-26T12:00:00Z');

test('times: relative, ISO-8601 and epoch milliseconds', () => {
  assert.equal(parseTime('now', NOW), NOW);
  assert.equal(parseTime('now-15m', NOW), NOW - 15 * 60_000);
  assert.equal(parseTime('now-7d', NOW), NOW - 7 * 86_400_000);
  assert.equal(parseTime('2026-11-26T11:00:00Z', NOW), NOW - 3_600_000);
  assert.equal(parseTime('2026-11-26T13:00:00+02:00', NOW), NOW - 3_600_000);
  assert.equal(parseTime(String(NOW), NOW), NOW);
  for (const bad of ['yesterday', 'now-', 'now-5x', '2026-13-45', "1' OR '1'='1", 'Tue Nov 26 2026']) assert.equal(parseTime(bad, NOW), null, bad);
});

test('durations', () => {
  assert.equal(parseDuration('30s'), 30_000);
  assert.equal(parseDuration('5m'), 300_000);
  assert.equal(parseDuration('1h'), 3_600_000);
  assert.equal(parseDuration('250ms'), 250);
  assert.equal(parseDuration('5'), null);
});

test('the automatic step gives at most about 300 whole-minute points', () => {
  for (const hours of [0.25, 1, 6, 24, 168, 720]) {
    const step = autoStepMs({ fromMs: 0, toMs: hours * 3_600_000 });
    assert.equal(step % 60_000, 0);
    assert.ok((hours * 3_600_000) / step <= 300, `${hours}h → ${step}`);
  }
});
