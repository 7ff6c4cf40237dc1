// The real process: first start prints an admin token once, bad config stops start with one
// line, SIGTERM drains and exits 0, data survives a restart, and the token CLI works.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTelltale } from '../helpers/process.ts';
import { jsonRequest, jsonSpan } from '../helpers/otlp-json.ts';

async function tempDir(t: TestContext) {
  const dir = await mkdtemp(join(tmpdir(), 'telltale-main-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

test('first start prints an admin token once; SIGTERM exits cleanly; data survives a restart', async (t) => {
  const dir = await tempDir(t);
  const env = { TELLTALE_DATA_DIR: dir, TELLTALE_PORT: '0', TELLTALE_OTLP_PORT: '0', TELLTALE_HOST: '127.0.0.1' };
  const first = runTelltale(['serve'], env);
  t.after(() => first.child.kill('SIGKILL'));
  const [, token] = await first.waitFor(/\n {2}(tt_[\w-]+)\n/);
  const [, url] = await first.waitFor(/Server listening at (http:\/\/127\.0\.0\.1:\d+)/);
  assert.equal((await fetch(`${url}/readyz`)).status, 200);
  const ingest = await fetch(`${url}/v1/traces`, {
    method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: jsonRequest('persisted', [jsonSpan(), jsonSpan()]),
  });
  assert.equal(ingest.status, 200);
  first.child.kill('SIGTERM');
  assert.equal(await first.exited, 0);

  const second = runTelltale(['serve'], env);
  t.after(() => second.child.kill('SIGKILL'));
  const [, url2] = await second.waitFor(/Server listening at (http:\/\/127\.0\.0\.1:\d+)/);
  assert.ok(!/tt_[\w-]{20,}/.test(second.output()), 'no new token on the second start');
  const services = await fetch(`${url2}/api/v1/services?from=now-1h`, { headers: { authorization: `Bearer ${token}` } });
  const body = (await services.json()) as { services: Array<{ service: string; calls: number }> };
  assert.equal(body.services.find((s) => s.service === 'persisted')?.calls, 2);
  second.child.kill('SIGTERM');
  assert.equal(await second.exited, 0);
});

test('a bad setting stops start with one line naming it', async (t) => {
  const dir = await tempDir(t);
  const run = runTelltale(['serve'], { TELLTALE_DATA_DIR: dir, TELLTALE_PORT: 'eighty' });
  assert.equal(await run.exited, 1);
  assert.match(run.output().trim(), /^telltale: TELLTALE_PORT="eighty" is invalid/);
});

test('`token create` prints a token the server accepts with its scope', async (t) => {
  const dir = await tempDir(t);
  const env = { TELLTALE_DATA_DIR: dir, TELLTALE_PORT: '0', TELLTALE_OTLP_PORT: '0', TELLTALE_HOST: '127.0.0.1', TELLTALE_BOOTSTRAP_TOKEN: 'bootstrap-token-for-this-test' };
  const create = runTelltale(['token', 'create', '--scope', 'ingest', '--name', 'my-api'], env);
  assert.equal(await create.exited, 0);
  const token = create.output().trim().split('\n').pop()!;
  assert.match(token, /^tt_/);
  const server = runTelltale(['serve'], env);
  t.after(() => server.child.kill('SIGKILL'));
  const [, url] = await server.waitFor(/Server listening at (http:\/\/127\.0\.0\.1:\d+)/);
  assert.ok(!server.output().includes('created an admin token'), 'a bootstrap token means no generated admin token');
  const auth = { authorization: `Bearer ${token}` };
  assert.equal((await fetch(`${url}/api/v1/services`, { headers: auth })).status, 403);
  const ingest = await fetch(`${url}/v1/traces`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: '{}' });
  assert.equal(ingest.status, 200);
  server.child.kill('SIGTERM');
  assert.equal(await server.exited, 0);
});

test('sources in the config file are tailed (paths relative to the file); a bad one stops start', async (t) => {
  const dir = await tempDir(t);
  const { nginxTimedLines } = await import('../helpers/nginx-lines.ts');
  const { writeFile, appendFile } = await import('node:fs/promises');
  const lines = nginxTimedLines(300, Math.floor((Date.now() - 10 * 60_000) / 1000) * 1000);
  await writeFile(join(dir, 'access.log'), lines.slice(0, 200).map((l) => `${l.line}\n`).join(''));
  await writeFile(join(dir, 'telltale.yaml'), 'sources:\n  - path: access.log\n    format: nginx-timed\n    service: edge\n');
  const token = 'bootstrap-token-for-tail-test';
  const env = { TELLTALE_DATA_DIR: join(dir, 'data'), TELLTALE_PORT: '0', TELLTALE_OTLP_PORT: '0', TELLTALE_HOST: '127.0.0.1', TELLTALE_BOOTSTRAP_TOKEN: token, TELLTALE_CONFIG: join(dir, 'telltale.yaml') };
  const server = runTelltale(['serve'], env);
  t.after(() => server.child.kill('SIGKILL'));
  const [, url] = await server.waitFor(/Server listening at (http:\/\/127\.0\.0\.1:\d+)/);
  await appendFile(join(dir, 'access.log'), lines.slice(200).map((l) => `${l.line}\n`).join(''));
  let calls = 0;
  for (let i = 0; i < 100 && calls < 300; i++) {
    const response = await fetch(`${url}/api/v1/services?from=now-1h`, { headers: { authorization: `Bearer ${token}` } });
    calls = ((await response.json()) as { services: Array<{ service: string; calls: number }> }).services.find((s) => s.service === 'edge')?.calls ?? 0;
    if (calls < 300) await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(calls, 300);
  server.child.kill('SIGTERM');
  assert.equal(await server.exited, 0);

  await writeFile(join(dir, 'bad.yaml'), 'sources:\n  - path: access.log\n    format: apache\n');
  const bad = runTelltale(['serve'], { ...env, TELLTALE_CONFIG: join(dir, 'bad.yaml') });
  assert.equal(await bad.exited, 1);
  assert.match(bad.output(), /access\.log.*unknown format "apache"/);
});

test('TELLTALE_ROLES=ingest: ingest and health only, no API, no checks, rules or reports', async (t) => {
  const dir = await tempDir(t);
  const { writeFile } = await import('node:fs/promises');
  // A config whose control parts would fail loudly if an ingest instance tried to start them.
  await writeFile(join(dir, 'telltale.yaml'), 'alertRules:\n  - { id: r, name: R, kind: no_data, selector: { service: x }, window: 5m, runbook: no-such-runbook }\n');
  const token = 'bootstrap-token-for-roles-test';
  const env = {
    TELLTALE_DATA_DIR: join(dir, 'data'), TELLTALE_PORT: '0', TELLTALE_OTLP_PORT: '0', TELLTALE_HOST: '127.0.0.1',
    TELLTALE_BOOTSTRAP_TOKEN: token, TELLTALE_CONFIG: join(dir, 'telltale.yaml'), TELLTALE_ROLES: 'ingest',
  };
  const server = runTelltale(['serve'], env);
  t.after(() => server.child.kill('SIGKILL'));
  const [, url] = await server.waitFor(/Server listening at (http:\/\/127\.0\.0\.1:\d+)/);
  const auth = { authorization: `Bearer ${token}` };
  const ingest = await fetch(`${url}/v1/traces`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: jsonRequest('edge', [jsonSpan()]) });
  assert.equal(ingest.status, 200);
  assert.equal((await fetch(`${url}/api/v1/services`, { headers: auth })).status, 404);
  assert.equal((await fetch(`${url}/readyz`)).status, 200);
  server.child.kill('SIGTERM');
  assert.equal(await server.exited, 0);

  // The same config with every role: the rule's unknown runbook stops start, naming it.
  const all = runTelltale(['serve'], { ...env, TELLTALE_ROLES: 'all' });
  assert.equal(await all.exited, 1);
  assert.match(all.output(), /no runbook with id "no-such-runbook"/);
});
