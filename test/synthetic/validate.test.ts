// Check definitions are validated as diagnostics: every problem in one pass, each at the JSON
// Pointer of its field, including the rules a schema cannot express (templates, regexes, URLs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateCheck, validateChecks } from '../../synthetic/index.ts';

const paths = (r: { diagnostics: Array<{ path: string }> }) => r.diagnostics.map((d) => d.path);

test('valid checks of every type pass and come back typed', () => {
  const checks = [
    { id: 'health', name: 'Health', type: 'http', schedule: '30s', request: { url: 'https://api.example.com/health' } },
    {
      id: 'flow', name: 'Flow', type: 'multistep', schedule: '*/5 * * * *', variables: { base: 'https://api.example.com' },
      steps: [
        { name: 'login', request: { method: 'POST', url: '{{ vars.base }}/login', json: { u: 'x' } }, extract: [{ name: 'token', from: 'json', path: '$.token' }] },
        { name: 'me', request: { url: '{{ vars.base }}/me', headers: { authorization: 'Bearer {{ vars.token }}' } }, assertions: [{ kind: 'jsonPath', path: '$.id', exists: true }] },
      ],
    },
    { id: 'cert', name: 'Cert', type: 'tls', schedule: '1h', host: 'api.example.com', minDaysLeft: 21, tags: ['prod'], runbook: 'tls-expiry' },
    { id: 'db', name: 'DB port', type: 'tcp', schedule: '1m', host: 'db.internal', port: 5432, retries: 2 },
    { id: 'mx', name: 'MX', type: 'dns', schedule: '0 */6 * * *', domain: 'example.com', recordType: 'MX', expected: ['mail.example.com'] },
  ];
  for (const c of checks) {
    const result = validateCheck(c);
    assert.equal(result.ok, true, `${String(c.id)}: ${JSON.stringify(result.diagnostics)}`);
  }
});

test('several problems at once, each with its path', () => {
  const result = validateCheck({
    id: 'Bad Id', type: 'http', schedule: 'every minute', retries: 9, colour: 'red',
    request: { url: 'ftp://example.com', method: 'FETCH', headers: { 'bad header': 'x' } },
    assertions: [{ kind: 'status', equals: 'ok' }, { kind: 'bogus' }, { kind: 'jsonPath', path: '$.a', equals: 1, exists: true, extra: 1 }],
  });
  assert.equal(result.ok, false);
  const found = paths(result);
  for (const path of ['/id', '/name', '/retries', '/colour', '/request/method', '/assertions/0/equals', '/assertions/1/kind', '/assertions/2/extra', '/schedule']) {
    assert.ok(found.includes(path), `${path} in ${JSON.stringify(result.diagnostics, null, 1)}`);
  }
  const byPath = new Map(result.diagnostics.map((d) => [d.path, d.message]));
  assert.equal(byPath.get('/name'), 'is required');
  assert.equal(byPath.get('/colour'), 'is not a known field');
  assert.match(byPath.get('/request/method')!, /must be one of "GET", "HEAD"/);
  assert.match(byPath.get('/assertions/1/kind')!, /must be one of "status", "latency"/);
  assert.match(byPath.get('/schedule')!, /not an interval/);
});

test('semantic rules: URLs, operators, regexes, JSON paths and schemas, templates, hosts', () => {
  const http = validateCheck({
    id: 'h', name: 'h', type: 'http', schedule: '1m',
    request: { url: 'gopher://x/', body: 'a', json: {}, headers: { 'x-a': 'line\r\nbreak', 'x-b': '{{ vars.nope }}' } },
    assertions: [
      { kind: 'status', equals: 200, in: [200] }, { kind: 'header', name: 'a', matches: '(a+)+$' }, { kind: 'jsonPath', path: '$..[', exists: true },
      { kind: 'jsonSchema', schema: { type: 'strng' } }, { kind: 'jsonSchema', schema: { type: 'string', pattern: '(x*)*y' } }, { kind: 'status', range: [299, 200] },
      { kind: 'body' },
    ],
  });
  assert.equal(http.ok, false);
  const messages = Object.fromEntries(http.diagnostics.map((d) => [d.path, d.message]));
  assert.match(messages['/request/url']!, /scheme gopher: is not allowed/);
  assert.match(messages['/request/json']!, /either body or json/);
  assert.match(messages['/request/headers/x-a']!, /line breaks/);
  assert.match(messages['/request/headers/x-b']!, /only available in multistep/);
  assert.match(messages['/assertions/0']!, /exactly one of equals, in, range \(got equals, in\)/);
  assert.match(messages['/assertions/1/matches']!, /nested quantifiers/);
  assert.match(messages['/assertions/2/path']!, /expected a member name/);
  assert.match(messages['/assertions/3/schema']!, /invalid JSON schema/);
  assert.match(messages['/assertions/4/schema/pattern']!, /nested quantifiers/);
  assert.match(messages['/assertions/5/range']!, /min <= max/);
  assert.match(messages['/assertions/6']!, /exactly one of contains, notContains/);

  const flow = validateCheck({
    id: 'f', name: 'f', type: 'multistep', schedule: '1m',
    steps: [
      { name: 'a', request: { url: 'https://x.test/{{ steps.b.json.id }}' }, extract: [{ name: 'v', from: 'regex', pattern: '(\\w+)\\1', group: 1 }] },
      { name: 'b', request: { url: 'https://x.test/{{ vars.v }}/{{ steps.a.status }}' }, extract: [{ name: 'w', from: 'regex', pattern: 'id=(\\d+)', group: 2 }] },
      { name: 'a', request: { url: 'https://x.test/{{ steps.a.nope }}' }, assertions: [{ kind: 'tlsDaysLeft', greaterThan: 3 }] },
    ],
  });
  const flowMessages = Object.fromEntries(flow.diagnostics.map((d) => [d.path, d.message]));
  assert.match(flowMessages['/steps/0/request/url']!, /no earlier step named "b"/);
  assert.match(flowMessages['/steps/0/extract/0/pattern']!, /backreferences/);
  assert.match(flowMessages['/steps/1/extract/0/group']!, /1 capture group/);
  assert.match(flowMessages['/steps/2/name']!, /used twice/);
  assert.match(flowMessages['/steps/2/request/url']!, /expected vars/);
  assert.equal(flowMessages['/steps/1/request/url'], undefined, 'vars.v comes from step a (its pattern is bad, but the name is declared)');

  const tcp = validateCheck({ id: 't', name: 't', type: 'tcp', schedule: '1m', host: '127.0.0.1', port: 22, assertions: [{ kind: 'status', equals: 200 }] }, { policy: { allowPrivate: 'false' } });
  assert.deepEqual(paths(tcp), ['/host', '/assertions/0/kind']);
  const dns = validateCheck({ id: 'd', name: 'd', type: 'dns', schedule: '1m', recordType: 'A', expected: ['not-an-ip'] });
  assert.deepEqual(paths(dns), ['/domain'], 'schema problems first; value rules run on schema-valid checks');
  const dnsValues = validateCheck({ id: 'd', name: 'd', domain: 'a.test', type: 'dns', schedule: '1m', recordType: 'AAAA', expected: ['10.0.0.1'] });
  assert.deepEqual(paths(dnsValues), ['/expected/0']);
  const metadata = validateCheck({ id: 'm', name: 'm', type: 'http', schedule: '1m', request: { url: 'http://169.254.169.254/' } });
  assert.match(metadata.diagnostics[0]!.message, /always refused/);
});

test('a set of checks: unknown types, non-objects and duplicate ids, all reported with indexes', () => {
  const result = validateChecks([
    { id: 'a', name: 'a', type: 'http', schedule: '1m', request: { url: 'https://a.test' } },
    'nope',
    { id: 'a', name: 'again', type: 'http', schedule: '1m', request: { url: 'https://a.test' } },
    { id: 'c', name: 'c', type: 'smtp', schedule: '1m' },
  ]);
  assert.equal(result.ok, false);
  assert.equal(result.checks.length, 2);
  assert.deepEqual(result.diagnostics.map((d) => d.path), ['/1', '/2/id', '/3/type']);
  assert.match(result.diagnostics[1]!.message, /already used by check 0/);
  assert.match(result.diagnostics[2]!.message, /one of http, multistep, tls, tcp, dns/);
});
