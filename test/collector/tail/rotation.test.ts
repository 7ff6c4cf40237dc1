// Rotation while following: by rename (logrotate's default, nginx reopening on USR1) and by
// copytruncate. Each rotation happens in one synchronous block, so the tailer sees exactly the
// state after it, with lines it has not read yet on both sides; none may be lost or doubled.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, copyFileSync, renameSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { nginxTimedLines } from '../../helpers/nginx-lines.ts';
import { startSecond, tailFixture, text } from './tail-fixture.ts';

const batches = (count: number, size: number) => {
  const all = nginxTimedLines(count * size, startSecond()).map((l) => l.line);
  return Array.from({ length: count }, (_, i) => all.slice(i * size, (i + 1) * size));
};

test('rotation by rename: the old file is finished through its descriptor, then the new one read from 0', async (t) => {
  const f = await tailFixture(t);
  const path = join(f.dir, 'access.log');
  const [a, b, c, d, e, g] = batches(6, 200);
  writeFileSync(path, text(a!));
  await f.tail(path, { rotationGraceMs: 1000 });
  await f.allStored(200, 'the first lines are stored');

  appendFileSync(path, text(b!));
  renameSync(path, `${path}.1`);
  // The writer has not reopened yet: it still appends to the renamed file.
  appendFileSync(`${path}.1`, text(c!));
  writeFileSync(path, text(d!));
  await f.allStored(600, 'the old file is finished');
  // Still within the grace period (the tailer has seen the new file by now): the old file gets
  // more lines, which restart the grace period, and must be read before the switch.
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(await f.stored(), 600, 'the new file waits until the old one has gone quiet');
  appendFileSync(`${path}.1`, text(e!.slice(0, 100)));
  appendFileSync(path, text(e!.slice(100)));
  await f.allStored(1000, 'late lines in both files are read');

  // A second rotation, the first rotated file now gone for good.
  renameSync(path, `${path}.1`);
  writeFileSync(path, text(g!));
  await f.allStored(1200, 'the third file is read');
  assert.equal(new Set((await f.calls()).map((call) => call.id)).size, 1200);
  assert.ok(f.logs.some((l) => l.msg === 'tail: file rotated; following the new file'));
});

test('rotation by copytruncate: unread lines are taken from the copy, then the file is read from 0', async (t) => {
  const f = await tailFixture(t);
  const path = join(f.dir, 'access.log');
  const [a, b, c, d, e] = batches(5, 200);
  writeFileSync(path, text(a!));
  await f.tail(path);
  await f.allStored(200, 'the first lines are stored');

  // Shorter than before after the truncation: noticed by size.
  appendFileSync(path, text(b!));
  copyFileSync(path, `${path}.1`);
  truncateSync(path, 0);
  appendFileSync(path, text(c!.slice(0, 50)));
  await f.allStored(450, 'copy and new content are read');

  // Longer than before after the truncation: only the first line's fingerprint tells.
  appendFileSync(path, text(c!.slice(50)));
  copyFileSync(path, `${path}.1`);
  truncateSync(path, 0);
  appendFileSync(path, text([...d!, ...e!]));
  await f.allStored(1000, 'the second copy and the new content are read');
  assert.ok(f.logs.some((l) => l.msg === 'tail: file truncated; finishing its copy'));
});

test('a file truncated in place without a copy is read again from the start', async (t) => {
  const f = await tailFixture(t);
  const path = join(f.dir, 'access.log');
  const [a, b] = batches(2, 100);
  writeFileSync(path, text(a!));
  await f.tail(path);
  await f.allStored(100, 'the first lines are stored');
  truncateSync(path, 0);
  appendFileSync(path, text(b!));
  await f.allStored(200, 'the new lines are stored');
});
