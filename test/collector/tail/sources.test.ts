// startSources: config `sources:` entries checked up front, then one tailer each with its own
// service, consumer choice and format (a team's own nginx log_format included).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LogFormats } from '../../../collector/log-formats.ts';
import { startSources, TailSourceError } from '../../../collector/tail/index.ts';
import { nginxTimedLines, timeLocal } from '../../helpers/nginx-lines.ts';
import { startSecond, tailFixture, text } from './tail-fixture.ts';

test('bad entries stop start with one error naming each file; nothing is started', async (t) => {
  const f = await tailFixture(t);
  const deps = { store: f.store, queue: f.queue, routes: f.routes, formats: f.formats, counters: f.counters };
  await assert.rejects(
    startSources(deps, [
      { path: '/var/log/a.log', format: 'apache' },
      { path: '/var/log/b.log', format: 'nginx' },
      { path: '/var/log/../log/b.log', format: 'nginx' },
    ], f.logger),
    (err: Error) => err instanceof TailSourceError
      && /\/var\/log\/a\.log: unknown format "apache"/.test(err.message)
      && /\/var\/log\/\.\.\/log\/b\.log: listed twice/.test(err.message),
  );
  assert.equal(f.logs.length, 0);
});

test('each source gets its service, consumer choice and format; relative paths resolve against baseDir', async (t) => {
  const f = await tailFixture(t);
  const formats = new LogFormats({
    keyed: { format: 'nginx', logFormat: '$remote_addr [$time_local] "$request" $status $request_time "$http_x_api_key"', consumerVariable: 'http_x_api_key' },
  });
  const deps = { store: f.store, queue: f.queue, routes: f.routes, formats, counters: f.counters };
  writeFileSync(join(f.dir, 'shop.log'), text(nginxTimedLines(40, startSecond()).map((l) => l.line)));
  const when = timeLocal(startSecond());
  writeFileSync(join(f.dir, 'billing.log'), text([
    `10.0.0.1 [${when}] "GET /invoices/77 HTTP/1.1" 200 0.125 "key-a"`,
    `10.0.0.2 [${when}] "GET /invoices/78 HTTP/1.1" 503 0.250 "key-b"`,
  ]));
  const sources = await startSources(deps, [
    { path: 'shop.log', format: 'nginx-timed', service: 'shop', consumer: 'client-address' },
    { path: join(f.dir, 'billing.log'), format: 'keyed', service: 'billing' },
  ], f.logger, { baseDir: f.dir, pollIntervalMs: 50 });
  t.after(() => sources.close());
  assert.deepEqual(sources.tailers.map((x) => x.sourceId), [`tail:${join(f.dir, 'shop.log')}`, `tail:${join(f.dir, 'billing.log')}`]);
  await f.allStored(42, 'both files are stored');

  const calls = await f.calls();
  const billing = calls.filter((c) => c.service === 'billing').sort((a, b) => a.statusCode - b.statusCode);
  assert.deepEqual(billing.map((c) => [c.route, c.statusCode, c.durationMs, c.consumer, c.error]), [
    ['/invoices/{id}', 200, 125, 'key-a', false],
    ['/invoices/{id}', 503, 250, 'key-b', true],
  ]);
  const shop = calls.filter((c) => c.service === 'shop');
  assert.equal(shop.length, 40);
  assert.ok(shop.every((c) => c.consumer !== null && /^(198\.51\.100\.\d+|2001:db8::1)$/.test(c.consumer)), 'consumer is the client address');
  await sources.close();
  await sources.close();
});
