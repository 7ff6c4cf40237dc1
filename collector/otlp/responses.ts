// What the OTLP/HTTP receivers answer, in both encodings (opentelemetry-proto
// docs/specification.md): ExportTraceServiceResponse or ExportLogsServiceResponse on success and partial success,
// google.rpc.Status on failure. Two tiny messages do not justify a protobuf runtime.

const encoder = new TextEncoder();

/** Protobuf ExportTraceServiceResponse: empty when nothing was rejected and there is nothing to say, else a partial_success. */
export function encodeExportResponseProtobuf(rejectedSpans: number, errorMessage: string): Uint8Array {
  if (rejectedSpans === 0 && errorMessage === '') return new Uint8Array(0);
  // ExportTracePartialSuccess{1: rejected_spans int64, 2: error_message string}; a message
  // with zero rejected spans is a warning, which the specification allows.
  const partial = new ProtoWriter();
  if (rejectedSpans !== 0) partial.varintField(1, rejectedSpans);
  if (errorMessage !== '') partial.bytesField(2, encoder.encode(errorMessage));
  // ExportTraceServiceResponse{1: partial_success}.
  const response = new ProtoWriter();
  response.bytesField(1, partial.finish());
  return response.finish();
}

/** OTLP/JSON ExportTraceServiceResponse: `{}` or a partialSuccess whose int64 count is a decimal string, as protobuf JSON writes int64. */
export function exportResponseJson(rejectedSpans: number, errorMessage: string): object {
  if (rejectedSpans === 0 && errorMessage === '') return {};
  return { partialSuccess: { rejectedSpans: String(rejectedSpans), errorMessage } };
}

/**
 * Protobuf ExportLogsServiceResponse{1: ExportLogsPartialSuccess{1: rejected_log_records int64,
 * 2: error_message}}: the same field numbers and types as the trace response, so the same bytes.
 */
export function encodeLogsExportResponseProtobuf(rejectedLogRecords: number, errorMessage: string): Uint8Array {
  return encodeExportResponseProtobuf(rejectedLogRecords, errorMessage);
}

/** OTLP/JSON ExportLogsServiceResponse: `{}` or a partialSuccess with `rejectedLogRecords` as a decimal string. */
export function logsExportResponseJson(rejectedLogRecords: number, errorMessage: string): object {
  if (rejectedLogRecords === 0 && errorMessage === '') return {};
  return { partialSuccess: { rejectedLogRecords: String(rejectedLogRecords), errorMessage } };
}

/** Protobuf google.rpc.Status{1: code int32, 2: message string}, the body of every OTLP/HTTP failure. */
export function encodeStatusProtobuf(code: number, message: string): Uint8Array {
  const status = new ProtoWriter();
  if (code !== 0) status.varintField(1, code);
  if (message !== '') status.bytesField(2, encoder.encode(message));
  return status.finish();
}

/** JSON google.rpc.Status (int32 code stays a number in protobuf JSON). */
export function statusJson(code: number, message: string): { code: number; message: string } {
  return { code, message };
}

/** Appends fields to a growable byte list; only what the two response messages need. */
class ProtoWriter {
  private readonly bytes: number[] = [];
  private readonly chunks: Uint8Array[] = [];

  varintField(field: number, value: number): void {
    this.varint(field * 8);
    // int32/int64 negatives are sign-extended to ten bytes, as protobuf specifies.
    let n = BigInt.asUintN(64, BigInt(Math.trunc(value)));
    while (n >= 0x80n) {
      this.bytes.push(Number(n & 0x7fn) | 0x80);
      n >>= 7n;
    }
    this.bytes.push(Number(n));
  }

  bytesField(field: number, data: Uint8Array): void {
    this.varint(field * 8 + 2);
    this.varint(data.length);
    this.flush();
    this.chunks.push(data);
  }

  finish(): Uint8Array {
    this.flush();
    const total = this.chunks.reduce((sum, chunk) => sum + chunk.length, 0);
    const out = new Uint8Array(total);
    let offset = 0;
    for (const chunk of this.chunks) {
      out.set(chunk, offset);
      offset += chunk.length;
    }
    return out;
  }

  private varint(value: number): void {
    let n = value;
    while (n >= 0x80) {
      this.bytes.push((n % 0x80) | 0x80);
      n = Math.floor(n / 0x80);
    }
    this.bytes.push(n);
  }

  private flush(): void {
    if (this.bytes.length > 0) this.chunks.push(Uint8Array.from(this.bytes.splice(0)));
  }
}
