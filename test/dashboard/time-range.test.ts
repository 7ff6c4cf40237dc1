// Windows in URLs resolve exactly as the query API resolves them, and series steps give about
// the number of points asked for, on whole minutes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeWindow, isRelative, parseTimeExpr, presetFor, refreshIntervalMs, resolveWindow, stepForPoints } from '../../dashboard/src/lib/time-range.ts';
import { parseTime } from '../../server/query/time.ts';

const NOW = Date.parse('2026-11-26T10:00:00Z');

test('time expressions resolve like the server resolves them', () => {
  for (const text of ['now', 'now-15m', 'now-6h', 'now-30d', 'now-2w', 'now-90s', '1764151200000', '2026-11-26T09:00:00Z', '2026-11-26T09:00:00.250+01:00', '2026-11-26', 'yesterday', 'now-5x', '']) {
    assert.equal(parseTimeExpr(text, NOW), parseTime(text, NOW), text);
  }
});

test('a window resolves once to milliseconds; a reversed or unreadable one is refused', () => {
  assert.deepEqual(resolveWindow('now-1h', 'now', NOW), { fromMs: NOW - 3_600_000, toMs: NOW });
  assert.equal(resolveWindow('now', 'now-1h', NOW), null);
  assert.equal(resolveWindow('garbage', 'now', NOW), null);
});

test('presets, relative windows and auto-refresh', () => {
  assert.equal(presetFor('now-6h', 'now')?.key, '6h');
  assert.equal(presetFor('now-6h', '2026-11-26T10:00:00Z'), null);
  assert.equal(presetFor('now-3h', 'now'), null);
  assert.equal(isRelative('now'), true);
  assert.equal(isRelative('2026-11-26T10:00:00Z'), false);
  assert.equal(refreshIntervalMs('30s'), 30_000);
  assert.equal(refreshIntervalMs('7s'), null);
  assert.equal(refreshIntervalMs(null), null);
});

test('windows described in words', () => {
  const w = { fromMs: NOW - 3 * 3_600_000, toMs: NOW };
  assert.equal(describeWindow('now-24h', 'now', w), 'Last 24 hours');
  assert.equal(describeWindow('now-3h', 'now', w), 'Last 3 hours');
  assert.match(describeWindow('2026-11-26T07:00:00Z', '2026-11-26T10:00:00Z', w), /→/);
});

test('steps are whole minutes giving at most about the asked number of points', () => {
  const cases: Array<[number, number]> = [[15 * 60_000, 60_000], [3_600_000, 60_000], [6 * 3_600_000, 360_000], [24 * 3_600_000, 1_800_000], [7 * 86_400_000, 10_800_000], [30 * 86_400_000, 43_200_000]];
  for (const [span, expected] of cases) {
    const step = stepForPoints({ fromMs: NOW - span, toMs: NOW }, 60);
    assert.equal(step, expected, `window of ${span} ms`);
    assert.equal(step % 60_000, 0);
    assert.ok(span / step <= 60, 'never more points than asked for');
  }
  assert.equal(stepForPoints({ fromMs: 0, toMs: 400 * 86_400_000 }, 60) % 86_400_000, 0, 'long windows step in whole days');
});
