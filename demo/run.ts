// `npm run demo`: Telltale, the instrumented shop API, and a traffic generator with a
// realistic mix of routes, latencies, consumers and errors. Numbers appear within a minute.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const TOKEN = process.env.TELLTALE_BOOTSTRAP_TOKEN ?? 'demo-admin-token-change-me';
const PORT = Number(process.env.TELLTALE_PORT ?? 8080);
const SHOP_PORT = Number(process.env.SHOP_PORT ?? 3001);
const RPS = Number(process.env.DEMO_RPS ?? 20);
const SMTP_PORT = Number(process.env.DEMO_SMTP_PORT ?? 2525);
const children: ChildProcess[] = [];

function start(file: string, env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', file], { cwd: ROOT, env: { ...process.env, ...env }, stdio: 'inherit' });
  children.push(child);
  return child;
}

async function waitReady(url: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not become ready`);
}

const stop = () => {
  for (const child of children) child.kill('SIGTERM');
  setTimeout(() => process.exit(0), 3000).unref();
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);

// The gateway in front of the shop writes an access log; Telltale tails it as service shop-edge.
const dataDir = resolve(ROOT, process.env.TELLTALE_DATA_DIR ?? 'data');
mkdirSync(dataDir, { recursive: true });
const accessLog = join(dataDir, 'demo-shop-access.log');
const demoConfig = join(dataDir, 'demo-telltale.yaml');
// Two synthetic checks against the shop: its health, and an order that fails now and then.
const shopUrl = `http://127.0.0.1:${SHOP_PORT}`;
writeFileSync(demoConfig, `sources:
  - path: ${JSON.stringify(accessLog)}
    format: nginx-timed
    service: shop-edge
checks:
  - id: shop-health
    name: Shop health
    type: http
    schedule: 30s
    request: { url: ${JSON.stringify(`${shopUrl}/health`)} }
    assertions: [{ kind: status, equals: 200 }, { kind: jsonPath, path: $.ok, equals: true }]
  - id: shop-order
    name: Place an order
    type: http
    schedule: 30s
    degradedLatencyMs: 200
    request: { method: POST, url: ${JSON.stringify(`${shopUrl}/orders`)}, headers: { x-api-key: synthetic } }
    assertions: [{ kind: status, equals: 201 }, { kind: latency, lessThan: 1000 }]
alertRules:
  - id: shop-orders-failing
    name: Orders are failing
    kind: error_rate
    selector: { service: shop, route: /orders }
    threshold: 0.15
    minCalls: 20
    window: 2m
    for: 1m
    groupWait: 10s
    severity: page
    notify: [{ type: email, to: [oncall@shop.example] }]
  - id: shop-order-check
    name: Order check failing
    kind: check_failing
    selector: { check: shop-order }
    consecutiveFailures: 2
    notify: [{ type: email, to: [oncall@shop.example] }]
  - id: shop-orders-burn
    name: Orders SLO burning
    kind: slo_burn
    selector: { slo: shop-orders }
    notify: [{ type: email, to: [oncall@shop.example] }]
slos:
  - { id: shop-orders, name: Orders succeed, target: 99, window: 7d, indicator: { type: availability, selector: { service: shop, route: /orders } } }
  - { id: shop-latency, name: Products answer within 250 ms, target: 95, window: 7d, indicator: { type: latency, thresholdMs: 250, selector: { service: shop, route: '/products/{id}' } } }
  - { id: shop-up, name: Shop is up, target: 99.9, window: 7d, indicator: { type: check, checkId: shop-health } }
reportSchedules:
  # Every 5 minutes for the demo; a period is mailed once, so this mails once a day.
  - { id: demo-daily, name: Shop SLA, cron: '*/5 * * * *', recipients: [sla@shop.example], period: last-30-days }
`);
start('demo/mail-catcher.ts', { DEMO_SMTP_PORT: String(SMTP_PORT), DEMO_MAIL_DIR: join(dataDir, 'demo-mail') });
start('server/main.ts', {
  TELLTALE_BOOTSTRAP_TOKEN: TOKEN, TELLTALE_PORT: String(PORT), TELLTALE_LOG_LEVEL: 'warn', TELLTALE_CONFIG: demoConfig,
  TELLTALE_SMTP_URL: `smtp://127.0.0.1:${SMTP_PORT}`, TELLTALE_MAIL_FROM: 'Telltale demo <telltale@shop.example>',
  TELLTALE_PUBLIC_URL: `http://localhost:${PORT}`,
});
await waitReady(`http://127.0.0.1:${PORT}/readyz`);
start('demo/shop-api.ts', {
  SHOP_PORT: String(SHOP_PORT),
  SHOP_ACCESS_LOG: accessLog,
  OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${PORT}`,
  OTEL_EXPORTER_OTLP_HEADERS: `authorization=Bearer ${TOKEN}`,
  OTEL_BSP_SCHEDULE_DELAY: '1000',
});
await waitReady(`http://127.0.0.1:${SHOP_PORT}/health`);

console.log(`
Telltale demo is running.
  Telltale:   http://localhost:${PORT}   (API docs: /api/docs)
  Token:      ${TOKEN}
  Try:        curl -H 'Authorization: Bearer ${TOKEN}' 'http://localhost:${PORT}/api/v1/routes?from=now-15m'
  Shop API:   http://127.0.0.1:${SHOP_PORT}   (receiving ~${RPS} requests/s; traced as service shop)
  Gateway log: ${accessLog}   (tailed as service shop-edge)
  Checks:     shop-health and shop-order every 30 s (GET /api/v1/checks)
  Incidents:  every 10 minutes (from minute 2) a third of POST /orders fail for 3 minutes;
              the rule shop-orders-failing fires (GET /api/v1/alerts) and emails oncall@shop.example
  SLOs:       shop-orders, shop-latency, shop-up (GET /api/v1/slos); an SLA report is mailed once a day
  Mail:       caught on smtp://127.0.0.1:${SMTP_PORT}, saved as .eml in ${join(dataDir, 'demo-mail')}
Ctrl-C stops everything.
`);

const consumers = ['acme-mobile', 'globex-web', 'initech-batch', 'umbrella-partner'];
const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!;
const requests: Array<[number, () => [string, string]]> = [
  [30, () => ['GET', '/products']],
  [35, () => ['GET', `/products/${Math.floor(Math.random() * 1000)}`]],
  [12, () => ['POST', '/orders']],
  [15, () => ['GET', `/users/${Math.floor(Math.random() * 5000)}/orders`]],
  [8, () => ['GET', '/health']],
];
const totalWeight = requests.reduce((n, [w]) => n + w, 0);

function nextRequest(): [string, string] {
  let roll = Math.random() * totalWeight;
  for (const [weight, make] of requests) {
    roll -= weight;
    if (roll < 0) return make();
  }
  return requests[0]![1]();
}

setInterval(() => {
  const [method, path] = nextRequest();
  fetch(`http://127.0.0.1:${SHOP_PORT}${path}`, { method, headers: { 'x-api-key': pick(consumers) } }).then((r) => r.arrayBuffer(), () => undefined).catch(() => undefined);
}, 1000 / RPS);
