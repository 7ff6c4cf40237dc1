// A webhook target's secret header through the real alerting wiring (startAlerting): the rule
// from the config file is stored sealed, the rendered outbox message keeps it sealed, and the
// receiver gets the header in the clear.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Registry } from 'prom-client';
import { randomBytes } from 'node:crypto';
import { startAlerting } from '../../server/alerts/start.ts';
import { syncCodeRules } from '../../server/alerts/verbs.ts';
import { SecretBox } from '../../server/secrets/secret-box.ts';
import { startTelltale } from '../helpers/telltale.ts';

const SECRET = 'Bearer hook-secret-5e7a91';

test('a webhook header secret is sealed in the rule and the outbox, and arrives in the clear', async (t) => {
  const received: IncomingHttpHeaders[] = [];
  const hook = createServer((req, res) => {
    received.push(req.headers);
    req.resume();
    req.on('end', () => res.end('ok'));
  });
  hook.listen(0, '127.0.0.1');
  await once(hook, 'listening');
  t.after(() => hook.close());
  const url = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`;

  const tt = await startTelltale(t);
  const now = Date.now();
  await tt.store.append({
    calls: Array.from({ length: 20 }, (_, i) => ({
      id: `w${i}`, timeUnixMs: now - 30_000 + i, service: 'pay', method: 'POST', route: '/charge', statusCode: 500,
      durationMs: 5, source: 'trace' as const, traceId: null, spanId: null, consumer: null, error: true,
    })),
    spans: [],
  });
  const rule = {
    id: 'pay-errors', name: 'Payment errors', kind: 'error_rate', selector: { service: 'pay' }, threshold: 0.5, window: '5m',
    for: '0s', groupWait: '0s', notify: [{ type: 'webhook', url, headers: { Authorization: SECRET, 'X-Team': 'payments' } }],
  };
  const alerting = await startAlerting({
    store: tt.store, control: tt.control, runbooks: tt.runtime.runbooks, secrets: tt.runtime.checks.secrets,
    config: { publicUrl: 'http://localhost', alertEvalIntervalMs: 200, smtpUrl: '', mailFrom: 'telltale@localhost' },
    codeRules: [rule], registry: new Registry(), log: { info: () => undefined, warn: () => undefined, error: () => undefined },
  });
  t.after(() => alerting.close());

  for (let i = 0; i < 100 && received.length === 0; i++) await new Promise((r) => setTimeout(r, 100));
  assert.equal(received.length, 1);
  assert.equal(received[0]!.authorization, SECRET);
  assert.equal(received[0]!['x-team'], 'payments');

  const stored = JSON.stringify((await tt.control.document('alert-rule', 'pay-errors'))?.body);
  assert.ok(!stored.includes('hook-secret-5e7a91') && stored.includes('enc:v1:'), 'the rule is stored sealed');
  const [message] = await tt.control.messages({ limit: 10 });
  const body = JSON.stringify(message?.body);
  assert.ok(body.includes('payments') && !body.includes('hook-secret-5e7a91'), 'the outbox holds the secret sealed');
});

test('config-file rules: synced again unchanged, sealed when an older store kept them in the clear, re-sealed after a key change', async (t) => {
  const tt = await startTelltale(t);
  const rule = {
    id: 'hooked', name: 'Hooked', kind: 'error_rate', selector: { service: 'pay' }, threshold: 0.5, window: '5m',
    notify: [{ type: 'webhook', url: 'http://127.0.0.1:9/hook', headers: { Authorization: SECRET } }],
  };
  const stored = async () => (await tt.control.document('alert-rule', 'hooked'))?.body as { rule: typeof rule; updatedAtMs: number };
  let clock = 1_000;
  const ctx = { control: tt.control, runbooks: tt.runtime.runbooks, now: () => clock, secrets: tt.runtime.checks.secrets };
  await syncCodeRules(ctx, [rule]);
  const first = await stored();
  assert.match(first.rule.notify[0]!.headers.Authorization, /^enc:v1:/);
  clock = 2_000;
  await syncCodeRules(ctx, [rule]);
  assert.deepEqual(await stored(), first, 'an unchanged rule is left as it was');

  // As a store written before secrets were sealed holds it.
  await tt.control.commit({ put: [{ kind: 'alert-rule', id: 'hooked', body: { ...first, rule }, updatedAtMs: 1_000 }] });
  await syncCodeRules(ctx, [rule]);
  assert.match((await stored()).rule.notify[0]!.headers.Authorization, /^enc:v1:/);

  // Another key: the stored value no longer opens; the file's value is sealed again, start goes on.
  await syncCodeRules({ ...ctx, secrets: new SecretBox({ key: randomBytes(32).toString('base64') }) }, [rule]);
  assert.match((await stored()).rule.notify[0]!.headers.Authorization, /^enc:v1:/);
});
