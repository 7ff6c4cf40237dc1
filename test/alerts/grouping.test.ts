import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decideNotification, fingerprint, groupKey, markNotified } from '../../alerts/index.ts';
import type { GroupAlert, GroupState, GroupTiming, Labels } from '../../alerts/index.ts';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const TIMING: GroupTiming = { groupWaitMs: 30 * SECOND, groupIntervalMs: 5 * MINUTE, repeatIntervalMs: 4 * HOUR };

function alert(route: string, acknowledged = false): GroupAlert {
  const labels: Labels = { alertname: 'HighErrorRate', service: 'checkout', route };
  return { fingerprint: fingerprint(labels), labels, acknowledged };
}

interface Sent { atMs: number; firing: string[]; resolved: string[] }

/**
 * Drives one group with a 1-second tick, applying `events` (changes to the group at given times)
 * and recording every notification, as the evaluator loop and outbox will.
 */
function drive(untilMs: number, events: [atMs: number, change: (g: GroupState) => GroupState][]): Sent[] {
  let group: GroupState = { firing: [], resolved: [], createdAtMs: 0, lastNotifiedAtMs: null, notifiedFiring: [] };
  const sent: Sent[] = [];
  for (let nowMs = 0; nowMs <= untilMs; nowMs += SECOND) {
    for (const [atMs, change] of events) if (atMs === nowMs) group = change(group);
    const d = decideNotification(group, TIMING, nowMs);
    if (d.notify) {
      sent.push({ atMs: nowMs, firing: d.firing.map((a) => a.labels.route!), resolved: d.resolved.map((a) => a.labels.route!) });
      group = markNotified(group, d, nowMs);
    } else if (d.nextCheckAtMs !== null) {
      assert.ok(d.nextCheckAtMs > nowMs, 'nextCheckAtMs is always in the future when nothing is due');
    }
  }
  return sent;
}

const fire = (a: GroupAlert) => (g: GroupState): GroupState => ({ ...g, firing: [...g.firing, a] });
const resolve = (route: string) => (g: GroupState): GroupState => {
  const gone = g.firing.filter((a) => a.labels.route === route);
  return { ...g, firing: g.firing.filter((a) => a.labels.route !== route), resolved: [...g.resolved, ...gone] };
};
const ack = (route: string) => (g: GroupState): GroupState => ({
  ...g, firing: g.firing.map((a) => (a.labels.route === route ? { ...a, acknowledged: true } : a)),
});

void test('50 alerts arriving within one group_wait give one notification with all 50', () => {
  const events = Array.from({ length: 50 }, (_, i): [number, (g: GroupState) => GroupState] => [Math.floor(i / 2) * SECOND, fire(alert(`/r${i}`))]);
  const sent = drive(2 * HOUR, events);
  assert.equal(sent.length, 1);
  assert.equal(sent[0]!.atMs, 30 * SECOND);
  assert.equal(sent[0]!.firing.length, 50);
  assert.equal(new Set(sent[0]!.firing).size, 50);
});

void test('a new alert after the first notification waits for group_interval, then goes out with the whole group', () => {
  const sent = drive(HOUR, [[0, fire(alert('/a'))], [60 * SECOND, fire(alert('/b'))]]);
  assert.deepEqual(sent, [
    { atMs: 30 * SECOND, firing: ['/a'], resolved: [] },
    { atMs: 30 * SECOND + 5 * MINUTE, firing: ['/a', '/b'], resolved: [] },
  ]);
});

void test('an unchanged group repeats only after repeat_interval', () => {
  const sent = drive(9 * HOUR, [[0, fire(alert('/a'))]]);
  assert.deepEqual(sent.map((s) => s.atMs), [30 * SECOND, 30 * SECOND + 4 * HOUR, 30 * SECOND + 8 * HOUR]);
});

void test('a resolved alert is notified exactly once, after group_interval', () => {
  const sent = drive(10 * HOUR, [[0, fire(alert('/a'))], [0, fire(alert('/b'))], [10 * MINUTE, resolve('/a')]]);
  const resolvedSends = sent.filter((s) => s.resolved.length > 0);
  assert.equal(resolvedSends.length, 1);
  assert.deepEqual(resolvedSends[0], { atMs: 10 * MINUTE, firing: ['/b'], resolved: ['/a'] });
  // /b keeps repeating on its own schedule, from the last notification.
  assert.deepEqual(sent.map((s) => s.atMs), [30 * SECOND, 10 * MINUTE, 10 * MINUTE + 4 * HOUR, 10 * MINUTE + 8 * HOUR]);
  // The last alert resolving closes the group with one resolved notification and then silence.
  const closing = drive(10 * HOUR, [[0, fire(alert('/a'))], [HOUR, resolve('/a')]]);
  assert.deepEqual(closing, [{ atMs: 30 * SECOND, firing: ['/a'], resolved: [] }, { atMs: HOUR, firing: [], resolved: ['/a'] }]);
});

void test('an alert that fires and resolves inside group_wait is never announced, neither firing nor resolved', () => {
  assert.deepEqual(drive(HOUR, [[0, fire(alert('/a'))], [10 * SECOND, resolve('/a')]]), []);
});

void test('acknowledged alerts do not repeat; unacknowledged ones in the same group still do', () => {
  const allAcked = drive(9 * HOUR, [[0, fire(alert('/a'))], [HOUR, ack('/a')]]);
  assert.deepEqual(allAcked.map((s) => s.atMs), [30 * SECOND]);
  const mixed = drive(5 * HOUR, [[0, fire(alert('/a'))], [0, fire(alert('/b'))], [HOUR, ack('/a')]]);
  assert.deepEqual(mixed, [
    { atMs: 30 * SECOND, firing: ['/a', '/b'], resolved: [] },
    { atMs: 30 * SECOND + 4 * HOUR, firing: ['/b'], resolved: [] },
  ]);
});

void test('nextCheckAtMs tells the loop when to look again', () => {
  const empty: GroupState = { firing: [], resolved: [], createdAtMs: 0, lastNotifiedAtMs: null, notifiedFiring: [] };
  assert.equal(decideNotification(empty, TIMING, 0).nextCheckAtMs, null);
  const waiting = { ...empty, firing: [alert('/a')], createdAtMs: 1000 };
  assert.deepEqual(decideNotification(waiting, TIMING, 5000), { notify: false, firing: [], resolved: [], nextCheckAtMs: 31_000 });
  const sent = markNotified(waiting, decideNotification(waiting, TIMING, 31_000), 31_000);
  assert.equal(decideNotification(sent, TIMING, 40_000).nextCheckAtMs, 31_000 + 4 * HOUR);
  const changed = { ...sent, firing: [...sent.firing, alert('/b')] };
  assert.equal(decideNotification(changed, TIMING, 40_000).nextCheckAtMs, 31_000 + 5 * MINUTE);
});

void test('fingerprint is Prometheus\' FNV-1a over sorted labels: stable, order-free, value-sensitive', () => {
  // Test vectors from prometheus/common model/signature_test.go.
  assert.equal(fingerprint({}), 'cbf29ce484222325');
  assert.equal(BigInt(`0x${fingerprint({ name: 'garland, briggs', fear: 'love is not enough' })}`), 5799056148416392346n);
  assert.equal(fingerprint({ a: '1', b: '2' }), fingerprint({ b: '2', a: '1' }));
  assert.notEqual(fingerprint({ a: '1', b: '2' }), fingerprint({ a: '12' }));
  assert.notEqual(fingerprint({ a: 'x' }), fingerprint({ a: 'y' }));
});

void test('groupKey uses only the group_by labels, sorted; missing ones read as empty; ... means all', () => {
  const labels = { alertname: 'HighErrorRate', service: 'checkout', route: '/orders' };
  assert.equal(groupKey(labels, ['service', 'alertname']), '{alertname="HighErrorRate",service="checkout"}');
  assert.equal(groupKey(labels, ['alertname', 'service']), groupKey({ ...labels, route: '/other' }, ['service', 'alertname']));
  assert.equal(groupKey(labels, ['team']), '{team=""}');
  assert.equal(groupKey(labels, []), '{}');
  assert.equal(groupKey(labels, ['...']), '{alertname="HighErrorRate",route="/orders",service="checkout"}');
  assert.notEqual(groupKey({ a: 'x",b="y' }, ['a', 'b']), groupKey({ a: 'x', b: 'y' }, ['a', 'b']), 'values are quoted, so none can forge another group');
});
