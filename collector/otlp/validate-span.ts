// Limits and per-span checks shared by the protobuf and JSON decoders, so both encodings accept
// and reject exactly the same spans for the same reasons.
import type { AttributeValue, Attributes, SpanRecord } from '../../store/index.ts';

/** Attributes kept per span, event or resource; later KeyValues are dropped (a hostile sender cannot make one span huge). */
export const MAX_ATTRIBUTES = 1024;
/** Events kept per span; later ones are dropped. */
export const MAX_EVENTS = 1024;
/** A string attribute value longer than this many UTF-8 bytes keeps its prefix plus TRUNCATION_MARKER. */
export const MAX_ATTRIBUTE_VALUE_BYTES = 64 * 1024;
/** Bytes attribute values are cut so that their base64 text stays within MAX_ATTRIBUTE_VALUE_BYTES. */
export const MAX_BYTES_VALUE_LENGTH = (MAX_ATTRIBUTE_VALUE_BYTES / 4) * 3;
/** Appended to a truncated attribute value. */
export const TRUNCATION_MARKER = '…[truncated]';
/** AnyValue nesting (arrays and kvlists inside each other) deeper than this rejects the span. */
export const MAX_VALUE_DEPTH = 32;
/** The rejection reason for a value nested deeper than MAX_VALUE_DEPTH. */
export const TOO_DEEP = `attribute value nested deeper than ${MAX_VALUE_DEPTH} levels`;
/** Reasons reported per request; rejectedSpans still counts every rejected span. */
export const MAX_REPORTED_ERRORS = 10;
/** The service of spans whose resource has no string `service.name` (the SDK's own fallback name). */
export const UNKNOWN_SERVICE = 'unknown_service';

/** What one decoded export request yields. */
export interface DecodedTraces {
  /** Valid spans, fully converted. */
  spans: SpanRecord[];
  /** Spans dropped as invalid. */
  rejectedSpans: number;
  /** At most MAX_REPORTED_ERRORS short human reasons. */
  errors: string[];
}

/** Collects accepted spans and rejection reasons while a request is walked. */
export class TracesCollector {
  readonly spans: SpanRecord[] = [];
  rejectedSpans = 0;
  readonly errors: string[] = [];

  /** Counts one rejected span; the reason is kept only while fewer than MAX_REPORTED_ERRORS are held. */
  reject(resourceIndex: number, scopeIndex: number, spanIndex: number, reason: string): void {
    this.rejectedSpans++;
    if (this.errors.length < MAX_REPORTED_ERRORS) {
      this.errors.push(`resourceSpans[${resourceIndex}].scopeSpans[${scopeIndex}].spans[${spanIndex}]: ${reason}`);
    }
  }

  /** The request's result. */
  result(): DecodedTraces {
    return { spans: this.spans, rejectedSpans: this.rejectedSpans, errors: this.errors };
  }
}

/** Sets an attribute without letting a `__proto__` key swap the object's prototype. */
export function setAttribute(target: Attributes, key: string, value: AttributeValue): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[key] = value;
  }
}

const encoder = new TextEncoder();
// One scratch buffer: encodeInto never writes a partial character, so `read` is a clean cut point.
const scratch = new Uint8Array(MAX_ATTRIBUTE_VALUE_BYTES);

/** Caps a string value at MAX_ATTRIBUTE_VALUE_BYTES of UTF-8, marking the cut. */
export function capString(value: string): string {
  // Three UTF-8 bytes at most per UTF-16 unit, so shorter strings cannot be over the limit.
  if (value.length * 3 <= MAX_ATTRIBUTE_VALUE_BYTES) return value;
  const { read } = encoder.encodeInto(value, scratch);
  return read >= value.length ? value : value.slice(0, read) + TRUNCATION_MARKER;
}

/** Why start and end times (unsigned nanoseconds) make a span invalid, or null when they are fine. */
export function timesProblem(start: bigint, end: bigint): string | null {
  if (start === 0n) return 'startTimeUnixNano is required';
  if (end < start) return 'endTimeUnixNano is before startTimeUnixNano';
  return null;
}

/** Turns a JS double into an attribute value that survives JSON (NaN and ±Infinity become strings, as in OTLP/JSON). */
export function doubleValue(value: number): number | string {
  return Number.isFinite(value) ? value : String(value);
}

/** A signed int64 as a JS number when exact, else its decimal string. */
export function int64Value(value: bigint): number | string {
  return value >= -9007199254740991n && value <= 9007199254740991n ? Number(value) : value.toString();
}
