// Multistep flows against a real local API: values extracted from one step's response (JSON
// path, header, bounded regex) feed later steps' URLs, headers and bodies; the flow stops at
// the first failed step and says which one.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { runCheck, type Check } from '../../synthetic/index.ts';
import { startTarget, json } from './target-server.ts';

async function shop(t: TestContext) {
  return startTarget(t, {
    '/login': (_req, res, body) => {
      const creds = JSON.parse(body) as { user?: string };
      if (creds.user !== 'ada') return json(res, 401, { error: 'who?' });
      json(res, 200, { token: 'tok-123', user: { id: 7 } }, { 'x-session': 'sess-9' });
    },
    '/orders': (req, res, body) => {
      if (req.headers.authorization !== 'Bearer tok-123') return json(res, 401, { error: 'no token' });
      const order = JSON.parse(body) as { userId: unknown };
      json(res, 201, { orderId: 'ord-55', userId: order.userId, session: req.headers['x-session'] }, { location: '/orders/ord-55' });
    },
    '/orders/ord-55': (req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(`<p>Order ord-55 for ${String(req.headers['x-session'])}: status=shipped</p>`),
  });
}

function flow(base: string, user = 'ada'): Check {
  return {
    id: 'checkout', name: 'checkout flow', type: 'multistep', schedule: '5m',
    variables: { base, user },
    steps: [
      {
        name: 'login',
        request: { method: 'POST', url: '{{ vars.base }}/login', json: { user: '{{ vars.user }}' } },
        extract: [{ name: 'session', from: 'header', header: 'X-Session' }],
        assertions: [{ kind: 'status', equals: 200 }],
      },
      {
        name: 'order',
        request: {
          method: 'POST', url: '{{ vars.base }}/orders',
          headers: { authorization: 'Bearer {{ steps.login.json.token }}', 'x-session': '{{ vars.session }}' },
          json: { userId: '{{ steps.login.json.user.id }}' },
        },
        extract: [{ name: 'orderId', from: 'json', path: '$.orderId' }],
        assertions: [{ kind: 'status', equals: 201 }, { kind: 'jsonPath', path: '$.userId', equals: 7 }],
      },
      {
        name: 'status',
        request: { url: '{{ vars.base }}{{ steps.order.headers.location }}', headers: { 'x-session': '{{ vars.session }}' } },
        extract: [{ name: 'shipping', from: 'regex', pattern: 'status=(\\w+)' }],
        assertions: [{ kind: 'body', contains: 'ord-55' }],
      },
    ],
  };
}

test('login → token → use token: variables flow from step to step', async (t) => {
  const target = await shop(t);
  const result = await runCheck(flow(target.url));
  assert.equal(result.ok, true, JSON.stringify(result.error));
  assert.deepEqual(result.steps?.map((s) => [s.name, s.ok, s.statusCode]), [['login', true, 200], ['order', true, 201], ['status', true, 200]]);
  const [, order, status] = target.requests;
  assert.equal(order!.headers.authorization, 'Bearer tok-123', 'token from the login JSON');
  assert.equal(order!.headers['x-session'], 'sess-9', 'variable extracted from a header');
  assert.deepEqual(JSON.parse(order!.body), { userId: 7 }, 'a whole-string reference keeps its JSON type');
  assert.equal(status!.path, '/orders/ord-55', 'the URL built from a previous response header');
  assert.equal(result.steps[2]!.url, `${target.url}/orders/ord-55`);

  // One trace for the whole flow; each request its own span.
  const traceparents = target.requests.map((r) => String(r.headers.traceparent));
  assert.equal(new Set(traceparents.map((tp) => tp.split('-')[1])).size, 1);
  assert.equal(traceparents[0]!.split('-')[1], result.traceId);
  assert.equal(new Set(traceparents.map((tp) => tp.split('-')[2])).size, 3);

  assert.ok(result.phases.totalMs >= result.steps.reduce((sum, s) => sum + s.phases.totalMs, 0) - 0.01, 'phases add up over steps');
  assert.ok(result.assertions.some((a) => a.target === 'order: $.userId' && a.pass), 'flattened assertions name their step');
});

test('the flow stops at the first failed step, named in the error', async (t) => {
  const target = await shop(t);
  const result = await runCheck(flow(target.url, 'mallory'));
  assert.equal(result.ok, false);
  assert.equal(result.steps?.length, 1, 'later steps need the token, so they do not run');
  assert.equal(result.error?.code, 'assertion_failed');
  assert.match(result.error.message, /^step login: status: expected equals 200, got 401/);
  assert.equal(target.requests.length, 1);
});

test('an extraction that finds nothing fails its step; a missing reference is a template error', async (t) => {
  const target = await shop(t);
  const missing = flow(target.url) as Extract<Check, { type: 'multistep' }>;
  missing.steps[0]!.extract = [{ name: 'session', from: 'json', path: '$.nope' }];
  const extractFailed = await runCheck(missing);
  assert.equal(extractFailed.error?.code, 'extract_failed');
  assert.match(extractFailed.error.message, /step login: session: nothing at \$\.nope/);

  const badRef = flow(target.url) as Extract<Check, { type: 'multistep' }>;
  badRef.steps[1]!.request.headers = { authorization: 'Bearer {{ steps.login.json.missing }}' };
  const templateFailed = await runCheck(badRef);
  assert.equal(templateFailed.error?.code, 'template_error');
  assert.equal(templateFailed.steps?.[1]?.ok, false);
  assert.equal(target.requests.filter((r) => r.path === '/orders').length, 0, 'a step with an unfilled template is not sent');
});
