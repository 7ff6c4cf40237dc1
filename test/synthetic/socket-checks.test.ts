// The tls, tcp and dns check types against real local servers: a certificate expiring in 3 days,
// an open and a closed port, and a tiny UDP DNS server the resolver is pointed at.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { createServer as createTlsServer } from 'node:tls';
import { createServer as createNetServer, type AddressInfo, type Server } from 'node:net';
import { once } from 'node:events';
import { runCheck, type Check } from '../../synthetic/index.ts';
import { selfSignedCert } from '../helpers/tls-certs.ts';
import { startDnsServer } from '../helpers/dns-server.ts';

async function listen(t: TestContext, server: Server): Promise<number> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return (server.address() as AddressInfo).port;
}

const base = { name: 'sockets', schedule: '1m', timeoutMs: 3000 } as const;

test('tls: a 3-day certificate fails minDaysLeft 14, passes minDaysLeft 1; an untrusted chain fails', async (t) => {
  const cert = selfSignedCert(3);
  const server = createTlsServer({ key: cert.key, cert: cert.cert }, (socket) => socket.end());
  const port = await listen(t, server);
  const tlsCheck = (minDaysLeft: number): Check => ({ ...base, id: 'cert', type: 'tls', host: '127.0.0.1', port, minDaysLeft });

  const strict = await runCheck(tlsCheck(14), { ca: [cert.cert] });
  assert.equal(strict.ok, false);
  assert.equal(strict.error?.code, 'assertion_failed');
  const days = strict.assertions.find((a) => a.kind === 'tlsDaysLeft')!;
  assert.equal(days.expected, '>= 14 days');
  assert.ok(Number(days.actual) > 2.9 && Number(days.actual) <= 3, String(days.actual));
  assert.ok(strict.tls && strict.tls.subject.includes('CN=localhost'));
  assert.ok(strict.phases.tlsMs > 0 && strict.phases.connectMs >= 0);
  assert.equal(strict.traceId, null, 'no HTTP, no trace');

  const lenient = await runCheck(tlsCheck(1), { ca: [cert.cert] });
  assert.equal(lenient.ok, true, JSON.stringify(lenient.error));
  assert.deepEqual(lenient.assertions.map((a) => [a.kind, a.pass]), [['tlsDaysLeft', true], ['tlsChain', true]]);

  const untrusted = await runCheck(tlsCheck(1));
  assert.equal(untrusted.ok, false);
  assert.equal(untrusted.error?.code, 'tls_error');
  assert.match(untrusted.error.message, /SELF_SIGNED/);
  const unverified = await runCheck({ ...tlsCheck(1), verifyChain: false } as Check);
  assert.equal(unverified.ok, true, 'verifyChain: false checks expiry only');

  // Time is explicit: the same certificate seen from 5 days on has expired.
  const later = await runCheck(tlsCheck(0), { ca: [cert.cert], now: () => Date.now() + 5 * 86_400_000 });
  assert.equal(later.ok, false);
  assert.ok(later.tls!.daysLeft < 0);
});

test('tcp: an open port connects, a closed one is refused', async (t) => {
  const port = await listen(t, createNetServer((socket) => socket.end()));
  const open = await runCheck({ ...base, id: 'tcp-open', type: 'tcp', host: '127.0.0.1', port, assertions: [{ kind: 'latency', phase: 'connect', lessThan: 1000 }] });
  assert.equal(open.ok, true, JSON.stringify(open.error));
  assert.ok(open.phases.totalMs > 0);
  assert.equal(open.assertions[0]!.pass, true);

  const spare = createNetServer();
  const closedPort = await listen(t, spare);
  await new Promise<void>((resolve) => spare.close(() => resolve()));
  const closed = await runCheck({ ...base, id: 'tcp-closed', type: 'tcp', host: '127.0.0.1', port: closedPort, retries: 1 });
  assert.equal(closed.ok, false);
  assert.equal(closed.error?.code, 'connection_refused');
  assert.equal(closed.attempts, 2);

  const blocked = await runCheck({ ...base, id: 'tcp-blocked', type: 'tcp', host: '169.254.169.254', port: 80 });
  assert.equal(blocked.error?.code, 'address_blocked');
});

test('dns: records resolve through an injected server; expected values, exact match, NXDOMAIN', async (t) => {
  const dns = await startDnsServer({
    'api.telltale.test': { A: ['10.1.2.3', '10.1.2.4'], TXT: ['v=spf1 -all', 'owner=checks'] },
  });
  t.after(() => dns.close());
  const deps = { dnsServers: [dns.server] };
  const dnsCheck = (extra: Record<string, unknown>): Check => ({ ...base, id: 'dns', type: 'dns', domain: 'api.telltale.test', recordType: 'A', ...extra });

  const resolves = await runCheck(dnsCheck({}), deps);
  assert.equal(resolves.ok, true, JSON.stringify(resolves.error));
  assert.deepEqual(resolves.assertions[0], { kind: 'dnsRecords', target: 'A api.telltale.test', expected: 'at least one record', actual: '10.1.2.3, 10.1.2.4', pass: true });
  assert.ok(resolves.phases.dnsMs > 0 && resolves.phases.dnsMs === resolves.phases.totalMs);

  assert.equal((await runCheck(dnsCheck({ expected: ['10.1.2.4'] }), deps)).ok, true);
  assert.equal((await runCheck(dnsCheck({ expected: ['10.1.2.4'], match: 'exact' }), deps)).ok, false, 'exact needs every answer listed');
  const wrong = await runCheck(dnsCheck({ expected: ['10.9.9.9'] }), deps);
  assert.equal(wrong.error?.code, 'assertion_failed');

  const txt = await runCheck(dnsCheck({ recordType: 'TXT', expected: ['owner=checks'] }), deps);
  assert.equal(txt.ok, true, JSON.stringify(txt.error));

  const missing = await runCheck(dnsCheck({ domain: 'nope.telltale.test' }), deps);
  assert.equal(missing.error?.code, 'dns_failed');
  assert.match(missing.error.message, /ENOTFOUND/);
  assert.ok(dns.queries() >= 6, 'every answer came from the test server');
});
