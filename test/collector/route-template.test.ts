import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_ROUTE_LENGTH, routeTemplate } from '../../collector/route-template.ts';

const TABLE: [string, string][] = [
  // Shape: query, fragment, slashes.
  ['', '/'],
  ['/', '/'],
  ['//', '/'],
  ['/users/', '/users'],
  ['users/42', '/users/{id}'],
  ['//api///v1//users//', '/api/v1/users'],
  ['/search?q=1/2&x=3', '/search'],
  ['/docs#section/42', '/docs'],
  ['/a?b#c', '/a'],
  ['/a#b?c', '/a'],
  ['?only=query', '/'],
  // Numbers, UUIDs, hex.
  ['/users/42', '/users/{id}'],
  ['/users/0/orders/9', '/users/{id}/orders/{id}'],
  ['/orders/123e4567-e89b-12d3-a456-426614174000', '/orders/{id}'],
  ['/orders/123E4567-E89B-12D3-A456-426614174000/items', '/orders/{id}/items'],
  ['/objects/507f1f77bcf86cd799439011', '/objects/{id}'],
  ['/commits/a1b2c3d4', '/commits/{id}'],
  ['/colors/deadbeef', '/colors/deadbeef'],
  ['/colors/facade', '/colors/facade'],
  // Tokens and emails.
  ['/keys/k3JfP0qLzX9aBcDe', '/keys/{id}'],
  ['/t/eyJhbGciOiJIUzI1NiJ9', '/t/{id}'],
  ['/invite/aB3_xY9-qR2_zK7-mN1_pL4', '/invite/{id}'],
  ['/users/jane.doe@example.com/profile', '/users/{id}/profile'],
  ['/packages/@types', '/packages/@types'],
  // Ids with words around them.
  ['/orders/order-12345', '/orders/{id}'],
  ['/invoices/INV_0042', '/invoices/{id}'],
  ['/reports/2024-01-15', '/reports/{id}'],
  ['/files/photo001.png', '/files/{id}'],
  ['/users/user123', '/users/{id}'],
  ['/versions/1.2.3', '/versions/{id}'],
  ['/x/a1b2c3', '/x/{id}'],
  // Words that stay.
  ['/api/v1/users', '/api/v1/users'],
  ['/api/v10/health', '/api/v10/health'],
  ['/auth/2fa/verify', '/auth/2fa/verify'],
  ['/oauth2/callback', '/oauth2/callback'],
  ['/oauth2-callback-handler', '/oauth2-callback-handler'],
  ['/i18n/locales', '/i18n/locales'],
  ['/s3/buckets', '/s3/buckets'],
  ['/ipv6/e2e/utf-8/md5', '/ipv6/e2e/utf-8/md5'],
  ['/getUserPreferencesByName', '/getUserPreferencesByName'],
  ['/hello%20world', '/hello%20world'],
  // Known casualties of leaning toward {id}.
  ['/hash/sha256', '/hash/{id}'],
  // Placeholders pass through, so templated span names are stable.
  ['/users/{id}/orders/{orderId2}', '/users/{id}/orders/{orderId2}'],
  ['/users/:id123', '/users/:id123'],
  ['/users/<int:id>', '/users/<int:id>'],
  ['/static/*', '/static/*'],
];

test('route templates', () => {
  for (const [input, expected] of TABLE) {
    assert.equal(routeTemplate(input), expected, JSON.stringify(input));
  }
});

test('templating is idempotent', () => {
  for (const [input] of TABLE) {
    const once = routeTemplate(input);
    assert.equal(routeTemplate(once), once, JSON.stringify(input));
  }
});

test('long routes are cut to MAX_ROUTE_LENGTH', () => {
  const route = routeTemplate('/' + Array.from({ length: 200 }, (_, i) => `seg${String.fromCharCode(97 + (i % 26))}`).join('/'));
  assert.equal(route.length, MAX_ROUTE_LENGTH);
  assert.ok(route.endsWith('…'));
  assert.equal(routeTemplate('/' + 'a'.repeat(10_000)).length, MAX_ROUTE_LENGTH);
});

test('a 100 KB path finishes in well under 100 ms, whatever its shape', () => {
  const shapes = [
    '/' + 'a'.repeat(100_000),
    '/'.repeat(100_000),
    '/a'.repeat(50_000),
    '/1'.repeat(50_000),
    '/' + '1a'.repeat(50_000),
    '/x@'.repeat(33_000) + '.',
    '/' + 'ab-'.repeat(33_000) + '?' + 'q'.repeat(1000),
    '/a' + '?'.repeat(100_000),
  ];
  for (const path of shapes) {
    const started = performance.now();
    const route = routeTemplate(path);
    const elapsedMs = performance.now() - started;
    assert.ok(elapsedMs < 50, `${elapsedMs} ms for ${path.slice(0, 12)}…`);
    assert.ok(route.length <= MAX_ROUTE_LENGTH);
  }
});
