// Checks running inside Telltale: the scheduler on simulated time follows the API and puts
// runs and start drift on /metrics; checks as code load as read-only, reload on change, and
// leave API checks alone.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startChecks } from '../../server/checks/start.ts';
import { startTelltale, type TestTelltale } from '../helpers/telltale.ts';
import { SimulatedTime } from '../helpers/simulated-time.ts';
import { json, startTarget } from '../synthetic/target-server.ts';

const quiet = { info() {}, warn() {}, error() {} };

async function api(telltale: TestTelltale, method: string, path: string, body?: unknown) {
  const response = await fetch(`${telltale.url}/api/v1${path}`, {
    method, headers: { authorization: `Bearer ${telltale.tokens.write}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

async function until(condition: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await condition()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  assert.fail(`timed out waiting for ${what}`);
}

async function tempDir(t: TestContext): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'telltale-checks-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

test('the scheduler follows the API, records runs through ingest, and reports drift on /metrics', async (t) => {
  const target = await startTarget(t, { '/ok': (_req, res) => json(res, 200, { ok: true }) });
  const telltale = await startTelltale(t);
  const time = new SimulatedTime(Date.now());
  const running = await startChecks(telltale.runtime, { log: quiet, now: time.now, timers: time.timers });
  t.after(() => running.close());

  const check = { id: 'every-minute', name: 'm', type: 'http', schedule: '1m', request: { url: `${target.url}/ok` } };
  assert.equal((await api(telltale, 'POST', '/checks', check)).status, 201);
  assert.equal(running.scheduler.size, 1, 'created through the API, scheduled at once');
  await time.advance(60_000);
  await until(() => running.scheduler.running === 0 && target.requests.length === 1, 'the scheduled run');
  await until(async () => (await api(telltale, 'GET', '/checks/every-minute/runs?from=now-1h')).body.runs.length === 1, 'the stored run');

  await api(telltale, 'PUT', '/checks/every-minute', { ...check, enabled: false });
  assert.equal(running.scheduler.size, 0, 'disabled through the API, unscheduled');
  await time.advance(10 * 60_000);
  assert.equal(target.requests.length, 1);

  const metrics = await (await fetch(`${telltale.url}/metrics`, { headers: { authorization: `Bearer ${telltale.tokens.read}` } })).text();
  assert.match(metrics, /^telltale_check_start_drift_seconds_count 1$/m);
  assert.match(metrics, /^telltale_check_start_drift_seconds_bucket\{le="0.005"\} 1$/m);
  assert.match(metrics, /^telltale_check_runs_total\{outcome="ok"\} 1$/m);
});

test('checks as code: loaded read-only, reloaded on change, API checks untouched, bad edits kept out', async (t) => {
  const dir = await tempDir(t);
  const checksDir = join(dir, 'checks');
  const configFile = join(dir, 'telltale.yaml');
  await writeFile(configFile, 'checks:\n  - { id: from-config, name: c, type: tcp, schedule: 1m, host: 127.0.0.1, port: 9 }\n');
  const { mkdir } = await import('node:fs/promises');
  await mkdir(checksDir);
  await writeFile(join(checksDir, 'api.yaml'), '- { id: from-file, name: f, type: tcp, schedule: 5m, host: 127.0.0.1, port: 9 }\n');
  const telltale = await startTelltale(t);
  assert.equal((await api(telltale, 'POST', '/checks', { id: 'from-api', name: 'a', type: 'tcp', schedule: '1m', host: '127.0.0.1', port: 9 })).status, 201);
  const errors: unknown[] = [];
  const log = { ...quiet, error: (details: object) => errors.push(details) };
  const running = await startChecks(telltale.runtime, { sources: { configFile, checksDir }, log, reloadIntervalMs: 3_600_000, timers: new SimulatedTime(0).timers });
  t.after(() => running.close());
  const ids = async () => (await api(telltale, 'GET', '/checks')).body.checks.map((c: any) => `${c.check.id}:${c.origin}:${c.readOnly}`);
  assert.deepEqual(await ids(), ['from-api:api:false', 'from-config:code:true', 'from-file:code:true']);
  assert.equal(running.scheduler.size, 3);

  const put = await api(telltale, 'PUT', '/checks/from-file', { id: 'from-file', name: 'f', type: 'tcp', schedule: '1m', host: '127.0.0.1', port: 9 });
  assert.deepEqual([put.status, put.body.code], [409, 'TELLTALE_ERR_CHECK_OWNED_BY_CODE']);
  assert.match(put.body.message, /defined in code/);
  assert.equal((await api(telltale, 'DELETE', '/checks/from-config')).status, 409);
  assert.equal((await api(telltale, 'POST', '/checks/from-config/run')).status, 200, 'running a code check is fine');

  // An edit, a new file taking over an API check's id, and a removed file.
  await writeFile(join(checksDir, 'api.yaml'), '- { id: from-file, name: renamed, type: tcp, schedule: 5m, host: 127.0.0.1, port: 9 }\n');
  await writeFile(join(checksDir, 'adopt.yml'), '- { id: from-api, name: now code, type: tcp, schedule: 1m, host: 127.0.0.1, port: 9 }\n');
  await writeFile(configFile, 'sources: []\n');
  await running.watcher!.poll();
  assert.deepEqual(await ids(), ['from-api:code:true', 'from-file:code:true']);
  assert.equal((await api(telltale, 'GET', '/checks/from-file')).body.check.name, 'renamed');
  assert.equal(running.scheduler.size, 2);

  // A broken edit is logged and changes nothing.
  await writeFile(join(checksDir, 'api.yaml'), '- { id: from-file, name: broken, type: tcp, schedule: never, host: 127.0.0.1 }\n');
  await running.watcher!.poll();
  assert.equal(errors.length, 1);
  assert.match(JSON.stringify(errors[0]), /api\.yaml:1 \/0\/schedule: not an interval/);
  assert.match(JSON.stringify(errors[0]), /api\.yaml:1 \/0\/port: is required/);
  assert.equal((await api(telltale, 'GET', '/checks/from-file')).body.check.name, 'renamed');
  await unlink(join(checksDir, 'api.yaml'));
  await running.watcher!.poll();
  assert.deepEqual(await ids(), ['from-api:code:true']);
});
