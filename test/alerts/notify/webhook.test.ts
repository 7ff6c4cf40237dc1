import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test, type TestContext } from 'node:test';
import {
  OutboxDelivery, ZERO_TIME, alertmanagerPostableAlerts, alertmanagerWebhookPayload, createAlertmanagerNotifier, createWebhookNotifier,
} from '../../../alerts/notify/index.ts';
import { SimulatedTime } from '../../helpers/simulated-time.ts';
import { T0, sampleAlert, sampleNotification } from './fixtures.ts';
import { enqueue, tempControl } from './outbox.ts';
import { freePort } from '../../helpers/ports.ts';

interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: any;
}

type Reply = { status: number; headers?: Record<string, string>; body?: string };

/** A webhook receiver on 127.0.0.1:0 that answers each request with the next scripted reply (then 200). */
async function receiver(t: TestContext, replies: Reply[] = []): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
      const reply = replies.shift() ?? { status: 200 };
      res.writeHead(reply.status, reply.headers).end(reply.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received };
}

function twoAlerts() {
  return sampleNotification({
    alerts: [
      sampleAlert(),
      sampleAlert({
        fingerprint: 'fedcba9876543210', status: 'resolved', endsAtMs: T0 + 300_000,
        labels: { alertname: 'Checkout errors', severity: 'page', service: 'checkout', method: 'GET', route: '/cart' },
        annotations: { summary: 'error rate 7% > 5%', runbook_url: 'https://telltale.example.com/runbooks/high-error-rate' },
      }),
    ],
  });
}

test('the v4 payload, field by field', () => {
  const p = alertmanagerWebhookPayload(twoAlerts(), 'team-payments');
  assert.deepEqual(Object.keys(p).sort(), [
    'alerts', 'commonAnnotations', 'commonLabels', 'externalURL', 'groupKey', 'groupLabels', 'receiver', 'status', 'truncatedAlerts', 'version',
  ]);
  assert.equal(p.version, '4');
  assert.equal(p.status, 'firing');
  assert.equal(p.receiver, 'team-payments');
  assert.equal(p.groupKey, '{service="checkout"}');
  assert.equal(p.truncatedAlerts, 0);
  assert.deepEqual(p.groupLabels, { service: 'checkout' });
  assert.deepEqual(p.commonLabels, { alertname: 'Checkout errors', service: 'checkout', severity: 'page' });
  assert.deepEqual(p.commonAnnotations, { runbook_url: 'https://telltale.example.com/runbooks/high-error-rate' });
  assert.equal(p.externalURL, 'https://telltale.example.com/');
  const [firing, resolved] = p.alerts;
  assert.deepEqual(Object.keys(firing!).sort(), ['annotations', 'endsAt', 'fingerprint', 'generatorURL', 'labels', 'startsAt', 'status']);
  assert.equal(firing!.status, 'firing');
  assert.equal(firing!.fingerprint, '0123456789abcdef');
  assert.equal(firing!.startsAt, '2026-11-26T02:41:00.000Z');
  assert.equal(firing!.endsAt, ZERO_TIME);
  assert.equal(firing!.endsAt, '0001-01-01T00:00:00Z');
  assert.equal(firing!.generatorURL, sampleAlert().dashboardUrl);
  assert.deepEqual(firing!.labels, sampleAlert().labels);
  assert.equal(resolved!.status, 'resolved');
  assert.equal(resolved!.fingerprint, 'fedcba9876543210');
  assert.equal(resolved!.endsAt, '2026-11-26T02:46:00.000Z');
  assert.equal(alertmanagerWebhookPayload(twoAlerts()).receiver, 'checkout-errors', 'the rule by default');
  const truncated = alertmanagerWebhookPayload(twoAlerts(), undefined, 1);
  assert.equal(truncated.truncatedAlerts, 1);
  assert.equal(truncated.alerts.length, 1);
  const resolvedOnly = alertmanagerWebhookPayload(sampleNotification({ status: 'resolved', alerts: [sampleAlert({ status: 'resolved', endsAtMs: T0 + 60_000 })] }));
  assert.equal(resolvedOnly.status, 'resolved');
  assert.equal(resolvedOnly.alerts[0]!.endsAt, '2026-11-26T02:42:00.000Z');
});

test('postable alerts for a real Alertmanager carry an end only once resolved', () => {
  const [firing, resolved] = alertmanagerPostableAlerts(twoAlerts());
  assert.deepEqual(Object.keys(firing!).sort(), ['annotations', 'generatorURL', 'labels', 'startsAt']);
  assert.equal(resolved!.endsAt, '2026-11-26T02:46:00.000Z');
});

async function setup(t: TestContext) {
  const time = new SimulatedTime(T0);
  const control = await tempControl(t);
  const settled: string[] = [];
  const delivery = new OutboxDelivery({
    control, now: time.now, timers: time.timers, random: () => 0, pollIntervalMs: 5_000,
    notifiers: [createWebhookNotifier({ timeoutMs: 5_000, now: time.now }), createAlertmanagerNotifier({ timeoutMs: 5_000 })],
    onSettled: (channel, status) => settled.push(`${channel}:${status}`),
  });
  t.after(() => delivery.close());
  return { time, control, delivery, settled };
}

test('a webhook is posted with its headers; 503 with Retry-After is retried then, and delivered once', async (t) => {
  const { url, received } = await receiver(t, [{ status: 503, headers: { 'Retry-After': '30' }, body: 'busy' }]);
  const { time, control, delivery, settled } = await setup(t);
  const payload = alertmanagerWebhookPayload(twoAlerts());
  await enqueue(control, 'n1/webhook', 'webhook', { url: `${url}/hooks/SECRET-TOKEN?key=abc`, headers: { Authorization: 'Bearer s3cr3t' }, payload }, time.now());
  delivery.start();
  await delivery.idle();

  let m = await control.message('n1/webhook');
  assert.equal(m!.status, 'pending');
  assert.equal(m!.attempts, 1);
  assert.equal(m!.nextAttemptAtMs, T0 + 30_000, 'Retry-After, not the 1 s backoff');
  assert.match(m!.lastError!, /^POST http:\/\/127\.0\.0\.1:\d+ → 503 Service Unavailable: busy$/);
  assert.doesNotMatch(m!.lastError!, /SECRET|s3cr3t|key=abc/, 'no path, query or header values in errors');

  await time.advance(25_000);
  await delivery.idle();
  assert.equal(received.length, 1, 'not before Retry-After');
  await time.advance(5_000);
  await delivery.idle();
  assert.equal(received.length, 2);
  m = await control.message('n1/webhook');
  assert.equal(m!.status, 'sent');
  assert.equal(m!.attempts, 2);
  assert.equal(m!.lastError, null);
  assert.equal(m!.settledAtMs, T0 + 30_000);
  assert.deepEqual(settled, ['webhook:sent']);

  await time.advance(600_000);
  await delivery.idle();
  assert.equal(received.length, 2, 'delivered once');

  const req = received[1]!;
  assert.equal(req.method, 'POST');
  assert.equal(req.url, '/hooks/SECRET-TOKEN?key=abc');
  assert.equal(req.headers.authorization, 'Bearer s3cr3t');
  assert.equal(req.headers['content-type'], 'application/json');
  assert.equal(req.body.alerts[0].endsAt, '0001-01-01T00:00:00Z');
  assert.equal(req.body.alerts[1].endsAt, '2026-11-26T02:46:00.000Z');
  assert.equal(req.body.alerts[0].fingerprint, '0123456789abcdef');
  assert.deepEqual(req.body.commonLabels, { alertname: 'Checkout errors', service: 'checkout', severity: 'page' });
  assert.deepEqual(req.body, payload);
});

test('a 400 fails the message at once with the reason in the outbox', async (t) => {
  const { url, received } = await receiver(t, [{ status: 400, body: 'unknown field "alerts"' }]);
  const { time, control, delivery, settled } = await setup(t);
  await enqueue(control, 'n2/webhook', 'webhook', { url, payload: alertmanagerWebhookPayload(sampleNotification()) }, time.now());
  delivery.start();
  await delivery.idle();
  const m = await control.message('n2/webhook');
  assert.equal(m!.status, 'failed');
  assert.equal(m!.attempts, 1);
  assert.equal(m!.settledAtMs, T0);
  assert.match(m!.lastError!, /→ 400 Bad Request: unknown field "alerts"$/);
  assert.deepEqual(settled, ['webhook:failed']);
  await time.advance(3_600_000);
  await delivery.idle();
  assert.equal(received.length, 1, 'never retried');
});

test('an unreachable webhook is retryable; a malformed body fails without a request', async (t) => {
  const { url } = await receiver(t);
  const { time, control, delivery } = await setup(t);
  const port = await freePort();
  await enqueue(control, 'down', 'webhook', { url: `http://127.0.0.1:${port}/hook`, payload: {} }, time.now());
  await enqueue(control, 'bad-url', 'webhook', { url: 'file:///etc/passwd', payload: {} }, time.now());
  await enqueue(control, 'bad-header', 'webhook', { url, headers: { 'X-A': 'v\r\nX-B: 1' }, payload: {} }, time.now());
  await enqueue(control, 'not-an-object', 'webhook', 'hello', time.now());
  delivery.start();
  await delivery.idle();
  const down = await control.message('down');
  assert.equal(down!.status, 'pending');
  assert.match(down!.lastError!, new RegExp(`^POST http://127\\.0\\.0\\.1:${port} failed: ECONNREFUSED`));
  assert.equal((await control.message('bad-url'))!.lastError, 'malformed webhook body: "url" must be an absolute http(s) URL');
  assert.equal((await control.message('bad-header'))!.status, 'failed');
  assert.doesNotMatch((await control.message('bad-header'))!.lastError!, /X-B/, 'the header value is not echoed');
  assert.equal((await control.message('not-an-object'))!.status, 'failed');
});

test('alerts are pushed to Alertmanager at /api/v2/alerts under its path prefix', async (t) => {
  const { url, received } = await receiver(t);
  const { time, control, delivery } = await setup(t);
  const alerts = alertmanagerPostableAlerts(twoAlerts());
  await enqueue(control, 'n3/am', 'alertmanager', { url: `${url}/am/`, alerts }, time.now());
  delivery.start();
  await delivery.idle();
  assert.equal((await control.message('n3/am'))!.status, 'sent');
  assert.equal(received[0]!.url, '/am/api/v2/alerts');
  assert.deepEqual(received[0]!.body, alerts);
});

test('a webhook that never answers times out as retryable; a redirect is not followed', async (t) => {
  const hanging = createServer(() => undefined);
  await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => {
    hanging.closeAllConnections();
    hanging.close(() => resolve());
  }));
  const notifier = createWebhookNotifier({ timeoutMs: 300 });
  const slow = await notifier.deliver({ url: `http://127.0.0.1:${(hanging.address() as AddressInfo).port}/`, payload: {} });
  assert.deepEqual(slow, { outcome: 'retryable', error: `POST http://127.0.0.1:${(hanging.address() as AddressInfo).port} failed: timed out` });

  const { url, received } = await receiver(t, [{ status: 302, headers: { Location: 'http://elsewhere.example/' } }, { status: 429, headers: { 'Retry-After': 'Thu, 26 Nov 2026 03:00:00 GMT' } }]);
  const moved = await notifier.deliver({ url, headers: { Authorization: 'Bearer s3cr3t' }, payload: {} });
  assert.equal(moved.outcome, 'failed');
  assert.match((moved as { error: string }).error, /→ 302 Found: redirects are not followed/);
  const limited = await createWebhookNotifier({ now: () => Date.UTC(2026, 10, 26, 2, 59, 0) }).deliver({ url, payload: {} });
  assert.deepEqual(limited, { outcome: 'retryable', error: `POST ${url} → 429 Too Many Requests`, retryAfterMs: 60_000 });
  assert.equal(received.length, 2, 'the redirect target was never asked');
});
