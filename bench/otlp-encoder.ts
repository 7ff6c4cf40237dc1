// A minimal OTLP protobuf encoder for load generation: builds ExportTraceServiceRequest
// bodies with unique ids far faster than the SDK can, so the sender is never the bottleneck.
import { randomBytes } from 'node:crypto';

class Writer {
  private chunks: Buffer[] = [];
  varint(n: number | bigint): this {
    if (typeof n === 'number' && n < 0x80) {
      this.chunks.push(Buffer.of(n));
      return this;
    }
    let v = BigInt(n);
    const bytes: number[] = [];
    while (v >= 0x80n) {
      bytes.push(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    bytes.push(Number(v));
    this.chunks.push(Buffer.from(bytes));
    return this;
  }
  tag(field: number, wire: number): this {
    return this.varint((field << 3) | wire);
  }
  bytes(field: number, value: Uint8Array): this {
    this.tag(field, 2).varint(value.length);
    this.chunks.push(Buffer.from(value));
    return this;
  }
  string(field: number, value: string): this {
    return this.bytes(field, Buffer.from(value, 'utf8'));
  }
  fixed64(field: number, value: bigint): this {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(value);
    this.tag(field, 1);
    this.chunks.push(b);
    return this;
  }
  uint(field: number, value: number): this {
    return this.tag(field, 0).varint(value);
  }
  finish(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

function keyValue(key: string, value: string | number): Buffer {
  const any = new Writer();
  if (typeof value === 'string') any.string(1, value);
  else any.uint(3, value);
  return new Writer().string(1, key).bytes(2, any.finish()).finish();
}

export interface SyntheticSpan {
  route: string;
  method: string;
  status: number;
  startNs: bigint;
  durationNs: bigint;
}

/**
 * One request body: each span a SERVER span with fresh random ids, followed by
 * `childrenPerTrace` CLIENT spans in the same trace (a database call each), so a realistic
 * trace shape can be measured beside the worst case of one span per trace.
 */
export function encodeTraceRequest(service: string, spans: readonly SyntheticSpan[], childrenPerTrace = 0): Buffer {
  const scope = new Writer().bytes(1, new Writer().string(1, 'bench').finish());
  for (const s of spans) {
    const traceId = randomBytes(16);
    const spanId = randomBytes(8);
    const span = new Writer()
      .bytes(1, traceId).bytes(2, spanId)
      .string(5, `${s.method} ${s.route}`).uint(6, 2)
      .fixed64(7, s.startNs).fixed64(8, s.startNs + s.durationNs)
      .bytes(9, keyValue('http.request.method', s.method))
      .bytes(9, keyValue('http.route', s.route))
      .bytes(9, keyValue('url.path', s.route.replace('{id}', '42')))
      .bytes(9, keyValue('http.response.status_code', s.status));
    scope.bytes(2, span.finish());
    for (let c = 0; c < childrenPerTrace; c++) {
      const child = new Writer()
        .bytes(1, traceId).bytes(2, randomBytes(8)).bytes(4, spanId)
        .string(5, 'SELECT orders').uint(6, 3)
        .fixed64(7, s.startNs + BigInt(c) * 1000n).fixed64(8, s.startNs + s.durationNs / 2n)
        .bytes(9, keyValue('db.system', 'postgresql'));
      scope.bytes(2, child.finish());
    }
  }
  const resource = new Writer().bytes(1, keyValue('service.name', service)).finish();
  const resourceSpans = new Writer().bytes(1, resource).bytes(2, scope.finish()).finish();
  return new Writer().bytes(1, resourceSpans).finish();
}
