// Walks an OTLP ExportLogsServiceRequest (opentelemetry-proto collector/logs/v1, logs.proto)
// straight into LogRecordInputs, as the trace decoder does for spans: the same reader, the same
// AnyValue/KeyValue decoding and limits. Severity, flags, event name and the scope are skipped:
// nothing Telltale derives from an access log depends on them.
import type { AttributeValue, Attributes } from '../../store/index.ts';
import { walkExportRequest } from './decode-protobuf-envelope.ts';
import { ProtoReader, tagOf, I64, LEN } from './protobuf-reader.ts';
import { readAnyValue, readKeyValue } from './decode-protobuf-values.ts';
import type { DepthState } from './decode-protobuf-values.ts';
import { MAX_ATTRIBUTES, TOO_DEEP } from './validate-span.ts';
import { LogsCollector } from './decode-logs-records.ts';
import type { DecodedLogs } from './decode-logs-records.ts';

const RECORD_TIME = tagOf(1, I64);
const RECORD_BODY = tagOf(5, LEN);
const RECORD_ATTRIBUTES = tagOf(6, LEN);
const RECORD_TRACE_ID = tagOf(9, LEN);
const RECORD_SPAN_ID = tagOf(10, LEN);
const RECORD_OBSERVED_TIME = tagOf(11, I64);

/** Decodes a protobuf ExportLogsServiceRequest; throws OtlpDecodeError when the framing is broken. */
export function decodeLogsProtobufRequest(body: Uint8Array): DecodedLogs {
  return new ProtobufLogsDecoder(body).decode();
}

class ProtobufLogsDecoder {
  private readonly r: ProtoReader;
  private readonly out = new LogsCollector();
  private readonly depth: DepthState = { tooDeep: false };

  constructor(body: Uint8Array) {
    this.r = new ProtoReader(body);
  }

  decode(): DecodedLogs {
    walkExportRequest(this.r, this.depth, (resource, resourceProblem, resourceIndex, scopeIndex, recordIndex) => {
      this.logRecord(resource, resourceProblem, resourceIndex, scopeIndex, recordIndex);
    });
    return this.out.result();
  }

  private logRecord(resource: Attributes, resourceProblem: string | null, resourceIndex: number, scopeIndex: number, recordIndex: number): void {
    const r = this.r;
    const outer = r.enter();
    let time = 0n;
    let observed = 0n;
    let body: AttributeValue | undefined;
    const attributes: Attributes = {};
    let attributeCount = 0;
    let traceIdStart = 0;
    let traceIdLength = 0;
    let spanIdStart = 0;
    let spanIdLength = 0;
    this.depth.tooDeep = false;
    while (r.pos < r.end) {
      const tag = r.readTag();
      switch (tag) {
        case RECORD_TIME:
          time = r.readFixed64();
          break;
        case RECORD_OBSERVED_TIME:
          observed = r.readFixed64();
          break;
        case RECORD_BODY:
          // An empty AnyValue is no body, as an absent one is (the SDK's JSON writes `body: {}` for none).
          body = readAnyValue(r, 1, this.depth, true) ?? undefined;
          break;
        case RECORD_ATTRIBUTES:
          if (attributeCount < MAX_ATTRIBUTES) {
            attributeCount++;
            readKeyValue(r, attributes, 1, this.depth);
          } else r.skip(tag);
          break;
        case RECORD_TRACE_ID:
          traceIdStart = r.skipBytes();
          traceIdLength = r.pos - traceIdStart;
          break;
        case RECORD_SPAN_ID:
          spanIdStart = r.skipBytes();
          spanIdLength = r.pos - spanIdStart;
          break;
        default:
          r.skip(tag);
      }
    }
    r.leave(outer);
    const problem = resourceProblem ?? (this.depth.tooDeep ? TOO_DEEP : null);
    if (problem !== null) {
      this.out.reject(resourceIndex, scopeIndex, recordIndex, problem);
      return;
    }
    this.out.records.push({
      resource,
      resourceIndex,
      scopeIndex,
      recordIndex,
      timeUnixNano: time.toString(),
      observedTimeUnixNano: observed.toString(),
      body,
      attributes,
      // Trace context on a log is optional linkage, not the record's substance: a bad id is dropped, the record kept.
      traceId: validId(r, traceIdStart, traceIdLength, 16),
      spanId: validId(r, spanIdStart, spanIdLength, 8),
    });
  }
}

function validId(r: ProtoReader, start: number, length: number, expected: number): string | null {
  if (length !== expected) return null;
  for (let i = start; i < start + length; i++) if (r.buf[i] !== 0) return r.hex(start, start + length);
  return null;
}
