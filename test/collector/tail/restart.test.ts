// Stopping and starting again on the same store: the saved position (committed with the rows)
// says exactly where to go on, also when the file was rotated while nobody was reading.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, copyFileSync, renameSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { nginxTimedLines } from '../../helpers/nginx-lines.ts';
import { startSecond, tailFixture, text, waitUntil } from './tail-fixture.ts';

test('stopped in the middle of a 100,000-line file, a new tailer stores the rest: no loss, no duplicate', async (t) => {
  const f = await tailFixture(t);
  const path = join(f.dir, 'access.log');
  const total = 100_000;
  writeFileSync(path, text(nginxTimedLines(total, startSecond()).map((l) => l.line)));
  const backlog = { thresholdBytes: 1024 * 1024, intervalMs: 0 };
  const first = await f.tail(path, { backlog });
  await waitUntil('some lines are stored', () => f.counters.calls >= 20_000, 30_000);
  await first.close();
  const stopped = f.counters.calls;
  assert.ok(stopped < total, `stopped in the middle (${stopped})`);
  assert.equal(await f.stored(), stopped, 'what was counted is exactly what was committed');

  await f.tail(path, { backlog });
  // Counted exactly once in total: the second tailer started exactly where the first stopped.
  await f.allStored(total, 'every line is stored', 30_000);
  await waitUntil('the end of the backlog is logged', () => f.logs.some((l) => l.msg === 'tail: caught up'));
  assert.ok(f.logs.some((l) => l.msg === 'tail: backlog progress' && typeof l.obj.readBytes === 'number' && typeof l.obj.totalBytes === 'number'));
});

test('rotated by rename while stopped: the old file is finished from the saved position, then the new one', async (t) => {
  const f = await tailFixture(t);
  const path = join(f.dir, 'access.log');
  const lines = nginxTimedLines(600, startSecond()).map((l) => l.line);
  writeFileSync(path, text(lines.slice(0, 200)));
  const first = await f.tail(path);
  await f.allStored(200, 'the first lines are stored');
  await first.close();

  appendFileSync(path, text(lines.slice(200, 300)));
  renameSync(path, `${path}.1`);
  writeFileSync(path, text(lines.slice(300, 500)));
  await f.tail(path);
  await f.allStored(500, 'both files are read');
  appendFileSync(path, text(lines.slice(500)));
  await f.allStored(600, 'the new file is followed');
  assert.ok(f.logs.some((l) => l.msg === 'tail: finishing the file rotated while stopped'));
});

test('copytruncated while stopped: the unread rest comes from the copy', async (t) => {
  const f = await tailFixture(t);
  const path = join(f.dir, 'access.log');
  const lines = nginxTimedLines(400, startSecond()).map((l) => l.line);
  writeFileSync(path, text(lines.slice(0, 100)));
  const first = await f.tail(path);
  await f.allStored(100, 'the first lines are stored');
  await first.close();

  appendFileSync(path, text(lines.slice(100, 200)));
  copyFileSync(path, `${path}-20260101`);
  truncateSync(path, 0);
  appendFileSync(path, text(lines.slice(200)));
  await f.tail(path);
  await f.allStored(400, 'copy and file are read');
});

test('the saved file is gone for good: a warning, and the file now at the path is read from the start', async (t) => {
  const f = await tailFixture(t);
  const path = join(f.dir, 'access.log');
  const lines = nginxTimedLines(300, startSecond()).map((l) => l.line);
  writeFileSync(path, text(lines.slice(0, 100)));
  const first = await f.tail(path);
  await f.allStored(100, 'the first lines are stored');
  await first.close();

  unlinkSync(path);
  writeFileSync(path, text(lines.slice(100)));
  await f.tail(path);
  await f.allStored(300, 'the new file is read');
  assert.ok(f.logs.some((l) => l.level === 'warn' && l.msg === 'tail: the file of the saved position is gone; its unread lines cannot be read'));
});
