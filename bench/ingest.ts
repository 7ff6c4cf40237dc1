// Ingest benchmark: OTLP protobuf, 512-span batches, several concurrent senders against a
// real Telltale process on SQLite; beside it, in the same run, the raw better-sqlite3 insert
// rate for rows of the same shape (the ceiling any SQLite-backed ingest can reach).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { runTelltale } from '../test/helpers/process.ts';
import { encodeTraceRequest, type SyntheticSpan } from './otlp-encoder.ts';
import { progress } from './progress.ts';

const BATCH = 512;
const ROUTES = ['/orders/{id}', '/orders', '/products', '/products/{id}', '/users/{id}', '/cart', '/search', '/health'];

/** Rows/s for plain INSERTs of span-shaped rows in 512-row transactions, WAL + synchronous=NORMAL. */
export function rawSqliteInsertRate(dir: string, rows: number): number {
  const db = new Database(join(dir, 'raw.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(`CREATE TABLE spans (trace_id TEXT, span_id TEXT, parent_span_id TEXT, service TEXT, name TEXT, kind INTEGER,
    start_ns INTEGER, end_ns INTEGER, duration_ms REAL, status_code INTEGER, attributes TEXT, PRIMARY KEY (trace_id, span_id))`);
  const insert = db.prepare('INSERT INTO spans VALUES (?,?,?,?,?,?,?,?,?,?,?)');
  const attrs = JSON.stringify({ 'http.request.method': 'GET', 'http.route': '/orders/{id}', 'url.path': '/orders/42', 'http.response.status_code': 200 });
  const batch = db.transaction((from: number) => {
    for (let i = from; i < from + BATCH; i++) {
      insert.run(i.toString(16).padStart(32, '0'), i.toString(16).padStart(16, '0'), null, 'bench', 'GET /orders/{id}', 2, 1e18 + i, 1e18 + i + 5e6, 5, 0, attrs);
    }
  });
  const started = performance.now();
  for (let i = 0; i < rows; i += BATCH) batch(i);
  const seconds = (performance.now() - started) / 1000;
  db.close();
  return rows / seconds;
}

function bodies(count: number, nowMs: number, spansPerTrace: number): Buffer[] {
  const out: Buffer[] = [];
  let t = BigInt(nowMs - 10 * 60_000) * 1_000_000n;
  for (let b = 0; b < count; b++) {
    const spans: SyntheticSpan[] = [];
    for (let i = 0; i < BATCH / spansPerTrace; i++) {
      t += 1_000_000n;
      const r = Math.random();
      spans.push({ route: ROUTES[i % ROUTES.length]!, method: 'GET', status: r < 0.01 ? 503 : r < 0.05 ? 404 : 200, startNs: t, durationNs: BigInt(Math.round(Math.exp(Math.log(20e6) + 0.8 * (Math.random() - 0.5) * 3))) });
    }
    out.push(encodeTraceRequest(`bench-${b % 4}`, spans, spansPerTrace - 1));
  }
  return out;
}

async function metric(url: string, token: string, name: string): Promise<number | null> {
  const text = await (await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${token}` } })).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line ? Number(line.split(' ')[1]) : null;
}

export async function ingestBenchmark(options: { senders: number; seconds: number; batches: number; spansPerTrace: number }) {
  const dir = await mkdtemp(join(tmpdir(), 'telltale-bench-'));
  try {
    progress('raw better-sqlite3 insert rate (200,000 span-shaped rows)…');
    const rawRate = rawSqliteInsertRate(dir, 200_000);
    progress(`  ${Math.round(rawRate).toLocaleString()} rows/s`);

    progress(`encoding ${options.batches} protobuf batches of ${BATCH} spans…`);
    const payloads = bodies(options.batches, Date.now(), options.spansPerTrace);
    const token = 'bench-admin-token-0123456789';
    const server = runTelltale(['serve'], {
      TELLTALE_DATA_DIR: join(dir, 'telltale'), TELLTALE_PORT: '0', TELLTALE_OTLP_PORT: '0', TELLTALE_HOST: '127.0.0.1',
      TELLTALE_BOOTSTRAP_TOKEN: token, TELLTALE_LOG_LEVEL: 'info', TELLTALE_INGEST_QUEUE_MAX: '1000000',
    }, (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean)); // e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof"
    try {
      const [, url] = await server.waitFor(/Server listening at (http:\/\/127\.0\.0\.1:\d+)/);
      progress(`sending with ${options.senders} concurrent senders for up to ${options.seconds}s…`);
      let next = 0;
      let accepted = 0;
      const refused = new Map<number, number>();
      const started = performance.now();
      const deadline = started + options.seconds * 1000;
      const ticker = setInterval(() => progress(`  ${Math.round(accepted / ((performance.now() - started) / 1000)).toLocaleString()} spans/s so far (${accepted.toLocaleString()} spans)`), 2000);
      await Promise.all(Array.from({ length: options.senders }, async () => {
        while (performance.now() < deadline && next < payloads.length) {
          const body = payloads[next++]!;
          const response = await fetch(`${url}/v1/traces`, { method: 'POST', body: new Uint8Array(body), headers: { 'content-type': 'application/x-protobuf', authorization: `Bearer ${token}` } });
          await response.arrayBuffer();
          if (response.status === 200) accepted += BATCH;
          else refused.set(response.status, (refused.get(response.status) ?? 0) + 1);
        }
      }));
      clearInterval(ticker);
      const seconds = (performance.now() - started) / 1000;
      const services = (await (await fetch(`${url}/api/v1/services?from=now-1h`, { headers: { authorization: `Bearer ${token}` } })).json()) as { services: Array<{ calls: number }> };
      // One ApiCall per trace (its SERVER span): stored calls must equal accepted traces.
      const stored = services.services.reduce((n, s) => n + s.calls, 0);
      const lagP99 = await metric(url!, token, 'nodejs_eventloop_lag_p99_seconds');
      const result = {
        senders: options.senders, batchSpans: BATCH, spansPerTrace: options.spansPerTrace, seconds: Math.round(seconds * 10) / 10,
        acceptedSpans: accepted, acceptedTraces: accepted / options.spansPerTrace, storedCalls: stored, refusedRequests: Object.fromEntries(refused),
        spansPerSecond: Math.round(accepted / seconds), rawSqliteRowsPerSecond: Math.round(rawRate),
        ratioToRawSqlite: Math.round((accepted / seconds / rawRate) * 1000) / 1000,
        eventLoopLagP99Ms: lagP99 === null ? null : Math.round(lagP99 * 1000 * 10) / 10,
      };
      server.child.kill('SIGTERM');
      await server.exited;
      return result;
    } finally {
      server.child.kill('SIGKILL');
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
