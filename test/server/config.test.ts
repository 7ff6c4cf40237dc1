import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, configTable, loadConfig } from '../../server/config.ts';

test('defaults need no environment', () => {
  const config = loadConfig({}, '/srv/telltale');
  assert.equal(config.port, 8080);
  assert.equal(config.otlpPort, 4318);
  assert.equal(config.dataDir, '/srv/telltale/data');
  assert.equal(config.store, 'sqlite');
  assert.equal(config.publicUrl, 'http://localhost:8080');
  assert.equal(config.bootstrapToken, null);
  assert.equal(config.maxBodyBytes, 20 * 1024 * 1024);
  assert.deepEqual(config.file, {});
});

test('values are converted and checked; a bad one names its variable', () => {
  const config = loadConfig({ TELLTALE_PORT: '9090', TELLTALE_OTLP_PORT: '0', TELLTALE_RETENTION_DAYS: '2.5', TELLTALE_PUBLIC_URL: 'https://tt.example.com/' }, '/');
  assert.equal(config.port, 9090);
  assert.equal(config.otlpPort, 0);
  assert.equal(config.retentionDays, 2.5);
  assert.equal(config.publicUrl, 'https://tt.example.com');
  for (const [name, value] of [['TELLTALE_PORT', 'eighty'], ['TELLTALE_PORT', '70000'], ['TELLTALE_STORE', 'postgres'], ['TELLTALE_BOOTSTRAP_TOKEN', 'short'], ['TELLTALE_PUBLIC_URL', 'ftp://x']]) {
    assert.throws(() => loadConfig({ [name!]: value }, '/'), (err: Error) => err instanceof ConfigError && err.message.startsWith(`${name}=`), `${name}=${value}`);
  }
  assert.equal(loadConfig({ TELLTALE_STORE: 'clickhouse' }, '/').clickhouse.database, 'telltale');
  assert.deepEqual([...loadConfig({ TELLTALE_ROLES: 'ingest' }, '/').roles], ['ingest']);
  assert.equal(loadConfig({ TELLTALE_ROLES: 'all' }, '/').roles.size, 5);
  assert.throws(() => loadConfig({ TELLTALE_ROLES: 'ingest,bogus' }, '/'), /TELLTALE_ROLES/);
  assert.equal(loadConfig({ TELLTALE_ALERT_EVAL_INTERVAL: '1m' }, '/').alertEvalIntervalMs, 60_000);
  assert.throws(() => loadConfig({ TELLTALE_ALERT_EVAL_INTERVAL: '10ms' }, '/'), /between 1s and 1h/);
  assert.throws(() => loadConfig({ TELLTALE_SMTP_URL: 'ftp://u:hunter2@x' }, '/'), (e: Error) => !e.message.includes('hunter2'));
});

test('the config file is read when present and checked', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'telltale-config-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await writeFile(join(dir, 'telltale.yaml'), 'checks: []\nslos: []\n');
  assert.deepEqual(loadConfig({}, dir).file, { checks: [], slos: [] });
  await writeFile(join(dir, 'bad.yaml'), 'chekcs: []\n');
  assert.throws(() => loadConfig({ TELLTALE_CONFIG: 'bad.yaml' }, dir), /bad\.yaml.*(additional|Unexpected)/i);
  await writeFile(join(dir, 'broken.yaml'), 'checks: [\n');
  assert.throws(() => loadConfig({ TELLTALE_CONFIG: 'broken.yaml' }, dir), /not valid YAML/);
  assert.throws(() => loadConfig({ TELLTALE_CONFIG: 'missing.yaml' }, dir), /cannot read/);
});

test('the README table lists every variable', () => {
  const table = configTable();
  for (const name of ['TELLTALE_PORT', 'TELLTALE_OTLP_PORT', 'TELLTALE_DATA_DIR', 'TELLTALE_STORE', 'TELLTALE_PUBLIC_URL', 'TELLTALE_BOOTSTRAP_TOKEN', 'TELLTALE_RETENTION_DAYS', 'TELLTALE_CONFIG']) {
    assert.ok(table.includes(`\`${name}\``), name);
  }
});

test('telltale.example.yaml loads, and its log formats compile', async () => {
  const { LogFormats } = await import('../../collector/log-formats.ts');
  const config = loadConfig({ TELLTALE_CONFIG: 'telltale.example.yaml' }, new URL('../../', import.meta.url).pathname);
  const formats = new LogFormats(config.file.logFormats);
  assert.ok(formats.names().includes('edge-nginx'));
  const parsed = formats.create('edge-nginx').parseLine('203.0.113.5 [2026-11-26T10:00:00+00:00] "GET /a/1 HTTP/1.1" 200 12 0.250 "key-7"');
  assert.ok(parsed.ok, JSON.stringify(parsed));
  assert.equal(parsed.ok && parsed.call.consumer, 'key-7');
  assert.equal(config.file.sources?.[0]?.format, 'nginx-timed');
  const { validateChecks } = await import('../../synthetic/index.ts');
  const checks = validateChecks(config.file.checks ?? []);
  assert.deepEqual(checks.diagnostics, []);
  assert.equal(checks.checks.length, 3);
});
