// Generated nginx-timed access-log lines with known routes, statuses and request times.
import { createRandom } from './random.ts';

export interface GeneratedLine {
  line: string;
  route: string;
  method: string;
  status: number;
  /** $request_time in ms as logged (millisecond resolution). */
  durationMs: number;
  /** Request start (the log's end time minus the request time), epoch ms. */
  startMs: number;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number) => String(n).padStart(2, '0');

/** nginx $time_local in UTC, e.g. `26/Nov/2026:10:00:00 +0000`. */
export function timeLocal(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
}

const ROUTES: Array<{ method: string; route: string; path: (id: number) => string }> = [
  { method: 'GET', route: '/api/users/{id}', path: (id) => `/api/users/${id}?expand=orders` },
  { method: 'GET', route: '/api/products', path: () => '/api/products' },
  { method: 'POST', route: '/api/orders', path: () => '/api/orders' },
  { method: 'GET', route: '/api/orders/{id}/items', path: (id) => `/api/orders/${id}/items` },
];

/** `count` lines whose end times are whole seconds from `startSecondMs`, in order. */
export function nginxTimedLines(count: number, startSecondMs: number, seed = 7): GeneratedLine[] {
  const r = createRandom(seed);
  return Array.from({ length: count }, (_, i) => {
    const spec = ROUTES[i % ROUTES.length]!;
    const endMs = startSecondMs + Math.floor(i / 20) * 1000;
    const durationMs = Math.max(1, Math.round(r.lognormal(Math.log(40), 0.9)));
    const roll = r.next();
    const status = roll < 0.03 ? 502 : roll < 0.08 ? 404 : spec.method === 'POST' ? 201 : 200;
    const client = i % 7 === 0 ? '2001:db8::1' : `198.51.100.${i % 250}`;
    const line = `${client} - - [${timeLocal(endMs)}] "${spec.method} ${spec.path(1000 + i)} HTTP/1.1" ${status} ${100 + (i % 900)} "-" "curl/8.5.0" ${(durationMs / 1000).toFixed(3)} ${(durationMs / 1000).toFixed(3)}`;
    return { line, route: spec.route, method: spec.method, status, durationMs, startMs: endMs - durationMs };
  });
}
