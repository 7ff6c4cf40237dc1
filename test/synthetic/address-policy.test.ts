// The SSRF guard: schemes, numeric host tricks, names that resolve to blocked addresses, and
// redirects, each against the policy an operator would set. Real sockets on loopback; names are
// resolved by an injected lookup, never real DNS.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LookupFunction } from 'node:net';
import { addressRefusal, checkUrl, classifyAddress, inRange, parseAllowPrivate, runCheck, type AddressPolicy, type Check } from '../../synthetic/index.ts';
import { startTarget } from './target-server.ts';

const STRICT: AddressPolicy = { allowPrivate: 'false' };
const DEFAULT: AddressPolicy = { allowPrivate: 'rfc1918' };

function httpCheck(url: string): Check {
  return { id: 'ssrf', name: 'ssrf', type: 'http', schedule: '1m', timeoutMs: 2000, request: { url } };
}

function lookupTo(...addresses: string[]): LookupFunction & { calls: string[] } {
  const calls: string[] = [];
  const fn = ((hostname, options, callback) => {
    calls.push(hostname);
    const all = addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
    if (options.all) callback(null, all);
    else callback(null, all[0]!.address, all[0]!.family);
  }) as LookupFunction & { calls: string[] };
  fn.calls = calls;
  return fn;
}

test('addresses are classified, IPv4-mapped and NAT64 forms as the IPv4 address they carry', () => {
  const cases: Array<[string, string]> = [
    ['8.8.8.8', 'public'], ['127.0.0.1', 'loopback'], ['127.255.0.9', 'loopback'], ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'], ['172.32.0.1', 'public'], ['192.168.1.1', 'private'], ['100.64.0.1', 'shared'],
    ['169.254.169.254', 'metadata'], ['169.254.1.1', 'link-local'], ['100.100.100.200', 'metadata'], ['0.0.0.0', 'unspecified'],
    ['224.0.0.1', 'multicast'], ['255.255.255.255', 'reserved'], ['::1', 'loopback'], ['::', 'unspecified'],
    ['::ffff:127.0.0.1', 'loopback'], ['::ffff:7f00:1', 'loopback'], ['::ffff:169.254.169.254', 'metadata'],
    ['64:ff9b::a9fe:a9fe', 'metadata'], ['fe80::1', 'link-local'], ['fe80::1%eth0', 'link-local'], ['fd00:ec2::254', 'metadata'],
    ['fd12:3456::1', 'private'], ['2001:4860:4860::8888', 'public'], ['ff02::1', 'multicast'],
  ];
  for (const [address, expected] of cases) assert.equal(classifyAddress(address), expected, address);
  assert.equal(parseAllowPrivate(undefined), 'rfc1918');
  assert.equal(parseAllowPrivate('all'), 'all');
  assert.equal(parseAllowPrivate('yes'), undefined, 'config reports a bad value instead of guessing');
  assert.ok(inRange('10.0.5.7', '10.0.5.0/24') && !inRange('10.0.6.7', '10.0.5.0/24') && inRange('fd00::1', 'fd00::/8'));
});

test('policies: link-local and metadata always refused; loopback and RFC 1918 only when allowed', () => {
  for (const allowPrivate of ['false', 'rfc1918', 'all'] as const) {
    for (const address of ['169.254.169.254', 'fd00:ec2::254', '100.100.100.200', 'fe80::1', '169.254.0.1']) {
      assert.match(addressRefusal(address, { allowPrivate, allowAddresses: ['169.254.0.0/16', 'fe80::/10'] }) ?? '', /always refused/, `${address} under ${allowPrivate}`);
    }
  }
  assert.equal(addressRefusal('127.0.0.1', DEFAULT), null);
  assert.equal(addressRefusal('10.0.0.1', DEFAULT), null);
  assert.equal(addressRefusal('fd12::1', DEFAULT), null);
  assert.match(addressRefusal('100.64.1.1', DEFAULT) ?? '', /rfc1918/, 'CGNAT needs `all`');
  assert.equal(addressRefusal('100.64.1.1', { allowPrivate: 'all' }), null);
  for (const address of ['127.0.0.1', '::1', '::ffff:127.0.0.1', '10.0.0.1', '192.168.0.1', 'fd12::1']) {
    assert.match(addressRefusal(address, STRICT) ?? '', /TELLTALE_CHECKS_ALLOW_PRIVATE=false/, address);
  }
  assert.equal(addressRefusal('10.0.5.7', { allowPrivate: 'false', allowAddresses: ['10.0.5.0/24'] }), null, 'one allowed range under false');
});

test('numeric host tricks are normalized by the URL parser and judged as the address they are', async (t) => {
  const target = await startTarget(t, { '/': (_req, res) => res.end('ok') });
  for (const url of ['http://0x7f000001/', 'http://2130706433/', 'http://0177.0.0.1/', 'http://[::ffff:127.0.0.1]/', 'http://127.1/', 'http://[::1]/']) {
    const checked = checkUrl(url, STRICT);
    assert.equal(checked.ok, false, url);
    const result = await runCheck(httpCheck(url), { policy: STRICT });
    assert.equal(result.ok, false);
    assert.equal(result.error?.code, 'address_blocked', url);
    assert.match(result.error.message, /loopback/);
    assert.equal(result.attempts, 1);
  }
  // The same trick is just loopback when loopback is allowed: the guard judges addresses, not spellings.
  const allowed = await runCheck(httpCheck(`http://0x7f000001:${target.port}/`), { policy: DEFAULT });
  assert.equal(allowed.ok, true, JSON.stringify(allowed.error));
  const metadata = await runCheck(httpCheck('http://0xa9fea9fe/latest/meta-data/'), { policy: { allowPrivate: 'all' } });
  assert.equal(metadata.error?.code, 'address_blocked', '169.254.169.254 in hex');
});

test('only http and https: file, gopher, ftp and data URLs are refused', async () => {
  for (const url of ['file:///etc/passwd', 'gopher://127.0.0.1:25/_HELO', 'ftp://example.com/', 'data:text/plain,hi']) {
    const result = await runCheck(httpCheck(url), { policy: { allowPrivate: 'all' } });
    assert.equal(result.error?.code, 'scheme_not_allowed', url);
  }
});

test('a public-looking name that resolves to a blocked address is refused at connect time', async (t) => {
  const target = await startTarget(t, { '/': (_req, res) => res.end('ok') });
  const toMetadata = lookupTo('169.254.169.254');
  const metadata = await runCheck(httpCheck(`http://api.example.com:${target.port}/`), { lookup: toMetadata, policy: { allowPrivate: 'all' } });
  assert.equal(metadata.error?.code, 'address_blocked');
  assert.match(metadata.error.message, /api\.example\.com resolves to 169\.254\.169\.254/);
  assert.deepEqual(toMetadata.calls, ['api.example.com']);

  const toLoopback = await runCheck(httpCheck(`http://api.example.com:${target.port}/`), { lookup: lookupTo('127.0.0.1'), policy: STRICT });
  assert.equal(toLoopback.error?.code, 'address_blocked');
  assert.equal(target.requests.length, 0, 'nothing reached the target');

  // Mixed answers (DNS rebinding style): only the permitted address is ever connected to.
  const mixed = await runCheck(httpCheck(`http://api.example.com:${target.port}/`), { lookup: lookupTo('169.254.169.254', '127.0.0.1'), policy: DEFAULT });
  assert.equal(mixed.ok, true, JSON.stringify(mixed.error));
  assert.equal(target.requests.length, 1);
});

test('every redirect hop is re-checked: to cloud metadata, and to loopback under `false`', async (t) => {
  const target = await startTarget(t, {
    '/to-metadata': (_req, res) => res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end(),
    '/to-loopback-name': (_req, res) => res.writeHead(302, { location: `http://internal.test:${target.port}/secret` }).end(),
    '/to-loopback': (_req, res) => res.writeHead(307, { location: `http://[::1]:${target.port}/secret` }).end(),
    '/secret': (_req, res) => res.end('secret'),
  });
  const toMetadata = await runCheck(httpCheck(`${target.url}/to-metadata`), { policy: DEFAULT });
  assert.equal(toMetadata.error?.code, 'address_blocked');
  assert.match(toMetadata.error.message, /169\.254\.169\.254 is a metadata address/);
  assert.equal(toMetadata.statusCode, 302, 'the hop that redirected is what the run saw');

  // Under `false` the first hop is allowed only through an explicit exception for 127.0.0.1;
  // the redirect to another loopback address (or a name resolving to one) is still refused.
  const strictWithException: AddressPolicy = { allowPrivate: 'false', allowAddresses: ['127.0.0.1'] };
  const toLoopback = await runCheck(httpCheck(`${target.url}/to-loopback`), { policy: strictWithException });
  assert.equal(toLoopback.error?.code, 'address_blocked');
  assert.match(toLoopback.error.message, /::1 is a loopback address/);
  const viaName = await runCheck(httpCheck(`${target.url}/to-loopback-name`), { policy: strictWithException, lookup: lookupTo('127.0.0.2') });
  assert.equal(viaName.error?.code, 'address_blocked');
  assert.match(viaName.error.message, /internal\.test resolves to 127\.0\.0\.2/);
  assert.equal(target.requests.filter((r) => r.path === '/secret').length, 0);
});
