// Following one file against a real SQLite store: appends in pieces, bad bytes and bad lines,
// a file that appears later, and a store that refuses for a while.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { nginxTimedLines } from '../../helpers/nginx-lines.ts';
import { startSecond, tailFixture, text, waitUntil } from './tail-fixture.ts';
import { IngestOverloadedError } from '../../../collector/ingest-queue.ts';
import type { IngestBatch } from '../../../store/index.ts';

test('lines appended in several writes, one split across two, arrive exactly once with their fields', async (t) => {
  const f = await tailFixture(t);
  const path = join(f.dir, 'access.log');
  const lines = nginxTimedLines(500, startSecond());
  writeFileSync(path, text(lines.slice(0, 100).map((l) => l.line)));
  await f.tail(path);
  await f.allStored(100, 'the first 100 lines are stored');

  const rest = text(lines.slice(100).map((l) => l.line));
  // Cut inside a line: the tailer must hold the first half until its newline arrives.
  const cut = rest.indexOf('\n', 1000) - 20;
  appendFileSync(path, rest.slice(0, cut));
  await waitUntil('the complete lines of the first half are stored', async () => f.counters.calls >= 100 + rest.slice(0, cut).split('\n').length - 1);
  appendFileSync(path, rest.slice(cut, cut + 7));
  appendFileSync(path, rest.slice(cut + 7));
  await f.allStored(500, 'all 500 lines are stored');

  const calls = await f.calls();
  assert.equal(calls.length, 500);
  assert.equal(new Set(calls.map((c) => c.id)).size, 500);
  assert.equal(f.counters.rejected, 0);
  const byTime = (a: { timeUnixMs: number; route: string }, b: typeof a) => a.timeUnixMs - b.timeUnixMs || a.route.localeCompare(b.route);
  const expected = lines.map((l) => ({ timeUnixMs: l.startMs, route: l.route, statusCode: l.status, durationMs: l.durationMs })).sort(byTime);
  const got = calls.map((c) => ({ timeUnixMs: c.timeUnixMs, route: c.route, statusCode: c.statusCode, durationMs: c.durationMs })).sort(byTime);
  assert.deepEqual(got, expected);
  assert.ok(calls.every((c) => c.service === 'shop' && c.source === 'gateway' && c.id.startsWith(`tail:${path}:`)));
});

test('invalid UTF-8, CRLF, an over-long line and a bad line: the good lines are kept, the bad ones counted and logged once', async (t) => {
  const f = await tailFixture(t);
  const path = join(f.dir, 'access.log');
  const [a, b, c, d] = nginxTimedLines(4, startSecond()).map((l) => l.line);
  const [bBefore, bAfter] = b!.split('curl/8.5.0');
  const [, cBefore, cAfter] = /^(.*?" )\d{3}( .*)$/.exec(c!)!;
  const body = Buffer.concat([
    Buffer.from(`${a}\n`),
    // Invalid bytes inside the user agent: decoded as U+FFFD, the line still parses.
    Buffer.from(`${bBefore}curl/`), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from(`${bAfter}\n`),
    // Invalid bytes where the status should be: rejected, and only this line.
    Buffer.from(cBefore!), Buffer.from([0xff, 0xff, 0xff]), Buffer.from(`${cAfter}\n`),
    Buffer.from(`${'x'.repeat(5000)}\n`),
    Buffer.from(`${d}\r\n`),
    Buffer.from('garbage\n\n'),
  ]);
  writeFileSync(path, body);
  await f.tail(path, { maxLineBytes: 4096, rejectLogIntervalMs: 60_000 });
  await waitUntil('the whole file is read', () => f.counters.calls + f.counters.rejected === 6);
  assert.equal(f.counters.calls, 3);
  assert.equal(f.counters.rejected, 3, 'bad status, too long, garbage; the blank line is not a line');
  assert.equal(await f.stored(), 3);
  const calls = await f.calls();
  assert.equal(calls.length, 3);
  assert.ok(calls.every((call) => call.durationMs !== null), 'the CRLF line kept its request time');
  const warnings = f.logs.filter((l) => l.msg === 'tail: lines rejected');
  assert.equal(warnings.length, 1, 'one warning per interval, not one per line');
  assert.equal(typeof warnings[0]!.obj.reason, 'string');
  assert.equal(typeof warnings[0]!.obj.offset, 'number');

  // More bad lines inside the interval are counted, not logged.
  appendFileSync(path, 'more garbage\nand more\n');
  await waitUntil('the new bad lines are counted', () => f.counters.rejected === 5);
  assert.equal(f.logs.filter((l) => l.msg === 'tail: lines rejected').length, 1);
});

test('a file that does not exist yet is picked up when it appears', async (t) => {
  const f = await tailFixture(t);
  const path = join(f.dir, 'later.log');
  await f.tail(path);
  await new Promise((r) => setTimeout(r, 120));
  const lines = nginxTimedLines(30, startSecond()).map((l) => l.line);
  writeFileSync(path, text(lines.slice(0, 10)));
  await f.allStored(10, 'the first lines are stored');
  appendFileSync(path, text(lines.slice(10)));
  await f.allStored(30, 'all lines are stored');
});

test('a batch the queue refuses is retried until stored; none is skipped and close() waits for it', async (t) => {
  const f = await tailFixture(t);
  const path = join(f.dir, 'access.log');
  writeFileSync(path, text(nginxTimedLines(300, startSecond()).map((l) => l.line)));
  let refusals = 3;
  const submitted: IngestBatch[] = [];
  const queue = {
    submit: (batch: IngestBatch) => {
      if (refusals > 0) {
        refusals -= 1;
        return Promise.reject(new IngestOverloadedError(1));
      }
      submitted.push(batch);
      return f.queue.submit(batch);
    },
  };
  const tailer = await f.tail(path, { queue, maxLinesPerBatch: 100 });
  await f.allStored(300, 'all lines are stored');
  assert.equal(refusals, 0);
  assert.equal(submitted.length, 3, 'the refused batch was retried as it was, then the next ones');
  assert.ok(f.logs.some((l) => l.level === 'warn' && l.msg === 'tail: store refused a batch; retrying it'));
  await tailer.close();
  const position = await f.store.getCursor(tailer.sourceId);
  assert.match(position ?? '', /^v1:\d+:[0-9a-f]{16}:\d+$/);
});
