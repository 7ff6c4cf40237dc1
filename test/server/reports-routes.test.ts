// The SLO and report API on a real Telltale: calls go in through the store's ingest path, and
// every number the API answers is compared with an exact computation over the same raw calls.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTelltale, type TestTelltale } from '../helpers/telltale.ts';
import type { ApiCall } from '../../store/index.ts';
import { loadCodeSlos } from '../../server/reports/code-slos.ts';
import { loadCodeSchedules } from '../../server/reports/code-schedules.ts';
import { exactPercentile } from '../../reports/sla-report.ts';

const MIN = 60_000;
const NOW = Date.UTC(2026, 2, 10, 12, 0, 30); // a Tuesday, mid-minute
const WINDOW_TO = Date.UTC(2026, 2, 10, 12, 1); // the end of the current minute
const FROM = Date.UTC(2026, 2, 10, 9, 0); // traffic from 09:00 to 12:00:09

/** Three hours of traffic: /cart every minute, /pay every other; deterministic durations and errors. */
function traffic(): ApiCall[] {
  const calls: ApiCall[] = [];
  let n = 0;
  for (let t = FROM; t < NOW; t += MIN) {
    const minute = (t - FROM) / MIN;
    for (let i = 0; i < 10; i++) {
      n += 1;
      const route = i % 2 === 0 || minute % 2 === 0 ? '/cart' : '/pay';
      const error = (minute % 17 === 3 && i < 2) || (route === '/pay' && minute % 29 === 0 && i === 1);
      calls.push({
        id: `call-${n}`, timeUnixMs: t + i * 1000, service: 'checkout', method: route === '/pay' ? 'POST' : 'GET', route,
        statusCode: error ? 503 : 200, durationMs: 10 * (1 + ((n * 37) % 100)), source: 'trace', traceId: null, spanId: null,
        consumer: i % 3 === 0 ? 'acme' : 'globex', error,
      });
    }
  }
  return calls;
}

async function send(tt: TestTelltale, method: string, path: string, body?: unknown, scope: 'write' | 'read' = 'write') {
  const response = await fetch(tt.url + path, {
    method, headers: { authorization: `Bearer ${tt.tokens[scope]}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text && response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text, type: response.headers.get('content-type') ?? '' };
}

const availability = { id: 'checkout-availability', name: 'Checkout, available', target: 99, window: '7d', tags: ['shop'], indicator: { type: 'availability', selector: { service: 'checkout' } } };
const latency = { id: 'checkout-latency', name: 'Checkout "fast", <script>x</script>', target: 95, window: '7d', tags: ['shop'], indicator: { type: 'latency', thresholdMs: 209, selector: { service: 'checkout' } } };
const acme = { id: 'acme-availability', name: '=HYPERLINK("http://evil")', target: 99.5, window: '7d', indicator: { type: 'availability', selector: { service: 'checkout', consumer: 'acme' } } };

async function setup(t: Parameters<typeof startTelltale>[0]) {
  const tt = await startTelltale(t, { now: () => NOW });
  const calls = traffic();
  await tt.runtime.store.append({ calls, spans: [] });
  for (const slo of [availability, latency, acme]) assert.equal((await send(tt, 'POST', '/api/v1/slos', slo)).status, 201);
  return { tt, calls };
}

test('SLO status: attainment and budgets equal exact counts over the raw calls', async (t) => {
  const { tt, calls } = await setup(t);
  const inWindow = calls.filter((c) => c.timeUnixMs >= WINDOW_TO - 7 * 86_400_000 && c.timeUnixMs < WINDOW_TO);
  const bad = inWindow.filter((c) => c.error).length;
  assert.ok(bad > 0);
  const res = await tt.get('/api/v1/slos/checkout-availability');
  assert.equal(res.status, 200);
  assert.equal(res.body.basis, 'requests');
  assert.equal(res.body.tally.goodEvents, inWindow.length - bad);
  assert.equal(res.body.tally.badEvents, bad);
  assert.equal(res.body.attainment, ((inWindow.length - bad) / inWindow.length) * 100);
  assert.ok(Math.abs(res.body.budget.events.total - 0.01 * inWindow.length) < 1e-9);
  assert.equal(res.body.budget.events.consumed, bad);
  assert.equal(res.body.window.to, new Date(WINDOW_TO).toISOString());
  // Burn rate: errors in the last hour ÷ calls in the last hour ÷ 1 %.
  const lastHour = calls.filter((c) => c.timeUnixMs >= WINDOW_TO - 3_600_000);
  const expectedBurn = (lastHour.filter((c) => c.error).length / lastHour.length) / 0.01;
  assert.ok(Math.abs(res.body.burnRate - expectedBurn) < 1e-9);

  // Latency: durations are multiples of 10 ms and none lies in (209 / 1.0202, 209] = (204.9, 209], the
  // one sketch bucket that straddles the threshold, so the sketch count must be exact.
  const lat = await tt.get('/api/v1/slos/checkout-latency');
  const slow = inWindow.filter((c) => (c.durationMs ?? 0) > 209).length;
  assert.equal(lat.body.tally.badEvents, slow);
  assert.equal(lat.body.attainment, ((inWindow.length - slow) / inWindow.length) * 100);

  // A consumer selector reads raw calls.
  const acmeCalls = inWindow.filter((c) => c.consumer === 'acme');
  const acmeRes = await tt.get('/api/v1/slos/acme-availability');
  assert.equal(acmeRes.body.tally.goodEvents + acmeRes.body.tally.badEvents, acmeCalls.length);
  assert.equal(acmeRes.body.tally.badEvents, acmeCalls.filter((c) => c.error).length);

  const series = await tt.get('/api/v1/slos/checkout-availability/series?step=1d');
  assert.equal(series.status, 200);
  // UTC days: 3 March 12:01 → 4 March, six whole days, 10 March 00:00 → 12:01.
  assert.equal(series.body.points.length, 8);
  assert.equal(series.body.points[1].from, '2026-03-04T00:00:00.000Z');
  const last = series.body.points[7];
  assert.ok(Math.abs(last.remainingRatio - (1 - bad / (0.01 * inWindow.length))) < 1e-9);
  assert.equal((await tt.get('/api/v1/slos/nope')).status, 404);

  // The list endpoint answers each SLO exactly as its own endpoint does, in one request.
  const all = await tt.get('/api/v1/slo-status');
  assert.equal(all.status, 200);
  assert.deepEqual(all.body.slos.map((s: { slo: { id: string } }) => s.slo.id), ['acme-availability', 'checkout-availability', 'checkout-latency']);
  for (const one of all.body.slos) assert.deepEqual(one, (await tt.get(`/api/v1/slos/${one.slo.id}`)).body);
});

test('SLO CRUD: every problem at once, 409 for duplicates and code-owned SLOs, scopes enforced', async (t) => {
  const tt = await startTelltale(t, { now: () => NOW });
  const bad = await send(tt, 'POST', '/api/v1/slos', { id: 'X', target: 120, window: '1y', indicator: { type: 'latency', selector: {} } });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.code, 'TELLTALE_ERR_SLO_INVALID');
  assert.ok(bad.body.diagnostics.length >= 4, JSON.stringify(bad.body.diagnostics));
  assert.equal((await send(tt, 'POST', '/api/v1/slos', availability, 'read')).status, 403);
  assert.equal((await send(tt, 'POST', '/api/v1/slos', availability)).status, 201);
  assert.equal((await send(tt, 'POST', '/api/v1/slos', availability)).status, 409);
  const put = await send(tt, 'PUT', '/api/v1/slos/checkout-availability', { ...availability, target: 99.9 });
  assert.equal(put.status, 200);
  assert.equal(put.body.slo.target, 99.9);
  assert.equal(put.body.slo.noData, 'excluded');

  await loadCodeSlos(tt.control, [{ ...latency, id: 'from-code' }], NOW);
  const list = await tt.get('/api/v1/slos');
  assert.deepEqual(list.body.slos.map((s: any) => [s.slo.id, s.origin, s.readOnly]), [['checkout-availability', 'api', false], ['from-code', 'code', true]]);
  assert.equal((await send(tt, 'PUT', '/api/v1/slos/from-code', { ...latency, id: 'from-code' })).status, 409);
  assert.equal((await send(tt, 'DELETE', '/api/v1/slos/from-code')).status, 409);
  // Reloading the config without it removes it; API SLOs stay.
  await loadCodeSlos(tt.control, [], NOW);
  assert.deepEqual((await tt.get('/api/v1/slos')).body.slos.map((s: any) => s.slo.id), ['checkout-availability']);
  await assert.rejects(loadCodeSlos(tt.control, [{ id: 'a' }, { ...availability, target: 0 }]), /slos\[0\]\/name[\s\S]*slos\[1\]\/target/);
  assert.equal((await send(tt, 'DELETE', '/api/v1/slos/checkout-availability')).status, 204);
  assert.equal((await send(tt, 'DELETE', '/api/v1/slos/checkout-availability')).status, 404);
});

/** RFC 4180, enough to read our own CSV back. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; } else if (c === '\r' && text[i + 1] === '\n') { row.push(field); rows.push(row); row = []; field = ''; i++; } else field += c;
  }
  return rows;
}

test('SLA report: JSON numbers equal exact computations, CSV parses back, HTML is escaped', async (t) => {
  const { tt, calls } = await setup(t);
  // An incident on checkout: firing 10:00, resolved 10:30.
  const alert = (event: 'firing' | 'resolved', atMs: number) => ({
    kind: 'alert', key: 'fp1', atMs,
    body: { fingerprint: 'fp1', ruleId: 'r1', ruleName: 'Checkout errors', kind: 'error_rate', severity: 'page', labels: { service: 'checkout' }, event, value: 0.2, summary: 'error rate 20% > 5%', firingSinceMs: Date.UTC(2026, 2, 10, 10), runbookId: 'high-error-rate' },
  });
  await tt.control.commit({ events: [alert('firing', Date.UTC(2026, 2, 10, 10)), alert('resolved', Date.UTC(2026, 2, 10, 10, 30))] });
  const from = new Date(FROM).toISOString();
  const to = new Date(NOW).toISOString();
  const res = await tt.get(`/api/v1/reports/sla?from=${from}&to=${to}&scope=tag:shop`);
  assert.equal(res.status, 200);
  assert.deepEqual(res.body.slos.map((s: any) => s.id), ['checkout-availability', 'checkout-latency']);
  const row = res.body.slos[0];
  // The period starts on a minute boundary and ends mid-minute; a minute counts when it starts inside the period.
  const inPeriod = calls.filter((c) => c.timeUnixMs >= FROM && c.timeUnixMs < NOW);
  const bad = inPeriod.filter((c) => c.error);
  assert.equal(row.attained, ((inPeriod.length - bad.length) / inPeriod.length) * 100);
  assert.equal(row.met, row.attained >= 99);
  assert.equal(typeof row.met, 'boolean');
  assert.ok(Math.abs(row.errorBudgetConsumed - (bad.length / (0.01 * inPeriod.length)) * 100) < 1e-9);
  // Downtime: minutes whose own error ratio is above 1 %.
  const perMinute = new Map<number, { n: number; e: number }>();
  for (const c of inPeriod) {
    const m = Math.floor(c.timeUnixMs / MIN);
    const x = perMinute.get(m) ?? { n: 0, e: 0 };
    x.n += 1;
    if (c.error) x.e += 1;
    perMinute.set(m, x);
  }
  assert.equal(row.downtimeMinutes, [...perMinute.values()].filter((x) => x.e / x.n > 0.01).length);
  // Percentiles within the sketch's 1 % of the exact ones.
  const sorted = inPeriod.map((c) => c.durationMs!).sort((a, b) => a - b);
  for (const [key, q] of [['p50Ms', 0.5], ['p95Ms', 0.95], ['p99Ms', 0.99]] as const) {
    const exact = exactPercentile(sorted, q)!;
    assert.ok(Math.abs(row.latency[key] - exact) <= 0.01 * exact, `${key} ${row.latency[key]} vs ${exact}`);
  }
  // Worst routes and their share of errors.
  const payErrors = bad.filter((c) => c.route === '/pay').length;
  const cartErrors = bad.filter((c) => c.route === '/cart').length;
  const shares = Object.fromEntries(row.worstRoutes.map((w: any) => [w.route, w.errorShare]));
  assert.equal(shares['/pay'], payErrors / bad.length);
  assert.equal(shares['/cart'], cartErrors / bad.length);
  assert.deepEqual(row.incidents.map((i: any) => [i.start, i.end, i.durationMinutes, i.runbookId]), [['2026-03-10T10:00:00.000Z', '2026-03-10T10:30:00.000Z', 30, 'high-error-rate']]);

  const csv = await send(tt, 'GET', `/api/v1/reports/sla?from=${from}&to=${to}&format=csv`, undefined, 'read');
  assert.match(csv.type, /text\/csv/);
  const rows = parseCsv(csv.body as string);
  const header = rows[0]!;
  const byId = new Map(rows.slice(1).map((r) => [r[header.indexOf('id')], r]));
  const col = (id: string, name: string) => byId.get(id)![header.indexOf(name)]!;
  assert.equal(Number(col('checkout-availability', 'attained_percent')), Number(row.attained.toFixed(6)));
  assert.equal(col('checkout-latency', 'name'), latency.name);
  // Formula injection neutralized.
  assert.equal(col('acme-availability', 'name'), `'${acme.name}`);
  assert.equal(col('checkout-availability', 'met'), String(row.met));

  const html = await send(tt, 'GET', `/api/v1/reports/sla?from=${from}&to=${to}&format=html`, undefined, 'read');
  assert.match(html.type, /text\/html/);
  const page = html.body as string;
  assert.ok(page.includes('Checkout &quot;fast&quot;, &lt;script&gt;x&lt;/script&gt;'));
  assert.ok(!page.includes('<script'));
  assert.ok(page.includes('<svg') && page.includes('@media print'));
  assert.ok(!/(src|href)="(?!http:\/\/localhost|\/runbooks)/.test(page), 'no external resources');

  assert.equal((await tt.get('/api/v1/reports/sla?from=now-1h&to=now-2h')).status, 400);
  assert.equal((await tt.get('/api/v1/reports/sla?scope=team')).status, 400);
});

test('report schedules: cron validated by node-cron, next run in the zone, deliveries listed', async (t) => {
  const tt = await startTelltale(t, { now: () => NOW });
  const schedule = { id: 'weekly', cron: '0 8 * * 1', timeZone: 'Europe/Berlin', recipients: ['sre@example.com'], scope: 'tag:shop', period: 'previous-week' };
  const bad = await send(tt, 'POST', '/api/v1/report-schedules', { ...schedule, cron: '0 25 * * *', timeZone: 'Nowhere/Land', recipients: ['not an address'] });
  assert.equal(bad.status, 400);
  assert.deepEqual(new Set(bad.body.diagnostics.map((d: any) => d.path.split('/')[1])), new Set(['cron', 'timeZone', 'recipients']));
  const created = await send(tt, 'POST', '/api/v1/report-schedules', schedule);
  assert.equal(created.status, 201);
  // Next Monday 08:00 in Berlin (CET, UTC+1) after Tuesday 10 March: 16 March 07:00 UTC.
  assert.equal(created.body.nextRunAt, '2026-03-16T07:00:00.000Z');
  assert.equal((await send(tt, 'POST', '/api/v1/report-schedules', schedule)).status, 409);
  assert.deepEqual((await tt.get('/api/v1/report-schedules/weekly/deliveries')).body, { deliveries: [] });
  assert.equal((await send(tt, 'PUT', '/api/v1/report-schedules/weekly', { ...schedule, period: 'previous-month' })).status, 200);
  assert.equal((await send(tt, 'DELETE', '/api/v1/report-schedules/weekly')).status, 204);
  assert.equal((await tt.get('/api/v1/report-schedules/weekly/deliveries')).status, 404);

  // Schedules as code: read-only through the API, and a bad section lists every problem.
  await loadCodeSchedules(tt.control, [{ ...schedule, id: 'monthly', period: 'previous-month', cron: '0 7 1 * *' }], NOW);
  const list = await tt.get('/api/v1/report-schedules');
  assert.deepEqual(list.body.schedules.map((s: any) => [s.schedule.id, s.origin, s.readOnly, s.nextRunAt]), [['monthly', 'code', true, '2026-04-01T05:00:00.000Z']]);
  assert.equal((await send(tt, 'PUT', '/api/v1/report-schedules/monthly', { ...schedule, id: 'monthly' })).status, 409);
  assert.equal((await send(tt, 'DELETE', '/api/v1/report-schedules/monthly')).status, 409);
  await assert.rejects(loadCodeSchedules(tt.control, [{ id: 'x', cron: 'nope', recipients: [], period: 'yearly' }]), /cron[\s\S]*recipients|recipients[\s\S]*cron/);
});

test('SLA report on checks: a check SLO is time-based, critical checks get rows, latency percentiles are exact', async (t) => {
  const tt = await startTelltale(t, { now: () => NOW });
  const store = tt.runtime.store;
  await store.putCheck({ id: 'home', definition: { id: 'home', name: 'Home page', schedule: '1m', type: 'http', request: { url: 'https://example.com' }, tags: ['critical', 'shop'], service: 'web' }, origin: 'api', createdAtMs: FROM, updatedAtMs: FROM });
  // A run a minute, 09:00–11:59; the runs of 10:00–10:09 failed: 10 minutes down of 180.
  const runs = Array.from({ length: 180 }, (_, m) => ({
    checkId: 'home', startedAtMs: FROM + m * MIN, ok: !(m >= 60 && m < 70), degraded: false, durationMs: 100 + ((m * 7) % 50), statusCode: 200, error: null, traceId: null, result: {},
  }));
  await store.append({ calls: [], spans: [], checkRuns: runs });
  assert.equal((await send(tt, 'POST', '/api/v1/slos', { id: 'home-up', name: 'Home up', target: 99, window: '28d', tags: ['shop'], indicator: { type: 'check', checkId: 'home' } })).status, 201);
  const from = new Date(FROM).toISOString();
  const to = new Date(FROM + 180 * MIN).toISOString();
  const res = await tt.get(`/api/v1/reports/sla?from=${from}&to=${to}&scope=service:web`);
  assert.equal(res.status, 200);
  const [row] = res.body.slos;
  assert.equal(row.id, 'home-up');
  assert.equal(row.basis, 'time');
  assert.equal(row.downtimeMinutes, 10);
  assert.equal(row.attained, (170 / 180) * 100);
  assert.equal(row.met, false);
  // Budget: 1 % of 180 minutes = 1.8; 10 spent.
  assert.ok(Math.abs(row.budget.total - 1.8) < 1e-9);
  assert.equal(row.budget.unit, 'minutes');
  const sorted = runs.map((r) => r.durationMs).sort((a, b) => a - b);
  assert.deepEqual([row.latency.p50Ms, row.latency.p95Ms, row.latency.p99Ms], [0.5, 0.95, 0.99].map((q) => sorted[Math.floor(q * 179)]));
  assert.deepEqual(res.body.checks.map((c: any) => [c.id, c.uptime, c.runs, c.failedRuns, c.downtimeMinutes]), [['home', (170 / 180) * 100, 180, 10, 10]]);
  // The status API agrees: the 28-day window holds only these three hours of runs (the rest is no data, excluded).
  const status = await tt.get('/api/v1/slos/home-up');
  assert.equal(status.body.tally.badMinutes, 10);
  assert.equal(status.body.budget.minutes.consumed, 10);
});
