// Secrets never reach the logs or the database in the clear, in the real process at log level
// `trace`: the bootstrap token, a token created over the API, a wrong token a client sent, the
// SMTP password (with the mail server down, so delivery errors are logged), and a check's secret
// header (with its target down, so run errors are logged), and an alert webhook's secret header
// (its receiver down too). API tokens are stored hashed, check and webhook secrets encrypted, so
// none appears in the SQLite file either.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTelltale } from '../helpers/process.ts';
import { jsonRequest, jsonSpan } from '../helpers/otlp-json.ts';
import { freePort } from '../helpers/ports.ts';

const BOOTSTRAP = 'bootstrap-secret-7f3a9c1e5b2d';
const SMTP_PASSWORD = 'smtp-secret-4e8b2a6c';
const CHECK_SECRET = 'Bearer check-secret-9d1f3b7a';
const WRONG_TOKEN = 'tt_client-sent-wrong-secret-2c6e';
const WEBHOOK_SECRET = 'webhook-secret-8a2d4f6b';

async function until(what: string, probe: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('secrets stay out of logs at trace level and out of the database file', { timeout: 60_000 }, async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'telltale-secrets-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const down = await freePort();
  await writeFile(join(dir, 'telltale.yaml'), `
checks:
  - id: secret-check
    name: Secret check
    type: http
    schedule: 10s
    request: { url: 'http://127.0.0.1:${down}/health', headers: { authorization: '${CHECK_SECRET}' } }
    assertions: [{ kind: status, equals: 200 }]
alertRules:
  - id: failing
    name: Failing
    kind: error_rate
    selector: { service: leaky }
    threshold: 0.1
    minCalls: 1
    window: 5m
    groupWait: 0s
    groupInterval: 1s
    notify: [{ type: email, to: [oncall@example.com] }, { type: webhook, url: 'http://127.0.0.1:${down}/hook', headers: { authorization: 'Bearer ${WEBHOOK_SECRET}' } }]
`);
  const run = runTelltale(['serve'], {
    TELLTALE_DATA_DIR: join(dir, 'data'), TELLTALE_CONFIG: join(dir, 'telltale.yaml'), TELLTALE_PORT: '0', TELLTALE_OTLP_PORT: '0',
    TELLTALE_HOST: '127.0.0.1', TELLTALE_BOOTSTRAP_TOKEN: BOOTSTRAP, TELLTALE_LOG_LEVEL: 'trace', TELLTALE_ALERT_EVAL_INTERVAL: '1s',
    TELLTALE_SMTP_URL: `smtp://oncall:${SMTP_PASSWORD}@127.0.0.1:${down}`,
  });
  t.after(() => run.child.kill('SIGKILL'));
  const [, url] = await run.waitFor(/Server listening at (http:\/\/127\.0\.0\.1:\d+)/);
  const auth = { authorization: `Bearer ${BOOTSTRAP}` };

  const created = await fetch(`${url}/api/v1/tokens`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'ci', scope: 'ingest' }) });
  assert.equal(created.status, 201);
  const apiToken = (await created.json() as { token: string }).token;
  assert.equal((await fetch(`${url}/api/v1/routes`, { headers: { authorization: `Bearer ${WRONG_TOKEN}` } })).status, 401);
  const ingest = await fetch(`${url}/v1/traces`, {
    method: 'POST', headers: { authorization: `Bearer ${apiToken}`, 'content-type': 'application/json' },
    body: jsonRequest('leaky', [jsonSpan({ attributes: { 'http.request.method': 'GET', 'http.route': '/x', 'http.response.status_code': 500 } })]),
  });
  assert.equal(ingest.status, 200);
  const ran = await fetch(`${url}/api/v1/checks/secret-check/run`, { method: 'POST', headers: auth });
  assert.equal(ran.status, 200);
  assert.equal((await ran.json() as { ok: boolean }).ok, false);
  // Wait until the alert fired and its email failed against the dead mail server (a logged error).
  await until('a failed delivery in the log', async () => /notification not delivered|outbox delivery failed/.test(run.output()));

  run.child.kill('SIGTERM');
  await run.exited;
  const output = run.output();
  assert.match(output, /ECONNREFUSED/, 'the failed delivery was logged, so there was an error to leak into');
  for (const [name, secret] of [['bootstrap token', BOOTSTRAP], ['created token', apiToken], ['wrong token', WRONG_TOKEN], ['SMTP password', SMTP_PASSWORD], ['check secret', CHECK_SECRET.slice('Bearer '.length)], ['webhook secret', WEBHOOK_SECRET]] as const) {
    assert.ok(!output.includes(secret), `${name} appears in the log:\n${output.split('\n').filter((l) => l.includes(secret)).slice(0, 3).join('\n')}`);
  }
  const files = (await readdir(join(dir, 'data'))).filter((f) => f.startsWith('telltale.db'));
  const contents = await Promise.all(files.map((f) => readFile(join(dir, 'data', f))));
  // The search works: the check's own (non-secret) URL is stored in the clear.
  assert.ok(contents.some((bytes) => bytes.indexOf(`127.0.0.1:${down}/health`) !== -1), 'the check definition is in the database');
  for (const [i, file] of files.entries()) {
    const bytes = contents[i]!;
    for (const [name, secret] of [['created token', apiToken], ['check secret', CHECK_SECRET.slice('Bearer '.length)], ['SMTP password', SMTP_PASSWORD], ['bootstrap token', BOOTSTRAP], ['webhook secret', WEBHOOK_SECRET]] as const) {
      assert.equal(bytes.indexOf(secret), -1, `${name} is stored in the clear in ${file}`);
    }
  }
});
