// Every assertion kind, passing and failing, against a real local target; each result says what
// was expected and what was seen. A check with no assertions expects a 2xx.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCheck, type Assertion, type Check } from '../../synthetic/index.ts';
import { startTarget, json } from './target-server.ts';
import { selfSignedCert } from '../helpers/tls-certs.ts';

const DOC = { user: { id: 42, name: 'ada', roles: ['admin', 'ops'] }, count: '17', items: [{ id: 1 }, { id: 2 }], 'x-y': true };

function check(url: string, assertions: Assertion[]): Check {
  return { id: 'assert', name: 'assert', type: 'http', schedule: '1m', request: { url }, assertions };
}

test('each assertion kind passes and fails with expected and actual values', async (t) => {
  const target = await startTarget(t, {
    '/doc': (_req, res) => json(res, 200, DOC, { 'x-request-id': 'req-12345', 'cache-control': 'no-store' }),
    '/slow': (_req, res) => setTimeout(() => res.end('late'), 120),
    '/text': (_req, res) => res.end('hello telltale'),
  });
  const url = `${target.url}/doc`;
  // [assertion, should pass] pairs; each runs alone so a result maps to one assertion.
  const cases: Array<[Assertion, boolean]> = [
    [{ kind: 'status', equals: 200 }, true], [{ kind: 'status', equals: 201 }, false],
    [{ kind: 'status', in: [200, 204] }, true], [{ kind: 'status', in: [500, 503] }, false],
    [{ kind: 'status', range: [200, 299] }, true], [{ kind: 'status', range: [400, 499] }, false],
    [{ kind: 'latency', lessThan: 5000 }, true], [{ kind: 'latency', phase: 'firstByte', lessThan: 5000 }, true],
    [{ kind: 'latency', lessThan: 0.001 }, false],
    [{ kind: 'header', name: 'X-Request-Id', equals: 'req-12345' }, true], [{ kind: 'header', name: 'x-request-id', equals: 'other' }, false],
    [{ kind: 'header', name: 'content-type', contains: 'json' }, true], [{ kind: 'header', name: 'content-type', contains: 'xml' }, false],
    [{ kind: 'header', name: 'x-request-id', matches: '^req-\\d+$' }, true], [{ kind: 'header', name: 'x-missing', matches: '.' }, false],
    [{ kind: 'body', contains: '"ada"' }, true], [{ kind: 'body', contains: 'bob' }, false],
    [{ kind: 'body', notContains: 'error' }, true], [{ kind: 'body', notContains: 'admin' }, false],
    [{ kind: 'jsonPath', path: '$.user.id', equals: 42 }, true], [{ kind: 'jsonPath', path: '$.user.id', equals: '42' }, false],
    [{ kind: 'jsonPath', path: '$.user', equals: { id: 42, name: 'ada', roles: ['admin', 'ops'] } }, true],
    [{ kind: 'jsonPath', path: '$.user.roles', contains: 'ops' }, true], [{ kind: 'jsonPath', path: '$.user.roles', contains: 'root' }, false],
    [{ kind: 'jsonPath', path: '$.user.name', contains: 'd' }, true],
    [{ kind: 'jsonPath', path: '$.count', greaterThan: 10 }, true], [{ kind: 'jsonPath', path: '$.items[1].id', greaterThan: 2 }, false],
    [{ kind: 'jsonPath', path: 'items.0.id', lessThan: 2 }, true], [{ kind: 'jsonPath', path: '$.user.name', lessThan: 2 }, false],
    [{ kind: 'jsonPath', path: "$['x-y']", exists: true }, true], [{ kind: 'jsonPath', path: '$.nope', exists: true }, false],
    [{ kind: 'jsonPath', path: '$.nope', exists: false }, true],
    [{ kind: 'jsonSchema', schema: { type: 'object', required: ['user'], properties: { user: { type: 'object', properties: { id: { type: 'integer' } } } } } }, true],
    [{ kind: 'jsonSchema', schema: { type: 'object', properties: { items: { type: 'array', items: { type: 'object', properties: { id: { type: 'string' } } } } } } }, false],
    [{ kind: 'tlsDaysLeft', greaterThan: 1 }, false],
  ];
  for (const [assertion, shouldPass] of cases) {
    const result = await runCheck(check(url, [assertion]));
    const [only] = result.assertions;
    assert.ok(only, JSON.stringify(assertion));
    assert.equal(only.pass, shouldPass, `${JSON.stringify(assertion)} → ${JSON.stringify(only)}`);
    assert.equal(result.ok, shouldPass);
    assert.equal(only.kind, assertion.kind);
    assert.equal(typeof only.expected, 'string');
    if (!shouldPass) {
      assert.equal(result.error?.code, 'assertion_failed');
      assert.ok(result.error.message.includes(only.expected), result.error.message);
    }
  }

  const detail = await runCheck(check(url, [
    { kind: 'status', in: [500, 503] }, { kind: 'header', name: 'X-Request-Id', equals: 'x' }, { kind: 'jsonPath', path: '$.items[1].id', greaterThan: 2 },
    { kind: 'jsonSchema', schema: { type: 'object', properties: { items: { type: 'array', items: { properties: { id: { type: 'string' } } } } } } },
  ]));
  assert.deepEqual(detail.assertions, [
    { kind: 'status', expected: 'in [500, 503]', actual: 200, pass: false },
    { kind: 'header', target: 'x-request-id', expected: 'equals "x"', actual: 'req-12345', pass: false },
    { kind: 'jsonPath', target: '$.items[1].id', expected: '> 2', actual: 2, pass: false },
    { kind: 'jsonSchema', expected: 'matches the JSON schema', actual: '/items/0/id must be string', pass: false },
  ]);

  const slow = await runCheck(check(`${target.url}/slow`, [{ kind: 'latency', lessThan: 50 }]));
  assert.equal(slow.assertions[0]!.pass, false);
  assert.equal(slow.assertions[0]!.target, 'total');
  assert.ok(Number(slow.assertions[0]!.actual) >= 100);

  const notJson = await runCheck(check(`${target.url}/text`, [{ kind: 'jsonPath', path: '$.a', equals: 1 }, { kind: 'jsonSchema', schema: true }]));
  assert.deepEqual(notJson.assertions.map((a) => a.actual), ['body is not JSON', 'body is not JSON']);
});

test('no assertions means a 2xx status', async (t) => {
  const target = await startTarget(t, { '/ok': (_req, res) => res.writeHead(204).end(), '/bad': (_req, res) => res.writeHead(500).end() });
  const ok = await runCheck(check(`${target.url}/ok`, []));
  assert.equal(ok.ok, true);
  assert.deepEqual(ok.assertions, [{ kind: 'status', expected: 'in 200..299', actual: 204, pass: true }]);
  const bad = await runCheck({ id: 'x', name: 'x', type: 'http', schedule: '1m', request: { url: `${target.url}/bad` } });
  assert.equal(bad.ok, false);
  assert.equal(bad.statusCode, 500);
  assert.equal(bad.error?.message, 'status: expected in 200..299, got 500');
});

test('tlsDaysLeft on an https check reads the served certificate', async (t) => {
  const cert = selfSignedCert(3);
  const target = await startTarget(t, { '/': (_req, res) => res.end('ok') }, cert);
  const deps = { ca: [cert.cert] };
  const soon = await runCheck(check(`${target.url}/`, [{ kind: 'tlsDaysLeft', greaterThan: 14 }]), deps);
  assert.equal(soon.ok, false);
  assert.equal(soon.assertions[0]!.expected, '> 14 days');
  assert.ok(Number(soon.assertions[0]!.actual) > 2.9 && Number(soon.assertions[0]!.actual) <= 3);
  const fine = await runCheck(check(`${target.url}/`, [{ kind: 'tlsDaysLeft', greaterThan: 1 }]), deps);
  assert.equal(fine.ok, true);
});
