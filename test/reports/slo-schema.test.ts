// SLO validation reports every problem with its path, and fills defaults.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateSlo } from '../../reports/slo-schema.ts';

test('a valid SLO gets its defaults', () => {
  const v = validateSlo({ id: 'checkout-availability', name: 'Checkout', target: 99.9, window: '30d', indicator: { type: 'availability', selector: { service: 'checkout' } } });
  assert.ok(v.ok);
  assert.equal(v.slo.noData, 'excluded');
  assert.equal(v.slo.timeZone, 'UTC');
  assert.deepEqual(v.slo.tags, []);
});

test('every problem is reported, each with its path', () => {
  const v = validateSlo({
    id: 'Bad Id', name: '', target: 100, window: '90d', timeZone: 'Mars/Olympus', noData: 'maybe',
    indicator: { type: 'latency', selector: {} },
    maintenance: [{ cron: '61 * * * *', durationMs: 60_000 }],
  });
  assert.ok(!v.ok);
  const paths = new Set(v.diagnostics.map((d) => d.path));
  for (const p of ['/id', '/name', '/target', '/window', '/timeZone', '/noData', '/indicator/thresholdMs', '/maintenance/0/cron']) assert.ok(paths.has(p), `${p} in ${[...paths].join(' ')}`);
});

test('a check indicator names exactly one of checkId and tag', () => {
  const base = { id: 'x', name: 'x', target: 99, window: '7d' };
  assert.ok(!validateSlo({ ...base, indicator: { type: 'check' } }).ok);
  assert.ok(!validateSlo({ ...base, indicator: { type: 'check', checkId: 'a', tag: 'b' } }).ok);
  assert.ok(validateSlo({ ...base, indicator: { type: 'check', tag: 'critical' } }).ok);
  const unknown = validateSlo({ ...base, indicator: { type: 'uptime' } });
  assert.ok(!unknown.ok && unknown.diagnostics[0]?.path === '/indicator/type');
});
