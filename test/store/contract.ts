// The behaviour every Store must have, whatever its engine. It speaks only the Store
// interface, so the ClickHouse store runs the very same tests against a real server.
import { test } from 'node:test';
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { HOUR_MS, MINUTE_MS, emptyAggregate, mergeAggregate, percentile } from '../../store/index.ts';
import type { Aggregate, AggregateRow, ApiCall, SpanRecord, Store, TraceSummary } from '../../store/index.ts';
import { createRandom } from '../helpers/random.ts';
import type { Random } from '../helpers/random.ts';

/** A Monday, 10:00 UTC: hour-aligned, so window edges below are easy to reason about. */
const T0 = Date.UTC(2026, 0, 5, 10, 0, 0);
const DAY_MS = 24 * HOUR_MS;
const QUANTILES = [0.5, 0.9, 0.95, 0.99, 0.999];
const STATUSES = [200, 200, 200, 200, 200, 200, 201, 204, 304, 400, 404, 404, 429, 500, 502, 503, 0];

interface CallSpec {
  seed: number;
  n: number;
  fromMs: number;
  toMs: number;
  services?: string[];
  routes?: string[];
  latency?: (r: Random) => number;
}

/** Calls with durations on a 1/1024 ms grid, whose sums are exact in any order of addition. */
function generateCalls(spec: CallSpec): ApiCall[] {
  const r = createRandom(spec.seed);
  const latency = spec.latency ?? ((x: Random) => x.lognormal(Math.log(30), 0.8));
  return Array.from({ length: spec.n }, (_, i) => {
    const statusCode = r.pick(STATUSES);
    return {
      id: `s${spec.seed}-${i}`,
      timeUnixMs: spec.fromMs + Math.floor(r.next() * (spec.toMs - spec.fromMs)),
      service: r.pick(spec.services ?? ['api']),
      method: r.pick(['GET', 'GET', 'POST']),
      route: r.pick(spec.routes ?? ['/users/{id}']),
      statusCode,
      // A few untimed calls (a log format without request time): counted, but not in latency.
      durationMs: r.next() < 0.03 ? null : Math.round(latency(r) * 1024) / 1024,
      source: r.pick(['trace', 'gateway'] as const),
      traceId: null,
      spanId: null,
      consumer: r.pick(['alice', 'bob', null]),
      error: statusCode >= 500 || statusCode === 0 || r.next() < 0.01,
    };
  });
}

const within = (calls: readonly ApiCall[], fromMs: number, toMs: number): ApiCall[] =>
  calls.filter((c) => c.timeUnixMs >= fromMs && c.timeUnixMs < toMs);

function assertExact(agg: Aggregate, calls: readonly ApiCall[], label: string): void {
  const statusCounts: Record<string, number> = {};
  for (const c of calls) statusCounts[String(c.statusCode)] = (statusCounts[String(c.statusCode)] ?? 0) + 1;
  const durations = calls.flatMap((c) => (c.durationMs === null ? [] : [c.durationMs])).sort((a, b) => a - b);
  assert.deepEqual({
    calls: agg.calls, errors: agg.errors, status4xx: agg.status4xx, status5xx: agg.status5xx,
    sum: agg.durationSumMs, min: agg.durationMinMs, max: agg.durationMaxMs, statusCounts: agg.statusCounts,
  }, {
    calls: calls.length,
    errors: calls.filter((c) => c.error).length,
    status4xx: calls.filter((c) => c.statusCode >= 400 && c.statusCode < 500).length,
    status5xx: calls.filter((c) => c.statusCode >= 500 && c.statusCode < 600).length,
    sum: durations.reduce((a, b) => a + b, 0), min: durations[0], max: durations.at(-1), statusCounts,
  }, label);
  for (const q of QUANTILES) {
    const exact = durations[Math.floor(q * (durations.length - 1))]!;
    const got = percentile(agg, q);
    assert.ok(Math.abs(got - exact) <= 0.01 * exact + 1e-9, `${label} p${q * 100}: ${got} vs exact ${exact}`);
  }
}

/** Everything in an Aggregate, in a form deepEqual compares bucket by bucket. */
function plain(agg: Aggregate): unknown {
  const { sketch, ...rest } = agg;
  return { ...rest, buckets: sketch.toArrays(), zeroCount: sketch.zeroCount, count: sketch.count };
}

function mergeRows(rows: readonly AggregateRow[]): Aggregate {
  return rows.reduce((into, row) => mergeAggregate(into, row.agg), emptyAggregate());
}

function span(traceId: string, spanId: string, parentSpanId: string | null, service: string, name: string,
  startNs: bigint, durationNs: bigint, more: Partial<SpanRecord> = {}): SpanRecord {
  return {
    traceId, spanId, parentSpanId, service, name, kind: parentSpanId ? 3 : 2,
    startTimeUnixNano: String(startNs), endTimeUnixNano: String(startNs + durationNs),
    durationMs: Number(durationNs) / 1e6, statusCode: 0, statusMessage: '',
    attributes: {}, resource: { 'service.name': service }, events: [], ...more,
  };
}

const traceId = (n: number): string => n.toString(16).padStart(32, '0');
const ids = (traces: readonly TraceSummary[]): string[] => traces.map((t) => t.traceId);

/** Registers the Store contract tests; `open` must return a fresh, empty store each time. */
export function runStoreContract(name: string, open: () => Promise<Store>): void {
  async function fresh(t: TestContext): Promise<Store> {
    const store = await open();
    t.after(() => store.close());
    return store;
  }

  void test(`${name}: re-sending a batch changes nothing`, async (t) => {
    const store = await fresh(t);
    const calls = generateCalls({ seed: 1, n: 300, fromMs: T0, toMs: T0 + HOUR_MS });
    const spans = [span(traceId(1), 'a1', null, 'api', 'GET /x', BigInt(T0) * 1_000_000n, 5_000_000n)];
    assert.deepEqual(await store.append({ calls, spans }), { callsInserted: 300, spansInserted: 1 });
    assert.deepEqual(await store.append({ calls, spans }), { callsInserted: 0, spansInserted: 0 });
    const extra = generateCalls({ seed: 2, n: 50, fromMs: T0, toMs: T0 + HOUR_MS });
    // Overlap with old calls, and a duplicate id inside one batch.
    const mixed = [...calls.slice(0, 100), ...extra, extra[0]!];
    assert.deepEqual(await store.append({ calls: mixed, spans }), { callsInserted: 50, spansInserted: 0 });
    const query = { fromMs: T0, toMs: T0 + HOUR_MS, filter: {}, groupBy: [] };
    const rows = await store.aggregate(query);
    assert.equal(rows.length, 1);
    assertExact(rows[0]!.agg, [...calls, ...extra], 'after duplicates');
    assert.equal((await store.calls({ ...query, order: 'recent', limit: 1000 })).length, 350);
    assert.equal((await store.trace(traceId(1))).length, 1);
  });

  void test(`${name}: a reader's cursor is saved with its rows, and alone`, async (t) => {
    const store = await fresh(t);
    assert.equal(await store.getCursor('tail:/var/log/a.log'), null);
    const calls = generateCalls({ seed: 9, n: 20, fromMs: T0, toMs: T0 + MINUTE_MS });
    await store.append({ calls, spans: [], cursors: [{ source: 'tail:/var/log/a.log', position: '1:4096' }] });
    assert.equal(await store.getCursor('tail:/var/log/a.log'), '1:4096');
    // A batch whose lines were all rejected still moves the reader on.
    assert.deepEqual(await store.append({ calls: [], spans: [], cursors: [{ source: 'tail:/var/log/a.log', position: '1:8192' }] }), { callsInserted: 0, spansInserted: 0 });
    assert.equal(await store.getCursor('tail:/var/log/a.log'), '1:8192');
    assert.equal(await store.getCursor('tail:/var/log/b.log'), null);
    const [row] = await store.aggregate({ fromMs: T0, toMs: T0 + HOUR_MS, filter: {}, groupBy: [] });
    assert.equal(row?.agg.calls, 20);
  });

  void test(`${name}: aggregate totals and percentiles are exact within one minute`, async (t) => {
    const store = await fresh(t);
    const minute = T0 + 7 * MINUTE_MS;
    const lognormal = generateCalls({ seed: 3, n: 4000, fromMs: minute, toMs: minute + MINUTE_MS, routes: ['/a'] });
    const bimodal = generateCalls({ seed: 4, n: 4000, fromMs: minute, toMs: minute + MINUTE_MS, routes: ['/b'], latency: (r) => r.bimodal() });
    const neighbours = generateCalls({ seed: 5, n: 200, fromMs: minute - MINUTE_MS, toMs: minute, routes: ['/a', '/b'] })
      .concat(generateCalls({ seed: 6, n: 200, fromMs: minute + MINUTE_MS, toMs: minute + 2 * MINUTE_MS, routes: ['/a', '/b'] }));
    await store.append({ calls: [...lognormal, ...bimodal, ...neighbours], spans: [] });
    const rows = await store.aggregate({ fromMs: minute, toMs: minute + MINUTE_MS, filter: {}, groupBy: ['route'] });
    assert.deepEqual(rows.map((r) => [r.group, 'bucketStartMs' in r]), [[{ route: '/a' }, false], [{ route: '/b' }, false]]);
    assertExact(rows[0]!.agg, lognormal, 'log-normal minute');
    assertExact(rows[1]!.agg, bimodal, 'bimodal minute');
    assert.deepEqual(await store.aggregate({ fromMs: T0 + 2 * HOUR_MS, toMs: T0 + 3 * HOUR_MS, filter: {}, groupBy: [] }), []);
  });

  void test(`${name}: hour rollups with ragged minute edges equal the minute-only merge`, async (t) => {
    const store = await fresh(t);
    const spec = { n: 9000, fromMs: T0 - HOUR_MS, toMs: T0 + 7 * HOUR_MS };
    const calls = [
      ...generateCalls({ ...spec, seed: 7, routes: ['/a'] }),
      ...generateCalls({ ...spec, seed: 8, routes: ['/b'], latency: (r) => r.bimodal() }),
    ];
    await store.append({ calls: calls.slice(0, 10_000), spans: [] });
    await store.append({ calls: calls.slice(10_000), spans: [] });
    // 10:17 to 15:43: four whole hours (11–15) plus ragged edges at both ends.
    const fromMs = T0 + 17 * MINUTE_MS;
    const toMs = T0 + 5 * HOUR_MS + 43 * MINUTE_MS;
    const base = { fromMs, toMs, filter: {}, groupBy: ['route' as const] };
    const whole = await store.aggregate(base);
    const byMinute = await store.aggregate({ ...base, stepMs: MINUTE_MS });
    assert.deepEqual(whole.map((r) => r.group), [{ route: '/a' }, { route: '/b' }]);
    for (const row of whole) {
      const mine = calls.filter((c) => c.route === row.group.route);
      assertExact(row.agg, within(mine, fromMs, toMs), `hour-level ${row.group.route}`);
      const minuteMerge = mergeRows(byMinute.filter((r) => r.group.route === row.group.route));
      assert.deepEqual(plain(row.agg), plain(minuteMerge), 'hour rows and minute rows hold the same calls');
    }
    const everything = await store.aggregate({ ...base, groupBy: [] });
    assertExact(everything[0]!.agg, within(calls, fromMs, toMs), 'both routes merged');
  });

  void test(`${name}: step buckets are aligned to the epoch and exact per bucket`, async (t) => {
    const store = await fresh(t);
    const calls = generateCalls({ seed: 9, n: 6000, fromMs: T0 - HOUR_MS, toMs: T0 + 5 * HOUR_MS, latency: (r) => r.bimodal() });
    await store.append({ calls, spans: [] });
    const fromMs = T0 + 13 * MINUTE_MS;
    const toMs = T0 + 4 * HOUR_MS + 31 * MINUTE_MS;
    for (const stepMs of [5 * MINUTE_MS, 2 * HOUR_MS]) {
      const rows = await store.aggregate({ fromMs, toMs, filter: {}, groupBy: [], stepMs });
      const starts = rows.map((r) => r.bucketStartMs!);
      assert.deepEqual(starts, [...starts].sort((a, b) => a - b), 'buckets in time order');
      assert.equal(rows.reduce((n, r) => n + r.agg.calls, 0), within(calls, fromMs, toMs).length);
      for (const row of rows) {
        const start = row.bucketStartMs!;
        assert.equal(start % stepMs, 0);
        const inBucket = within(within(calls, fromMs, toMs), start, start + stepMs);
        assertExact(row.agg, inBucket, `step ${stepMs} bucket ${new Date(start).toISOString()}`);
      }
    }
  });

  void test(`${name}: routes merge into their service, and filters and groupBy select exactly`, async (t) => {
    const store = await fresh(t);
    const services = ['billing', 'users'];
    const routes = ['/a', '/b', '/c', '/d'];
    const calls = generateCalls({ seed: 10, n: 8000, fromMs: T0, toMs: T0 + 3 * HOUR_MS, services, routes,
      latency: (r) => (r.next() < 0.5 ? r.bimodal() : r.lognormal(Math.log(80), 1.1)) });
    await store.append({ calls, spans: [] });
    const range = { fromMs: T0, toMs: T0 + 3 * HOUR_MS };
    const billing = await store.aggregate({ ...range, filter: { service: 'billing' }, groupBy: ['service'] });
    assert.deepEqual(billing.map((r) => r.group), [{ service: 'billing' }]);
    assertExact(billing[0]!.agg, calls.filter((c) => c.service === 'billing'), 'service of four routes');

    const grouped = await store.aggregate({ ...range, filter: { method: 'POST', source: 'gateway' }, groupBy: ['service', 'route'] });
    assert.deepEqual(grouped.map((r) => r.group), services.flatMap((service) => routes.map((route) => ({ service, route }))));
    for (const row of grouped) {
      assertExact(row.agg, calls.filter((c) => c.method === 'POST' && c.source === 'gateway'
        && c.service === row.group.service && c.route === row.group.route), `group ${JSON.stringify(row.group)}`);
    }
    const bySource = await store.aggregate({ ...range, filter: { route: '/c', service: 'users' }, groupBy: ['source', 'method'] });
    assert.deepEqual(bySource.map((r) => r.group), [
      { source: 'gateway', method: 'GET' }, { source: 'gateway', method: 'POST' },
      { source: 'trace', method: 'GET' }, { source: 'trace', method: 'POST' },
    ]);
    assert.deepEqual(await store.aggregate({ ...range, filter: { service: 'nobody' }, groupBy: [] }), []);
  });

  void test(`${name}: hostile values are data, never SQL`, async (t) => {
    const store = await fresh(t);
    const hostile = ["x' OR '1'='1", '"; DROP TABLE calls; --', "'); DELETE FROM calls; --", '%', '_'];
    const calls = hostile.map((text, i) => ({
      ...generateCalls({ seed: 11, n: 1, fromMs: T0, toMs: T0 + MINUTE_MS })[0]!,
      id: `${text}-${i}`, service: text, route: text, consumer: text,
    }));
    await store.append({ calls, spans: [] });
    const range = { fromMs: T0, toMs: T0 + HOUR_MS };
    for (const text of hostile) {
      const rows = await store.aggregate({ ...range, filter: { service: text, route: text }, groupBy: ['service'] });
      assert.deepEqual(rows.map((r) => [r.group.service, r.agg.calls]), [[text, 1]], text);
      const found = await store.calls({ ...range, filter: { consumer: text, route: text }, order: 'recent', limit: 10 });
      assert.deepEqual(found.map((c) => c.service), [text]);
      assert.deepEqual(await store.searchTraces({ ...range, service: text, route: text, limit: 10 }), []);
      assert.equal(await store.findTokenByHash(text), null);
      assert.equal(await store.deleteToken(text), false);
    }
    assert.deepEqual(await store.aggregate({ ...range, filter: { service: "nobody' OR '1'='1" }, groupBy: [] }), []);
    const all = await store.aggregate({ ...range, filter: {}, groupBy: [] });
    assert.equal(all[0]!.agg.calls, hostile.length, 'nothing was dropped or deleted');
  });

  void test(`${name}: calls() filters, orders and limits raw calls`, async (t) => {
    const store = await fresh(t);
    const calls = generateCalls({ seed: 12, n: 400, fromMs: T0, toMs: T0 + HOUR_MS, services: ['a', 'b'], routes: ['/x', '/y'] })
      .map((c, i) => ({ ...c, timeUnixMs: T0 + i * 7919 % HOUR_MS, traceId: i % 3 === 0 ? traceId(i) : null, spanId: i % 3 === 0 ? `s${i}` : null }));
    await store.append({ calls, spans: [] });
    const range = { fromMs: T0 + 5 * MINUTE_MS, toMs: T0 + 50 * MINUTE_MS };
    const recent = (list: ApiCall[]) => [...list].sort((x, y) => y.timeUnixMs - x.timeUnixMs);
    // Untimed calls sort after every timed one.
    const slowest = (list: ApiCall[]) => [...list].sort((x, y) => (y.durationMs ?? -1) - (x.durationMs ?? -1) || y.timeUnixMs - x.timeUnixMs);
    const inRange = within(calls, range.fromMs, range.toMs);
    const cases: [string, Parameters<Store['calls']>[0], ApiCall[]][] = [
      ['recent', { ...range, filter: {}, order: 'recent', limit: 25 }, recent(inRange).slice(0, 25)],
      ['slowest', { ...range, filter: {}, order: 'slowest', limit: 25 }, slowest(inRange).slice(0, 25)],
      ['exact status', { ...range, filter: {}, status: 404, order: 'recent', limit: 500 }, recent(inRange.filter((c) => c.statusCode === 404))],
      ['status class', { ...range, filter: {}, status: '5xx', order: 'recent', limit: 500 },
        recent(inRange.filter((c) => c.statusCode >= 500 && c.statusCode < 600))],
      ['errors only', { ...range, filter: { service: 'a' }, errorsOnly: true, order: 'slowest', limit: 500 },
        slowest(inRange.filter((c) => c.error && c.service === 'a'))],
      ['min duration', { ...range, filter: { route: '/y', method: 'GET' }, minDurationMs: 40, order: 'recent', limit: 500 },
        recent(inRange.filter((c) => c.route === '/y' && c.method === 'GET' && c.durationMs !== null && c.durationMs >= 40))],
      ['consumer and source', { ...range, filter: { consumer: 'bob', source: 'gateway' }, order: 'recent', limit: 500 },
        recent(inRange.filter((c) => c.consumer === 'bob' && c.source === 'gateway'))],
      ['limit zero', { ...range, filter: {}, order: 'recent', limit: 0 }, []],
    ];
    for (const [label, query, expected] of cases) {
      assert.ok(label === 'limit zero' || expected.length > 3, `${label} has data`);
      assert.deepEqual(await store.calls(query), expected, label);
    }
    // [from, to) is inclusive at the start and exclusive at the end.
    const edge = calls[0]!;
    const at = (fromMs: number, toMs: number) => store.calls({ fromMs, toMs, filter: {}, order: 'recent', limit: 5 });
    assert.deepEqual((await at(edge.timeUnixMs, edge.timeUnixMs + 1)).map((c) => c.id), [edge.id]);
    assert.deepEqual(await at(edge.timeUnixMs - 1, edge.timeUnixMs), []);
  });

  void test(`${name}: consumerBreakdown counts per consumer, worst first`, async (t) => {
    const store = await fresh(t);
    const base = generateCalls({ seed: 13, n: 1, fromMs: T0, toMs: T0 + 1 })[0]!;
    let n = 0;
    const make = (consumer: string | null, count: number, errors: number, service = 'api', timeUnixMs = T0 + 1000) =>
      Array.from({ length: count }, (_, i) => ({
        ...base, id: `b${n++}`, consumer, service, timeUnixMs,
        statusCode: i < errors ? 503 : i === errors ? 404 : 200, error: i < errors,
      }));
    await store.append({
      calls: [...make('alice', 10, 5), ...make('bob', 20, 5), ...make(null, 7, 1), ...make('carol', 3, 0),
        ...make('alice', 50, 50, 'other'), ...make('bob', 50, 50, 'api', T0 + 2 * HOUR_MS)],
      spans: [],
    });
    const range = { fromMs: T0, toMs: T0 + HOUR_MS };
    assert.deepEqual(await store.consumerBreakdown(range, { service: 'api' }, 10), [
      { consumer: 'bob', calls: 20, errors: 5, status4xx: 1, status5xx: 5 },
      { consumer: 'alice', calls: 10, errors: 5, status4xx: 1, status5xx: 5 },
      { consumer: null, calls: 7, errors: 1, status4xx: 1, status5xx: 1 },
      { consumer: 'carol', calls: 3, errors: 0, status4xx: 1, status5xx: 0 },
    ]);
    assert.deepEqual((await store.consumerBreakdown(range, { service: 'api' }, 2)).map((r) => r.consumer), ['bob', 'alice']);
    assert.deepEqual((await store.consumerBreakdown(range, {}, 1))[0], { consumer: 'alice', calls: 60, errors: 55, status4xx: 1, status5xx: 55 });
  });

  void test(`${name}: searchTraces filters whole traces, newest first`, async (t) => {
    const store = await fresh(t);
    const ns = (ms: number) => BigInt(T0 + ms) * 1_000_000n;
    const spans = [
      span(traceId(1), 'r1', null, 'frontend', 'GET /checkout', ns(1000), 120_000_000n, { attributes: { 'http.route': '/checkout' } }),
      span(traceId(1), 'c1', 'r1', 'payments', 'POST /charge', ns(1010), 80_000_000n, { statusCode: 2, statusMessage: 'declined' }),
      span(traceId(2), 'r2', null, 'frontend', 'GET /users/{id}', ns(2000), 15_000_000n),
      span(traceId(2), 'c2', 'r2', 'users', 'SELECT users', ns(2002), 5_000_000n),
      // The root of trace 3 has not arrived: it is named after its earliest span.
      span(traceId(3), 'c3b', 'missing', 'stock', 'GET /stock/{sku}', ns(3100), 250_000_000n),
      span(traceId(3), 'c3a', 'missing', 'inventory', 'GET /stock', ns(3000), 300_000_000n),
      span(traceId(4), 'r4', null, 'frontend', 'GET /health', ns(4000), 1_000_000n),
      span(traceId(5), 'r5', null, 'frontend', 'GET /late', ns(2 * HOUR_MS), 1_000_000n),
    ];
    const healthCall = { ...generateCalls({ seed: 14, n: 1, fromMs: T0 + 4000, toMs: T0 + 4001 })[0]!,
      route: '/healthz', traceId: traceId(4), spanId: 'r4' };
    await store.append({ calls: [healthCall], spans: [...spans].reverse() });
    const window = { fromMs: T0, toMs: T0 + HOUR_MS, limit: 10 };
    const all = await store.searchTraces(window);
    assert.deepEqual(ids(all), [traceId(4), traceId(3), traceId(2), traceId(1)]);
    assert.deepEqual(all[3], {
      traceId: traceId(1), rootService: 'frontend', rootName: 'GET /checkout', startTimeUnixNano: String(ns(1000)),
      durationMs: 120, spanCount: 2, errorCount: 1, services: ['frontend', 'payments'],
    });
    assert.deepEqual(
      { root: [all[1]!.rootService, all[1]!.rootName], durationMs: all[1]!.durationMs, services: all[1]!.services },
      { root: ['inventory', 'GET /stock'], durationMs: 350, services: ['inventory', 'stock'] },
    );
    const search = async (extra: object) => ids(await store.searchTraces({ ...window, ...extra }));
    assert.deepEqual(await search({ service: 'payments' }), [traceId(1)]);
    assert.deepEqual(await search({ service: 'frontend', hasError: false }), [traceId(4), traceId(2)]);
    assert.deepEqual(await search({ hasError: true }), [traceId(1)]);
    assert.deepEqual(await search({ minDurationMs: 120 }), [traceId(3), traceId(1)]);
    assert.deepEqual(await search({ route: '/users/{id}' }), [traceId(2)], 'route from the span name');
    assert.deepEqual(await search({ route: '/checkout' }), [traceId(1)], 'route from http.route');
    assert.deepEqual(await search({ route: '/healthz' }), [traceId(4)], 'route from the trace’s ApiCall');
    assert.deepEqual(await search({ limit: 2 }), [traceId(4), traceId(3)]);
    assert.deepEqual(await search({ fromMs: T0 + 2 * HOUR_MS, toMs: T0 + 3 * HOUR_MS }), [traceId(5)]);
    assert.deepEqual(await search({ fromMs: T0 + 3000, toMs: T0 + 3001 }), [traceId(3)], 'the window of its first span');
    assert.deepEqual(await search({ fromMs: T0 + 3001, toMs: T0 + 3101 }), [], 'not of its later spans');

    const waterfall = await store.trace(traceId(3));
    assert.deepEqual(waterfall, [spans[5], spans[4]]);

    // Spans arriving later (a root, an error) update the summaries, once however often re-sent.
    const late = [
      span(traceId(3), 'r3', null, 'gateway', 'GET /stock', ns(2990), 360_000_000n),
      span(traceId(2), 'c2b', 'r2', 'cache', 'GET', ns(2003), 1_000_000n, { statusCode: 2 }),
    ];
    await store.append({ calls: [], spans: late });
    await store.append({ calls: [], spans: late });
    const updated = await store.searchTraces({ ...window, limit: 3 });
    assert.deepEqual(updated.slice(1).map((s) => [s.traceId, s.rootService, s.rootName, s.startTimeUnixNano, s.durationMs, s.spanCount, s.errorCount]), [
      [traceId(3), 'gateway', 'GET /stock', String(ns(2990)), 360, 3, 0],
      [traceId(2), 'frontend', 'GET /users/{id}', String(ns(2000)), 15, 3, 1],
    ]);
    assert.deepEqual(updated[2]!.services, ['cache', 'frontend', 'users']);
    assert.deepEqual(await store.trace(traceId(1)), spans.slice(0, 2));
    assert.deepEqual(await store.trace(traceId(99)), []);
  });

  void test(`${name}: span times and attributes round-trip exactly to the nanosecond`, async (t) => {
    const store = await fresh(t);
    const start = 1_700_000_000_123_456_789n;
    const root = span(traceId(7), 'root', null, 'api', 'GET /ns', start, 100_000_002n, {
      attributes: { 'http.route': '/ns', 'http.response.status_code': 200, ok: true, none: null, list: [1, 'two', [3]], nested: { a: { b: 'c' } } },
      events: [{ name: 'exception', timeUnixNano: '1700000000123456790', attributes: { 'exception.type': 'Error' } }],
    });
    const child = span(traceId(7), 'child', 'root', 'db', 'SELECT', start + 1n, 1n);
    await store.append({ calls: [], spans: [child, root] });
    assert.deepEqual(await store.trace(traceId(7)), [root, child]);
    assert.equal(child.startTimeUnixNano, '1700000000123456790');
    const found = await store.searchTraces({ fromMs: 1_700_000_000_123, toMs: 1_700_000_000_124, limit: 5 });
    assert.equal(found.length, 1);
    assert.equal(found[0]!.startTimeUnixNano, '1700000000123456789');
    assert.ok(Math.abs(found[0]!.durationMs - 100.000002) < 1e-9);
    assert.deepEqual(await store.searchTraces({ fromMs: 1_700_000_000_124, toMs: 1_700_000_000_200, limit: 5 }), []);
  });

  void test(`${name}: tokens are stored, found by hash, listed and deleted`, async (t) => {
    const store = await fresh(t);
    const ingest = { id: 'tok-1', name: 'collector', scope: 'ingest' as const, hash: 'a'.repeat(64), createdAtMs: T0 };
    const admin = { id: 'tok-2', name: 'ops', scope: 'admin' as const, hash: 'b'.repeat(64), createdAtMs: T0 + 1 };
    await store.createToken(admin);
    await store.createToken(ingest);
    assert.deepEqual(await store.findTokenByHash(ingest.hash), ingest);
    assert.equal(await store.findTokenByHash('c'.repeat(64)), null);
    assert.deepEqual(await store.listTokens(), [ingest, admin]);
    await assert.rejects(store.createToken({ ...admin, id: 'tok-3' }), 'a hash is unique');
    assert.equal(await store.deleteToken('tok-1'), true);
    assert.equal(await store.deleteToken('tok-1'), false);
    assert.equal(await store.findTokenByHash(ingest.hash), null);
    assert.deepEqual(await store.listTokens(), [admin]);
  });

  void test(`${name}: retention removes what is old and keeps what is new`, async (t) => {
    const store = await fresh(t);
    const oldFrom = T0 - 10 * DAY_MS;
    const old = generateCalls({ seed: 15, n: 500, fromMs: oldFrom, toMs: oldFrom + 2 * HOUR_MS });
    const fresh_ = generateCalls({ seed: 16, n: 500, fromMs: T0, toMs: T0 + 2 * HOUR_MS });
    await store.append({
      calls: [...old, ...fresh_],
      spans: [span(traceId(1), 'o', null, 'api', 'GET /old', BigInt(oldFrom) * 1_000_000n, 1n),
        span(traceId(2), 'n', null, 'api', 'GET /new', BigInt(T0) * 1_000_000n, 1n)],
    });
    const removed = await store.applyRetention({
      rawBeforeMs: T0 - DAY_MS, minuteRollupsBeforeMs: T0 - DAY_MS, hourRollupsBeforeMs: T0 - 30 * DAY_MS,
    });
    assert.ok(removed >= old.length + 1, `removed ${removed}`);
    const ever = { fromMs: 0, toMs: T0 + DAY_MS };
    assert.deepEqual((await store.calls({ ...ever, filter: {}, order: 'recent', limit: 5000 })).map((c) => c.id).sort(),
      fresh_.map((c) => c.id).sort());
    assert.deepEqual(ids(await store.searchTraces({ ...ever, limit: 10 })), [traceId(2)]);
    const oldWindow = { fromMs: oldFrom, toMs: oldFrom + 2 * HOUR_MS, filter: {}, groupBy: [] };
    assert.deepEqual(await store.aggregate({ ...oldWindow, stepMs: 5 * MINUTE_MS }), [], 'old minute rollups are gone');
    assertExact(mergeRows(await store.aggregate({ ...oldWindow, stepMs: HOUR_MS })), old, 'old hour rollups are kept');
    assertExact((await store.aggregate({ ...oldWindow, fromMs: T0, toMs: T0 + 2 * HOUR_MS }))[0]!.agg, fresh_, 'new data intact');

    const again = await store.applyRetention({
      rawBeforeMs: T0 - DAY_MS, minuteRollupsBeforeMs: T0 - DAY_MS, hourRollupsBeforeMs: T0 - DAY_MS,
    });
    assert.ok(again > 0);
    assert.deepEqual(await store.aggregate({ ...oldWindow, stepMs: HOUR_MS }), [], 'old hour rollups are gone');
    assert.equal(await store.applyRetention({
      rawBeforeMs: T0 - DAY_MS, minuteRollupsBeforeMs: T0 - DAY_MS, hourRollupsBeforeMs: T0 - DAY_MS,
    }), 0, 'nothing left to remove');
  });

  void test(`${name}: check definitions are stored, replaced, listed by id and deleted`, async (t) => {
    const store = await fresh(t);
    const definition = { id: 'checkout', name: 'Checkout', type: 'http', schedule: '1m', request: { url: 'https://shop.example/health', headers: { 'x-api-key': 'enc:v1:abc' } } };
    const api = { id: 'checkout', definition, origin: 'api' as const, createdAtMs: T0, updatedAtMs: T0 };
    const code = { id: "a'; DROP TABLE checks; --", definition: { id: 'x', nested: [1, { deep: null }] }, origin: 'code' as const, createdAtMs: T0 + 1, updatedAtMs: T0 + 2 };
    assert.equal(await store.getCheck('checkout'), null);
    await store.putCheck(api);
    await store.putCheck(code);
    assert.deepEqual(await store.getCheck('checkout'), api);
    assert.deepEqual(await store.listChecks(), [code, api].sort((a, b) => (a.id < b.id ? -1 : 1)));
    const changed = { ...api, definition: { ...definition, schedule: '5m' }, origin: 'code' as const, updatedAtMs: T0 + 60_000 };
    await store.putCheck(changed);
    assert.deepEqual(await store.getCheck('checkout'), changed, 'a put replaces every field');
    assert.equal(await store.deleteCheck(code.id), true);
    assert.equal(await store.deleteCheck(code.id), false);
    assert.deepEqual(await store.listChecks(), [changed]);
  });

  void test(`${name}: check runs commit with their ApiCalls, once, and read newest first`, async (t) => {
    const store = await fresh(t);
    await store.putCheck({ id: 'api-health', definition: {}, origin: 'api', createdAtMs: T0, updatedAtMs: T0 });
    const runAt = (i: number) => T0 - 2 * DAY_MS + i * 30 * MINUTE_MS;
    const durations = Array.from({ length: 120 }, (_, i) => Math.round((20 + (i * 37) % 400) * 1024) / 1024);
    const runs = durations.map((durationMs, i) => ({
      checkId: 'api-health', startedAtMs: runAt(i), ok: i % 7 !== 0, degraded: i % 11 === 0, durationMs,
      statusCode: i % 7 === 0 ? null : 200, error: i % 7 === 0 ? 'connection_refused: nobody listening' : null,
      traceId: i % 2 === 0 ? traceId(i + 1) : null, result: { checkId: 'api-health', attempts: 1, phases: { totalMs: durationMs }, steps: [{ name: 'a', ok: true }] },
    }));
    const callOf = (r: (typeof runs)[number]): ApiCall => ({
      id: `check:${r.checkId}:${r.startedAtMs}`, timeUnixMs: r.startedAtMs, service: 'shop.example', method: 'GET', route: 'check/api-health',
      statusCode: r.statusCode ?? 0, durationMs: r.durationMs, source: 'synthetic', traceId: r.traceId, spanId: null, consumer: null, error: !r.ok,
    });
    const batch = { calls: runs.map(callOf), spans: [], checkRuns: runs };
    assert.deepEqual(await store.append(batch), { callsInserted: 120, spansInserted: 0 });
    assert.deepEqual(await store.append({ ...batch, calls: batch.calls.slice(0, 10), checkRuns: runs.slice(0, 10) }), { callsInserted: 0, spansInserted: 0 });

    const all = await store.checkRuns({ checkId: 'api-health', fromMs: 0, toMs: T0 + DAY_MS, limit: 1000 });
    assert.deepEqual(all, [...runs].reverse(), 'every run once, newest first, round-tripped');
    const window = await store.checkRuns({ checkId: 'api-health', fromMs: runAt(10), toMs: runAt(20), limit: 3 });
    assert.deepEqual(window.map((r) => r.startedAtMs), [runAt(19), runAt(18), runAt(17)]);
    assert.deepEqual(await store.checkRuns({ checkId: 'other', fromMs: 0, toMs: T0 + DAY_MS, limit: 10 }), []);

    // Uptime and latency of a check come from the same rollups as API traffic, and agree with its runs.
    const [row] = await store.aggregate({ fromMs: runAt(0), toMs: T0 + DAY_MS, filter: { route: 'check/api-health', source: 'synthetic' }, groupBy: [] });
    assertExact(row!.agg, runs.map(callOf), 'check rollup');
    assert.equal(row!.agg.calls - row!.agg.errors, runs.filter((r) => r.ok).length);

    // Retention drops runs with the raw rows; deleting the check drops the rest of its history.
    const removed = await store.applyRetention({ rawBeforeMs: runAt(60), minuteRollupsBeforeMs: 0, hourRollupsBeforeMs: 0 });
    assert.ok(removed >= 120, `removed ${removed}`);
    assert.deepEqual((await store.checkRuns({ checkId: 'api-health', fromMs: 0, toMs: T0 + DAY_MS, limit: 1000 })).map((r) => r.startedAtMs),
      runs.slice(60).map((r) => r.startedAtMs).reverse());
    assert.equal(await store.deleteCheck('api-health'), true);
    assert.deepEqual(await store.checkRuns({ checkId: 'api-health', fromMs: 0, toMs: T0 + DAY_MS, limit: 1000 }), []);
  });

  void test(`${name}: checkWritable resolves on a healthy store`, async (t) => {
    const store = await fresh(t);
    await store.checkWritable();
    await store.checkWritable();
  });
}
