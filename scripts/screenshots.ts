// `npm run screenshots`: a real Telltale in this process, demo-like traffic sent through its
// real ingest endpoints (the OpenTelemetry SDK over OTLP/HTTP and a gateway log push), and the
// built dashboard driven in headless Chromium. Writes docs/screenshots/*.png for the README.
import { mkdir } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { SpanKind, SpanStatusCode, context, trace, type Span, type Tracer } from '@opentelemetry/api';
import { sdkClient, type SdkClient } from '../test/helpers/otel-sdk.ts';
import { timeLocal } from '../test/helpers/nginx-lines.ts';
import { createRandom } from '../test/helpers/random.ts';
import { startTelltale, type TestTelltale } from '../test/helpers/telltale.ts';
import { ensureDashboardBuilt, launchBrowser, openPage, type WatchedPage } from '../test/helpers/browser.ts';
import { evaluateAlerts } from '../alerts/evaluator.ts';
import { alertSubject } from '../alerts/notify/index.ts';

const OUT = fileURLToPath(new URL('../docs/screenshots/', import.meta.url));
const HOURS = 3;
const CONSUMERS = ['acme-mobile', 'globex-web', 'initech-batch', 'umbrella-partner', 'hooli-ios'];

type Random = ReturnType<typeof createRandom>;

interface Clients {
  shop: SdkClient;
  payments: SdkClient;
  inventory: SdkClient;
}

/** A child span with explicit times under `parent`, possibly in another service's tracer. */
function child(tracer: Tracer, parent: Span, name: string, kind: SpanKind, startMs: number, durationMs: number, attributes: Record<string, string | number> = {}): Span {
  const span = tracer.startSpan(name, { kind, startTime: startMs, attributes }, trace.setSpan(context.active(), parent));
  span.end(startMs + durationMs);
  return span;
}

function server(tracer: Tracer, method: string, route: string, path: string, startMs: number, consumer: string, parent?: Span): Span {
  const ctx = parent ? trace.setSpan(context.active(), parent) : context.active();
  return tracer.startSpan(`${method} ${route}`, {
    kind: SpanKind.SERVER, startTime: startMs,
    attributes: { 'http.request.method': method, 'http.route': route, 'url.path': path, 'enduser.id': consumer, 'server.address': 'shop.internal' },
  }, ctx);
}

function finish(span: Span, status: number, endMs: number): void {
  span.setAttribute('http.response.status_code', status);
  if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR, message: `HTTP ${status}` });
  span.end(endMs);
}

/** The shop's traffic: a healthy catalogue, checkout through payments, and an incident. */
async function shopTraffic(clients: Clients, r: Random, nowMs: number): Promise<void> {
  const shop = clients.shop.tracer;
  const startMs = nowMs - HOURS * 3_600_000;
  const incidentMs = nowMs - 40 * 60_000;
  let n = 0;
  for (let t = startMs; t < nowMs - 5_000; t += 900 + r.int(900)) {
    // The SDK exports at most 30 batches at once: flush as we go rather than all at the end.
    if (++n % 500 === 0) await flushAll(clients);
    const consumer = CONSUMERS[r.int(CONSUMERS.length)]!;
    const roll = r.next();
    const incident = t >= incidentMs;
    if (roll < 0.35) {
      const d = r.lognormal(Math.log(18), 0.4);
      finish(server(shop, 'GET', '/products', '/products', t, consumer), 200, t + d);
    } else if (roll < 0.6) {
      const id = 1000 + r.int(9000);
      const span = server(shop, 'GET', '/products/{id}', `/products/${id}`, t, consumer);
      const db = r.lognormal(Math.log(6), 0.5);
      child(shop, span, 'SELECT products', SpanKind.CLIENT, t + 1, db, { 'db.system': 'postgresql', 'db.statement': 'SELECT * FROM products WHERE id = $1' });
      finish(span, r.next() < 0.04 ? 404 : 200, t + db + r.lognormal(Math.log(10), 0.3));
    } else if (roll < 0.78) {
      // The slow route: its database query degrades 40 minutes ago.
      const userId = 1 + r.int(5000);
      const span = server(shop, 'GET', '/users/{id}/orders', `/users/${userId}/orders`, t, consumer);
      const db = incident ? r.lognormal(Math.log(700), 0.5) : r.lognormal(Math.log(35), 0.4);
      child(shop, span, 'SELECT orders', SpanKind.CLIENT, t + 2, db, { 'db.system': 'postgresql', 'db.statement': 'SELECT * FROM orders WHERE user_id = $1 ORDER BY created_at DESC' });
      const stockStart = t + 3 + db;
      const stock = server(clients.inventory.tracer, 'GET', '/stock/{sku}', `/stock/${r.int(800)}`, stockStart, 'shop-api', span);
      const stockMs = r.lognormal(Math.log(12), 0.4);
      child(clients.inventory.tracer, stock, 'redis GET', SpanKind.CLIENT, stockStart + 1, stockMs * 0.4, { 'db.system': 'redis' });
      finish(stock, 200, stockStart + stockMs);
      finish(span, incident && r.next() < 0.02 ? 504 : 200, stockStart + stockMs + 4);
    } else if (roll < 0.92) {
      checkout(clients, r, t, consumer, incident);
    } else {
      finish(server(shop, 'GET', '/health', '/health', t, 'kube-probe'), 200, t + r.lognormal(Math.log(0.8), 0.3));
    }
  }
}

const allClients = (clients: Clients): SdkClient[] => [clients.shop, clients.payments, clients.inventory];

async function flushAll(clients: Clients): Promise<void> {
  await Promise.all(allClients(clients).map((c) => c.flush()));
}

interface CallsAnswer { calls: Array<{ traceId: string | null }> }
interface TraceAnswer { spans: Array<{ spanId: string; name: string }> }

/** GET an API path with the read token; the API's own schemas already checked the shape. */
async function api<T>(telltale: TestTelltale, path: string): Promise<T> {
  const answer: { status: number; body: unknown } = await telltale.get(path);
  if (answer.status !== 200) throw new Error(`${path}: HTTP ${answer.status}`);
  return answer.body as T;
}

/** POST /orders calls payments; the card processor fails more during the incident. */
function checkout(clients: Clients, r: Random, t: number, consumer: string, incident: boolean): void {
  const shop = clients.shop.tracer;
  const pay = clients.payments.tracer;
  const span = server(shop, 'POST', '/orders', '/orders', t, consumer);
  child(shop, span, 'validate cart', SpanKind.INTERNAL, t + 1, r.lognormal(Math.log(3), 0.3));
  const reserveStart = t + 5;
  const reserveMs = r.lognormal(Math.log(15), 0.3);
  const reserveClient = shop.startSpan('POST inventory/reservations', { kind: SpanKind.CLIENT, startTime: reserveStart, attributes: { 'http.request.method': 'POST', 'server.address': 'inventory.internal' } }, trace.setSpan(context.active(), span));
  const reserve = server(clients.inventory.tracer, 'POST', '/reservations', '/reservations', reserveStart + 1, 'shop-api', reserveClient);
  child(clients.inventory.tracer, reserve, 'redis MULTI', SpanKind.CLIENT, reserveStart + 2, reserveMs * 0.5, { 'db.system': 'redis' });
  finish(reserve, 201, reserveStart + reserveMs);
  reserveClient.end(reserveStart + reserveMs + 1);
  const callStart = reserveStart + reserveMs + 3;
  const client = shop.startSpan('POST payments/charge', { kind: SpanKind.CLIENT, startTime: callStart, attributes: { 'http.request.method': 'POST', 'server.address': 'payments.internal' } }, trace.setSpan(context.active(), span));
  const charge = server(pay, 'POST', '/charge', '/charge', callStart + 1, 'shop-api', client);
  const processorMs = r.lognormal(Math.log(90), 0.5);
  const processor = pay.startSpan('POST api.cardprocessor.example/v1/charges', { kind: SpanKind.CLIENT, startTime: callStart + 3, attributes: { 'http.request.method': 'POST', 'server.address': 'api.cardprocessor.example' } }, trace.setSpan(context.active(), charge));
  const failed = r.next() < (incident ? 0.18 : 0.03);
  if (failed) {
    processor.addEvent('exception', { 'exception.type': 'UpstreamTimeout', 'exception.message': 'card processor did not answer in 2s' }, callStart + 3 + processorMs);
    processor.setStatus({ code: SpanStatusCode.ERROR, message: 'upstream timeout' });
  }
  processor.end(callStart + 3 + processorMs);
  const chargeEnd = callStart + 6 + processorMs;
  finish(charge, failed ? 502 : 201, chargeEnd);
  client.setAttribute('http.response.status_code', failed ? 502 : 201);
  if (failed) client.setStatus({ code: SpanStatusCode.ERROR });
  client.end(chargeEnd + 1);
  if (!failed) child(shop, span, 'INSERT orders', SpanKind.CLIENT, chargeEnd + 2, r.lognormal(Math.log(8), 0.3), { 'db.system': 'postgresql' });
  finish(span, failed ? 502 : 201, chargeEnd + 14);
}

/** nginx access-log lines from the edge gateway, pushed to /v1/gateway-logs. */
async function gatewayTraffic(telltale: TestTelltale, r: Random, nowMs: number): Promise<void> {
  const routes = [
    { method: 'GET', path: () => `/api/catalog/${r.int(5000)}`, ms: 25 },
    { method: 'GET', path: () => '/api/search?q=shoes', ms: 140 },
    { method: 'POST', path: () => '/api/cart', ms: 45 },
    { method: 'GET', path: () => `/api/orders/${r.int(90000)}/invoice`, ms: 320 },
  ];
  const lines: string[] = [];
  for (let t = nowMs - HOURS * 3_600_000; t < nowMs - 5_000; t += 1500 + r.int(1500)) {
    const spec = routes[r.int(routes.length)]!;
    const durationMs = Math.max(1, Math.round(r.lognormal(Math.log(spec.ms), 0.6)));
    const roll = r.next();
    const status = roll < 0.015 ? 503 : roll < 0.06 ? 404 : roll < 0.08 ? 429 : spec.method === 'POST' ? 201 : 200;
    lines.push(`198.51.100.${r.int(250)} - - [${timeLocal(t + durationMs)}] "${spec.method} ${spec.path()} HTTP/1.1" ${status} ${200 + r.int(4000)} "-" "Mozilla/5.0" ${(durationMs / 1000).toFixed(3)} ${(durationMs / 1000).toFixed(3)}`);
  }
  const response = await fetch(`${telltale.url}/v1/gateway-logs?format=nginx-timed&service=edge-gateway&consumer=client-address`, {
    method: 'POST', headers: { authorization: `Bearer ${telltale.tokens.ingest}`, 'content-type': 'text/plain' }, body: lines.join('\n'),
  });
  if (!response.ok) throw new Error(`gateway push: ${response.status} ${await response.text()}`);
}

async function settle(watched: WatchedPage, selector: string): Promise<void> {
  await watched.page.waitForSelector(selector, { timeout: 20_000 });
  await watched.page.waitForLoadState('networkidle');
  // One more frame so canvases and sparklines are painted.
  await watched.page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 100))));
}

/**
 * Synthetic checks against a local target, each run a number of times through POST …/run: one
 * healthy, one that fails now and then, one slower than its degraded threshold.
 */
async function checkRuns(telltale: TestTelltale, cleanups: Array<() => unknown>): Promise<void> {
  let served = 0;
  const target = createServer((req, res) => {
    served++;
    const failing = req.url === '/checkout' && served % 7 === 3;
    const delayMs = req.url === '/payments' ? 40 : 0;
    setTimeout(() => {
      res.writeHead(failing ? 503 : 200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: !failing }));
    }, delayMs);
  });
  await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => target.close(() => resolve())));
  const base = `http://127.0.0.1:${(target.address() as AddressInfo).port}`;
  const write = { authorization: `Bearer ${telltale.tokens.write}`, 'content-type': 'application/json' };
  const checks = [
    { id: 'shop-health', name: 'Shop health', type: 'http', schedule: '1m', request: { url: `${base}/health` }, assertions: [{ kind: 'status', equals: 200 }, { kind: 'latency', lessThan: 500 }] },
    { id: 'checkout-api', name: 'Checkout API', type: 'http', schedule: '5m', request: { method: 'GET', url: `${base}/checkout` }, assertions: [{ kind: 'status', equals: 200 }] },
    { id: 'payments-status', name: 'Payments status', type: 'http', schedule: '1m', degradedLatencyMs: 30, request: { url: `${base}/payments` }, assertions: [{ kind: 'status', equals: 200 }] },
  ];
  for (const check of checks) {
    const created = await fetch(`${telltale.url}/api/v1/checks`, { method: 'POST', headers: write, body: JSON.stringify(check) });
    if (created.status !== 201) throw new Error(`creating ${check.id}: ${created.status} ${await created.text()}`);
  }
  for (let i = 0; i < 24; i++) {
    for (const check of checks) {
      const ran = await fetch(`${telltale.url}/api/v1/checks/${check.id}/run`, { method: 'POST', headers: { authorization: write.authorization } });
      if (ran.status !== 200) throw new Error(`running ${check.id}: ${ran.status}`);
    }
  }
}

/** POST a body with the write token; anything but 201 stops the script. */
async function create(telltale: TestTelltale, path: string, body: unknown): Promise<void> {
  const response = await fetch(telltale.url + path, {
    method: 'POST', headers: { authorization: `Bearer ${telltale.tokens.write}`, 'content-type': 'application/json' }, body: JSON.stringify(body),
  });
  if (response.status !== 201) throw new Error(`POST ${path}: ${response.status} ${await response.text()}`);
}

/**
 * Alert rules over the demo traffic (the checkout incident fires, the slow orders route too),
 * one evaluation as the alert loop would run it, a silence and a maintenance window, and SLOs.
 */
async function alertsAndSlos(telltale: TestTelltale, nowMs: number): Promise<void> {
  const oncall = [{ type: 'email', to: ['oncall@example.com'] }];
  await create(telltale, '/api/v1/alert-rules', {
    id: 'checkout-errors', name: 'Checkout error rate', kind: 'error_rate', selector: { service: 'shop-api', route: '/orders' },
    threshold: 0.05, window: '10m', for: '0s', severity: 'page', groupWait: '0s', notify: oncall,
  });
  await create(telltale, '/api/v1/alert-rules', {
    id: 'orders-latency', name: 'Order history p95 latency', kind: 'latency', selector: { service: 'shop-api', route: '/users/{id}/orders' },
    percentile: 'p95', threshold: 400, window: '10m', for: '0s', severity: 'ticket', groupWait: '0s', notify: oncall,
  });
  await create(telltale, '/api/v1/alert-rules', {
    id: 'gateway-errors', name: 'Edge gateway 5xx', kind: 'error_rate', selector: { service: 'edge-gateway' }, by: ['route'],
    threshold: 0.2, window: '15m', for: '5m', severity: 'ticket',
  });
  await evaluateAlerts({
    store: telltale.store, control: telltale.control, runbooks: telltale.runtime.runbooks, publicUrl: telltale.url,
    render: (n, target) => ({ channel: target.type, body: target.type === 'email' ? { to: target.to, subject: alertSubject(n) } : { url: 'url' in target ? target.url : '' } }),
  }, nowMs);
  await create(telltale, '/api/v1/silences', {
    matchers: [{ name: 'alertname', op: '=', value: 'orders-latency' }], endsAt: new Date(nowMs + 2 * 3_600_000).toISOString(),
    comment: 'DB index rebuild in progress (OPS-1432)', author: 'mara',
  });
  await create(telltale, '/api/v1/maintenance-windows', { cron: '0 3 * * 0', durationMs: 2 * 3_600_000, matchers: [{ name: 'service', op: '=', value: 'inventory' }], comment: 'weekly inventory reindex' });
  const slos = [
    { id: 'checkout-availability', name: 'Checkout availability', target: 99, window: '7d', indicator: { type: 'availability', selector: { service: 'shop-api', route: '/orders' } } },
    { id: 'orders-latency', name: 'Order history under 300 ms', target: 95, window: '7d', indicator: { type: 'latency', thresholdMs: 300, selector: { service: 'shop-api', route: '/users/{id}/orders' } } },
    { id: 'catalog-availability', name: 'Catalog availability', target: 99.5, window: '30d', indicator: { type: 'availability', selector: { service: 'shop-api', route: '/products' } } },
    { id: 'gateway-availability', name: 'Edge gateway availability', target: 98, window: '30d', indicator: { type: 'availability', selector: { service: 'edge-gateway' } } },
  ];
  for (const slo of slos) await create(telltale, '/api/v1/slos', slo);
}

/**
 * The deploy that caused the incident, as CI would report it; the SDK's service.version
 * (1.2.3) is recorded from the traces on its own, at the start of the traffic.
 */
async function deploy(telltale: TestTelltale, nowMs: number): Promise<void> {
  const response = await fetch(`${telltale.url}/api/v1/deploys`, {
    method: 'POST', headers: { authorization: `Bearer ${telltale.tokens.ingest}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      service: 'shop-api', version: '1.3.0', at: new Date(nowMs - 41 * 60_000).toISOString(), environment: 'production',
      description: 'Order history reads through the new orders_by_user view; card retries moved to payments',
    }),
  });
  if (response.status !== 201) throw new Error(`POST /api/v1/deploys: ${response.status} ${await response.text()}`);
}

async function main(): Promise<void> {
  await ensureDashboardBuilt();
  await mkdir(OUT, { recursive: true });
  const cleanups: Array<() => unknown> = [];
  // startTelltale only needs somewhere to register its teardown.
  const t = { after: (fn: () => unknown) => cleanups.push(fn) } as unknown as TestContext;
  try {
    const telltale = await startTelltale(t);
    const r = createRandom(42);
    const nowMs = Date.now();
    const make = (service: string) => sdkClient({ baseUrl: telltale.otlpUrl, token: telltale.tokens.ingest, service, encoding: 'protobuf' });
    const clients: Clients = { shop: make('shop-api'), payments: make('payments'), inventory: make('inventory') };
    cleanups.push(() => Promise.all(allClients(clients).map((c) => c.shutdown())));
    await shopTraffic(clients, r, nowMs);
    await flushAll(clients);
    await gatewayTraffic(telltale, r, nowMs);
    await alertsAndSlos(telltale, nowMs);
    await deploy(telltale, nowMs);

    // The trace shown: a checkout that failed in the card processor, across three services.
    const failed = await api<CallsAnswer>(telltale, `/api/v1/calls?service=shop-api&method=POST&route=/orders&errorsOnly=true&limit=1&from=now-${HOURS}h`);
    const traceId = failed.calls[0]?.traceId;
    if (!traceId) throw new Error('no failed checkout with a trace');
    const detail = await api<TraceAnswer>(telltale, `/api/v1/traces/${traceId}`);
    const processorSpan = detail.spans.find((s) => s.name.startsWith('POST api.cardprocessor'));

    const browser = await launchBrowser(t);
    const viewport = { width: 1440, height: 900 };
    const light = await openPage(browser, { baseUrl: telltale.url, token: telltale.tokens.read, viewport });
    const range = `from=now-${HOURS}h`;

    await light.page.goto(`/?${range}`);
    await settle(light, '#routes-table tbody tr:not(.spacer)');
    await light.page.waitForFunction(() => document.querySelectorAll('svg.sparkline').length === document.querySelectorAll('#services-table tbody tr').length);
    await light.page.screenshot({ path: `${OUT}overview.png`, fullPage: true });

    await light.page.goto(`/routes?service=shop-api&method=GET&route=${encodeURIComponent('/users/{id}/orders')}&${range}`);
    await settle(light, '#slowest-table tbody tr');
    await light.page.waitForSelector('#traffic-chart canvas');
    await light.page.waitForSelector('#route-deploy-list li');
    await light.page.screenshot({ path: `${OUT}route.png`, fullPage: true });

    await light.page.goto(`/traces/${traceId}?${range}&span=${processorSpan?.spanId ?? ''}`);
    await settle(light, '#span-details');
    await light.page.screenshot({ path: `${OUT}trace.png`, fullPage: true });

    const dark = await openPage(browser, { baseUrl: telltale.url, token: telltale.tokens.read, viewport, colorScheme: 'dark' });
    await dark.page.goto(`/?${range}`);
    await settle(dark, '#routes-table tbody tr:not(.spacer)');
    await dark.page.waitForFunction(() => document.querySelectorAll('svg.sparkline').length === document.querySelectorAll('#services-table tbody tr').length);
    await dark.page.screenshot({ path: `${OUT}overview-dark.png`, fullPage: true });

    const firing = await api<{ alerts: Array<{ fingerprint: string; ruleId: string }> }>(telltale, '/api/v1/alerts?state=firing');
    const checkoutAlert = firing.alerts.find((a) => a.ruleId === 'checkout-errors');
    if (!checkoutAlert) throw new Error('the checkout incident did not fire');
    await light.page.goto(`/alerts?${range}`);
    await settle(light, '#alerts-table tbody tr');
    await light.page.waitForSelector('#silences-table tbody tr');
    await light.page.screenshot({ path: `${OUT}alerts.png`, fullPage: true });

    await light.page.goto(`/alerts/${checkoutAlert.fingerprint}?${range}`);
    await settle(light, '#alert-runbook-html #rb-first-steps');
    await light.page.waitForSelector('#alert-chart canvas');
    await light.page.screenshot({ path: `${OUT}alert.png`, fullPage: true });

    await dark.page.goto(`/alerts/${checkoutAlert.fingerprint}?${range}`);
    await settle(dark, '#alert-runbook-html #rb-first-steps');
    await dark.page.waitForSelector('#alert-chart canvas');
    await dark.page.screenshot({ path: `${OUT}alert-dark.png`, fullPage: true });

    await light.page.goto(`/slos?${range}`);
    await settle(light, '#slos-table tbody tr');
    await light.page.screenshot({ path: `${OUT}slos.png`, fullPage: true });

    await light.page.goto(`/slos/checkout-availability?${range}`);
    await settle(light, '#slo-tiles');
    await light.page.waitForSelector('#slo-burn-chart canvas');
    await light.page.screenshot({ path: `${OUT}slo.png`, fullPage: true });

    await light.page.goto(`/reports?${range}`);
    await settle(light, '#report-slos-table tbody tr');
    await light.page.screenshot({ path: `${OUT}report.png`, fullPage: true });

    // Last: check runs are synthetic calls of their own service, kept out of the views above.
    await checkRuns(telltale, cleanups);
    await light.page.goto(`/checks?${range}`);
    await settle(light, '#checks-table tbody tr');
    await light.page.screenshot({ path: `${OUT}checks.png`, fullPage: true });

    const problems = [...light.problems, ...dark.problems];
    if (problems.length > 0) throw new Error(`the pages reported problems:\n${problems.join('\n')}`);
    console.log(`wrote overview.png, route.png, trace.png, alerts.png, alert.png, alert-dark.png, slos.png, slo.png, report.png, checks.png, overview-dark.png to ${OUT}`);
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup();
  }
}

await main();
