// The demo API's handlers: realistic routes, latencies and failures for Telltale to show.
import type * as Http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { appendFile } from 'node:fs';
import { createRequire } from 'node:module';
import { once } from 'node:events';
import { SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';

// Loaded with require, as most Node apps do, so the SDK's http instrumentation (which hooks
// require) sees it; a static ESM import of a builtin is not hooked without an ESM loader.
const { createServer } = createRequire(import.meta.url)('node:http') as typeof Http;
const tracer = trace.getTracer('shop');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Log-normal latency around `medianMs`. */
const latency = (medianMs: number, sigma = 0.5) => medianMs * Math.exp(sigma * Math.sqrt(-2 * Math.log(1 - Math.random())) * Math.cos(2 * Math.PI * Math.random()));

async function db(statement: string, medianMs: number): Promise<void> {
  const span = tracer.startSpan(statement, { kind: SpanKind.CLIENT, attributes: { 'db.system': 'postgresql', 'db.query.text': statement } }, context.active());
  await sleep(latency(medianMs));
  span.end();
}

// Every SHOP_INCIDENT_EVERY_MS (10 minutes), starting two minutes in, the payment provider has
// a three-minute bad spell: a third of orders fail. The demo's alert rule fires on it.
const STARTED_MS = Date.now();
const INCIDENT_EVERY_MS = Number(process.env.SHOP_INCIDENT_EVERY_MS ?? 600_000);
function orderFailureRate(): number {
  const phase = (Date.now() - STARTED_MS) % INCIDENT_EVERY_MS;
  return phase >= 120_000 && phase < 300_000 ? 0.35 : 0.005;
}

type Handler = (params: string[], req: IncomingMessage) => Promise<[number, unknown]>;
const routes: Array<{ method: string; route: string; pattern: RegExp; handle: Handler }> = [
  { method: 'GET', route: '/health', pattern: /^\/health$/, handle: async () => [200, { ok: true }] },
  { method: 'GET', route: '/products', pattern: /^\/products$/, handle: async () => {
    await db('SELECT products', 12);
    return [200, { products: [] }];
  } },
  { method: 'GET', route: '/products/{id}', pattern: /^\/products\/(\d+)$/, handle: async ([id]) => {
    await db('SELECT product', Number(id) % 7 === 0 ? 180 : 8);
    return Number(id) > 900 ? [404, { error: 'no such product' }] : [200, { id }];
  } },
  { method: 'POST', route: '/orders', pattern: /^\/orders$/, handle: async () => {
    await db('INSERT order', 20);
    if (Math.random() < orderFailureRate()) {
      const span = trace.getActiveSpan();
      span?.setStatus({ code: SpanStatusCode.ERROR, message: 'payment provider timeout' });
      await sleep(latency(900, 0.2));
      return [502, { error: 'payment provider timeout' }];
    }
    await db('UPDATE inventory', 15);
    return [201, { order: 'created' }];
  } },
  { method: 'GET', route: '/users/{id}/orders', pattern: /^\/users\/(\d+)\/orders$/, handle: async () => {
    await db('SELECT orders', 35);
    return [200, { orders: [] }];
  } },
];

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number) => String(n).padStart(2, '0');
const timeLocal = (d: Date) => `${two(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000`;

/** Appends an nginx-timed line per request, as the gateway in front of the shop would. */
function accessLog(file: string | undefined, req: IncomingMessage, res: ServerResponse, startedMs: number): void {
  if (!file) return;
  const seconds = ((performance.now() - startedMs) / 1000).toFixed(3);
  const user = typeof req.headers['x-api-key'] === 'string' ? req.headers['x-api-key'] : '-';
  const line = `127.0.0.1 - ${user} [${timeLocal(new Date())}] "${req.method} ${req.url} HTTP/1.1" ${res.statusCode} 0 "-" "${req.headers['user-agent'] ?? '-'}" ${seconds} ${seconds}\n`;
  appendFile(file, line, () => undefined);
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const startedMs = performance.now();
  res.once('finish', () => accessLog(process.env.SHOP_ACCESS_LOG, req, res, startedMs));
  const path = (req.url ?? '/').split('?')[0]!;
  for (const r of routes) {
    const match = r.method === req.method ? r.pattern.exec(path) : null;
    if (!match) continue;
    // What web frameworks do: name the route template on the server span.
    trace.getActiveSpan()?.setAttribute('http.route', r.route);
    trace.getActiveSpan()?.updateName(`${r.method} ${r.route}`);
    const consumer = req.headers['x-api-key'];
    if (typeof consumer === 'string') trace.getActiveSpan()?.setAttribute('enduser.id', consumer);
    const [status, body] = await r.handle(match.slice(1), req);
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    return;
  }
  res.writeHead(404).end();
}

export async function startShop(port: number): Promise<void> {
  const server = createServer((req, res) => void handle(req, res).catch(() => res.writeHead(500).end()));
  server.listen(port, '127.0.0.1');
  await once(server, 'listening');
}
