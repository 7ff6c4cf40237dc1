// Property tests of route templating: templating is idempotent (a template is its own template),
// bounded in length, and the per-service cap holds whatever paths arrive.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_ROUTE_LENGTH, routeTemplate } from '../../collector/route-template.ts';
import { OVERFLOW_ROUTE, RouteBook } from '../../collector/route-book.ts';
import { fc, runsFor } from './settings.ts';

const segment = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 10 }),
  fc.nat().map(String),
  fc.uuid(),
  fc.emailAddress(),
  fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 8, maxLength: 40 }),
  fc.constantFrom('v1', 'oauth2', 'users', '{id}', ':id', '<id>', '*', '', '.', '..', '%2F', '…', '?', '#', 'a?b', 'x#y'),
);
const path = fc.array(segment, { maxLength: 12 }).chain((segments) =>
  fc.constantFrom('/', '//', '').map((sep) => '/' + segments.join(sep || '/')));
const anyPath = fc.oneof(path, fc.string({ unit: 'binary', maxLength: 400 }));

test('templating a template gives itself', () => {
  fc.assert(fc.property(anyPath, (p) => {
    const once = routeTemplate(p);
    assert.equal(routeTemplate(once), once, `template of ${JSON.stringify(p)}`);
  }));
});

test('a template starts with / and never exceeds the length cap', () => {
  fc.assert(fc.property(anyPath, (p) => {
    const route = routeTemplate(p);
    assert.ok(route.startsWith('/'));
    assert.ok(route.length <= MAX_ROUTE_LENGTH, `${route.length} chars`);
  }));
});

test('a service never gets more routes than the cap; the rest is {other}, and admission is stable', () => {
  fc.assert(fc.property(fc.integer({ min: 1, max: 5 }), fc.array(fc.tuple(fc.constantFrom('a', 'b', 'c'), anyPath), { maxLength: 200, size: 'medium' }), (cap, calls) => {
    const book = new RouteBook({ maxRoutesPerService: cap });
    const seen = new Map<string, Set<string>>();
    const first = new Map<string, string>();
    for (const [service, p] of calls) {
      const route = book.admit(service, book.forPath(service, p));
      const routes = seen.get(service) ?? new Set<string>();
      routes.add(route);
      seen.set(service, routes);
      // The same path of the same service always lands on the same route.
      const key = `${service}\n${p}`;
      if (first.has(key)) assert.equal(route, first.get(key));
      else first.set(key, route);
    }
    for (const routes of seen.values()) {
      const real = [...routes].filter((r) => r !== OVERFLOW_ROUTE);
      assert.ok(real.length <= cap, `${real.length} routes for a cap of ${cap}`);
    }
  }), { numRuns: runsFor(4) });
});
