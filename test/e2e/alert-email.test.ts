// The whole alert path in the real process: traces with errors arrive over OTLP, a rule from
// the config file fires, the email reaches a real SMTP server once — and a SIGKILL and restart
// while the alert fires send nothing again. Then the errors stop and exactly one resolved
// email follows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTelltale, type Running } from '../helpers/process.ts';
import { jsonRequest, jsonSpan } from '../helpers/otlp-json.ts';
import { startSmtpCatcher } from '../alerts/notify/smtp-catcher.ts';
import { leaves, parseMime, decodeWords } from '../alerts/notify/mime.ts';

const TOKEN = 'alert-e2e-bootstrap-token-0123';

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function spans(n: number, failing: number, startMs: number): object[] {
  return Array.from({ length: n }, (_, i) => jsonSpan({
    startMs: startMs + i * 10,
    attributes: { 'http.request.method': 'POST', 'http.route': '/orders', 'http.response.status_code': i < failing ? 503 : 201 },
  }));
}

async function serve(env: Record<string, string>): Promise<{ run: Running; url: string }> {
  const run = runTelltale(['serve'], env);
  const [, url] = await run.waitFor(/Server listening at (http:\/\/127\.0\.0\.1:\d+)/);
  return { run, url: url! };
}

test('an alert email arrives once, survives a SIGKILL without a resend, and resolves once', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'telltale-alert-e2e-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const smtp = await startSmtpCatcher();
  t.after(() => smtp.close());
  await writeFile(join(dir, 'telltale.yaml'), `
alertRules:
  - id: orders-failing
    name: Orders failing
    kind: error_rate
    selector: { service: shop, route: /orders }
    threshold: 0.1
    minCalls: 5
    window: 5m
    groupWait: 0s
    groupInterval: 1s
    notify: [{ type: email, to: [oncall@example.com] }]
`);
  const env = {
    TELLTALE_DATA_DIR: join(dir, 'data'), TELLTALE_CONFIG: join(dir, 'telltale.yaml'), TELLTALE_PORT: '0', TELLTALE_OTLP_PORT: '0',
    TELLTALE_HOST: '127.0.0.1', TELLTALE_BOOTSTRAP_TOKEN: TOKEN, TELLTALE_ALERT_EVAL_INTERVAL: '1s',
    TELLTALE_SMTP_URL: `smtp://127.0.0.1:${smtp.port}`, TELLTALE_MAIL_FROM: 'Telltale <telltale@example.com>', TELLTALE_PUBLIC_URL: 'https://telltale.example.com',
  };
  const first = await serve(env);
  t.after(() => first.run.child.kill('SIGKILL'));
  const ingest = await fetch(`${first.url}/v1/traces`, {
    method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: jsonRequest('shop', spans(40, 20, Date.now() - 20_000)),
  });
  assert.equal(ingest.status, 200);

  const mail = await until('the firing email', async () => smtp.mails[0]).catch((err: unknown) => {
    throw new Error(`${(err as Error).message}\n${first.run.output()}`);
  });
  assert.deepEqual(mail.rcptTo, ['oncall@example.com']);
  const message = parseMime(mail.raw);
  assert.match(decodeWords(message.header('subject') ?? ''), /^\[FIRING 1\] shop: error rate 50% > 10%/);
  const parts = leaves(message);
  const text = parts.find((p) => p.contentType.startsWith('text/plain'))?.text ?? '';
  const html = parts.find((p) => p.contentType.startsWith('text/html'))?.text ?? '';
  assert.match(text, /high-error-rate|High error rate/i, 'the default runbook of the kind is named');
  assert.match(text, /https:\/\/telltale\.example\.com\/routes\?/, 'a deep link into the dashboard');
  assert.match(html, /<html/i);

  // Delivery is at-least-once: a kill between the SMTP answer and recording it may resend.
  // Once the outbox says sent, a kill must not: the state, the group and the log are stored.
  const auth = { authorization: `Bearer ${TOKEN}` };
  await until('the outbox to record the email as sent', async () => {
    const body = (await (await fetch(`${first.url}/api/v1/notifications?status=sent`, { headers: auth })).json()) as { notifications: unknown[] };
    return body.notifications.length === 1;
  });
  first.run.child.kill('SIGKILL');
  await first.run.exited;
  const second = await serve(env);
  t.after(() => second.run.child.kill('SIGKILL'));
  const firing = await until('the alert firing after the restart', async () => {
    const body = (await (await fetch(`${second.url}/api/v1/alerts?state=firing`, { headers: auth })).json()) as { alerts: Array<{ fingerprint: string; history: Array<{ event: string }> }> };
    return body.alerts[0];
  });
  // A few evaluations after the restart: still one email.
  await new Promise((r) => setTimeout(r, 3000));
  assert.equal(smtp.mails.length, 1, 'no resend after the restart');
  const notifications = (await (await fetch(`${second.url}/api/v1/notifications`, { headers: auth })).json()) as { notifications: Array<{ status: string }> };
  assert.deepEqual(notifications.notifications.map((n) => n.status), ['sent']);
  assert.ok(firing.history.some((h) => h.event === 'notified'));

  // Healthy traffic pushes the ratio under the threshold: one resolved email.
  const healthy = await fetch(`${second.url}/v1/traces`, {
    method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: jsonRequest('shop', spans(400, 0, Date.now() - 5_000)),
  });
  assert.equal(healthy.status, 200);
  const resolved = await until('the resolved email', async () => smtp.mails[1]);
  assert.match(decodeWords(parseMime(resolved.raw).header('subject') ?? ''), /^\[RESOLVED\]/);
  await new Promise((r) => setTimeout(r, 2000));
  assert.equal(smtp.mails.length, 2, 'exactly one resolved email');
  second.run.child.kill('SIGTERM');
  assert.equal(await second.run.exited, 0);
});
