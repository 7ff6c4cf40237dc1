// The scaled-out stack in docker-compose.yml, validated by Debian's `docker-compose config`
// (no Docker engine runs here) and checked for what makes it work: healthchecks everywhere,
// start order on health, the roles, one ClickHouse for all instances, the gateway's log format
// matching what Telltale parses, and a slim non-root image carrying every source folder.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parse as parseYaml } from 'yaml';
import { NGINX_TIMED_FORMAT } from '../../collector/gateway/formats.ts';
import { loadConfig } from '../../server/config.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

interface Service {
  image?: string;
  build?: unknown;
  environment?: Record<string, string>;
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
  network_mode?: string;
  ports?: unknown[];
  volumes?: Array<string | { source?: string; target: string; read_only?: boolean }>;
}

async function composeConfig(): Promise<{ services: Record<string, Service>; volumes: Record<string, unknown> }> {
  // Only PATH: the defaults in the file must be enough (no .env, no exported secrets).
  const { stdout } = await promisify(execFile)('docker-compose', ['-f', 'docker-compose.yml', 'config'], {
    cwd: ROOT, env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
  });
  return parseYaml(stdout) as { services: Record<string, Service>; volumes: Record<string, unknown> };
}

const mounts = (service: Service) => (service.volumes ?? []).map((v) => (typeof v === 'string' ? v : `${v.source ?? ''}:${v.target}${v.read_only ? ':ro' : ''}`));

void test('compose: docker-compose config accepts the stack, every service is healthchecked and started on health', async () => {
  const { services, volumes } = await composeConfig();
  assert.deepEqual(Object.keys(services).sort(),
    ['clickhouse', 'gateway', 'ingest-1', 'ingest-2', 'ingest-lb', 'mailpit', 'shop-api', 'telltale', 'traffic']);
  for (const [name, service] of Object.entries(services)) {
    if (name !== 'traffic') assert.ok(service.healthcheck?.test.length, `${name} has a healthcheck`);
    for (const [dependency, { condition }] of Object.entries(service.depends_on ?? {})) {
      assert.equal(condition, 'service_healthy', `${name} waits for ${dependency} to be healthy`);
      assert.ok(services[dependency]?.healthcheck, `${dependency} can become healthy`);
    }
  }
  assert.deepEqual(Object.keys(volumes).sort(), ['clickhouse-data', 'gateway-logs', 'telltale-data']);
});

void test('compose: one control instance and two ingest instances share one ClickHouse and one token', async () => {
  const { services } = await composeConfig();
  const telltales = ['telltale', 'ingest-1', 'ingest-2'].map((name) => services[name]!);
  for (const service of telltales) {
    assert.ok(service.build, 'built from the Dockerfile');
    assert.match(service.healthcheck!.test.join(' '), /\/readyz/);
    assert.equal(service.environment?.TELLTALE_STORE, 'clickhouse');
    assert.equal(service.environment?.TELLTALE_CLICKHOUSE_URL, 'http://clickhouse:8123');
    assert.equal(service.environment?.TELLTALE_CLICKHOUSE_PASSWORD, services.clickhouse!.environment?.CLICKHOUSE_PASSWORD);
    assert.equal(service.environment?.TELLTALE_BOOTSTRAP_TOKEN, services.telltale!.environment?.TELLTALE_BOOTSTRAP_TOKEN);
    assert.equal(service.depends_on?.clickhouse?.condition, 'service_healthy');
  }
  assert.equal(services.telltale!.environment?.TELLTALE_ROLES, 'all');
  assert.equal(services['ingest-1']!.environment?.TELLTALE_ROLES, 'ingest');
  assert.equal(services['ingest-2']!.environment?.TELLTALE_ROLES, 'ingest');
  assert.ok(mounts(services.telltale!).some((m) => m.startsWith('telltale-data:/data')), 'control-plane state on a volume');
  assert.equal(services.telltale!.environment?.TELLTALE_SMTP_URL, 'smtp://mailpit:1025');
  assert.match(services.clickhouse!.image ?? '', /^clickhouse\/clickhouse-server:(2[3-9]|[3-9]\d)\./, 'a current ClickHouse');
  assert.match(services.mailpit!.image ?? '', /^axllent\/mailpit/);

  const lb = await readFile(`${ROOT}/deploy/nginx/ingest-lb.conf`, 'utf8');
  for (const instance of ['ingest-1', 'ingest-2']) {
    assert.match(lb, new RegExp(`server ${instance}:4318`));
    assert.equal(services['ingest-lb']!.depends_on?.[instance]?.condition, 'service_healthy');
  }
  assert.equal(services['shop-api']!.environment?.OTEL_EXPORTER_OTLP_ENDPOINT, 'http://ingest-lb:4318');
});

void test('compose: the gateway writes the log format Telltale parses, where Telltale tails it', async () => {
  const { services } = await composeConfig();
  assert.equal(services.gateway!.network_mode, 'service:shop-api');
  const gatewayConf = await readFile(`${ROOT}/deploy/nginx/gateway.conf`, 'utf8');
  const logFormat = /log_format telltale_timed ((?:'[^']*'\s*)+);/.exec(gatewayConf)?.[1];
  assert.ok(logFormat, 'the gateway defines its log format');
  assert.equal([...logFormat.matchAll(/'([^']*)'/g)].map((m) => m[1]).join(''), NGINX_TIMED_FORMAT);
  assert.match(gatewayConf, /access_log \/var\/log\/gateway\/access\.log telltale_timed;/);
  assert.ok(mounts(services.gateway!).some((m) => m.startsWith('gateway-logs:/var/log/gateway') && !m.endsWith(':ro')));
  assert.ok(mounts(services.telltale!).some((m) => m === 'gateway-logs:/var/log/gateway:ro'));

  const config = loadConfig({ TELLTALE_CONFIG: `${ROOT}/deploy/telltale.yaml` }, ROOT);
  assert.deepEqual(config.file.sources, [{ path: '/var/log/gateway/access.log', format: 'nginx-timed', service: 'shop-edge' }]);
});

void test('compose: the image is multi-stage, slim, non-root, and carries every source folder', async () => {
  const dockerfile = await readFile(`${ROOT}/Dockerfile`, 'utf8');
  const stages = dockerfile.match(/^FROM .*$/gm) ?? [];
  assert.ok(stages.length >= 2, 'multi-stage');
  assert.match(stages.at(-1)!, /-slim/);
  assert.match(dockerfile, /^USER node$/m);
  for (const folder of ['bin', 'store', 'collector', 'synthetic', 'alerts', 'reports', 'runbooks', 'server', 'demo']) {
    assert.match(dockerfile, new RegExp(`^COPY ${folder} \\./${folder}$`, 'm'), `COPY ${folder}`);
  }
});
