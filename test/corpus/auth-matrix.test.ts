// Authorization under path tricks. test/server/auth.test.ts already walks every OpenAPI operation
// with no token, an unknown token and each scope (and the public and /metrics routes); this file
// adds what it does not: every operation reached through spellings that a proxy, a router or a
// normalizer might treat differently (`//api/v1/…`, encoded slashes and dots, trailing dots and
// slashes, dot segments, case, matrix parameters), with no token and with a token one scope too
// weak, on the API port and the OTLP port. None of them may reach a handler: never a 2xx that
// carries API data, never a 5xx.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTelltale, type TestTelltale } from '../helpers/telltale.ts';
import type { TokenScope } from '../../store/index.ts';

const SAMPLE_PARAMS: Record<string, string> = { traceId: '0af7651916cd43dd8448eb211c80319c', id: 'no-such-id' };

/** Spellings of one path that must be refused or not found, never served without the scope. */
function tricks(path: string): string[] {
  const rest = path.slice(1);
  const last = path.lastIndexOf('/');
  return [
    `//${rest}`,
    path.replace('/api/v1/', '/api/v1//'),
    path.replace('/api/v1/', '/api%2Fv1/'),
    path.replace('/api/v1/', '/api/v1%2F'),
    path.replace('/api/v1/', '/api/v1%2f'),
    `${path}.`,
    `${path}/.`,
    `${path}/`,
    `${path}%2e`,
    `${path};x=1`,
    `${path}%00`,
    `${path}%20`,
    path.replace('/api/v1/', '/api/v1/./'),
    path.replace('/api/v1/', '/api/v1/%2e/'),
    path.replace('/api/v1/', '/api/v1/x/../'),
    path.replace('/api/v1/', '/api/v1/x/%2e%2e/'),
    path.replace('/api/v1/', '/api/v1/x%2f..%2f'),
    path.replace('/api/v1/', '/api/./v1/'),
    path.toUpperCase(),
    path.slice(0, last) + path.slice(last).replace(/[a-z]/, (c) => c.toUpperCase()),
    `/api/v1/../v1/${path.slice('/api/v1/'.length)}`,
    `/%61pi/v1/${path.slice('/api/v1/'.length)}`,
    `/api/v1/${encodeURIComponent(path.slice('/api/v1/'.length))}`,
  ];
}

interface Operation { path: string; method: string; scope: TokenScope }

async function operations(telltale: TestTelltale): Promise<Operation[]> {
  const doc = (await telltale.get('/api/openapi.json')).body;
  return Object.entries(doc.paths as Record<string, Record<string, { security?: Array<{ bearer: TokenScope[] }> }>>)
    .flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({
      path: path.replace(/\{(\w+)\}/g, (_, name: string) => SAMPLE_PARAMS[name] ?? 'x'), method: method.toUpperCase(), scope: op.security?.[0]?.bearer[0] ?? 'admin',
    })))
    .filter((op) => op.path.startsWith('/api/v1/'));
}

/** One scope weaker than needed, or null when no token scope is weaker. */
const WEAKER: Record<TokenScope, TokenScope | null> = { admin: 'write', write: 'read', read: 'ingest', ingest: 'read' };

async function raw(base: string, method: string, path: string, token?: string): Promise<{ status: number; type: string; text: string }> {
  // fetch would normalize dot segments and case-fold nothing else; send the path exactly as written.
  const { request } = await import('node:http');
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, method, path, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(method === 'GET' || method === 'DELETE' ? {} : { 'content-type': 'application/json' }) } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type'] ?? ''), text }));
    });
    req.on('error', reject);
    req.end(method === 'GET' || method === 'DELETE' ? undefined : '{}');
  });
}

function assertNotServed(answer: { status: number; type: string; text: string }, what: string): void {
  assert.ok(answer.status < 500, `${what}: ${answer.status} ${answer.text.slice(0, 200)}`);
  if (answer.status >= 200 && answer.status < 300) {
    // The dashboard's HTML shell may answer unknown paths; API data never.
    assert.match(answer.type, /^text\/html/, `${what}: served ${answer.status} ${answer.type} ${answer.text.slice(0, 200)}`);
    assert.doesNotMatch(answer.text, /"(services|routes|calls|traces|tokens|checks|rules|alerts|runbooks|slos|schedules)"\s*:/, `${what}: API data in the answer`);
  }
}

test('every operation through path tricks, without a token and with a too-weak token, is never served', async (t) => {
  const telltale = await startTelltale(t);
  const ops = await operations(telltale);
  assert.ok(ops.length >= 20, `found ${ops.length} operations`);
  let tried = 0;
  for (const op of ops) {
    for (const path of tricks(op.path)) {
      assertNotServed(await raw(telltale.url, op.method, path), `${op.method} ${path} without a token`);
      const weaker = WEAKER[op.scope];
      if (weaker) assertNotServed(await raw(telltale.url, op.method, path, telltale.tokens[weaker]), `${op.method} ${path} with ${weaker} (needs ${op.scope})`);
      tried++;
    }
  }
  t.diagnostic(`${tried} spellings of ${ops.length} operations`);
});

test('ingest paths through tricks on both ports, without a token, are refused or not found', async (t) => {
  const telltale = await startTelltale(t);
  const body = JSON.stringify({ resourceSpans: [] });
  for (const base of [telltale.url, telltale.otlpUrl]) {
    for (const path of ['//v1/traces', '/v1//traces', '/v1%2Ftraces', '/v1/traces.', '/v1/traces/', '/V1/TRACES', '/v1/./traces', '/v1/x/../traces', '/v1/traces;x', '//v1/gateway-logs?format=nginx', '/v1/gateway-logs.?format=nginx']) {
      const answer = await raw(base, 'POST', path);
      assert.ok(answer.status === 401 || answer.status === 404 || answer.status === 400, `${base}${path}: ${answer.status} ${answer.text.slice(0, 120)}`);
    }
    // The real path with a read token is forbidden, with an ingest token accepted: the tricks above were refused for their spelling or their token, not by accident.
    const forbidden = await fetch(`${base}/v1/traces`, { method: 'POST', body, headers: { authorization: `Bearer ${telltale.tokens.read}`, 'content-type': 'application/json' } });
    assert.equal(forbidden.status, 403);
    const ok = await fetch(`${base}/v1/traces`, { method: 'POST', body, headers: { authorization: `Bearer ${telltale.tokens.ingest}`, 'content-type': 'application/json' } });
    assert.equal(ok.status, 200);
  }
});

test('an Authorization header that is not exactly one bearer token is refused', async (t) => {
  const telltale = await startTelltale(t);
  const token = telltale.tokens.admin;
  for (const header of [`Basic ${Buffer.from(`x:${token}`).toString('base64')}`, `Bearer ${token} extra`, `Bearer${token}`, `Token ${token}`, `Bearer ${token.slice(0, -1)}`, `Bearer ${token}x`, `Bearer ${token.toUpperCase()}`, 'Bearer ', `Bearer\t${token}\r\nX-Scope: admin`]) {
    let status: number;
    try {
      status = (await fetch(`${telltale.url}/api/v1/tokens`, { headers: { authorization: header } })).status;
    } catch {
      continue; // fetch refuses to send CR/LF in a header value: refused on the client, which is fine
    }
    assert.equal(status, 401, JSON.stringify(header));
  }
});
