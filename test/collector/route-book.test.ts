import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OVERFLOW_ROUTE, RouteBook } from '../../collector/route-book.ts';

test('a learned template names matching raw paths of its service only', () => {
  const book = new RouteBook({ maxRoutesPerService: 100 });
  book.learnTemplate('shop', '/users/{userId}/orders');
  book.learnTemplate('shop', '/users/:id');
  assert.equal(book.forPath('shop', '/users/42/orders?x=1'), '/users/{userId}/orders');
  assert.equal(book.forPath('shop', '/users/alice'), '/users/:id', 'a template matches words too');
  assert.equal(book.forPath('billing', '/users/42/orders'), '/users/{id}/orders', 'other services get the generic template');
  assert.equal(book.forPath('shop', '/users/42/orders/7'), '/users/{id}/orders/{id}', 'segment counts must match');
});

test('the most specific template wins', () => {
  const book = new RouteBook({ maxRoutesPerService: 100 });
  book.learnTemplate('api', '/{a}/{b}');
  book.learnTemplate('api', '/users/{id}');
  assert.equal(book.forPath('api', '/users/9'), '/users/{id}');
  assert.equal(book.forPath('api', '/teams/9'), '/{a}/{b}');
});

test('templates from config apply to all services or one', () => {
  const book = new RouteBook({ maxRoutesPerService: 100, templates: [{ route: '/files/{name}' }, { service: 'docs', route: '/pages/{slug}' }] });
  assert.equal(book.forPath('any', '/files/report.pdf'), '/files/{name}');
  assert.equal(book.forPath('docs', '/pages/getting-started'), '/pages/{slug}');
  assert.equal(book.forPath('other', '/pages/getting-started'), '/pages/getting-started');
});

test('the cap folds new routes into {other} and keeps known ones; seeding restores state', () => {
  const book = new RouteBook({ maxRoutesPerService: 2 });
  assert.equal(book.admit('s', '/a'), '/a');
  assert.equal(book.admit('s', '/b'), '/b');
  assert.equal(book.admit('s', '/c'), OVERFLOW_ROUTE);
  assert.equal(book.admit('s', '/a'), '/a');
  assert.equal(book.admit('t', '/c'), '/c', 'per service');
  const restarted = new RouteBook({ maxRoutesPerService: 2 });
  restarted.seed([{ service: 's', route: '/a' }, { service: 's', route: '/items/{id}' }, { service: 's', route: OVERFLOW_ROUTE }]);
  assert.equal(restarted.admit('s', '/z'), OVERFLOW_ROUTE);
  assert.equal(restarted.forPath('s', '/items/77'), '/items/{id}');
});
