// Walks an OTLP ExportTraceServiceRequest (opentelemetry-proto collector/trace/v1) straight into
// SpanRecords, without an intermediate message tree: the decode path is the ingest hot path.
// Field numbers follow trace.proto, common.proto and resource.proto; a known field arriving with
// an unexpected wire type is skipped like an unknown field, as the reference implementations do.
import type { Attributes, SpanEvent } from '../../store/index.ts';
import { walkExportRequest } from './decode-protobuf-envelope.ts';
import { ProtoReader, tagOf, VARINT, I64, LEN } from './protobuf-reader.ts';
import { readKeyValue } from './decode-protobuf-values.ts';
import type { DepthState } from './decode-protobuf-values.ts';
import { MAX_ATTRIBUTES, MAX_EVENTS, TOO_DEEP, UNKNOWN_SERVICE, TracesCollector, timesProblem } from './validate-span.ts';
import type { DecodedTraces } from './validate-span.ts';

const SPAN_TRACE_ID = tagOf(1, LEN);
const SPAN_SPAN_ID = tagOf(2, LEN);
const SPAN_PARENT_SPAN_ID = tagOf(4, LEN);
const SPAN_NAME = tagOf(5, LEN);
const SPAN_KIND = tagOf(6, VARINT);
const SPAN_START_TIME = tagOf(7, I64);
const SPAN_END_TIME = tagOf(8, I64);
const SPAN_ATTRIBUTES = tagOf(9, LEN);
const SPAN_EVENTS = tagOf(11, LEN);
const SPAN_STATUS = tagOf(15, LEN);
const EVENT_TIME = tagOf(1, I64);
const EVENT_NAME = tagOf(2, LEN);
const EVENT_ATTRIBUTES = tagOf(3, LEN);
const STATUS_MESSAGE = tagOf(2, LEN);
const STATUS_CODE = tagOf(3, VARINT);

const MAX_SPAN_KIND = 5;
const MAX_STATUS_CODE = 2;

/** Decodes a protobuf ExportTraceServiceRequest; throws OtlpDecodeError when the framing is broken. */
export function decodeProtobufRequest(body: Uint8Array): DecodedTraces {
  return new ProtobufTracesDecoder(body).decode();
}

class ProtobufTracesDecoder {
  private readonly r: ProtoReader;
  private readonly out = new TracesCollector();
  // Set when an AnyValue was too deep to keep; checked by whoever owns the attributes.
  private readonly depth: DepthState = { tooDeep: false };

  constructor(body: Uint8Array) {
    this.r = new ProtoReader(body);
  }

  decode(): DecodedTraces {
    walkExportRequest(this.r, this.depth, (resource, resourceProblem, resourceIndex, scopeIndex, spanIndex) => {
      const serviceName = resource['service.name'];
      const service = typeof serviceName === 'string' && serviceName !== '' ? serviceName : UNKNOWN_SERVICE;
      this.span(resource, service, resourceProblem, resourceIndex, scopeIndex, spanIndex);
    });
    return this.out.result();
  }

  private span(resource: Attributes, service: string, resourceProblem: string | null, resourceIndex: number, scopeIndex: number, spanIndex: number): void {
    const r = this.r;
    const outer = r.enter();
    let traceIdStart = 0;
    let traceIdLength = 0;
    let spanIdStart = 0;
    let spanIdLength = 0;
    let parentStart = 0;
    let parentLength = 0;
    let name = '';
    let kind = 0;
    let start = 0n;
    let end = 0n;
    let statusCode = 0;
    let statusMessage = '';
    const attributes: Attributes = {};
    let attributeCount = 0;
    const events: SpanEvent[] = [];
    this.depth.tooDeep = false;
    while (r.pos < r.end) {
      const tag = r.readTag();
      switch (tag) {
        case SPAN_TRACE_ID:
          traceIdStart = r.skipBytes();
          traceIdLength = r.pos - traceIdStart;
          break;
        case SPAN_SPAN_ID:
          spanIdStart = r.skipBytes();
          spanIdLength = r.pos - spanIdStart;
          break;
        case SPAN_PARENT_SPAN_ID:
          parentStart = r.skipBytes();
          parentLength = r.pos - parentStart;
          break;
        case SPAN_NAME:
          name = r.readString();
          break;
        case SPAN_KIND:
          kind = enumValue(r.readVarint(), MAX_SPAN_KIND);
          break;
        case SPAN_START_TIME:
          start = r.readFixed64();
          break;
        case SPAN_END_TIME:
          end = r.readFixed64();
          break;
        case SPAN_ATTRIBUTES:
          if (attributeCount < MAX_ATTRIBUTES) {
            attributeCount++;
            readKeyValue(r, attributes, 1, this.depth);
          } else r.skip(tag);
          break;
        case SPAN_EVENTS:
          if (events.length < MAX_EVENTS) events.push(this.event());
          else r.skip(tag);
          break;
        case SPAN_STATUS: {
          // Repeated occurrences of a message field merge, so each sub-field simply overwrites.
          const inner = r.enter();
          while (r.pos < r.end) {
            const field = r.readTag();
            if (field === STATUS_MESSAGE) statusMessage = r.readString();
            else if (field === STATUS_CODE) statusCode = enumValue(r.readVarint(), MAX_STATUS_CODE);
            else r.skip(field);
          }
          r.leave(inner);
          break;
        }
        default:
          r.skip(tag);
      }
    }
    r.leave(outer);

    const problem = resourceProblem
      ?? idProblem(r, 'traceId', traceIdStart, traceIdLength, 16)
      ?? idProblem(r, 'spanId', spanIdStart, spanIdLength, 8)
      ?? (parentLength !== 0 && parentLength !== 8 ? `parentSpanId must be empty or 8 bytes (got ${parentLength})` : null)
      ?? timesProblem(start, end)
      ?? (this.depth.tooDeep ? TOO_DEEP : null);
    if (problem !== null) {
      this.out.reject(resourceIndex, scopeIndex, spanIndex, problem);
      return;
    }
    this.out.spans.push({
      traceId: r.hex(traceIdStart, traceIdStart + 16),
      spanId: r.hex(spanIdStart, spanIdStart + 8),
      // An all-zero parent is what some bridges send for "no parent".
      parentSpanId: parentLength === 8 && !allZero(r.buf, parentStart, 8) ? r.hex(parentStart, parentStart + 8) : null,
      service,
      name,
      kind,
      startTimeUnixNano: start.toString(),
      endTimeUnixNano: end.toString(),
      durationMs: Number(end - start) / 1e6,
      statusCode,
      statusMessage,
      attributes,
      resource,
      events,
    });
  }

  private event(): SpanEvent {
    const r = this.r;
    const outer = r.enter();
    let time = 0n;
    let name = '';
    const attributes: Attributes = {};
    let attributeCount = 0;
    while (r.pos < r.end) {
      const tag = r.readTag();
      if (tag === EVENT_TIME) time = r.readFixed64();
      else if (tag === EVENT_NAME) name = r.readString();
      else if (tag === EVENT_ATTRIBUTES && attributeCount < MAX_ATTRIBUTES) {
        attributeCount++;
        readKeyValue(r, attributes, 1, this.depth);
      } else r.skip(tag);
    }
    r.leave(outer);
    return { name, timeUnixNano: time.toString(), attributes };
  }
}

function idProblem(r: ProtoReader, field: string, start: number, length: number, expected: number): string | null {
  if (length !== expected) return `${field} must be ${expected} bytes (got ${length})`;
  if (allZero(r.buf, start, length)) return `${field} must not be all zeros`;
  return null;
}

function allZero(buf: Uint8Array, start: number, length: number): boolean {
  for (let i = start; i < start + length; i++) if (buf[i] !== 0) return false;
  return true;
}

// proto3 enums are open; values this version does not know read as 0 (UNSPECIFIED / UNSET).
function enumValue(value: number, max: number): number {
  return value <= max ? value : 0;
}
