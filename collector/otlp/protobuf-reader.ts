// A minimal protobuf wire-format reader over one request body. Every read is bounds-checked
// against the innermost enclosing message, so truncated or lying lengths throw OtlpDecodeError
// instead of reading a neighbour's bytes, and every loop advances or throws, so it cannot hang.
import { Buffer } from 'node:buffer';
import { OtlpDecodeError } from './errors.ts';

/** Wire type 0: varint (int32, int64, uint32, bool, enum). */
export const VARINT = 0;
/** Wire type 1: eight little-endian bytes (fixed64, double). */
export const I64 = 1;
/** Wire type 2: length-delimited (string, bytes, sub-messages). */
export const LEN = 2;
const SGROUP = 3;
const EGROUP = 4;
const I32 = 5;

/** The tag value of a field number and wire type, for switch statements over readTag(). */
export function tagOf(field: number, wireType: number): number {
  return field * 8 + wireType;
}

// Groups are a deprecated encoding no OTLP sender uses; skipping them is still bounded.
const MAX_GROUP_DEPTH = 32;
const TWO_32 = 4294967296;

const HEX: string[] = [];
for (let i = 0; i < 256; i++) HEX.push(i.toString(16).padStart(2, '0'));

// Bounded and overwritten on collision, so hostile keys cannot grow it.
const CACHE_SLOTS = 4096;
const MAX_CACHED_LENGTH = 64;
const cacheBytes: (Uint8Array | undefined)[] = new Array<Uint8Array | undefined>(CACHE_SLOTS).fill(undefined);
const cacheStrings: (string | undefined)[] = new Array<string | undefined>(CACHE_SLOTS).fill(undefined);

// fatal: false makes invalid UTF-8 read as U+FFFD instead of throwing.
const utf8 = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

/** Reads one protobuf-encoded buffer; `end` is the end of the message currently being read. */
export class ProtoReader {
  readonly buf: Uint8Array;
  private readonly view: DataView;
  pos = 0;
  end: number;
  /** Whether the last readCappedString() cut its value (a flag, so the hot path allocates no result object). */
  lastStringTruncated = false;

  constructor(buf: Uint8Array) {
    this.buf = buf;
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    this.end = buf.length;
  }

  /** Reads a field tag; field number 0 and tags beyond 32 bits are malformed. */
  readTag(): number {
    const tag = this.readVarint();
    if (tag < 8 || tag > 0xffffffff) throw new OtlpDecodeError(`invalid field tag ${tag} at byte ${this.pos}`);
    return tag;
  }

  /** Reads a varint as a JS number: exact below 2^53, which covers lengths, tags, enums and counts. */
  readVarint(): number {
    const buf = this.buf;
    let pos = this.pos;
    if (pos >= this.end) throw truncated(pos);
    let byte = buf[pos++]!;
    if (byte < 0x80) {
      this.pos = pos;
      return byte;
    }
    let value = byte & 0x7f;
    let scale = 128;
    for (let i = 1; i < 10; i++) {
      if (pos >= this.end) throw truncated(pos);
      byte = buf[pos++]!;
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) {
        this.pos = pos;
        return value;
      }
      scale *= 128;
    }
    throw new OtlpDecodeError(`varint longer than 10 bytes at byte ${this.pos}`);
  }

  /** Reads an int64 varint exactly (two's complement), as a JS number when safe, else a decimal string. */
  readInt64(): number | string {
    const buf = this.buf;
    let pos = this.pos;
    let lo = 0;
    let hi = 0;
    let byte = 0;
    let done = false;
    // The first four bytes carry bits 0-27, the fifth bits 28-34, the rest bits 35-63.
    for (let shift = 0; shift < 28; shift += 7) {
      if (pos >= this.end) throw truncated(pos);
      byte = buf[pos++]!;
      lo |= (byte & 0x7f) << shift;
      if (byte < 0x80) {
        done = true;
        break;
      }
    }
    if (!done) {
      if (pos >= this.end) throw truncated(pos);
      byte = buf[pos++]!;
      lo |= (byte & 0x7f) << 28;
      hi = (byte & 0x7f) >> 4;
      done = byte < 0x80;
      for (let shift = 3; !done && shift < 32; shift += 7) {
        if (pos >= this.end) throw truncated(pos);
        byte = buf[pos++]!;
        hi |= (byte & 0x7f) << shift;
        done = byte < 0x80;
      }
      if (!done) throw new OtlpDecodeError(`varint longer than 10 bytes at byte ${this.pos}`);
    }
    this.pos = pos;
    lo >>>= 0;
    hi >>>= 0;
    if (hi < 0x200000) return hi * TWO_32 + lo;
    const value = BigInt.asIntN(64, (BigInt(hi) << 32n) | BigInt(lo));
    return value >= -9007199254740991n ? (value <= 9007199254740991n ? Number(value) : value.toString()) : value.toString();
  }

  /** Reads a fixed64 as an unsigned bigint (nanosecond timestamps need all 64 bits). */
  readFixed64(): bigint {
    const pos = this.pos;
    if (pos + 8 > this.end) throw truncated(pos);
    this.pos = pos + 8;
    return this.view.getBigUint64(pos, true);
  }

  /** Reads a little-endian double. */
  readDouble(): number {
    const pos = this.pos;
    if (pos + 8 > this.end) throw truncated(pos);
    this.pos = pos + 8;
    return this.view.getFloat64(pos, true);
  }

  /** Reads a length prefix and checks it fits in the current message; the caller reads [pos, pos + length). */
  readLength(): number {
    const length = this.readVarint();
    if (length > this.end - this.pos) throw truncated(this.pos);
    return length;
  }

  /** Enters a length-delimited sub-message; returns the outer end to hand back to leave(). */
  enter(): number {
    const length = this.readLength();
    const outer = this.end;
    this.end = this.pos + length;
    return outer;
  }

  /** Leaves a sub-message entered with enter(); its fields have all been consumed by then. */
  leave(outer: number): void {
    this.pos = this.end;
    this.end = outer;
  }

  /** Reads a length-delimited UTF-8 string; invalid sequences become U+FFFD. */
  readString(): string {
    const length = this.readLength();
    const start = this.pos;
    this.pos = start + length;
    return decodeUtf8(this.buf, start, start + length);
  }

  /**
   * Reads a short string through a process-wide cache. Attribute keys repeat in every span;
   * handing V8 the same string instance makes each property store a hidden-class hit instead
   * of a fresh hash-and-internalize, which was the decoder's largest single cost.
   */
  readCachedString(): string {
    const length = this.readLength();
    const start = this.pos;
    const end = start + length;
    this.pos = end;
    if (length > MAX_CACHED_LENGTH) return decodeUtf8(this.buf, start, end);
    const buf = this.buf;
    let hash = 0x811c9dc5 ^ length;
    for (let i = start; i < end; i++) hash = Math.imul(hash ^ buf[i]!, 0x01000193);
    const slot = (hash >>> 0) & (CACHE_SLOTS - 1);
    const cachedBytes = cacheBytes[slot];
    if (cachedBytes !== undefined && cachedBytes.length === length) {
      let same = true;
      for (let i = 0; i < length; i++) {
        if (cachedBytes[i] !== buf[start + i]) {
          same = false;
          break;
        }
      }
      if (same) return cacheStrings[slot]!;
    }
    const value = decodeUtf8(buf, start, end);
    cacheBytes[slot] = buf.slice(start, end);
    cacheStrings[slot] = value;
    return value;
  }

  /** Reads a string capped at maxBytes, cut on a character boundary; sets lastStringTruncated. */
  readCappedString(maxBytes: number): string {
    const length = this.readLength();
    const start = this.pos;
    this.pos = start + length;
    this.lastStringTruncated = length > maxBytes;
    if (!this.lastStringTruncated) return decodeUtf8(this.buf, start, start + length);
    let cut = start + maxBytes;
    // Back off continuation bytes (10xxxxxx) so the prefix does not end in half a character.
    for (let i = 0; i < 3 && (this.buf[cut]! & 0xc0) === 0x80; i++) cut--;
    return decodeUtf8(this.buf, start, cut);
  }

  /** Reads a length-delimited field and returns where its bytes start; the length is `pos - start` afterwards. */
  skipBytes(): number {
    const length = this.readLength();
    const start = this.pos;
    this.pos = start + length;
    return start;
  }

  /** Lower-case hex of buf[start, end). */
  hex(start: number, end: number): string {
    let out = '';
    for (let i = start; i < end; i++) out += HEX[this.buf[i]!]!;
    return out;
  }

  /** Base64 of buf[start, end). */
  base64(start: number, end: number): string {
    return Buffer.from(this.buf.buffer, this.buf.byteOffset + start, end - start).toString('base64');
  }

  /** Skips the value of a field whose tag was just read. */
  skip(tag: number): void {
    this.skipValue(tag, 0);
  }

  private skipValue(tag: number, groupDepth: number): void {
    switch (tag & 7) {
      case VARINT:
        this.readVarint();
        return;
      case I64:
        this.advance(8);
        return;
      case LEN:
        this.skipBytes();
        return;
      case I32:
        this.advance(4);
        return;
      case SGROUP: {
        if (groupDepth >= MAX_GROUP_DEPTH) throw new OtlpDecodeError('groups nested too deeply');
        const field = Math.floor(tag / 8);
        for (;;) {
          const inner = this.readTag();
          if ((inner & 7) === EGROUP) {
            if (Math.floor(inner / 8) !== field) throw new OtlpDecodeError(`mismatched end group at byte ${this.pos}`);
            return;
          }
          this.skipValue(inner, groupDepth + 1);
        }
      }
      default:
        throw new OtlpDecodeError(`invalid wire type ${tag & 7} at byte ${this.pos}`);
    }
  }

  private advance(n: number): void {
    if (this.pos + n > this.end) throw truncated(this.pos);
    this.pos += n;
  }
}

function truncated(pos: number): OtlpDecodeError {
  return new OtlpDecodeError(`truncated or malformed message at byte ${pos}`);
}

/** Decodes buf[start, end) as UTF-8; invalid sequences become U+FFFD. */
export function decodeUtf8(buf: Uint8Array, start: number, end: number): string {
  // Short ASCII strings (attribute keys, methods, routes) dominate OTLP; building them directly
  // skips the native-call overhead of TextDecoder, which only pays off on longer strings.
  if (end - start <= 24) {
    let out = '';
    for (let i = start; i < end; i++) {
      const c = buf[i]!;
      if (c >= 0x80) return utf8.decode(buf.subarray(start, end));
      out += String.fromCharCode(c);
    }
    return out;
  }
  return utf8.decode(buf.subarray(start, end));
}
