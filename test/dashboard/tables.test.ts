// Table transforms: sorting with nulls last, filtering, the worst-route rankings, and the
// rows a virtualized table renders.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { filterRoutes, parseSort, sortRows, virtualWindow, worstByErrorRate, worstByP99 } from '../../dashboard/src/lib/tables.ts';

const row = (route: string, calls: number, p99: number | null, errorRate = 0, status5xx = 0, service = 'shop') => ({ service, method: 'GET', route, calls, p99, errorRate, status5xx });

test('sorting puts routes without a p99 last in both directions', () => {
  const rows = [row('/a', 5, 10), row('/b', 3, null), row('/c', 9, 30)];
  assert.deepEqual(sortRows(rows, 'p99', 'desc').map((r) => r.route), ['/c', '/a', '/b']);
  assert.deepEqual(sortRows(rows, 'p99', 'asc').map((r) => r.route), ['/a', '/c', '/b']);
  assert.deepEqual(sortRows(rows, 'route', 'asc').map((r) => r.route), ['/a', '/b', '/c']);
  assert.deepEqual(rows.map((r) => r.route), ['/a', '/b', '/c'], 'the input is not reordered');
});

test('sort parameters from the URL fall back to a known column', () => {
  assert.deepEqual(parseSort('p99', 'asc', ['calls', 'p99'] as const, 'calls'), { key: 'p99', dir: 'asc' });
  assert.deepEqual(parseSort('constructor', 'sideways', ['calls', 'p99'] as const, 'calls'), { key: 'calls', dir: 'desc' });
});

test('filtering by text (any part of service, method, route) and by service', () => {
  const rows = [row('/users/{id}', 1, 1), row('/orders', 1, 1, 0, 0, 'billing'), row('/health', 1, 1)];
  assert.deepEqual(filterRoutes(rows, 'USERS', null).map((r) => r.route), ['/users/{id}']);
  assert.deepEqual(filterRoutes(rows, 'bill', null).map((r) => r.route), ['/orders']);
  assert.deepEqual(filterRoutes(rows, '', 'shop').map((r) => r.route), ['/users/{id}', '/health']);
  assert.deepEqual(filterRoutes(rows, 'get /health', null).map((r) => r.route), ['/health']);
});

test('worst routes: by p99 (untimed ones left out) and by error rate (ties to more failures)', () => {
  const rows = [row('/fast', 100, 5), row('/slow', 10, 900, 0.5, 5), row('/untimed', 50, null, 0.5, 25), row('/mid', 1000, 50, 0.01, 10)];
  assert.deepEqual(worstByP99(rows, 2).map((r) => r.route), ['/slow', '/mid']);
  assert.deepEqual(worstByErrorRate(rows, 10).map((r) => r.route), ['/untimed', '/slow', '/mid']);
});

test('virtual window: only visible rows plus overscan, padding for the rest', () => {
  assert.deepEqual(virtualWindow(0, 340, 34, 5000, 5), { start: 0, end: 16, padTop: 0, padBottom: (5000 - 16) * 34 });
  const mid = virtualWindow(34 * 1000, 340, 34, 5000, 5);
  assert.equal(mid.start, 995);
  assert.equal(mid.end, 1016);
  assert.equal(mid.padTop + (mid.end - mid.start) * 34 + mid.padBottom, 5000 * 34, 'the scroll height never changes');
  const end = virtualWindow(34 * 5000, 340, 34, 5000, 5);
  assert.equal(end.end, 5000);
  assert.ok(end.start < 5000);
  assert.deepEqual(virtualWindow(0, 340, 34, 0), { start: 0, end: 0, padTop: 0, padBottom: 0 });
});
