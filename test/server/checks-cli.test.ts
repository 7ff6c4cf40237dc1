// `telltale checks …` as a user runs it, against a real Telltale process: validate reports
// every problem with its file and line, a bad check file stops start, and plan/apply/export
// round-trip a repository's checks (secrets included) through the API.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTelltale } from '../helpers/process.ts';

async function tempDir(t: TestContext): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'telltale-checks-cli-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; output: string }> {
  const run = runTelltale(['checks', ...args], { TELLTALE_LOG_LEVEL: 'warn', ...env });
  const code = await run.exited;
  return { code, output: run.output() };
}

const tcp = (id: string, port = 9) => `  - { id: ${id}, name: ${id}, type: tcp, schedule: 1h, host: 127.0.0.1, port: ${port} }\n`;

test('validate: every problem in every file, with file and line; a bad check file stops start', async (t) => {
  const dir = await tempDir(t);
  const good = join(dir, 'good.yaml');
  const bad = join(dir, 'checks', 'bad.yaml');
  await mkdir(join(dir, 'checks'));
  await writeFile(good, `checks:\n${tcp('a')}${tcp('b')}`);
  await writeFile(bad, 'checks:\n  - id: a\n    name: dup\n    type: tcp\n    schedule: 1m\n    host: 127.0.0.1\n    port: 9\n  - id: c\n    type: http\n    schedule: 2s\n    request: { url: "gopher://x" }\n');
  const ok = await cli(['validate', good]);
  assert.deepEqual([ok.code, ok.output.trim()], [0, '2 checks valid']);
  const failed = await cli(['validate', good, join(dir, 'checks')]);
  assert.equal(failed.code, 1);
  for (const line of [/bad\.yaml:2 \/checks\/0\/id: id "a" is already defined at .*good\.yaml:2/, /bad\.yaml:8 \/checks\/1\/name: is required/, /bad\.yaml:10 \/checks\/1\/schedule: interval must be between 10s and 24h/]) {
    assert.match(failed.output, line);
  }
  assert.match(failed.output, /telltale: 3 problems; nothing was changed/);

  const serve = runTelltale(['serve'], { TELLTALE_DATA_DIR: join(dir, 'data'), TELLTALE_PORT: '0', TELLTALE_OTLP_PORT: '0', TELLTALE_HOST: '127.0.0.1', TELLTALE_BOOTSTRAP_TOKEN: 'bootstrap-token-for-bad-checks', TELLTALE_CHECKS_DIR: join(dir, 'checks') });
  t.after(() => serve.child.kill('SIGKILL'));
  assert.equal(await serve.exited, 1);
  assert.match(serve.output(), /telltale: invalid checks:\n {2}.*checks\/bad\.yaml:8 \/checks\/1\/name: is required/);
});

test('plan, apply and export round-trip checks as code through a running Telltale', async (t) => {
  const dir = await tempDir(t);
  const token = 'bootstrap-token-for-checks-cli';
  await mkdir(join(dir, 'none'));
  const server = runTelltale(['serve'], {
    TELLTALE_DATA_DIR: join(dir, 'data'), TELLTALE_PORT: '0', TELLTALE_OTLP_PORT: '0', TELLTALE_HOST: '127.0.0.1',
    TELLTALE_BOOTSTRAP_TOKEN: token, TELLTALE_CHECKS_DIR: join(dir, 'none'),
  });
  t.after(() => server.child.kill('SIGKILL'));
  const [, url] = await server.waitFor(/Server listening at (http:\/\/127\.0\.0\.1:\d+)/);
  const remote = { TELLTALE_URL: url!, TELLTALE_TOKEN: token };
  const made = await fetch(`${url}/api/v1/checks`, {
    method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ id: 'ui-made', name: 'made in the UI', type: 'tcp', schedule: '1h', host: '127.0.0.1', port: 9 }),
  });
  assert.equal(made.status, 201);

  const file = join(dir, 'checks.yaml');
  const home = (secret: string) => `  - id: home\n    name: Home\n    type: http\n    schedule: 1h\n    request:\n      url: http://127.0.0.1:9/\n      headers: { authorization: "Bearer ${secret}" }\n`;
  await writeFile(file, `checks:\n${home('first-secret-1234')}${tcp('db')}`);
  const plan = await cli(['plan', file], remote);
  assert.equal(plan.code, 0, plan.output);
  assert.match(plan.output, /\+ create {2}home\n\+ create {2}db\n2 to create, 0 to change, 0 to delete, 0 unchanged\n1 check in Telltale not in these files kept \(--prune deletes them\): ui-made/);
  assert.match((await cli(['apply', file], remote)).output, /2 created, 0 changed, 0 deleted, 0 unchanged/);
  assert.match((await cli(['plan', file], remote)).output, /0 to create, 0 to change, 0 to delete, 2 unchanged/);

  // A rotated secret with the same last four characters looks the same masked; plan still sees it.
  await writeFile(file, `checks:\n${home('other-secret-1234')}${tcp('db', 10)}`);
  const changed = await cli(['plan', file], remote);
  assert.match(changed.output, /~ change {2}home\n~ change {2}db\n0 to create, 2 to change/);
  assert.match((await cli(['apply', file], remote)).output, /0 created, 2 changed/);

  const exported = await cli(['export'], remote);
  assert.equal(exported.code, 0);
  assert.match(exported.output, /^# Checks exported from/);
  assert.match(exported.output, /authorization: Bearer ••••1234|authorization: "?••••1234"?/);
  assert.ok(!exported.output.includes('other-secret'), 'the export never holds a secret');
  const exportFile = join(dir, 'export.yaml');
  await writeFile(exportFile, exported.output);
  assert.match((await cli(['apply', exportFile], remote)).output, /0 created, 0 changed, 0 deleted, 3 unchanged/, 'masks keep the stored secret');

  const pruned = await cli(['apply', '--prune', file], remote);
  assert.match(pruned.output, /- deleted {2}ui-made\n0 created, 0 changed, 1 deleted, 2 unchanged/);
  const list = await (await fetch(`${url}/api/v1/checks`, { headers: { authorization: `Bearer ${token}` } })).json() as { checks: Array<{ check: { id: string } }> };
  assert.deepEqual(list.checks.map((c) => c.check.id), ['db', 'home']);

  const refused = await cli(['apply', file], { ...remote, TELLTALE_TOKEN: 'wrong-token-0000000000' });
  assert.equal(refused.code, 1);
  assert.match(refused.output, /401/);
  server.child.kill('SIGTERM');
  assert.equal(await server.exited, 0);
});
