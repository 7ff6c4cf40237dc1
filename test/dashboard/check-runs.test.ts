// Pure transforms of the checks pages: run status, history strip, latency and phase series,
// and the form's fields to and from a check definition.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  EMPTY_FORM, checkFromForm, fieldOfPath, formFromCheck, historyStrip, latencySeries, percentile, phaseBars, runStatus, type RunLike,
} from '../../dashboard/src/lib/check-runs.ts';

function run(startedAtMs: number, totalMs: number, ok = true, degraded = false): RunLike {
  const phases = { dnsMs: 1, connectMs: 2, tlsMs: 0, firstByteMs: totalMs - 4, downloadMs: 1, totalMs };
  return { ok, degraded, startedAtMs, durationMs: totalMs, phases };
}

test('a run is failed, degraded or ok', () => {
  assert.equal(runStatus({ ok: false, degraded: true }), 'failed');
  assert.equal(runStatus({ ok: true, degraded: true }), 'degraded');
  assert.equal(runStatus({ ok: true, degraded: false }), 'ok');
});

test('the strip shows the newest runs, oldest on the left', () => {
  const newestFirst = [run(5, 10), run(4, 10), run(3, 10), run(2, 10), run(1, 10)];
  assert.deepEqual(historyStrip(newestFirst, 3).map((r) => r.startedAtMs), [3, 4, 5]);
  assert.deepEqual(historyStrip([], 30), []);
});

test('percentiles by nearest rank', () => {
  assert.equal(percentile([], 50), null);
  assert.equal(percentile([5], 95), 5);
  assert.equal(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 50), 5);
  assert.equal(percentile([10, 1, 9, 2, 8, 3, 7, 4, 6, 5], 95), 10);
});

test('latency series: points oldest first in seconds, rolling p50/p95 over the last runs', () => {
  const runs = [run(3000, 30), run(1000, 10), run(2000, 20)];
  const [x, latency, p50, p95] = latencySeries(runs, 2);
  assert.deepEqual(x, [1, 2, 3]);
  assert.deepEqual(latency, [10, 20, 30]);
  assert.deepEqual(p50, [10, 10, 20]);
  assert.deepEqual(p95, [10, 20, 30]);
});

test('phase bars stack the phases on the slowest run’s scale', () => {
  const bars = phaseBars([run(2, 20), run(1, 10)], 10);
  assert.deepEqual(bars.map((b) => [b.startedAtMs, b.totalMs]), [[1, 10], [2, 20]]);
  const slow = bars[1]!;
  assert.deepEqual(slow.segments.map((s) => s.label), ['DNS', 'Connect', 'TLS', 'First byte', 'Download']);
  assert.deepEqual(slow.segments.map((s) => [s.offset, s.width]), [[0, 0.05], [0.05, 0.1], [0.15, 0], [0.15, 0.8], [0.95, 0.05]]);
  assert.equal(bars[0]!.segments.at(-1)!.offset + bars[0]!.segments.at(-1)!.width, 0.5);
});

test('form fields to a check and back keep what the form does not show', () => {
  const base = {
    id: 'api', name: 'API', type: 'http', schedule: '5m', retries: 2, tags: ['team-a'],
    request: { method: 'POST', url: 'https://api.example/x', headers: { 'X-Key': 'abc' }, body: 'ping' },
    assertions: [{ kind: 'status', equals: 201 }, { kind: 'latency', lessThan: 800 }, { kind: 'body', contains: 'pong' }],
  };
  const form = formFromCheck(base);
  assert.deepEqual({ ...form, otherAssertions: JSON.parse(form.otherAssertions) as unknown }, {
    id: 'api', name: 'API', schedule: '5m', method: 'POST', url: 'https://api.example/x', headers: 'X-Key: abc',
    status: '201', latencyMs: '800', otherAssertions: [{ kind: 'body', contains: 'pong' }],
  });
  assert.deepEqual(checkFromForm(form, base), { check: base, problems: [] });
  const changed = checkFromForm({ ...form, headers: '', status: '', latencyMs: '', otherAssertions: '[]', url: ' https://b.example ' }, base).check;
  assert.deepEqual(changed['request'], { method: 'POST', url: 'https://b.example', body: 'ping' });
  assert.equal('assertions' in changed, false);
  assert.equal(changed['retries'], 2);
});

test('the form reports what it cannot turn into a check, by the path the API would use', () => {
  const { problems } = checkFromForm({ ...EMPTY_FORM, headers: 'no colon here', status: 'abc', otherAssertions: '{' });
  assert.deepEqual(problems.map((p) => p.path), ['/request/headers', '/assertions', '/assertions']);
  const notArray = checkFromForm({ ...EMPTY_FORM, otherAssertions: '{"kind":"body"}' }).problems;
  assert.match(notArray[0]!.message, /JSON array/);
});

test('diagnostic paths land next to their fields', () => {
  assert.equal(fieldOfPath('/request/url'), 'url');
  assert.equal(fieldOfPath('/request/headers/X-Key'), 'headers');
  assert.equal(fieldOfPath('/assertions/2/equals'), 'otherAssertions');
  assert.equal(fieldOfPath('/schedule'), 'schedule');
  assert.equal(fieldOfPath('/timeoutMs'), 'other');
});
