// Saved positions and file identity: the encoding round-trips, the fingerprint is fixed once
// the first line is complete, and rotated files are found by content.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodePosition, encodePosition, fingerprintOf } from '../../../collector/tail/position.ts';
import { findRotated, rotatedNames } from '../../../collector/tail/rotated-files.ts';

test('positions round-trip, inodes beyond 2^53 included; anything else is not a position', () => {
  const position = { ino: '18446744073709551557', fingerprint: '0123456789abcdef', offset: 123_456_789 };
  assert.deepEqual(decodePosition(encodePosition(position)), position);
  assert.deepEqual(decodePosition('v1:5::0'), { ino: '5', fingerprint: '', offset: 0 });
  for (const bad of ['', 'v2:1:ab:3', 'v1:x:ab:3', 'v1:1:AB:3', 'v1:1:ab:-3', 'v1:1:ab:99999999999999999999']) assert.equal(decodePosition(bad), null, bad);
});

test('the fingerprint covers the first line (at most 1 KiB) and does not change as the file grows', () => {
  assert.equal(fingerprintOf(Buffer.from('partial first li')), '');
  const first = fingerprintOf(Buffer.from('first line\n'));
  assert.match(first, /^[0-9a-f]{16}$/);
  assert.equal(fingerprintOf(Buffer.from('first line\nsecond line\n')), first);
  assert.notEqual(fingerprintOf(Buffer.from('other line\n')), first);
  const long = Buffer.alloc(1500, 'x');
  assert.equal(fingerprintOf(long.subarray(0, 1024)), fingerprintOf(long));
});

test('rotated files are found under .1 and dated names by their first line, renamed or copied', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'telltale-rotated-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'access.log');
  writeFileSync(path, 'line one\nline two\n');
  const ino = String(statSync(path).ino);
  const saved = { ino, fingerprint: fingerprintOf(Buffer.from('line one\n')), offset: 9 };
  writeFileSync(join(dir, 'access.log-20260102'), 'another file\n');
  writeFileSync(join(dir, 'access.log.2.gz'), 'x');
  writeFileSync(join(dir, 'other.log.1'), 'line one\n');

  renameSync(path, join(dir, 'access.log-20260103'));
  assert.deepEqual((await rotatedNames(path)).map((p) => p.slice(dir.length + 1)), ['access.log-20260103', 'access.log-20260102']);
  const renamed = await findRotated(path, saved);
  assert.equal(renamed?.path, join(dir, 'access.log-20260103'));
  await renamed?.handle.close();

  copyFileSync(join(dir, 'access.log-20260103'), `${path}.1`);
  rmSync(join(dir, 'access.log-20260103'));
  const copy = await findRotated(path, saved);
  assert.equal(copy?.path, `${path}.1`, 'a copy has another inode but the same first line');
  await copy?.handle.close();
  assert.equal(await findRotated(path, { ...saved, offset: 1000 }), null, 'too short to hold the saved offset');
  assert.equal(await findRotated(join(dir, 'missing', 'x.log'), saved), null);
});
