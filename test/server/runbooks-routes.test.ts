// The runbooks API through a real Telltale: the list, one runbook with its Markdown, sanitized
// HTML and first steps, a coded 404, 401 without a token, both routes in the OpenAPI document
// with the read scope, and every API path the shipped runbooks quote is a real route.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTelltale } from '../helpers/telltale.ts';

test('runbooks API: list, one, 404, 401 and OpenAPI', async (t) => {
  const telltale = await startTelltale(t);

  await t.test('the list has every shipped runbook, with the kinds each is the default for', async () => {
    const { status, body } = await telltale.get('/api/v1/runbooks');
    assert.equal(status, 200);
    assert.deepEqual(body.runbooks.map((r: { id: string }) => r.id), ['certificate-expiring', 'check-failing', 'high-error-rate', 'high-latency', 'no-data', 'slo-burn']);
    const errors = body.runbooks.find((r: { id: string }) => r.id === 'high-error-rate');
    assert.deepEqual(errors, {
      id: 'high-error-rate', title: 'High error rate on an API route', owner: 'platform-oncall', severity: 'page',
      appliesTo: ['error_rate'], defaultFor: ['error_rate'], origin: 'shipped',
    });
    const cert = body.runbooks.find((r: { id: string }) => r.id === 'certificate-expiring');
    assert.deepEqual([cert.appliesTo, cert.defaultFor], [['tls'], []]);
    // The list is a summary: bodies only come with one runbook.
    assert.ok(!('markdown' in errors));
  });

  await t.test('one runbook has its Markdown, sanitized HTML and first steps', async () => {
    const { status, body } = await telltale.get('/api/v1/runbooks/high-latency');
    assert.equal(status, 200);
    assert.equal(body.id, 'high-latency');
    assert.equal(body.origin, 'shipped');
    assert.deepEqual(body.defaultFor, ['latency']);
    assert.match(body.markdown, /^An? .*`latency` rule fired/);
    assert.match(body.html, /<h2 id="rb-first-steps">First steps<\/h2>\n<ol>\n<li>/);
    assert.equal(body.firstSteps.length, 5);
    assert.match(body.firstSteps[0], /^Acknowledge the alert/);
    assert.equal(telltale.runtime.runbooks.get('high-latency')?.html, body.html);
  });

  await t.test('an unknown id is a coded 404', async () => {
    for (const id of ['no-such-runbook', 'Not_An_Id', '..%2F..%2Fpackage.json']) {
      const { status, body } = await telltale.get(`/api/v1/runbooks/${id}`);
      assert.equal(status, 404, id);
      assert.equal(body.code, 'TELLTALE_ERR_RUNBOOK_NOT_FOUND');
      assert.equal(body.statusCode, 404);
    }
  });

  await t.test('both need a token: 401 without one or with an unknown one', async () => {
    for (const path of ['/api/v1/runbooks', '/api/v1/runbooks/high-error-rate']) {
      const anonymous = await fetch(telltale.url + path);
      assert.equal(anonymous.status, 401, path);
      assert.equal(((await anonymous.json()) as { code: string }).code, 'TELLTALE_ERR_UNAUTHENTICATED');
      assert.equal((await fetch(telltale.url + path, { headers: { authorization: 'Bearer tt_unknown' } })).status, 401, path);
    }
    // The read scope is enough; an ingest-only token is not.
    assert.equal((await telltale.get('/api/v1/runbooks', 'read')).status, 200);
    assert.equal((await telltale.get('/api/v1/runbooks', 'ingest')).status, 403);
  });

  await t.test('the OpenAPI document describes both routes, their answers and the read scope', async () => {
    const doc = (await telltale.get('/api/openapi.json')).body;
    const list = doc.paths['/api/v1/runbooks'].get;
    const one = doc.paths['/api/v1/runbooks/{id}'].get;
    assert.deepEqual(list.security, [{ bearer: ['read'] }]);
    assert.deepEqual(one.security, [{ bearer: ['read'] }]);
    const item = list.responses['200'].content['application/json'].schema.properties.runbooks.items;
    assert.deepEqual(Object.keys(item.properties).sort(), ['appliesTo', 'defaultFor', 'id', 'origin', 'owner', 'severity', 'title']);
    const detail = one.responses['200'].content['application/json'].schema;
    for (const key of ['markdown', 'html', 'firstSteps']) assert.ok(detail.properties[key], key);
    assert.ok(one.responses['404'], 'the 404 is documented');
  });

  await t.test('every API path a shipped runbook tells people to call exists in the OpenAPI document', async () => {
    const doc = (await telltale.get('/api/openapi.json')).body as { paths: Record<string, unknown> };
    const routes = Object.keys(doc.paths).map((path) => new RegExp(`^${path.replace(/\{[^}]+\}/g, '[^/]+')}$`));
    let seen = 0;
    for (const runbook of telltale.runtime.runbooks.list()) {
      for (const match of runbook.markdown.matchAll(/\/api\/v1\/[^\s?"`']*/g)) {
        const path = match[0].replace(/[.,;:)]+$/, '');
        assert.ok(routes.some((route) => route.test(path)), `${runbook.id}: ${path} is not an API route`);
        seen += 1;
      }
    }
    assert.ok(seen >= 30, `${seen} API paths checked`);
  });
});
