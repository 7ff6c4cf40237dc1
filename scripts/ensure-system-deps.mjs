// Runs before `npm test` (and `npm run bench`): installs the Debian packages the suites need
// when root, otherwise fails naming the exact install command. No suite is skipped silently.
// `node scripts/ensure-system-deps.mjs bench` also installs what the benchmarks compare with.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Debian package → a file that proves it is installed. */
const needed = {
  // The dashboard's e2e tests and `npm run screenshots` drive Debian's Chromium.
  chromium: '/usr/bin/chromium',
  // The file-tail tests run a real nginx writing access logs.
  nginx: '/usr/sbin/nginx',
  // The ClickHouse store's contract, outage and migration tests start a private clickhouse-server
  // (Debian ships 18.16, the oldest release the store supports).
  'clickhouse-server': '/usr/sbin/clickhouse-server',
  // test/server/compose.test.ts validates docker-compose.yml with `docker-compose config`.
  'docker-compose': '/usr/bin/docker-compose',
  // test/alerts/notify/alertmanager-real.test.ts pushes alerts to a real Alertmanager.
  'prometheus-alertmanager': '/usr/bin/prometheus-alertmanager',
};

if (process.argv.includes('bench')) {
  // The gateway benchmark measures GoAccess on the same file.
  needed.goaccess = '/usr/bin/goaccess';
  // The checks benchmark measures blackbox_exporter probing the same target.
  needed['prometheus-blackbox-exporter'] = '/usr/bin/prometheus-blackbox-exporter';
}

const missing = Object.entries(needed).filter(([, probe]) => !existsSync(probe)).map(([pkg]) => pkg);
if (missing.length === 0) process.exit(0);

const command = `apt-get update && apt-get install -y --no-install-recommends ${missing.join(' ')}`;
if (process.getuid?.() !== 0) {
  console.error(`Missing Debian packages. Run as root:\n  ${command}`);
  process.exit(1);
}
console.log(`Installing test dependencies: ${missing.join(', ')}`);
execFileSync('bash', ['-c', `DEBIAN_FRONTEND=noninteractive ${command}`], { stdio: 'inherit' });
