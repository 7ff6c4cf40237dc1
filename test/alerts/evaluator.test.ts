// The evaluator end to end on real SQLite files with simulated time: traffic goes in through
// Store.append, evaluations run at chosen instants, and the outbox says what would be sent.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteControlStore, openSqliteStore, type ApiCall, type ControlStore, type OutboxMessage, type Store } from '../../store/index.ts';
import { DOC, type StoredRule } from '../../alerts/documents.ts';
import { evaluateAlerts, type EvaluatorDeps } from '../../alerts/evaluator.ts';
import type { AlertRuleInput } from '../../alerts/rule.ts';
import type { Notification } from '../../alerts/notification.ts';
import type { RunbookLibrary, Runbook } from '../../alerts/runbooks/library.ts';
import type { AlertEvent } from '../../alerts/history.ts';

const T0 = Date.UTC(2026, 2, 2, 9, 0, 0);
const MIN = 60_000;

const RUNBOOK: Runbook = {
  id: 'high-error-rate', title: 'High error rate', owner: 'platform', severity: 'page', appliesTo: ['error_rate'],
  markdown: '', html: '', firstSteps: ['Open the route view', 'Check the last deploy'], origin: 'shipped',
};
const runbooks: RunbookLibrary = {
  get: (id) => (id === RUNBOOK.id ? RUNBOOK : undefined),
  list: () => [RUNBOOK],
  defaultFor: (kind) => (kind === 'error_rate' ? RUNBOOK : undefined),
};

interface Fixture {
  dir: string;
  store: Store;
  control: ControlStore;
  deps: EvaluatorDeps;
  reopenControl(): Promise<void>;
}

async function fixture(t: TestContext): Promise<Fixture> {
  const dir = await mkdtemp(join(tmpdir(), 'telltale-eval-'));
  const file = join(dir, 'telltale.db');
  const store = await openSqliteStore({ file, writer: 'inline' });
  const f: Fixture = {
    dir, store, control: await openSqliteControlStore({ file }),
    deps: undefined as unknown as EvaluatorDeps,
    async reopenControl() {
      await f.control.close();
      f.control = await openSqliteControlStore({ file });
      f.deps = { ...f.deps, control: f.control };
    },
  };
  // The notification itself is the body: these tests read what the evaluator decided, not how it renders.
  f.deps = { store, control: f.control, runbooks, publicUrl: 'https://telltale.example', render: (n, target) => ({ channel: target.type, body: n }) };
  t.after(async () => {
    await f.control.close();
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });
  return f;
}

let nextId = 0;
/** `calls` calls in the minute starting at `minute`, the first `errors` of them 500s. */
function minuteOfTraffic(minute: number, calls: number, errors: number, route = '/orders', durationMs = 20): ApiCall[] {
  return Array.from({ length: calls }, (_, i) => ({
    id: `c${nextId++}`, timeUnixMs: T0 + minute * MIN + Math.floor((i * MIN) / calls), service: 'checkout', method: 'POST', route,
    statusCode: i < errors ? 500 : 200, durationMs, source: 'trace' as const, traceId: `t${i}`, spanId: null, consumer: null, error: i < errors,
  }));
}

async function putRule(control: ControlStore, rule: AlertRuleInput): Promise<void> {
  const body: StoredRule = { rule, origin: 'api', createdAtMs: T0, updatedAtMs: T0 };
  await control.commit({ put: [{ kind: DOC.rule, id: rule.id, body, updatedAtMs: T0 }] });
}

const ERROR_RULE: AlertRuleInput = {
  id: 'checkout-errors', name: 'Checkout errors', kind: 'error_rate', selector: { service: 'checkout' }, threshold: 0.05,
  window: '5m', for: '2m', minCalls: 10, notify: [{ type: 'email', to: ['oncall@example.com'] }],
  groupWait: '30s', groupInterval: '5m', repeatInterval: '1h',
};

async function outbox(control: ControlStore): Promise<OutboxMessage[]> {
  return (await control.messages({ limit: 1000 })).reverse();
}

async function history(control: ControlStore): Promise<AlertEvent[]> {
  return (await control.events({ kind: 'alert', fromMs: 0, toMs: Number.MAX_SAFE_INTEGER, limit: 1000 })).reverse().map((e) => e.body as AlertEvent);
}

/** Evaluates every 15 s in [fromMs, toMs). */
async function run(f: Fixture, fromMs: number, toMs: number): Promise<void> {
  for (let t = fromMs; t < toMs; t += 15_000) await evaluateAlerts(f.deps, t);
}

test('error rate: pending, firing after `for`, one email after group_wait, one resolved email', async (t) => {
  const f = await fixture(t);
  await putRule(f.control, ERROR_RULE);
  for (let m = 0; m < 40; m += 1) await f.store.append({ calls: minuteOfTraffic(m, 100, m >= 10 && m < 25 ? 20 : 0), spans: [] });
  await run(f, T0 + 5 * MIN, T0 + 45 * MIN);

  const events = await history(f.control);
  const at = (e: AlertEvent['event']) => events.filter((x) => x.event === e);
  assert.deepEqual(events.map((e) => e.event), ['pending', 'firing', 'notified', 'resolved', 'notified']);
  const times = (await f.control.events({ kind: 'alert', fromMs: 0, toMs: Number.MAX_SAFE_INTEGER, limit: 10 })).map((e) => e.atMs).reverse();
  const [pendingAt, firingAt, notifiedAt, resolvedAt, resolvedNotifiedAt] = times as [number, number, number, number, number];
  assert.ok(firingAt - pendingAt >= 2 * MIN && firingAt - pendingAt < 2 * MIN + 15_000, 'fires once `for` has held');
  assert.ok(notifiedAt - firingAt >= 30_000 && notifiedAt - firingAt < 45_000, 'notifies after group_wait');
  assert.ok(resolvedAt > T0 + 25 * MIN && resolvedAt <= T0 + 31 * MIN, 'resolves when the window holds no more errors');
  // The resolve waits for group_interval after the first notification (Alertmanager's rule).
  assert.ok(resolvedNotifiedAt >= Math.max(resolvedAt, notifiedAt + 5 * MIN));
  assert.equal(at('firing')[0]?.labels.alertname, 'checkout-errors');

  const messages = await outbox(f.control);
  assert.equal(messages.length, 2);
  const [firing, resolved] = messages.map((m) => m.body as Notification) as [Notification, Notification];
  assert.equal(firing.status, 'firing');
  assert.equal(firing.alerts.length, 1);
  const alert = firing.alerts[0]!;
  assert.equal(alert.labels.service, 'checkout');
  assert.equal(alert.unit, 'ratio');
  assert.ok(alert.value > 0.05 && alert.value <= 0.2, `value ${alert.value}`);
  assert.match(alert.annotations.summary ?? '', /error rate \d+(\.\d)?% > 5%/);
  assert.equal(alert.runbook?.id, 'high-error-rate', 'the kind default runbook applies');
  assert.deepEqual(alert.runbook?.firstSteps, RUNBOOK.firstSteps);
  assert.ok(alert.series.length >= 10 && alert.series.some((p) => p.value !== null && p.value > 0.1), 'the series shows the errors');
  assert.equal(alert.contributors[0]?.label, 'POST /orders');
  assert.ok(alert.exampleTraceIds.length > 0);
  assert.match(alert.dashboardUrl, /^https:\/\/telltale\.example\/\?/);
  assert.equal(resolved.status, 'resolved');
  assert.ok(resolved.alerts[0]!.endsAtMs !== null && resolved.alerts[0]!.endsAtMs >= resolved.alerts[0]!.startsAtMs);
});

test('too few calls never page, and one failed call at night is not an incident', async (t) => {
  const f = await fixture(t);
  await putRule(f.control, ERROR_RULE);
  for (let m = 0; m < 20; m += 1) await f.store.append({ calls: minuteOfTraffic(m, 1, m === 7 ? 1 : 0), spans: [] });
  await run(f, T0, T0 + 20 * MIN);
  assert.deepEqual(await history(f.control), []);
});

test('fifty routes failing together make one notification with fifty alerts', async (t) => {
  const f = await fixture(t);
  await putRule(f.control, { ...ERROR_RULE, by: ['route'], for: '0s' });
  for (let r = 0; r < 50; r += 1) await f.store.append({ calls: minuteOfTraffic(0, 20, 10, `/r${r}`), spans: [] });
  await run(f, T0 + MIN, T0 + 3 * MIN);
  const messages = await outbox(f.control);
  assert.equal(messages.length, 1);
  const n = messages[0]!.body as Notification;
  assert.equal(n.alerts.length, 50);
  assert.deepEqual(n.groupLabels, { alertname: 'checkout-errors' });
  assert.equal(new Set(n.alerts.map((a) => a.labels.route)).size, 50);
});

test('a restart while firing neither re-sends nor forgets; the repeat comes after repeat_interval', async (t) => {
  const f = await fixture(t);
  await putRule(f.control, { ...ERROR_RULE, for: '0s' });
  for (let m = 0; m < 120; m += 1) await f.store.append({ calls: minuteOfTraffic(m, 50, 25), spans: [] });
  await run(f, T0 + MIN, T0 + 2 * MIN);
  assert.equal((await outbox(f.control)).length, 1);
  await f.reopenControl();
  await run(f, T0 + 2 * MIN, T0 + 60 * MIN);
  assert.equal((await outbox(f.control)).length, 1, 'nothing new within the repeat interval, across the restart');
  await run(f, T0 + 60 * MIN, T0 + 63 * MIN);
  const messages = await outbox(f.control);
  assert.equal(messages.length, 2, 'one repeat after an hour');
  assert.ok(messages[1]!.createdAtMs - messages[0]!.createdAtMs >= 60 * MIN);
});

test('a silence mutes notifications but not evaluation; when it ends the alert is told', async (t) => {
  const f = await fixture(t);
  await putRule(f.control, { ...ERROR_RULE, for: '0s' });
  await f.control.commit({
    put: [{ kind: DOC.silence, id: 's1', body: { id: 's1', matchers: [{ name: 'service', op: '=', value: 'checkout' }], startsAtMs: T0, endsAtMs: T0 + 10 * MIN, comment: 'deploy', author: 'ana', createdAtMs: T0 }, updatedAtMs: T0 }],
  });
  for (let m = 0; m < 15; m += 1) await f.store.append({ calls: minuteOfTraffic(m, 50, 25), spans: [] });
  await run(f, T0 + MIN, T0 + 10 * MIN);
  assert.equal((await outbox(f.control)).length, 0);
  assert.deepEqual((await history(f.control)).map((e) => e.event), ['firing'], 'the alert fires while muted');
  await run(f, T0 + 10 * MIN, T0 + 11 * MIN);
  assert.equal((await outbox(f.control)).length, 1);
});

test('a maintenance window mutes the alerts it matches while it is open', async (t) => {
  const f = await fixture(t);
  await putRule(f.control, { ...ERROR_RULE, for: '0s' });
  // Every day 09:00 UTC for 5 minutes.
  await f.control.commit({ put: [{ kind: DOC.maintenance, id: 'w', body: { id: 'w', cron: '0 9 * * *', durationMs: 5 * MIN, matchers: [], createdAtMs: T0 }, updatedAtMs: T0 }] });
  for (let m = 0; m < 10; m += 1) await f.store.append({ calls: minuteOfTraffic(m, 50, 25), spans: [] });
  await run(f, T0 + MIN, T0 + 5 * MIN);
  assert.equal((await outbox(f.control)).length, 0);
  await run(f, T0 + 5 * MIN, T0 + 6 * MIN);
  assert.equal((await outbox(f.control)).length, 1);
});

test('keepFiringFor holds a flapping alert: one firing, no resolve while it flaps', async (t) => {
  const f = await fixture(t);
  await putRule(f.control, { ...ERROR_RULE, for: '0s', window: '1m', keepFiringFor: '10m' });
  // Errors every other minute: the 1-minute window flaps around the threshold.
  for (let m = 0; m < 30; m += 1) await f.store.append({ calls: minuteOfTraffic(m, 50, m % 2 === 0 ? 25 : 0), spans: [] });
  await run(f, T0 + MIN, T0 + 30 * MIN);
  assert.deepEqual((await history(f.control)).filter((e) => e.event !== 'notified').map((e) => e.event), ['firing']);
  await run(f, T0 + 30 * MIN, T0 + 42 * MIN);
  assert.deepEqual((await history(f.control)).filter((e) => e.event !== 'notified').map((e) => e.event), ['firing', 'resolved']);
});

test('latency, no_data and check_failing rules fire on their data; slo_burn reads the SLO source', async (t) => {
  const f = await fixture(t);
  await putRule(f.control, { id: 'slow', name: 'Slow', kind: 'latency', selector: { service: 'checkout' }, percentile: 'p99', threshold: 500, window: '5m' });
  await putRule(f.control, { id: 'quiet', name: 'Quiet', kind: 'no_data', selector: { service: 'checkout' }, by: ['route'], window: '5m' });
  await putRule(f.control, { id: 'down', name: 'Down', kind: 'check_failing', selector: { check: 'api-health' }, consecutiveFailures: 3 });
  await putRule(f.control, { id: 'burn', name: 'Burn', kind: 'slo_burn', selector: { slo: 'checkout-availability' } });
  for (let m = 0; m < 10; m += 1) {
    await f.store.append({ calls: [...minuteOfTraffic(m, 10, 0, '/orders', 900), ...(m < 3 ? minuteOfTraffic(m, 5, 0, '/gone') : [])], spans: [] });
  }
  const run0 = { ok: true, degraded: false, durationMs: 5, statusCode: 200, error: null, traceId: null, result: {} };
  await f.store.append({
    calls: [], spans: [],
    checkRuns: [0, 1, 2, 3].map((i) => ({ ...run0, checkId: 'api-health', startedAtMs: T0 + i * MIN, ok: i === 0, error: i === 0 ? null : 'timeout' })),
  });
  f.deps = {
    ...f.deps,
    slos: { target: async (id) => (id === 'checkout-availability' ? 99.9 : null), errorRatio: async () => 0.02 },
  };
  await evaluateAlerts(f.deps, T0 + 10 * MIN);
  const firing = (await history(f.control)).filter((e) => e.event === 'firing');
  const byRule = Object.fromEntries(firing.map((e) => [e.ruleId, e]));
  assert.deepEqual(Object.keys(byRule).sort(), ['burn', 'down', 'quiet', 'slow']);
  assert.equal(byRule.quiet?.labels.route, '/gone', 'only the route that stopped is quiet');
  assert.match(byRule.slow?.summary ?? '', /p99 latency 9\d\d ms > 500 ms/);
  assert.equal(byRule.down?.value, 3);
  assert.ok(Math.abs((byRule.burn?.value ?? 0) - 20) < 1e-9, '2% errors on a 0.1% budget burns 20×');
});
