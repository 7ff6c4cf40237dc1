// View state in URLs: patches keep order and drop empty values, links carry the window, paths
// match with their params decoded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { linkTo, matchPath, numberParam, patchSearch, routeLink, traceLink } from '../../dashboard/src/lib/url-state.ts';

test('patching a query string', () => {
  assert.equal(patchSearch('?from=now-6h&q=x', { q: 'orders', sort: 'p99' }), '?from=now-6h&q=orders&sort=p99');
  assert.equal(patchSearch('?from=now-6h&q=x', { q: '', from: null }), '');
  assert.equal(patchSearch('', { errors: true, page: 2, off: false }), '?errors=1&page=2');
});

test('links keep the time window and auto-refresh, and nothing else', () => {
  const current = '?from=now-6h&refresh=30s&q=orders&service=shop';
  assert.equal(linkTo('/traces', current), '/traces?from=now-6h&refresh=30s');
  assert.equal(linkTo('/traces', current, { service: 'shop' }), '/traces?from=now-6h&refresh=30s&service=shop');
});

test('route and trace links round-trip names with braces, spaces and slashes', () => {
  const link = routeLink({ service: 'shop api', method: 'GET', route: '/users/{id}/orders' }, '?from=now-24h');
  const url = new URL(link, 'http://x');
  assert.equal(url.pathname, '/routes');
  assert.equal(url.searchParams.get('service'), 'shop api');
  assert.equal(url.searchParams.get('route'), '/users/{id}/orders');
  assert.equal(url.searchParams.get('from'), 'now-24h');
  assert.equal(traceLink('ab'.repeat(16), '', 'cd'.repeat(8)), `/traces/${'ab'.repeat(16)}?span=${'cd'.repeat(8)}`);
});

test('path patterns', () => {
  assert.deepEqual(matchPath('/', '/'), {});
  assert.deepEqual(matchPath('/traces/:traceId', '/traces/abc'), { traceId: 'abc' });
  assert.deepEqual(matchPath('/traces/:traceId', '/traces/abc/'), { traceId: 'abc' });
  assert.equal(matchPath('/traces/:traceId', '/traces'), null);
  assert.equal(matchPath('/traces/:traceId', '/traces/'), null);
  assert.equal(matchPath('/traces', '/traces/abc'), null);
  assert.equal(matchPath('/traces/:id', '/traces/%E0%A4%A'), null, 'a malformed escape matches nothing');
});

test('numbers from query values', () => {
  assert.equal(numberParam('250'), 250);
  assert.equal(numberParam('0.5'), 0.5);
  assert.equal(numberParam(''), null);
  assert.equal(numberParam('-3'), null);
  assert.equal(numberParam('abc'), null);
  assert.equal(numberParam(null), null);
});
