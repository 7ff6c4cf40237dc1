// Request bodies on every API operation that takes one (from the OpenAPI document), with an
// admin token so authorization is not what refuses them: a body over the 1 MiB API limit is 413,
// malformed JSON is 400, a body that is not JSON is 415, and hostile JSON (prototype keys, deep
// nesting, huge numbers) is a 4xx or handled — never a 5xx, and never a change to what was stored.
// (Counters: API bodies are not ingest, so there is no discard counter to move.)
//
// Lives elsewhere: ingest bodies (OTLP, gateway pushes) in otlp-traces.test.ts and
// gateway-logs.test.ts here, and in test/collector/*-receiver.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTelltale, type TestTelltale } from '../helpers/telltale.ts';

const SAMPLE_PARAMS: Record<string, string> = { traceId: '0af7651916cd43dd8448eb211c80319c', id: 'corpus-x' };

async function bodyOperations(telltale: TestTelltale): Promise<{ method: string; path: string }[]> {
  const doc = (await telltale.get('/api/openapi.json')).body;
  return Object.entries(doc.paths as Record<string, Record<string, { requestBody?: unknown }>>)
    .flatMap(([path, methods]) => Object.entries(methods)
      .filter(([method, op]) => ['post', 'put', 'patch'].includes(method) && op.requestBody !== undefined)
      .map(([method]) => ({ method: method.toUpperCase(), path: path.replace(/\{(\w+)\}/g, (_, name: string) => SAMPLE_PARAMS[name] ?? 'x') })))
    .filter((op) => op.path.startsWith('/api/v1/'));
}

async function send(telltale: TestTelltale, method: string, path: string, body: string, contentType: string) {
  const response = await fetch(telltale.url + path, { method, body, headers: { authorization: `Bearer ${telltale.tokens.admin}`, 'content-type': contentType } });
  const text = await response.text();
  return { status: response.status, text };
}

function deep(depth: number): string {
  return '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
}

test('every API body: too large 413, not JSON 415, hostile JSON never a 5xx, nothing stored', async (t) => {
  const telltale = await startTelltale(t);
  const ops = await bodyOperations(telltale);
  assert.ok(ops.length >= 5, `found ${ops.length} operations with a body`);
  const tokensBefore = (await telltale.get('/api/v1/tokens', 'admin')).body;
  const checksBefore = (await telltale.get('/api/v1/checks')).body;
  for (const { method, path } of ops) {
    const what = `${method} ${path}`;
    const big = await send(telltale, method, path, JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024) }), 'application/json');
    assert.equal(big.status, 413, `${what} with 2 MiB: ${big.text.slice(0, 200)}`);

    const notJson = await send(telltale, method, path, 'name=x', 'application/x-www-form-urlencoded');
    assert.equal(notJson.status, 415, `${what} as a form: ${notJson.text.slice(0, 200)}`);

    for (const [label, hostile] of [
      ['deep nesting', deep(5000)],
      ['huge number', '{"id": 1e999999, "name": 123456789012345678901234567890}'],
      ['an array', '[[[[]]]]'],
      ['null', 'null'],
      ['a string', '"x"'],
      ['NUL and lone surrogates', '{"id": "a\\u0000b", "name": "\\ud800"}'],
    ] as const) {
      const answer = await send(telltale, method, path, hostile, 'application/json');
      assert.ok(answer.status < 500, `${what} with ${label}: ${answer.status} ${answer.text.slice(0, 200)}`);
    }
  }
  // Nothing hostile reached the stores: no token or check appeared or changed.
  assert.deepEqual((await telltale.get('/api/v1/tokens', 'admin')).body, tokensBefore);
  assert.deepEqual((await telltale.get('/api/v1/checks')).body, checksBefore);
});

// Found by this corpus: routes whose 400 schema required `diagnostics` (checks, SLOs, report
// schedules) answered a body the JSON parser refused with 500 FST_ERR_FAILED_ERROR_SERIALIZATION.
test('every API body: malformed JSON and __proto__ keys are 400, never 500', async (t) => {
  const telltale = await startTelltale(t);
  const problems: string[] = [];
  for (const { method, path } of await bodyOperations(telltale)) {
    for (const [label, body] of [['malformed', '{"name": "x",'], ['__proto__', '{"__proto__": {"admin": true}, "constructor": {"prototype": {"x": 1}}}']] as const) {
      const answer = await send(telltale, method, path, body, 'application/json');
      if (answer.status !== 400) problems.push(`${method} ${path} ${label}: ${answer.status} ${answer.text.slice(0, 120)}`);
    }
  }
  assert.deepEqual(problems, []);
  assert.equal(({} as Record<string, unknown>).admin, undefined, 'no prototype was polluted');
});
