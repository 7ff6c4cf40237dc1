// Soak: a real Telltale ingesting at a steady rate for SOAK_MINUTES (default 10) while synthetic
// checks run every 10 s and alert rules are evaluated every 5 s. It records resident memory over
// time (it should stay flat), the event-loop delay p99 per interval, query latency p95 (a query
// every second, rotating over the dashboard's queries), and dropped items (refused requests plus
// telltale_ingest_discarded_total; it should be zero). At the end, what was acknowledged is read
// back (stored = accepted).
//
// Run: `npm run bench -- soak` or `node --import tsx bench/soak.ts`. Knobs: SOAK_MINUTES (10),
// SOAK_RATE spans/s (10,000: half the measured maximum in bench/RESULTS.md), SOAK_SENDERS (4),
// SOAK_CHECKS (20), SOAK_SAMPLE_SECONDS (10). Not part of the test run.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTelltale } from '../test/helpers/process.ts';
import { encodeTraceRequest, type SyntheticSpan } from './otlp-encoder.ts';
import { progress } from './progress.ts';

const BATCH = 500;
const ROUTES = ['/orders/{id}', '/orders', '/products', '/products/{id}', '/users/{id}', '/cart', '/search', '/health'];
const QUERIES = ['/api/v1/services?from=now-1h', '/api/v1/routes?from=now-1h', '/api/v1/series?from=now-1h&service=soak-0', '/api/v1/errors?from=now-1h&by=route', '/api/v1/calls?from=now-15m&order=slowest&limit=50', '/api/v1/traces?from=now-15m&limit=50', '/api/v1/checks', '/api/v1/alerts'];

export interface SoakOptions {
  minutes: number;
  spansPerSecond: number;
  senders: number;
  checks: number;
  sampleSeconds: number;
}

/** The soak with its knobs from the environment (what `npm run bench -- soak` runs). */
export const soakFromEnv = () => soakBenchmark(soakOptionsFromEnv());

export const soakOptionsFromEnv = (): SoakOptions => ({
  minutes: Number(process.env.SOAK_MINUTES ?? 10),
  spansPerSecond: Number(process.env.SOAK_RATE ?? 10_000),
  senders: Number(process.env.SOAK_SENDERS ?? 4),
  checks: Number(process.env.SOAK_CHECKS ?? 20),
  sampleSeconds: Number(process.env.SOAK_SAMPLE_SECONDS ?? 10),
});

const percentile = (values: number[], q: number) => {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(q * (sorted.length - 1))]!;
};
const round = (n: number | null, digits = 1) => (n === null ? null : Math.round(n * 10 ** digits) / 10 ** digits);

async function rssMiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? NaN) / 1024;
}

function body(service: string, startMs: number): Buffer {
  const spans: SyntheticSpan[] = [];
  let t = BigInt(startMs) * 1_000_000n;
  for (let i = 0; i < BATCH; i++) {
    t += 100_000n;
    const r = Math.random();
    spans.push({ route: ROUTES[i % ROUTES.length]!, method: 'GET', status: r < 0.01 ? 503 : r < 0.05 ? 404 : 200, startNs: t, durationNs: BigInt(Math.round(Math.exp(Math.log(20e6) + 0.8 * (Math.random() - 0.5) * 3))) });
  }
  return encodeTraceRequest(service, spans);
}

export async function soakBenchmark(options: SoakOptions) {
  const dir = await mkdtemp(join(tmpdir(), 'telltale-soak-'));
  // The checks' target: answers in a few ms; one route in twenty fails so assertions do work.
  const target = createServer((req, res) => {
    setTimeout(() => {
      res.writeHead(req.url === '/flaky' && Math.random() < 0.05 ? 503 : 200, { 'content-type': 'application/json' });
      res.end('{"ok":true}');
    }, 2 + Math.random() * 8);
  });
  await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
  const targetUrl = `http://127.0.0.1:${(target.address() as AddressInfo).port}`;
  const checks = Array.from({ length: options.checks }, (_, i) => `  - id: soak-check-${i}
    name: Soak check ${i}
    type: http
    schedule: 10s
    request: { url: ${targetUrl}/${i % 2 ? 'flaky' : 'health'} }
    assertions: [{ kind: status, equals: 200 }]`).join('\n');
  await writeFile(join(dir, 'telltale.yaml'), `checks:\n${checks}\nalertRules:\n${[0, 1, 2, 3].map((k) => `  - id: soak-errors-${k}
    name: Soak errors ${k}
    kind: error_rate
    selector: { service: soak-${k} }
    threshold: 0.005
    minCalls: 10
    window: 5m
    groupWait: 0s
    groupInterval: 1m
    notify: [{ type: webhook, url: ${targetUrl}/hook }]`).join('\n')}\n`);

  const token = 'soak-admin-token-0123456789';
  const server = runTelltale(['serve'], {
    TELLTALE_DATA_DIR: join(dir, 'data'), TELLTALE_CONFIG: join(dir, 'telltale.yaml'), TELLTALE_PORT: '0', TELLTALE_OTLP_PORT: '0',
    TELLTALE_HOST: '127.0.0.1', TELLTALE_BOOTSTRAP_TOKEN: token, TELLTALE_LOG_LEVEL: 'info', TELLTALE_ALERT_EVAL_INTERVAL: '5s',
  });
  const auth = { authorization: `Bearer ${token}` };
  try {
    const [, url] = await server.waitFor(/Server listening at (http:\/\/127\.0\.0\.1:\d+)/);
    const pid = server.child.pid!;
    const metrics = async () => (await (await fetch(`${url}/metrics`, { headers: auth })).text()).split('\n');
    const metricSum = (lines: string[], name: string) => lines.filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `)).reduce((n, l) => n + Number(l.split(' ').pop()), 0);

    const started = performance.now();
    const deadline = started + options.minutes * 60_000;
    let accepted = 0;
    let sentBatches = 0;
    const refused = new Map<number, number>();
    const queryMs: number[] = [];
    const queryMsByPath = new Map<string, number[]>();
    const samples: Array<{ atS: number; rssMiB: number; heapUsedMiB: number; eventLoopP99Ms: number | null; queryP95Ms: number | null; acceptedSpans: number; discarded: number; checkRuns: number }> = [];
    let queriesSinceSample: number[] = [];
    progress(`soak: ${options.minutes} min at ${options.spansPerSecond.toLocaleString()} spans/s, ${options.checks} checks every 10 s, alert evaluation every 5 s`);

    // Senders pace themselves to the rate: batch k of all senders is due at k·BATCH/rate seconds.
    const interval = (BATCH / options.spansPerSecond) * 1000;
    const senders = Array.from({ length: options.senders }, async (_, s) => {
      for (let k = s; performance.now() < deadline; k += options.senders) {
        const due = started + k * interval;
        const wait = due - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        if (performance.now() >= deadline) break;
        const payload = body(`soak-${k % 4}`, Date.now() - 5_000);
        sentBatches++;
        try {
          const response = await fetch(`${url}/v1/traces`, { method: 'POST', body: new Uint8Array(payload), headers: { 'content-type': 'application/x-protobuf', ...auth } });
          await response.arrayBuffer();
          if (response.status === 200) accepted += BATCH;
          else refused.set(response.status, (refused.get(response.status) ?? 0) + 1);
        } catch {
          refused.set(0, (refused.get(0) ?? 0) + 1);
        }
      }
    });
    const querier = (async () => {
      for (let i = 0; performance.now() < deadline; i++) {
        const path = QUERIES[i % QUERIES.length]!;
        const t0 = performance.now();
        const response = await fetch(url + path, { headers: auth });
        await response.arrayBuffer();
        const ms = performance.now() - t0;
        if (response.status !== 200) progress(`  query ${path}: ${response.status}`);
        queryMs.push(ms);
        queriesSinceSample.push(ms);
        queryMsByPath.set(path, [...(queryMsByPath.get(path) ?? []), ms]);
        await new Promise((r) => setTimeout(r, Math.max(0, 1000 - ms)));
      }
    })();
    const sampler = (async () => {
      while (performance.now() < deadline) {
        await new Promise((r) => setTimeout(r, options.sampleSeconds * 1000));
        const lines = await metrics();
        const lag = lines.find((l) => l.startsWith('nodejs_eventloop_lag_p99_seconds '));
        const sample = {
          atS: Math.round((performance.now() - started) / 1000), rssMiB: round(await rssMiB(pid))!,
          // RSS includes SQLite's page cache (256 MiB per connection, filling as the file grows); the JS heap shows leaks.
          heapUsedMiB: round(metricSum(lines, 'nodejs_heap_size_used_bytes') / 2 ** 20)!,
          eventLoopP99Ms: lag ? round(Number(lag.split(' ')[1]) * 1000) : null, queryP95Ms: round(percentile(queriesSinceSample, 0.95)),
          acceptedSpans: accepted, discarded: metricSum(lines, 'telltale_ingest_discarded_total'), checkRuns: metricSum(lines, 'telltale_check_runs_total'),
        };
        queriesSinceSample = [];
        samples.push(sample);
        progress(`  ${sample.atS}s: RSS ${sample.rssMiB} MiB, heap ${sample.heapUsedMiB} MiB, loop p99 ${sample.eventLoopP99Ms} ms, query p95 ${sample.queryP95Ms} ms, ${Math.round(accepted / ((performance.now() - started) / 1000)).toLocaleString()} spans/s, ${sample.discarded} discarded, ${sample.checkRuns} check runs`);
      }
    })();
    await Promise.all([...senders, querier, sampler]);
    const seconds = (performance.now() - started) / 1000;

    // Let the last commits land, then read back what was acknowledged.
    const services = (await (await fetch(`${url}/api/v1/services?from=now-2h`, { headers: auth })).json()) as { services: Array<{ service: string; calls: number }> };
    const stored = services.services.filter((s) => s.service.startsWith('soak-')).reduce((n, s) => n + s.calls, 0);
    const lines = await metrics();
    const alerts = (await (await fetch(`${url}/api/v1/alerts`, { headers: auth })).json()) as { alerts?: Array<{ state?: string; status?: string }> };
    const rss = samples.map((s) => s.rssMiB);
    const half = Math.floor(rss.length / 2);
    const lags = samples.map((s) => s.eventLoopP99Ms).filter((v): v is number => v !== null);
    const result = {
      minutes: options.minutes, targetSpansPerSecond: options.spansPerSecond, achievedSpansPerSecond: Math.round(accepted / seconds),
      senders: options.senders, checks: options.checks, sentBatches, acceptedSpans: accepted, storedCalls: stored, storedEqualsAccepted: stored === accepted,
      refusedRequests: Object.fromEntries(refused), discarded: metricSum(lines, 'telltale_ingest_discarded_total'),
      droppedItems: [...refused.values()].reduce((n, c) => n + c * BATCH, 0) + metricSum(lines, 'telltale_ingest_discarded_total'),
      checkRuns: metricSum(lines, 'telltale_check_runs_total'),
      alertStates: (alerts.alerts ?? []).reduce<Record<string, number>>((acc, a) => ({ ...acc, [a.state ?? a.status ?? '?']: (acc[a.state ?? a.status ?? '?'] ?? 0) + 1 }), {}),
      heapUsedMiB: { first: samples[0]?.heapUsedMiB ?? null, last: samples.at(-1)?.heapUsedMiB ?? null, max: samples.length ? Math.max(...samples.map((x) => x.heapUsedMiB)) : null },
      rssMiB: { first: rss[0] ?? null, last: rss.at(-1) ?? null, max: rss.length ? Math.max(...rss) : null, firstHalfMean: round(mean(rss.slice(0, half))), secondHalfMean: round(mean(rss.slice(half))) },
      eventLoopP99Ms: { median: round(percentile(lags, 0.5)), max: lags.length ? Math.max(...lags) : null },
      queryLatencyMs: { p50: round(percentile(queryMs, 0.5)), p95: round(percentile(queryMs, 0.95)), max: round(queryMs.length ? Math.max(...queryMs) : null), count: queryMs.length },
      // Which query a slow p95 comes from.
      queryLatencyByPathMs: Object.fromEntries([...queryMsByPath].map(([path, ms]) => [path, { p50: round(percentile(ms, 0.5)), p95: round(percentile(ms, 0.95)), max: round(Math.max(...ms)) }])),
      samples,
    };
    server.child.kill('SIGTERM');
    await server.exited;
    return result;
  } finally {
    server.child.kill('SIGKILL');
    target.close();
    await rm(dir, { recursive: true, force: true });
  }
}

function mean(values: number[]): number | null {
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : null;
}

// Run directly: `node --import tsx bench/soak.ts`.
if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await soakFromEnv();
  console.log(JSON.stringify(result, null, 2));
}
