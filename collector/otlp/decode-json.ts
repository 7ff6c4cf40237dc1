// OTLP/JSON ExportTraceServiceRequest → SpanRecords. OTLP/JSON is protobuf's JSON mapping with
// two OTLP-specific twists: trace and span ids are hex (not base64), and enums are integers.
// Enum NAMES ("SPAN_KIND_SERVER") are accepted too, as the Collector's JSON reader does; any
// unrecognised enum value reads as 0 (UNSPECIFIED / UNSET), never as a rejected span, because the
// rest of the span is still good data. Keys are lowerCamelCase only: snake_case keys are unknown
// fields like any other, so a span written with them lacks ids and is rejected.
import type { AttributeValue, Attributes, SpanEvent, SpanRecord } from '../../store/index.ts';
import { OtlpDecodeError } from './errors.ts';
import {
  MAX_ATTRIBUTES, MAX_EVENTS, MAX_VALUE_DEPTH, TOO_DEEP, UNKNOWN_SERVICE, TracesCollector, capString, doubleValue, int64Value, setAttribute, timesProblem,
} from './validate-span.ts';
import type { DecodedTraces } from './validate-span.ts';

// JSON.parse rounds integer literals beyond 2^53, so the int64 fields' long literals are quoted
// first. A real key's opening quote follows `{`, `,` or whitespace; inside a JSON string a quote
// is always escaped (preceded by a backslash), so string contents can never match. Literals
// under 16 digits are exact already and are left alone; the lookahead refuses fractions and
// exponents (those stay numbers). No nested quantifiers: the scan is linear.
const INT64_LITERAL = /([{,\s]"(?:startTimeUnixNano|endTimeUnixNano|timeUnixNano|observedTimeUnixNano|intValue)"\s*:\s*)(-?\d{16,})(?![.eE\d])/g;

const SPAN_KINDS: Record<string, number> = {
  SPAN_KIND_UNSPECIFIED: 0, SPAN_KIND_INTERNAL: 1, SPAN_KIND_SERVER: 2, SPAN_KIND_CLIENT: 3, SPAN_KIND_PRODUCER: 4, SPAN_KIND_CONSUMER: 5,
};
const STATUS_CODES: Record<string, number> = { STATUS_CODE_UNSET: 0, STATUS_CODE_OK: 1, STATUS_CODE_ERROR: 2 };
const MAX_UINT64 = 18446744073709551615n;

/** A decoded JSON object. */
export type JsonObject = Record<string, unknown>;

/** Parses an OTLP/JSON request body with its int64 fields kept exact; throws OtlpDecodeError when it is not a JSON object. */
export function parseOtlpJson(body: string): JsonObject {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.replace(INT64_LITERAL, '$1"$2"'));
  } catch (error) {
    throw new OtlpDecodeError(`invalid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!isObject(parsed)) throw new OtlpDecodeError('the request must be a JSON object');
  return parsed;
}

/** Decodes an OTLP/JSON ExportTraceServiceRequest; throws OtlpDecodeError when it is not one. */
export function decodeJsonRequest(body: string): DecodedTraces {
  const parsed = parseOtlpJson(body);
  const out = new TracesCollector();
  const resourceSpans = arrayField(parsed, 'resourceSpans', 'resourceSpans');
  for (let ri = 0; ri < resourceSpans.length; ri++) {
    const rs = resourceSpans[ri];
    if (!isObject(rs)) throw new OtlpDecodeError(`resourceSpans[${ri}] must be an object`);
    const state = { tooDeep: false };
    const resource: Attributes = {};
    const resourceMessage = rs.resource;
    if (isObject(resourceMessage)) readAttributes(resourceMessage.attributes, resource, state);
    const resourceProblem = state.tooDeep ? `resource ${TOO_DEEP}` : null;
    const serviceName = resource['service.name'];
    const service = typeof serviceName === 'string' && serviceName !== '' ? serviceName : UNKNOWN_SERVICE;
    const scopeSpans = arrayField(rs, 'scopeSpans', `resourceSpans[${ri}].scopeSpans`);
    for (let si = 0; si < scopeSpans.length; si++) {
      const ss = scopeSpans[si];
      if (!isObject(ss)) throw new OtlpDecodeError(`resourceSpans[${ri}].scopeSpans[${si}] must be an object`);
      const spans = arrayField(ss, 'spans', `resourceSpans[${ri}].scopeSpans[${si}].spans`);
      for (let i = 0; i < spans.length; i++) {
        const result = resourceProblem ?? readSpan(spans[i], resource, service);
        if (typeof result === 'string') out.reject(ri, si, i, result);
        else out.spans.push(result);
      }
    }
  }
  return out.result();
}

/** One span, or the reason it is rejected. */
function readSpan(span: unknown, resource: Attributes, service: string): SpanRecord | string {
  if (!isObject(span)) return 'span must be an object';
  const traceId = hexId(span.traceId, 'traceId', 16);
  if (traceId.problem !== null) return traceId.problem;
  const spanId = hexId(span.spanId, 'spanId', 8);
  if (spanId.problem !== null) return spanId.problem;
  const parent = hexId(span.parentSpanId, 'parentSpanId', 8);
  // An empty or all-zero parent means "no parent"; anything else must be a proper id.
  if (parent.problem !== null && !parent.absent && !parent.zero) return parent.problem;
  const start = uint64(span.startTimeUnixNano);
  if (start === null) return 'startTimeUnixNano must be an unsigned integer (decimal string or number)';
  const end = uint64(span.endTimeUnixNano);
  if (end === null) return 'endTimeUnixNano must be an unsigned integer (decimal string or number)';
  const timeProblem = timesProblem(start, end);
  if (timeProblem !== null) return timeProblem;

  const state = { tooDeep: false };
  const attributes: Attributes = {};
  readAttributes(span.attributes, attributes, state);
  const events: SpanEvent[] = [];
  if (Array.isArray(span.events)) {
    const count = Math.min(span.events.length, MAX_EVENTS);
    for (let i = 0; i < count; i++) {
      const event: unknown = span.events[i];
      if (!isObject(event)) continue;
      const time = uint64(event.timeUnixNano);
      if (time === null) return `events[${i}].timeUnixNano must be an unsigned integer (decimal string or number)`;
      const eventAttributes: Attributes = {};
      readAttributes(event.attributes, eventAttributes, state);
      events.push({ name: typeof event.name === 'string' ? event.name : '', timeUnixNano: time.toString(), attributes: eventAttributes });
    }
  }
  if (state.tooDeep) return TOO_DEEP;
  const status = isObject(span.status) ? span.status : {};
  return {
    traceId: traceId.value,
    spanId: spanId.value,
    parentSpanId: parent.problem === null ? parent.value : null,
    service,
    name: typeof span.name === 'string' ? span.name : '',
    kind: enumValue(span.kind, SPAN_KINDS, 5),
    startTimeUnixNano: start.toString(),
    endTimeUnixNano: end.toString(),
    durationMs: Number(end - start) / 1e6,
    statusCode: enumValue(status.code, STATUS_CODES, 2),
    statusMessage: typeof status.message === 'string' ? status.message : '',
    attributes,
    resource,
    events,
  };
}

/** Reads an OTLP/JSON KeyValue list into target, keeping the first MAX_ATTRIBUTES. */
export function readAttributes(list: unknown, target: Attributes, state: { tooDeep: boolean }): void {
  if (!Array.isArray(list)) return;
  // Only the kept prefix is looked at, so 100,000 attributes cost no more than 1,024.
  const count = Math.min(list.length, MAX_ATTRIBUTES);
  for (let i = 0; i < count; i++) readKeyValue(list[i], target, 1, state);
}

function readKeyValue(entry: unknown, target: Attributes, depth: number, state: { tooDeep: boolean }): void {
  if (!isObject(entry) || typeof entry.key !== 'string') return;
  setAttribute(target, entry.key, anyValue(entry.value, depth, state));
}

/** One OTLP/JSON AnyValue; nesting past MAX_VALUE_DEPTH sets state.tooDeep. */
export function anyValue(value: unknown, depth: number, state: { tooDeep: boolean }): AttributeValue {
  if (depth > MAX_VALUE_DEPTH) {
    state.tooDeep = true;
    return null;
  }
  if (!isObject(value)) return null;
  const { stringValue, boolValue, intValue, doubleValue: double, arrayValue, kvlistValue, bytesValue } = value;
  if (typeof stringValue === 'string') return capString(stringValue);
  if (typeof boolValue === 'boolean') return boolValue;
  if (intValue !== undefined && intValue !== null) return int64(intValue);
  if (typeof double === 'number') return double;
  if (typeof double === 'string') return doubleValue(Number(double));
  if (isObject(arrayValue)) {
    const values = Array.isArray(arrayValue.values) ? (arrayValue.values as unknown[]) : [];
    return values.map((item) => anyValue(item, depth + 1, state));
  }
  if (isObject(kvlistValue)) {
    const entries: Attributes = {};
    if (Array.isArray(kvlistValue.values)) for (const item of kvlistValue.values as unknown[]) readKeyValue(item, entries, depth + 1, state);
    return entries;
  }
  // OTLP/JSON carries bytes as base64 text already, which is also how SpanRecords hold them.
  if (typeof bytesValue === 'string') return capString(bytesValue);
  return null;
}

function int64(value: unknown): AttributeValue {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return null;
  if (!/^-?\d{1,40}$/.test(value)) return capString(value);
  return value.length <= 15 ? Number(value) : int64Value(BigInt(value));
}

/** An unsigned int64 from a decimal string or a JSON number; absent is 0 (the proto default); null when malformed. */
export function uint64(value: unknown): bigint | null {
  if (value === undefined || value === null) return 0n;
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? BigInt(value) : null;
  if (typeof value !== 'string' || !/^\d{1,20}$/.test(value)) return null;
  const n = BigInt(value);
  return n <= MAX_UINT64 ? n : null;
}

interface IdResult {
  value: string;
  problem: string | null;
  absent: boolean;
  zero: boolean;
}

function hexId(value: unknown, field: string, bytes: number): IdResult {
  const chars = bytes * 2;
  if (value === undefined || value === null || value === '') return { value: '', problem: `${field} is required`, absent: true, zero: false };
  if (typeof value !== 'string') return { value: '', problem: `${field} must be a string of ${chars} hex characters`, absent: false, zero: false };
  if (value.length !== chars || !/^[0-9a-fA-F]+$/.test(value)) {
    const base64Hint = /^[A-Za-z0-9+/_-]+={0,2}$/.test(value) && value.length === Math.ceil(bytes / 3) * 4 ? ' (this looks like base64; OTLP/JSON ids are hex)' : '';
    return { value: '', problem: `${field} must be ${chars} hex characters${base64Hint}`, absent: false, zero: false };
  }
  if (/^0+$/.test(value)) return { value: '', problem: `${field} must not be all zeros`, absent: false, zero: true };
  return { value: value.toLowerCase(), problem: null, absent: false, zero: false };
}

function enumValue(value: unknown, names: Record<string, number>, max: number): number {
  let n: number | undefined;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'string') n = /^\d{1,10}$/.test(value) ? Number(value) : (Object.hasOwn(names, value) ? names[value] : undefined);
  return n !== undefined && Number.isInteger(n) && n >= 0 && n <= max ? n : 0;
}

/** The array at key (absent is empty); anything else is an undecodable request. */
export function arrayField(parent: JsonObject, key: string, path: string): unknown[] {
  const value = parent[key];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new OtlpDecodeError(`${path} must be an array`);
  return value as unknown[];
}

/** True for a plain JSON object. */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
