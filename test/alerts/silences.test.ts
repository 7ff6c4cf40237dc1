import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkPattern, cronMatches, inMaintenance, isSilenced, maintenanceBy, matcherMatches, parseCron, silencedBy,
  validateMaintenanceWindow, validateMatchers,
} from '../../alerts/index.ts';
import type { MaintenanceWindow, Silence } from '../../alerts/index.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const at = (iso: string): number => Date.parse(iso);
const labels = { alertname: 'HighErrorRate', service: 'checkout', route: '/orders', severity: 'page' };

void test('matchers: =, !=, =~ and !~ with anchored regexes; a missing label reads as ""', () => {
  assert.equal(matcherMatches({ name: 'service', op: '=', value: 'checkout' }, labels), true);
  assert.equal(matcherMatches({ name: 'service', op: '!=', value: 'checkout' }, labels), false);
  assert.equal(matcherMatches({ name: 'service', op: '=~', value: 'check.*|cart' }, labels), true);
  assert.equal(matcherMatches({ name: 'service', op: '=~', value: 'check' }, labels), false, 'anchored: a prefix is not a match');
  assert.equal(matcherMatches({ name: 'route', op: '!~', value: '/health.*' }, labels), true);
  assert.equal(matcherMatches({ name: 'team', op: '=', value: '' }, labels), true);
  assert.equal(matcherMatches({ name: 'team', op: '!=', value: '' }, labels), false);
});

void test('regexes are bounded: nested quantifiers, backreferences and huge patterns are refused', () => {
  for (const bad of ['(a+)+', '(a*)*', '(x+x+)+y', '((ab)*)+', '(.*a){10}', '(a)\\1', '(?<n>a)\\k<n>', 'a'.repeat(300), '(a', 'a)', '[']) {
    assert.notEqual(checkPattern(bad), null, bad);
  }
  for (const good of ['check.*|cart', '/orders/[0-9]+', '(GET|POST)', '(a+)?', '[(+)]+', '\\(a+\\)+', 'api-(eu|us)-[a-z]+']) {
    assert.equal(checkPattern(good), null, good);
  }
  assert.deepEqual(validateMatchers([{ name: 'route', op: '=~', value: '(a+)+' }, { name: '1bad', op: '=', value: 'x' }]), [
    'matchers[0]: nested quantifiers are not allowed', 'matchers[1]: bad label name "1bad"',
  ]);
  // A refused pattern that slipped into storage mutes nothing rather than hanging the evaluator.
  assert.equal(matcherMatches({ name: 'route', op: '=~', value: '(a+)+' }, { route: 'aaaa' }), false);
});

void test('silences mute only between their start and end, and only alerts all their matchers accept', () => {
  const s: Silence = {
    id: 's1', startsAtMs: at('2026-01-05T02:00:00Z'), endsAtMs: at('2026-01-05T04:00:00Z'), comment: 'deploy', author: 'ana',
    matchers: [{ name: 'service', op: '=', value: 'checkout' }, { name: 'route', op: '=~', value: '/orders.*' }],
  };
  assert.equal(isSilenced(labels, [s], at('2026-01-05T01:59:59Z')), false);
  assert.equal(isSilenced(labels, [s], at('2026-01-05T02:00:00Z')), true);
  assert.equal(isSilenced(labels, [s], at('2026-01-05T03:59:59Z')), true);
  assert.equal(isSilenced(labels, [s], at('2026-01-05T04:00:00Z')), false, 'the end is exclusive');
  assert.equal(isSilenced({ ...labels, route: '/cart' }, [s], at('2026-01-05T03:00:00Z')), false);
  const other: Silence = { ...s, id: 's2', matchers: [{ name: 'severity', op: '=', value: 'page' }] };
  assert.deepEqual(silencedBy(labels, [s, other], at('2026-01-05T03:00:00Z')), ['s1', 's2']);
  assert.equal(isSilenced(labels, [{ ...s, matchers: [] }], at('2026-01-05T03:00:00Z')), false, 'an empty silence mutes nothing');
});

void test('cron: fields, ranges, steps, lists, names, 7 as Sunday, and the either-day rule', () => {
  const p = (e: string) => {
    const r = parseCron(e);
    assert.ok(r.ok, e);
    return r.schedule;
  };
  assert.equal(cronMatches(p('*/15 2-4 * * *'), at('2026-01-05T03:45:00Z')), true);
  assert.equal(cronMatches(p('*/15 2-4 * * *'), at('2026-01-05T03:46:00Z')), false);
  assert.equal(cronMatches(p('0 22 * * SUN'), at('2026-01-04T22:00:30Z')), true, '2026-01-04 is a Sunday');
  assert.equal(cronMatches(p('0 22 * * 7'), at('2026-01-04T22:00:00Z')), true);
  assert.equal(cronMatches(p('0 0 1 JAN,jul *'), at('2026-07-01T00:00:00Z')), true);
  // Day of month 13 OR Friday, as Vixie cron does when both are restricted.
  assert.equal(cronMatches(p('0 0 13 * 5'), at('2026-01-09T00:00:00Z')), true, 'a Friday that is not the 13th');
  assert.equal(cronMatches(p('0 0 13 * 5'), at('2026-01-13T00:00:00Z')), true, 'a 13th that is a Tuesday');
  assert.equal(cronMatches(p('0 0 13 * 5'), at('2026-01-14T00:00:00Z')), false);
  for (const bad of ['* * * *', '60 * * * *', '* 24 * * *', '* * 0 * *', '*/0 * * * *', '5-1 * * * *', 'x * * * *', '1/2/3 * * * *']) {
    assert.equal(parseCron(bad).ok, false, bad);
  }
});

void test('maintenance windows: open from each cron firing for their duration, including across midnight UTC', () => {
  // Nightly 23:30 UTC for two hours: open 23:30–01:30, across the date change.
  const nightly: MaintenanceWindow = { id: 'nightly', cron: '30 23 * * *', durationMs: 2 * HOUR, matchers: [] };
  assert.equal(inMaintenance(nightly, at('2026-01-05T23:29:59Z')), false);
  assert.equal(inMaintenance(nightly, at('2026-01-05T23:30:00Z')), true);
  assert.equal(inMaintenance(nightly, at('2026-01-06T00:00:00Z')), true);
  assert.equal(inMaintenance(nightly, at('2026-01-06T01:29:59Z')), true);
  assert.equal(inMaintenance(nightly, at('2026-01-06T01:30:00Z')), false);
  // Saturdays 22:00 for four hours reach into Sunday, and across a year end too.
  const weekly: MaintenanceWindow = { id: 'weekly', cron: '0 22 * * sat', durationMs: 4 * HOUR, matchers: [{ name: 'service', op: '=', value: 'checkout' }] };
  assert.equal(inMaintenance(weekly, at('2027-01-01T01:00:00Z')), false, 'a Friday');
  assert.equal(inMaintenance(weekly, at('2027-01-03T01:59:00Z')), true, 'Sunday 01:59 after Saturday 2 Jan 22:00');
  assert.equal(inMaintenance(weekly, at('2027-01-03T02:00:00Z')), false);
  assert.deepEqual(maintenanceBy(labels, [nightly, weekly], at('2027-01-03T00:30:00Z')), ['nightly', 'weekly']);
  assert.deepEqual(maintenanceBy({ ...labels, service: 'cart' }, [weekly], at('2027-01-03T00:30:00Z')), []);
  assert.equal(inMaintenance({ ...nightly, cron: 'not a cron' }, at('2026-01-05T23:45:00Z')), false);
});

void test('maintenance windows are validated with every problem listed', () => {
  assert.deepEqual(validateMaintenanceWindow({ id: 'w', cron: '0 3 * * *', durationMs: HOUR, matchers: [] }), []);
  assert.deepEqual(validateMaintenanceWindow({ id: 'w', cron: '0 25 * * *', durationMs: 0, matchers: [{ name: 'a', op: '=~', value: '(a*)*' }] }), [
    'matchers[0]: nested quantifiers are not allowed',
    'cron: hour: "25" is outside 0-23',
    'durationMs must be between 60000 and 604800000',
  ]);
});
