// The runner's HTTP engine against real local targets: phase timing, the hard timeout (silent
// and trickling targets), the response-size and header-size limits, redirects, and the headers
// every check sends (traceparent, User-Agent).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import type { LookupFunction } from 'node:net';
import { runCheck, type Check } from '../../synthetic/index.ts';
import { startTarget, json } from './target-server.ts';
import { selfSignedCert } from '../helpers/tls-certs.ts';

function httpCheck(url: string, extra: Partial<Extract<Check, { type: 'http' }>> = {}, request: Record<string, unknown> = {}): Check {
  return { id: 'engine', name: 'engine', type: 'http', schedule: '1m', ...extra, request: { url, ...request } };
}

// A name that resolves without real DNS, so the lookup phase is measured on a hermetic path.
const testLookup: LookupFunction = (hostname, options, callback) => {
  if (hostname !== 'target.test') return callback(Object.assign(new Error(`ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), '', 0);
  setTimeout(() => {
    if (options.all) callback(null, [{ address: '127.0.0.1', family: 4 }]);
    else callback(null, '127.0.0.1', 4);
  }, 2);
};

test('phases are present and plausible over http and https; traceparent and User-Agent reach the target', async (t) => {
  const routes = { '/ok': (_req: unknown, res: ServerResponse) => json(res, 200, { ok: true }) };
  const plain = await startTarget(t, routes);
  const cert = selfSignedCert(30);
  const secure = await startTarget(t, routes, cert);

  const viaName = await runCheck(httpCheck(`http://target.test:${plain.port}/ok`), { lookup: testLookup, version: '9.9.9' });
  assert.equal(viaName.ok, true, JSON.stringify(viaName.error));
  const p = viaName.phases;
  assert.ok(p.dnsMs >= 1, `dns ${p.dnsMs}: the injected lookup takes ~2 ms`);
  assert.ok(p.connectMs >= 0 && p.firstByteMs > 0 && p.downloadMs >= 0);
  assert.equal(p.tlsMs, 0, 'no TLS over http');
  assert.ok(p.totalMs >= p.dnsMs + p.connectMs + p.firstByteMs - 0.01, JSON.stringify(p));

  const sent = plain.requests[0]!;
  assert.equal(sent.headers['user-agent'], 'Telltale-Synthetic/9.9.9 (+check engine)');
  const traceparent = String(sent.headers.traceparent);
  const match = /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/.exec(traceparent);
  assert.ok(match, traceparent);
  assert.equal(match[1], viaName.traceId, 'the run links to the trace the target saw');

  const again = await runCheck(httpCheck(`http://target.test:${plain.port}/ok`), { lookup: testLookup });
  assert.notEqual(again.traceId, viaName.traceId, 'a new trace per run');

  const overTls = await runCheck(httpCheck(`${secure.url}/ok`), { ca: [cert.cert] });
  assert.equal(overTls.ok, true, JSON.stringify(overTls.error));
  assert.equal(overTls.phases.dnsMs, 0, 'an IP literal needs no lookup');
  assert.ok(overTls.phases.tlsMs > 0, 'TLS handshake timed over https');
  assert.ok(overTls.tls && overTls.tls.daysLeft > 29 && overTls.tls.authorized);

  const untrusted = await runCheck(httpCheck(`${secure.url}/ok`));
  assert.equal(untrusted.error?.code, 'tls_error', 'a self-signed certificate is refused by default');
  const unverified = await runCheck(httpCheck(`${secure.url}/ok`, {}, { tlsVerify: false }));
  assert.equal(unverified.ok, true, 'tlsVerify: false accepts it');
  assert.equal(unverified.tls?.authorized, false);
});

test('a target that never answers and one that trickles a byte every 100 ms are cut at the timeout', async (t) => {
  const target = await startTarget(t, {
    '/silent': () => undefined,
    '/trickle': (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      const timer = setInterval(() => res.write('x'), 100);
      res.on('close', () => clearInterval(timer));
    },
  });
  for (const path of ['/silent', '/trickle']) {
    const started = performance.now();
    const result = await runCheck(httpCheck(`${target.url}${path}`, { timeoutMs: 600 }));
    const elapsed = performance.now() - started;
    assert.equal(result.ok, false);
    assert.equal(result.error?.code, 'timeout', path);
    assert.ok(elapsed >= 550 && elapsed < 1500, `${path} took ${elapsed} ms`);
    assert.ok(result.phases.totalMs >= 550 && result.phases.totalMs < 1500);
  }
  const trickled = await runCheck(httpCheck(`${target.url}/trickle`, { timeoutMs: 600 }));
  assert.equal(trickled.statusCode, 200, 'headers arrived before the cut');
});

test('a 1 GB body is cut at maxResponseBytes without being buffered; a declared one fails at once', async (t) => {
  let written = 0;
  const chunk = Buffer.alloc(64 * 1024, 'a');
  const target = await startTarget(t, {
    '/huge': (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      const pump = () => {
        while (written < 1024 ** 3 && !res.destroyed) {
          written += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      pump();
    },
    '/declared': (_req, res) => {
      res.writeHead(200, { 'content-length': String(1024 ** 3) });
      res.write(chunk);
    },
  });
  const rssBefore = process.memoryUsage().rss;
  const started = performance.now();
  const result = await runCheck(httpCheck(`${target.url}/huge`, { timeoutMs: 20_000 }, { maxResponseBytes: 1024 * 1024 }));
  assert.equal(result.error?.code, 'response_too_large');
  assert.match(result.error.message, /1048576-byte limit/);
  assert.ok(performance.now() - started < 3000, 'ends quickly');
  assert.ok(written < 64 * 1024 * 1024, `the target stopped after ${written} bytes`);
  assert.ok(process.memoryUsage().rss - rssBefore < 100 * 1024 * 1024, 'memory stays small');

  const declared = await runCheck(httpCheck(`${target.url}/declared`, {}, { maxResponseBytes: 1000 }));
  assert.equal(declared.error?.code, 'response_too_large');
  assert.match(declared.error.message, /content-length 1073741824/);
});

test('64 KB of response headers is a clear error, not a crash', async (t) => {
  const target = await startTarget(t, {
    '/fat': (_req, res) => {
      for (let i = 0; i < 64; i++) res.setHeader(`x-filler-${i}`, 'v'.repeat(1000));
      res.end('ok');
    },
  });
  const result = await runCheck(httpCheck(`${target.url}/fat`));
  assert.equal(result.ok, false);
  assert.equal(result.error?.code, 'headers_too_large');
  const roomy = await runCheck(httpCheck(`${target.url}/fat`), { maxHeaderSize: 128 * 1024 });
  assert.equal(roomy.ok, true, 'a larger limit is the operator’s choice');
});

test('redirects are followed up to the cap, credentials stay on their origin, 303 becomes GET', async (t) => {
  let otherPortValue = 0;
  const otherPort = () => otherPortValue;
  const target = await startTarget(t, {
    '/a': (_req, res) => res.writeHead(302, { location: '/b' }).end(),
    '/b': (_req, res) => res.writeHead(303, { location: '/c' }).end(),
    '/c': (req, res) => json(res, 200, { method: req.method }),
    '/loop': (_req, res) => res.writeHead(301, { location: '/loop' }).end(),
    '/away': (_req, res) => res.writeHead(307, { location: `http://127.0.0.1:${otherPort()}/c` }).end(),
  });
  const followed = await runCheck(httpCheck(`${target.url}/a`, { assertions: [{ kind: 'jsonPath', path: '$.method', equals: 'GET' }] }, {
    method: 'POST', body: 'x', headers: { authorization: 'Bearer secret' },
  }));
  assert.equal(followed.ok, true, JSON.stringify(followed));
  assert.deepEqual(target.requests.map((r) => `${r.method} ${r.path}`), ['POST /a', 'GET /b', 'GET /c']);
  assert.equal(target.requests[2]!.headers.authorization, 'Bearer secret', 'same origin keeps credentials');

  const other = await startTarget(t, { '/c': (req, res) => json(res, 200, { method: req.method }) });
  otherPortValue = other.port;
  const crossOrigin = await runCheck(httpCheck(`${target.url}/away`, {}, { headers: { authorization: 'Bearer secret', cookie: 'a=b' } }));
  assert.equal(crossOrigin.ok, true, JSON.stringify(crossOrigin.error));
  assert.equal(other.requests[0]!.headers.authorization, undefined, 'credentials are not sent to another origin');
  assert.equal(other.requests[0]!.headers.cookie, undefined);

  const looping = await runCheck(httpCheck(`${target.url}/loop`, {}, { maxRedirects: 3 }));
  assert.equal(looping.error?.code, 'too_many_redirects');
  assert.equal(target.requests.filter((r) => r.path === '/loop').length, 4);

  const notFollowed = await runCheck(httpCheck(`${target.url}/a`, { assertions: [{ kind: 'status', equals: 302 }] }, { followRedirects: false }));
  assert.equal(notFollowed.ok, true);
});
