// The alerting API through a real Telltale: rules, alerts with history and acknowledgement,
// silences, maintenance windows and the outbox as the API shows it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTelltale, type TestTelltale } from '../helpers/telltale.ts';
import { evaluateAlerts } from '../../alerts/evaluator.ts';
import { syncCodeRules } from '../../server/alerts/verbs.ts';
import { openRule } from '../../server/alerts/seal-rules.ts';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ApiCall } from '../../store/index.ts';

const T0 = Date.UTC(2026, 4, 4, 12, 0, 0);
const MIN = 60_000;

async function send(tt: TestTelltale, method: string, path: string, body?: unknown, scope: 'read' | 'write' | 'admin' = 'write') {
  const response = await fetch(tt.url + path, {
    method, headers: { authorization: `Bearer ${tt.tokens[scope]}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

const RULE = {
  id: 'checkout-errors', name: 'Checkout errors', kind: 'error_rate', selector: { service: 'checkout', route: '/orders' },
  threshold: 0.05, window: '5m', for: '0s', severity: 'page',
  notify: [{ type: 'webhook', url: 'http://127.0.0.1:9/hook', headers: { Authorization: 'Bearer hook-secret-123' } }],
};

function failingCalls(n: number): ApiCall[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `f${i}`, timeUnixMs: T0 + i * 1000, service: 'checkout', method: 'POST', route: '/orders', statusCode: i % 2 ? 500 : 200,
    durationMs: 12, source: 'trace' as const, traceId: null, spanId: null, consumer: null, error: i % 2 === 1,
  }));
}

const evaluate = (tt: TestTelltale, nowMs: number) => evaluateAlerts({
  store: tt.store, control: tt.control, runbooks: tt.runtime.runbooks, publicUrl: 'http://localhost',
  render: (n, target) => ({ channel: target.type, body: target.type === 'webhook' ? { url: target.url, headers: target.headers, payload: n } : n }),
}, nowMs);

test('rules: create, read, replace, delete; every problem of a bad rule is listed', async (t) => {
  const tt = await startTelltale(t, { now: () => T0 });
  const created = await send(tt, 'POST', '/api/v1/alert-rules', RULE);
  assert.equal(created.status, 201);
  assert.equal(created.body.origin, 'api');
  assert.equal((await send(tt, 'POST', '/api/v1/alert-rules', RULE)).status, 409);
  assert.equal((await send(tt, 'POST', '/api/v1/alert-rules', RULE, 'read')).status, 403);

  const bad = await send(tt, 'POST', '/api/v1/alert-rules', { id: 'x', name: 'X', kind: 'error_rate', threshold: 7, runbook: 'no-such-runbook', labels: { alertname: 'y' } });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.code, 'TELLTALE_ERR_RULE_INVALID');
  assert.deepEqual(bad.body.diagnostics.map((d: { path: string }) => d.path).sort(), ['/labels/alertname', '/runbook', '/threshold', '/window']);
  const header = await send(tt, 'POST', '/api/v1/alert-rules', { ...RULE, id: 'z', notify: [{ type: 'email', to: ['ok@example.com', 'a@example.com\r\nBcc: evil@example.com'] }] });
  assert.deepEqual(header.body.diagnostics.map((d: { path: string }) => d.path), ['/notify/0/to'], 'an address that could carry a header is refused');
  const typo = await send(tt, 'POST', '/api/v1/alert-rules', { ...RULE, id: 'y', treshold: 0.1 });
  assert.equal(typo.status, 400, 'unknown fields are refused, not ignored');

  const replaced = await send(tt, 'PUT', '/api/v1/alert-rules/checkout-errors', { ...RULE, threshold: 0.1 });
  assert.equal(replaced.status, 200);
  assert.equal((await tt.get('/api/v1/alert-rules/checkout-errors')).body.rule.threshold, 0.1);
  assert.equal((await send(tt, 'PUT', '/api/v1/alert-rules/other', RULE)).status, 400, 'the body id must match the path');
  assert.equal((await tt.get('/api/v1/alert-rules')).body.rules.length, 1);

  // Webhook header secrets are write-only: masked when read, sealed at rest, and a PUT of what GET
  // returned keeps the stored value; a mask that matches nothing stored is refused.
  const shown = (await tt.get('/api/v1/alert-rules/checkout-errors')).body.rule;
  assert.deepEqual(shown.notify[0].headers, { Authorization: '••••-123' });
  assert.equal((await send(tt, 'PUT', '/api/v1/alert-rules/checkout-errors', { ...shown, threshold: 0.2 })).status, 200);
  const stored = (await tt.control.document('alert-rule', 'checkout-errors'))?.body as { rule: typeof RULE };
  assert.match(stored.rule.notify[0]!.headers.Authorization, /^enc:v1:/);
  assert.equal(openRule(tt.runtime.checks.secrets, stored.rule).notify[0]!.headers.Authorization, 'Bearer hook-secret-123');
  const unknownMask = await send(tt, 'PUT', '/api/v1/alert-rules/checkout-errors', { ...shown, notify: [{ ...shown.notify[0], url: 'http://127.0.0.1:9/other' }] });
  assert.equal(unknownMask.status, 400);
  assert.deepEqual(unknownMask.body.diagnostics.map((d: { path: string }) => d.path), ['/notify/0/headers/Authorization']);
  const files = (await readdir(tt.runtime.config.dataDir!)).filter((f) => f.startsWith('telltale.db'));
  for (const file of files) assert.equal((await readFile(join(tt.runtime.config.dataDir!, file))).indexOf('hook-secret-123'), -1, `in the clear in ${file}`);
  assert.equal((await send(tt, 'DELETE', '/api/v1/alert-rules/checkout-errors')).status, 204);
  assert.equal((await send(tt, 'DELETE', '/api/v1/alert-rules/checkout-errors')).status, 404);
});

test('rules from the config file are read-only in the API and follow the file', async (t) => {
  const tt = await startTelltale(t, { now: () => T0 });
  const ctx = { control: tt.control, runbooks: tt.runtime.runbooks, now: () => T0, secrets: tt.runtime.checks.secrets };
  await syncCodeRules(ctx, [RULE]);
  const listed = (await tt.get('/api/v1/alert-rules')).body.rules;
  assert.deepEqual(listed.map((r: { origin: string; readOnly: boolean }) => [r.origin, r.readOnly]), [['code', true]]);
  assert.equal((await send(tt, 'PUT', '/api/v1/alert-rules/checkout-errors', RULE)).body.code, 'TELLTALE_ERR_RULE_OWNED_BY_CODE');
  assert.equal((await send(tt, 'DELETE', '/api/v1/alert-rules/checkout-errors')).status, 409);
  await assert.rejects(syncCodeRules(ctx, [RULE, { ...RULE, threshold: 2 }, { id: 'Bad Id' }]), (err: Error) => {
    assert.match(err.message, /used twice|threshold/);
    assert.match(err.message, /"Bad Id": \/kind Expected required property\n/);
    return true;
  });
  await syncCodeRules(ctx, []);
  assert.deepEqual((await tt.get('/api/v1/alert-rules')).body.rules, [], 'a rule removed from the file is removed');
});

test('alerts: firing with history and delivery status, acknowledged, silenced; webhook secrets never shown', async (t) => {
  const now = { ms: T0 + 2 * MIN };
  const tt = await startTelltale(t, { now: () => now.ms });
  assert.equal((await send(tt, 'POST', '/api/v1/alert-rules', { ...RULE, groupWait: '0s' })).status, 201);
  await tt.store.append({ calls: failingCalls(100), spans: [] });
  await evaluate(tt, now.ms);

  const firing = (await tt.get('/api/v1/alerts?state=firing')).body.alerts;
  assert.equal(firing.length, 1);
  const alert = firing[0];
  assert.equal(alert.labels.alertname, 'checkout-errors');
  assert.deepEqual([alert.ruleName, alert.kind, alert.runbookId], ['Checkout errors', 'error_rate', 'high-error-rate']);
  assert.equal(alert.labels.route, '/orders');
  assert.equal(alert.value, 0.5);
  assert.deepEqual(alert.history.map((h: { event: string }) => h.event), ['notified', 'firing']);
  const delivery = alert.history[0].deliveries[0];
  assert.deepEqual([delivery.channel, delivery.status, delivery.target], ['webhook', 'pending', 'http://127.0.0.1:9']);
  assert.deepEqual((await tt.get('/api/v1/alerts?state=pending')).body.alerts, []);

  const outbox = await tt.get('/api/v1/notifications');
  assert.equal(outbox.body.notifications.length, 1);
  assert.ok(!JSON.stringify(outbox.body).includes('hook-secret-123'), 'the outbox listing never shows a webhook header');
  assert.ok(!JSON.stringify((await tt.get('/api/v1/alerts')).body).includes('hook-secret-123'));

  const ack = await send(tt, 'POST', `/api/v1/alerts/${alert.fingerprint}/ack`, { by: 'ana', comment: 'looking' });
  assert.equal(ack.status, 200);
  assert.equal(ack.body.by, 'ana');
  assert.equal((await send(tt, 'POST', '/api/v1/alerts/0000000000000000/ack', {})).status, 404);
  const one = (await tt.get(`/api/v1/alerts/${alert.fingerprint}`)).body;
  assert.deepEqual(one.acknowledged.by, 'ana');
  assert.equal(one.history[0].event, 'acknowledged');

  const silence = await send(tt, 'POST', '/api/v1/silences', {
    matchers: [{ name: 'alertname', op: '=', value: 'checkout-errors' }], endsAt: new Date(T0 + 60 * MIN).toISOString(), comment: 'deploying', author: 'ana',
  });
  assert.equal(silence.status, 201);
  assert.equal(silence.body.state, 'active');
  assert.deepEqual((await tt.get(`/api/v1/alerts/${alert.fingerprint}`)).body.silencedBy, [silence.body.id]);
  const expired = await send(tt, 'DELETE', `/api/v1/silences/${silence.body.id}`);
  assert.equal(expired.body.state, 'expired');
  assert.equal((await tt.get('/api/v1/silences')).body.silences.length, 1);
});

test('silences and maintenance windows refuse what they cannot honour', async (t) => {
  const tt = await startTelltale(t, { now: () => T0 });
  const base = { matchers: [{ name: 'service', op: '=', value: 'x' }], endsAt: new Date(T0 + MIN).toISOString(), comment: 'c', author: 'a' };
  assert.equal((await send(tt, 'POST', '/api/v1/silences', { ...base, endsAt: new Date(T0 - MIN).toISOString() })).status, 400);
  assert.equal((await send(tt, 'POST', '/api/v1/silences', { ...base, matchers: [] })).status, 400);
  assert.equal((await send(tt, 'POST', '/api/v1/silences', { ...base, matchers: [{ name: 'x', op: '=~', value: '(a+)+' }] })).status, 400, 'a catastrophic regex is refused');
  assert.equal((await send(tt, 'POST', '/api/v1/silences', { ...base, endsAt: 'tomorrow' })).status, 400);
  const window = await send(tt, 'POST', '/api/v1/maintenance-windows', { cron: '0 2 * * 0', durationMs: 2 * 3_600_000, comment: 'Sunday patching' });
  assert.equal(window.status, 201);
  assert.equal((await send(tt, 'POST', '/api/v1/maintenance-windows', { cron: 'not a cron', durationMs: 60_000 })).status, 400);
  assert.equal((await tt.get('/api/v1/maintenance-windows')).body.windows.length, 1);
  assert.equal((await send(tt, 'DELETE', `/api/v1/maintenance-windows/${window.body.id}`)).status, 204);
});
