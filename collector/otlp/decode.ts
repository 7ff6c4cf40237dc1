// The public face of OTLP trace decoding: plain bytes or text in, SpanRecords and rejection
// reasons out. The HTTP receiver maps OtlpDecodeError to 400 and the rest to a (partial) success.
// Spans from one ResourceSpans share a single `resource` object (decoded once, not per span), so
// treat decoded SpanRecords as read-only.
import type { DecodedTraces } from './validate-span.ts';
import { decodeProtobufRequest } from './decode-protobuf.ts';
import { decodeJsonRequest } from './decode-json.ts';

export { OtlpDecodeError } from './errors.ts';
export type { DecodedTraces } from './validate-span.ts';
export {
  MAX_ATTRIBUTES, MAX_ATTRIBUTE_VALUE_BYTES, MAX_EVENTS, MAX_REPORTED_ERRORS, MAX_VALUE_DEPTH, TRUNCATION_MARKER, UNKNOWN_SERVICE,
} from './validate-span.ts';

/** Decodes a protobuf ExportTraceServiceRequest; invalid spans are counted and explained, broken framing throws OtlpDecodeError. */
export function decodeTracesProtobuf(body: Uint8Array): DecodedTraces {
  return decodeProtobufRequest(body);
}

/** Decodes an OTLP/JSON ExportTraceServiceRequest; invalid spans are counted and explained, a non-request body throws OtlpDecodeError. */
export function decodeTracesJson(body: string): DecodedTraces {
  return decodeJsonRequest(body);
}
