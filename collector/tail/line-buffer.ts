// Bytes read from a file → complete lines with the byte offset each starts at. A trailing
// partial line waits for its newline; a line longer than the limit is dropped while it streams
// in (memory stays bounded) and reported by offset. Decoding replaces invalid UTF-8 with U+FFFD
// and never throws; a newline byte never occurs inside a UTF-8 sequence, so splitting on it
// before decoding is safe.

export interface LineChunk {
  lines: string[];
  /** Byte offset in the file where each line starts. */
  offsets: number[];
  /** Start offsets of lines dropped undecoded for being longer than the limit. */
  tooLong: number[];
  /** Byte offset just after what this chunk consumed. */
  end: number;
}

const NEWLINE = 10;
const CARRIAGE_RETURN = 13;

export class LineBuffer {
  private buf: Buffer = Buffer.alloc(0);
  /** File offset of buf[0]. */
  private start = 0;
  /** Start offset of an over-long line whose bytes are being skipped. */
  private skippingFrom: number | null = null;
  private tooLong: number[] = [];

  constructor(private readonly maxLineBytes: number) {}

  /** Forgets everything buffered and continues from a file offset. */
  reset(offset: number): void {
    this.buf = Buffer.alloc(0);
    this.start = offset;
    this.skippingFrom = null;
    this.tooLong = [];
  }

  /** Where the next read from the file starts. */
  get readOffset(): number {
    return this.start + this.buf.length;
  }

  /** Adds bytes read at readOffset (copied: the caller may reuse its buffer). */
  append(bytes: Buffer): void {
    if (this.skippingFrom !== null) {
      const newline = bytes.indexOf(NEWLINE);
      if (newline === -1) {
        this.start += bytes.length;
        return;
      }
      this.tooLong.push(this.skippingFrom);
      this.skippingFrom = null;
      this.start += newline + 1;
      bytes = bytes.subarray(newline + 1);
    }
    this.buf = this.buf.length === 0 ? Buffer.from(bytes) : Buffer.concat([this.buf, bytes]);
  }

  /** Up to maxLines complete lines from the front; null when there is nothing to report yet. */
  take(maxLines: number): LineChunk | null {
    const chunk: LineChunk = { lines: [], offsets: [], tooLong: this.tooLong, end: this.start };
    this.tooLong = [];
    let pos = 0;
    while (chunk.lines.length < maxLines) {
      const newline = this.buf.indexOf(NEWLINE, pos);
      if (newline === -1) break;
      this.addLine(chunk, pos, newline);
      pos = newline + 1;
    }
    this.consume(pos);
    if (pos === 0 && this.buf.length > this.maxLineBytes) {
      // No newline in sight and already past the limit: stop holding the bytes.
      this.skippingFrom = this.start;
      this.consume(this.buf.length);
    }
    chunk.end = this.start;
    return chunk.lines.length === 0 && chunk.tooLong.length === 0 ? null : chunk;
  }

  /**
   * Everything left, the unterminated last line included: for a file that will not grow any
   * more (rotated away, its writer gone), where that line is as complete as it will ever be.
   */
  takeRest(): LineChunk | null {
    const chunk = this.take(Number.MAX_SAFE_INTEGER) ?? { lines: [], offsets: [], tooLong: [], end: this.start };
    if (this.skippingFrom !== null) {
      chunk.tooLong.push(this.skippingFrom);
      this.skippingFrom = null;
    }
    if (this.buf.length > 0) {
      this.addLine(chunk, 0, this.buf.length);
      this.consume(this.buf.length);
    }
    chunk.end = this.start;
    return chunk.lines.length === 0 && chunk.tooLong.length === 0 ? null : chunk;
  }

  private addLine(chunk: LineChunk, from: number, to: number): void {
    if (to - from > this.maxLineBytes) {
      chunk.tooLong.push(this.start + from);
      return;
    }
    const end = to > from && this.buf[to - 1] === CARRIAGE_RETURN ? to - 1 : to;
    chunk.lines.push(this.buf.toString('utf8', from, end));
    chunk.offsets.push(this.start + from);
  }

  private consume(bytes: number): void {
    if (bytes === 0) return;
    this.buf = this.buf.subarray(bytes);
    this.start += bytes;
  }
}
