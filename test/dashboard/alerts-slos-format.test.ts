// The pure helpers of the alert, SLO and report pages, against hand-written expectations.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { alertSinceMs, formatAlertValue, formatRelative, labelLinks, matchersFromLabels, visibleLabels } from '../../dashboard/src/alerts/alert-format.ts';
import { burnColumn, formatBurn, formatPct, formatRemaining, sloState } from '../../dashboard/src/slos/slo-format.ts';
import type { SloPoint } from '../../dashboard/src/api/slos.ts';
import { previousMonth, previousWeek, reportFileName } from '../../dashboard/src/reports/report-period.ts';
import { metricOf, seriesColumns } from '../../dashboard/src/alerts/alert-metric.ts';

test('alert values read in their unit; relative times round to the unit people say', () => {
  assert.equal(formatAlertValue(null, 'ratio'), '—');
  assert.equal(formatAlertValue(Number.NaN, 'ms'), '—');
  assert.equal(formatAlertValue(2.5, 'burn'), '2.50×');
  assert.equal(formatAlertValue(14.44, 'burn'), '14.4×');
  const now = Date.UTC(2026, 0, 1, 12);
  assert.equal(formatRelative(now - 10_000, now), 'just now');
  assert.equal(formatRelative(now - 5 * 60_000, now), '5 min ago');
  assert.equal(formatRelative(now - 3 * 3_600_000, now), '3 h ago');
  assert.equal(formatRelative(now + 20 * 60_000, now), 'in 20 min');
  assert.equal(alertSinceMs({ state: 'firing', firingSince: '2026-01-01T10:00:00.000Z', activeSince: '2026-01-01T09:58:00.000Z', resolvedAt: null }), Date.UTC(2026, 0, 1, 10));
  assert.equal(alertSinceMs({ state: 'pending', firingSince: null, activeSince: '2026-01-01T09:58:00.000Z', resolvedAt: null }), Date.UTC(2026, 0, 1, 9, 58));
});

test('a silence made from an alert matches exactly its labels, alertname first, never severity', () => {
  const labels = { severity: 'page', route: '/orders', alertname: 'errs', service: 'shop', 'bad-name': 'x' };
  assert.deepEqual(matchersFromLabels(labels), [
    { name: 'alertname', op: '=', value: 'errs' }, { name: 'route', op: '=', value: '/orders' }, { name: 'service', op: '=', value: 'shop' },
  ]);
  assert.deepEqual(visibleLabels(labels).map(([k]) => k), ['bad-name', 'route', 'service']);
  const links = labelLinks({ service: 'shop', method: 'POST', route: '/orders', check: 'up' }, '?from=now-1h');
  assert.deepEqual(links.map((l) => l.label), ['Route view: shop · POST /orders', 'Check up']);
  assert.match(links[0]!.to, /^\/routes\?.*service=shop/);
});

test('SLO state: breached when missed or overspent, at risk when little is left or it burns fast', () => {
  const s = (met: boolean | null, remainingRatio: number | null, burnRate = 0) => sloState({ met, burnRate, budget: { remainingRatio, consumedRatio: null, events: { total: 0, consumed: 0, remaining: 0 }, minutes: null } });
  assert.equal(s(null, null), 'no-data');
  assert.equal(s(false, 0.5), 'breached');
  assert.equal(s(true, 0), 'breached');
  assert.equal(s(true, 0.2), 'at-risk');
  assert.equal(s(true, 0.9, 2), 'at-risk');
  assert.equal(s(true, 0.9, 1.9), 'met');
  assert.equal(formatPct(99.9567), '99.957%');
  assert.equal(formatRemaining(-0.5), '−50.0%');
  assert.equal(formatRemaining(0.00001), '<0.01%');
  assert.equal(formatBurn(null), '—');
});

test('the burn of each step is its bad share over the allowed share; empty steps burn nothing', () => {
  const point = (good: number, bad: number, badMinutes: number | null = null): SloPoint => ({
    from: '2026-01-01T00:00:00Z', to: '2026-01-01T01:00:00Z', remainingRatio: null, attainment: null, goodEvents: good, badEvents: bad, badMinutes,
  });
  const requests = burnColumn([point(990, 10), point(0, 0)], 99.9, 'requests');
  assert.ok(Math.abs((requests[0] ?? 0) - 10) < 1e-9, `${requests[0]}`);
  assert.equal(requests[1], null);
  // Time-based: 6 bad minutes of 60 on a 99% target burn 10×.
  const time = burnColumn([point(0, 0, 6)], 99, 'time');
  assert.ok(Math.abs((time[0] ?? 0) - 10) < 1e-9, `${time[0]}`);
});

test('report periods: the previous Monday-to-Monday week and calendar month, in UTC', () => {
  const wednesday = Date.UTC(2026, 10, 25, 15, 30);
  assert.deepEqual(previousWeek(wednesday), { fromMs: Date.UTC(2026, 10, 16), toMs: Date.UTC(2026, 10, 23) });
  const monday = Date.UTC(2026, 10, 23, 0, 0, 1);
  assert.deepEqual(previousWeek(monday), { fromMs: Date.UTC(2026, 10, 16), toMs: Date.UTC(2026, 10, 23) });
  assert.deepEqual(previousMonth(Date.UTC(2026, 0, 15)), { fromMs: Date.UTC(2025, 11, 1), toMs: Date.UTC(2026, 0, 1) });
  assert.equal(reportFileName({ fromMs: Date.UTC(2026, 10, 16), toMs: Date.UTC(2026, 10, 23) }, 'tag:shop/eu', 'csv'), 'telltale-sla-2026-11-16_2026-11-23-tag-shop-eu.csv');
});

test('an alert chart plots the percentile its rule watches, p99.9 included', () => {
  const point = { time: '2026-11-26T00:00:00.000Z', calls: 10, errors: 1, errorRate: 0.1, p50: 1, p75: 2, p90: 3, p95: 4, p99: 5, p999: 6 };
  const plotted = (percentile: string) => {
    const metric = metricOf({ unit: 'ms' }, { percentile });
    return metric && seriesColumns([point], metric)[1][0];
  };
  assert.deepEqual(['p50', 'p75', 'p90', 'p95', 'p99', 'p99.9'].map(plotted), [1, 2, 3, 4, 5, 6]);
  assert.equal(seriesColumns([point], metricOf({ unit: 'ratio' }, null)!)[1][0], 0.1);
  assert.equal(metricOf({ unit: 'count' }, null), null);
});
