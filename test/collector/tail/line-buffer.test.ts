// Bytes → lines with their offsets: partial lines, CRLF, invalid UTF-8 and over-long lines.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LineBuffer } from '../../../collector/tail/line-buffer.ts';

test('complete lines come out with their start offsets; a partial line waits for its newline', () => {
  const buffer = new LineBuffer(1024);
  buffer.reset(100);
  buffer.append(Buffer.from('one\ntwo\r\nthr'));
  assert.deepEqual(buffer.take(10), { lines: ['one', 'two'], offsets: [100, 104], tooLong: [], end: 109 });
  assert.equal(buffer.take(10), null);
  assert.equal(buffer.readOffset, 112);
  buffer.append(Buffer.from('ee\n\nfour\n'));
  assert.deepEqual(buffer.take(2), { lines: ['three', ''], offsets: [109, 115], tooLong: [], end: 116 });
  assert.deepEqual(buffer.take(2), { lines: ['four'], offsets: [116], tooLong: [], end: 121 });
});

test('invalid UTF-8 becomes U+FFFD; a character split across reads is decoded whole', () => {
  const buffer = new LineBuffer(1024);
  const euro = Buffer.from('€');
  buffer.append(Buffer.concat([Buffer.from('a'), Buffer.from([0xff, 0xc3]), Buffer.from('b\n'), euro.subarray(0, 1)]));
  buffer.append(Buffer.concat([euro.subarray(1), Buffer.from('\n')]));
  assert.deepEqual(buffer.take(10)?.lines, ['a\uFFFD\uFFFDb', '€']);
});

test('a line longer than the limit is dropped as it streams in and reported by its offset', () => {
  const buffer = new LineBuffer(8);
  buffer.append(Buffer.from('ok\n0123456789'));
  assert.deepEqual(buffer.take(10), { lines: ['ok'], offsets: [0], tooLong: [], end: 3 });
  assert.equal(buffer.take(10), null, 'still no newline: the bytes are let go');
  buffer.append(Buffer.from('more bytes of the same line'));
  buffer.append(Buffer.from('end\nnext\n'));
  const chunk = buffer.take(10);
  assert.deepEqual(chunk, { lines: ['next'], offsets: [44], tooLong: [3], end: 49 });
  buffer.append(Buffer.from('0123456789abc\nz\n'));
  assert.deepEqual(buffer.take(10), { lines: ['z'], offsets: [63], tooLong: [49], end: 65 });
});

test('takeRest hands over an unterminated last line', () => {
  const buffer = new LineBuffer(1024);
  buffer.append(Buffer.from('a\nlast'));
  assert.deepEqual(buffer.takeRest(), { lines: ['a', 'last'], offsets: [0, 2], tooLong: [], end: 6 });
  assert.equal(buffer.takeRest(), null);
});
