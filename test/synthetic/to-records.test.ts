// What a run becomes in the store: the documented ApiCall mapping, per check type.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runToApiCall, runToRecord, type Check, type CheckRunResult } from '../../synthetic/index.ts';

const phases = { dnsMs: 1, connectMs: 2, tlsMs: 0, firstByteMs: 3, downloadMs: 1, totalMs: 7.5 };
const result = (more: Partial<CheckRunResult> = {}): CheckRunResult => ({
  checkId: 'c', type: 'http', ok: true, degraded: false, startedAtMs: 1_900_000_000_000, durationMs: 9, statusCode: 200,
  phases, assertions: [], error: null, traceId: 'a'.repeat(32), attempts: 1, ...more,
});

test('an http run: host as service, its method, check/<id> as route, latency of the attempt', () => {
  const check = { id: 'c', name: 'c', type: 'http', schedule: '1m', request: { method: 'POST', url: 'https://api.example.com:8443/orders?x=1' } } as Check;
  assert.deepEqual(runToApiCall(check, result()), {
    id: 'check:c:1900000000000', timeUnixMs: 1_900_000_000_000, service: 'api.example.com', method: 'POST', route: 'check/c',
    statusCode: 200, durationMs: 7.5, source: 'synthetic', traceId: 'a'.repeat(32), spanId: null, consumer: null, error: false,
  });
  const failed = result({ ok: false, statusCode: null, error: { code: 'timeout', message: 'no response in 100 ms' } });
  const call = runToApiCall({ ...check, service: 'orders' }, failed);
  assert.deepEqual([call.service, call.statusCode, call.error], ['orders', 0, true]);
  assert.deepEqual(runToRecord(failed), {
    checkId: 'c', startedAtMs: 1_900_000_000_000, ok: false, degraded: false, durationMs: 7.5, statusCode: null,
    error: 'timeout: no response in 100 ms', traceId: 'a'.repeat(32), result: failed,
  });
});

test('multistep, tcp, tls and dns runs', () => {
  const multistep = { id: 'm', name: 'm', type: 'multistep', schedule: '1m', variables: { base: 'https://shop.example.com' },
    steps: [{ name: 'login', request: { url: '{{ vars.base }}/login' } }, { name: 'cart', request: { method: 'DELETE', url: '{{ vars.base }}/cart' } }] } as Check;
  const steps = [{ name: 'login', ok: true, url: 'https://shop.example.com/login', statusCode: 200, phases, assertions: [], error: null }];
  assert.deepEqual(pick(runToApiCall(multistep, result({ steps }))), ['shop.example.com', 'GET', 'check/m']);
  assert.equal(runToApiCall(multistep, result()).service, 'synthetic', 'a template URL without a result names no host');
  const tcp = { id: 't', name: 't', type: 'tcp', schedule: '1m', host: 'db.internal', port: 5432 } as Check;
  assert.deepEqual(pick(runToApiCall(tcp, result({ statusCode: null, traceId: null }))), ['db.internal', '_OTHER', 'check/t']);
  const dns = { id: 'd', name: 'd', type: 'dns', schedule: '1m', domain: 'example.org', recordType: 'A' } as Check;
  assert.deepEqual(pick(runToApiCall(dns, result({ statusCode: null }))), ['example.org', '_OTHER', 'check/d']);
  const tls = { id: 's', name: 's', type: 'tls', schedule: '1h', host: '[::1]' } as Check;
  assert.equal(runToApiCall(tls, result()).service, '[::1]');
});

function pick(call: { service: string; method: string; route: string }): string[] {
  return [call.service, call.method, call.route];
}
