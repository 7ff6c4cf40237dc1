// Calendar periods in named zones, across DST changes, against instants worked out by hand.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { calendarMonth, dayBoundaries, reportPeriod, sloWindow, zonedToEpoch } from '../../reports/periods.ts';
import { computeSlo } from '../../reports/slo-compute.ts';

const H = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();

test('calendar month in New York: starts at local midnight, 743 hours long across the March DST change', () => {
  const m = calendarMonth(Date.UTC(2026, 2, 15, 12), 'America/New_York');
  assert.equal(iso(m.fromMs), '2026-03-01T05:00:00.000Z'); // EST, UTC−5
  assert.equal(iso(m.toMs), '2026-04-01T04:00:00.000Z'); // EDT, UTC−4
  assert.equal((m.toMs - m.fromMs) / H, 31 * 24 - 1);
  const w = sloWindow('month', 'America/New_York', Date.UTC(2026, 2, 15, 12, 0, 30));
  assert.equal(iso(w.fromMs), '2026-03-01T05:00:00.000Z');
  assert.equal(iso(w.toMs), '2026-03-15T12:01:00.000Z');
});

test('calendar month in Berlin begins on the evening of the last day of February, UTC', () => {
  // 00:30 on 1 March in Berlin is 23:30 UTC on 28 February: it belongs to March.
  const m = calendarMonth(Date.UTC(2026, 2, 10), 'Europe/Berlin');
  assert.equal(iso(m.fromMs), '2026-02-28T23:00:00.000Z');
  assert.equal(iso(m.toMs), '2026-03-31T22:00:00.000Z');
  assert.equal(calendarMonth(Date.UTC(2026, 1, 28, 23, 30), 'Europe/Berlin').fromMs, m.fromMs);
  assert.notEqual(calendarMonth(Date.UTC(2026, 1, 28, 22, 30), 'Europe/Berlin').fromMs, m.fromMs);
  // October: 745 hours (the clocks go back on the 25th).
  const oct = calendarMonth(Date.UTC(2026, 9, 10), 'Europe/Berlin');
  assert.equal((oct.toMs - oct.fromMs) / H, 31 * 24 + 1);
});

test('days in a zone: the spring-forward day has 23 hours, and a check down one hour of it is 22/23 up', () => {
  const range = { fromMs: zonedToEpoch({ year: 2026, month: 3, day: 28, hour: 0, minute: 0 }, 'Europe/Berlin'), toMs: zonedToEpoch({ year: 2026, month: 3, day: 31, hour: 0, minute: 0 }, 'Europe/Berlin') };
  const bins = dayBoundaries(range, 'Europe/Berlin');
  assert.deepEqual(bins.slice(1).map((b, i) => (b - bins[i]!) / H), [24, 23, 24]);
  // A check every 30 min, failing 10:00–11:00 local (08:00–09:00 UTC) on the 29th.
  const failFrom = Date.UTC(2026, 2, 29, 8);
  const runs = [];
  for (let t = range.fromMs; t < range.toMs; t += H / 2) runs.push({ startedAtMs: t, ok: !(t >= failFrom && t < failFrom + H) });
  const c = computeSlo({ target: 99, noData: 'excluded', range, maintenance: [], data: { kind: 'runs', checks: [{ runs, staleAfterMs: H }] }, bins });
  assert.deepEqual(c.bins.map((b) => b.badMs / H), [0, 1, 0]);
  assert.deepEqual(c.bins.map((b) => (b.goodMs + b.badMs) / H), [24, 23, 24]);
  assert.equal(((c.bins[1]!.goodMs) / (c.bins[1]!.goodMs + c.bins[1]!.badMs)) * 100, (22 / 23) * 100);
});

test('report periods: previous week (Monday to Monday), previous month, last 30 days, in the schedule zone', () => {
  const now = Date.UTC(2026, 3, 1, 6, 0); // Wed 1 April 2026, 08:00 in Berlin
  const week = reportPeriod('previous-week', 'Europe/Berlin', now);
  assert.equal(iso(week.fromMs), '2026-03-22T23:00:00.000Z'); // Mon 23 March 00:00 CET
  assert.equal(iso(week.toMs), '2026-03-29T22:00:00.000Z'); // Mon 30 March 00:00 CEST
  const month = reportPeriod('previous-month', 'Europe/Berlin', now);
  assert.equal(iso(month.fromMs), '2026-02-28T23:00:00.000Z');
  assert.equal(iso(month.toMs), '2026-03-31T22:00:00.000Z');
  const last30 = reportPeriod('last-30-days', 'UTC', now);
  assert.equal(iso(last30.fromMs), '2026-03-02T00:00:00.000Z');
  assert.equal(iso(last30.toMs), '2026-04-01T00:00:00.000Z');
});

test('a wall time skipped by DST maps to the instant after the jump', () => {
  // 02:30 on 29 March does not exist in Berlin; 03:00 CEST is 01:00 UTC.
  const t = zonedToEpoch({ year: 2026, month: 3, day: 29, hour: 2, minute: 30 }, 'Europe/Berlin');
  assert.ok(t >= Date.UTC(2026, 2, 29, 1, 0) && t <= Date.UTC(2026, 2, 29, 1, 30), iso(t));
});
