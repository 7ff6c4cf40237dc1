// Schedules: intervals and cron (UTC), the per-check offset that spreads a thousand `1m` checks
// over the minute, and next-run times a scheduler can trust after a pause (one slot, no backlog).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nextRunAfter, parseSchedule, scheduleOffsetMs, type Schedule } from '../../synthetic/index.ts';

function parsed(text: string): Schedule {
  const result = parseSchedule(text);
  assert.ok(result.ok, `${text}: ${result.ok ? '' : result.error}`);
  return result.schedule;
}

const at = (iso: string) => Date.parse(iso);

test('intervals and cron expressions parse; bad ones say why', () => {
  assert.deepEqual(parsed('30s'), { kind: 'interval', everyMs: 30_000, text: '30s' });
  assert.equal((parsed('5m') as { everyMs: number }).everyMs, 300_000);
  assert.equal((parsed('1h') as { everyMs: number }).everyMs, 3_600_000);
  assert.equal(parsed('*/5 * * * *').kind, 'cron');
  assert.equal(parsed('@hourly').kind, 'cron');
  for (const [text, why] of [
    ['5s', /between 10s and 24h/], ['25h', /between 10s and 24h/], ['every minute', /not an interval/], ['61 * * * *', /minute/],
    ['*/2 * * * * *', /more often than every 10s/], ['0 0 31 2 *', /impossible|never/], ['', /not an interval/],
  ] as const) {
    const result = parseSchedule(text);
    assert.equal(result.ok, false, text);
    assert.match(result.ok ? '' : result.error, why, text);
  }
});

test('1,000 checks at 1m spread roughly uniformly over the minute, each at a stable offset', () => {
  const schedule = parsed('1m');
  const after = at('2030-01-01T00:00:00Z');
  const buckets = new Array<number>(60).fill(0);
  for (let i = 0; i < 1000; i++) {
    const id = `check-${i}`;
    const next = nextRunAfter(schedule, after, id);
    assert.ok(next > after && next <= after + 60_000, id);
    assert.equal(next - after, scheduleOffsetMs(schedule, id) || 60_000);
    buckets[Math.floor(((next - after) % 60_000) / 1000)]!++;
    assert.equal(nextRunAfter(schedule, after, id), next, 'the same id always gets the same offset');
  }
  // Uniform would be ~16.7 per second; a chi-square with 59 degrees of freedom stays under ~100 at p = 0.001.
  const expected = 1000 / 60;
  const chiSquare = buckets.reduce((sum, n) => sum + (n - expected) ** 2 / expected, 0);
  assert.ok(chiSquare < 100, `chi-square ${chiSquare.toFixed(1)}; buckets ${buckets.join(',')}`);
  assert.ok(Math.max(...buckets) <= 40, `no second gets a burst: max ${Math.max(...buckets)}`);
});

test('interval runs sit on a fixed grid: consecutive, restart-stable, and one slot after a pause', () => {
  const schedule = parsed('1m');
  const id = 'checkout-health';
  const offset = scheduleOffsetMs(schedule, id);
  const first = nextRunAfter(schedule, at('2030-01-01T00:00:00Z'), id);
  const second = nextRunAfter(schedule, first, id);
  assert.equal(second - first, 60_000, 'strictly after the previous run');
  assert.equal(first % 60_000, offset, 'on the check’s own grid, whenever the process started');
  const afterPause = nextRunAfter(schedule, first + 10 * 60_000 + 5, id);
  assert.equal(afterPause, first + 11 * 60_000, 'a 10-minute pause yields the next slot, not ten missed ones');
  assert.equal(scheduleOffsetMs(parsed('5m'), id) < 300_000, true);
});

test('cron expressions give the right next times (UTC), five-field ones shifted within the minute', () => {
  const cases: Array<[string, string, string]> = [
    ['0 9 * * 1-5', '2030-01-04T09:30:00Z', '2030-01-07T09:00:00Z'], // Friday after 9 → Monday 9:00
    ['*/15 * * * *', '2030-01-01T10:07:00Z', '2030-01-01T10:15:00Z'],
    ['30 2 1 * *', '2030-01-31T00:00:00Z', '2030-02-01T02:30:00Z'],
    ['0 0 L * *', '2030-02-10T00:00:00Z', '2030-02-28T00:00:00Z'],
    ['0 12 * * MON#2', '2030-01-01T00:00:00Z', '2030-01-14T12:00:00Z'],
    ['0 0 29 2 *', '2030-03-01T00:00:00Z', '2032-02-29T00:00:00Z'],
    ['@daily', '2030-06-15T13:00:00Z', '2030-06-16T00:00:00Z'],
    ['15 0 * * * *', '2030-01-01T10:00:15Z', '2030-01-01T11:00:15Z'], // six fields: exact seconds, strictly after
  ];
  for (const [expression, after, expected] of cases) {
    const schedule = parsed(expression);
    const offset = scheduleOffsetMs(schedule, 'job');
    if (expression.split(' ').length === 6) assert.equal(offset, 0, 'six-field cron names its second exactly');
    else assert.ok(offset >= 0 && offset < 60_000);
    assert.equal(new Date(nextRunAfter(schedule, at(after), 'job') - offset).toISOString(), new Date(at(expected)).toISOString(), expression);
  }
  const everyFive = parsed('*/5 * * * *');
  const times = [nextRunAfter(everyFive, at('2030-01-01T00:00:00Z'), 'job')];
  for (let i = 0; i < 3; i++) times.push(nextRunAfter(everyFive, times[times.length - 1]!, 'job'));
  assert.deepEqual(times.slice(1).map((t, i) => t - times[i]!), [300_000, 300_000, 300_000]);
});
