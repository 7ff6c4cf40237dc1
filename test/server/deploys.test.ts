// Deploys: told through the API by a CI pipeline, or seen in traces as a new service.version,
// recorded once (also across a restart), and named in the alert that follows them.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import type { SpanRecord } from '../../store/index.ts';
import { DeployDetector } from '../../server/deploys/detector.ts';
import { deploysOf } from '../../alerts/deploys.ts';
import { evaluateAlerts } from '../../alerts/evaluator.ts';
import type { Notification } from '../../alerts/notification.ts';
import { startTelltale } from '../helpers/telltale.ts';
import { tempStores } from '../helpers/stores.ts';

const T0 = Date.UTC(2026, 5, 1, 8, 0, 0);

function span(service: string, version: string | null, startMs: number, id: string): SpanRecord {
  const startNs = BigInt(startMs) * 1_000_000n;
  return {
    traceId: id.padStart(32, '0'), spanId: id.padStart(16, '0'), parentSpanId: null, service, name: 'GET /', kind: 2,
    startTimeUnixNano: startNs.toString(), endTimeUnixNano: (startNs + 5_000_000n).toString(), durationMs: 5, statusCode: 0, statusMessage: '',
    attributes: {}, resource: { 'service.name': service, ...(version === null ? {} : { 'service.version': version }) }, events: [],
  };
}

const stores = (t: TestContext) => tempStores(t, 'inline');

test('a new service.version in committed spans is a deploy, recorded once, also after a restart', async (t) => {
  const { store, control } = await stores(t);
  const errors: unknown[] = [];
  const detector = await DeployDetector.open(control, (err) => errors.push(err));
  const observed = detector.wrap(store);
  await observed.append({ calls: [], spans: [span('shop', '1.0', T0 + 500, 'a1'), span('shop', '1.0', T0, 'a2'), span('cart', null, T0, 'a3')] });
  await observed.append({ calls: [], spans: [span('shop', '1.0', T0 + 60_000, 'a4')] });
  await observed.append({ calls: [], spans: [span('shop', '1.1', T0 + 120_000, 'a5')] });
  await new Promise((r) => setImmediate(r));
  const recorded = await deploysOf(control, 'shop', 0, T0 + 3_600_000);
  assert.deepEqual(recorded.map((d) => [d.version, d.timeMs, d.source]), [['1.0', T0, 'traces'], ['1.1', T0 + 120_000, 'traces']]);
  assert.deepEqual(await deploysOf(control, 'cart', 0, T0 + 3_600_000), [], 'no version, no deploy');
  assert.equal((await observed.aggregate({ fromMs: 0, toMs: T0 + 3_600_000, filter: {}, groupBy: [] })).length, 0, 'other store methods still work through the wrapper');

  const afterRestart = (await DeployDetector.open(control, (err) => errors.push(err))).wrap(store);
  await afterRestart.append({ calls: [], spans: [span('shop', '1.1', T0 + 180_000, 'a6')] });
  await new Promise((r) => setImmediate(r));
  assert.equal((await deploysOf(control, 'shop', 0, T0 + 3_600_000)).length, 2, 'a restart does not record the current version again');
  assert.deepEqual(errors, []);
});

test('the deploys API: a CI token records, a read token lists; an alert after a deploy names it', async (t) => {
  const now = { ms: T0 + 10 * 60_000 };
  const tt = await startTelltale(t, { now: () => now.ms });
  const post = (body: unknown, token = tt.tokens.ingest) => fetch(`${tt.url}/api/v1/deploys`, {
    method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body),
  });
  const created = await post({ service: 'checkout', version: 'v42', at: new Date(T0).toISOString(), environment: 'prod' });
  assert.equal(created.status, 201);
  assert.deepEqual(await created.json(), { service: 'checkout', version: 'v42', at: new Date(T0).toISOString(), source: 'api', environment: 'prod' });
  assert.equal((await post({ service: 'other', version: 'v1' })).status, 201);
  assert.equal((await post({ service: 'x\r\nBcc: y', version: '1' })).status, 400, 'one line only: a service name can reach an email');
  assert.equal((await post({ service: 'x', version: '1', at: 'yesterday' })).status, 400);
  assert.equal((await post({ service: 'x', version: '1' }, tt.tokens.read)).status, 403);
  const listed = await tt.get('/api/v1/deploys?service=checkout&from=now-1h');
  assert.deepEqual(listed.body.deploys.map((d: { version: string }) => d.version), ['v42']);
  assert.equal((await tt.get('/api/v1/deploys')).body.deploys.length, 2);

  await tt.control.commit({
    put: [{
      kind: 'alert-rule', id: 'errs', updatedAtMs: T0,
      body: { origin: 'api', createdAtMs: T0, updatedAtMs: T0, rule: { id: 'errs', name: 'Errors', kind: 'error_rate', selector: { service: 'checkout' }, threshold: 0.1, window: '5m', groupWait: '0s', notify: [{ type: 'email', to: ['a@example.com'] }] } },
    }],
  });
  await tt.store.append({
    calls: Array.from({ length: 20 }, (_, i) => ({
      id: `c${i}`, timeUnixMs: now.ms - 60_000 + i, service: 'checkout', method: 'GET', route: '/', statusCode: 500, durationMs: 3,
      source: 'trace' as const, traceId: null, spanId: null, consumer: null, error: true,
    })),
    spans: [],
  });
  await evaluateAlerts({ store: tt.store, control: tt.control, runbooks: tt.runtime.runbooks, publicUrl: 'http://x', render: (n) => ({ channel: 'email', body: n }) }, now.ms);
  const [message] = await tt.control.messages({ limit: 1 });
  const n = message?.body as Notification;
  assert.deepEqual(n.alerts[0]?.deploys, [{ timeMs: T0, service: 'checkout', version: 'v42' }], 'the deploy ten minutes before is named; the other service is not');
});
