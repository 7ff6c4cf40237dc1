// OTLP log records → ApiCalls (source `gateway`: they are access logs). A record is an access log
// when it says so (`telltale.log.format` on the record or its resource: its body is then a line
// of that format, and a line that does not parse is rejected), when it carries HTTP semantic-
// convention attributes (a method or a status code, stable or old names), or when its string body
// is recognised as a gateway line. Everything else is an application log: not an error, just not
// a call. Pure apart from the RouteBook, which learns templates and caps routes as for any source.
import { createHash } from 'node:crypto';
import type { ApiCall, AttributeValue, Attributes } from '../../store/index.ts';
import { MAX_LINE_LENGTH, type GatewayCall, type GatewayFormat, type ParseResult } from '../gateway/index.ts';
import { gatewayCallToApiCall } from '../gateway-lines.ts';
import type { LogFormats } from '../log-formats.ts';
import { consumerOf, httpRouteOf, methodOf, nanosToMs, statusCodeOf } from '../normalize.ts';
import type { RouteBook } from '../route-book.ts';
import { logRecordPath, type LogRecordInput } from './decode-logs.ts';
import { MAX_REPORTED_ERRORS, setAttribute } from './validate-span.ts';

/** How log records become ApiCalls. */
export interface LogsToCallsOptions {
  /** As for spans (`NormalizeOptions.consumerAttributes`): the first present names the caller. */
  consumerAttributes: readonly string[];
  routes: RouteBook;
  formats: LogFormats;
}

/** What one request's records became. */
export interface LogCallsResult {
  calls: ApiCall[];
  /** Records that are not access logs (application logs): not errors, just not calls. */
  ignored: number;
  /** Records that claimed to be access logs and could not be read. */
  rejected: number;
  /** At most MAX_REPORTED_ERRORS reasons, each naming its record. */
  errors: string[];
}

/** Names the access-log format of a record's body, on the record or on its resource. */
export const LOG_FORMAT_ATTRIBUTE = 'telltale.log.format';
/** Tried in this order on text bodies: the timed nginx format first, since plain `combined` would also take its prefix. */
export const TEXT_DETECTION_ORDER: readonly string[] = ['nginx-timed', 'nginx', 'envoy'];
/** Tried in this order on bodies that start with `{`. */
export const JSON_DETECTION_ORDER: readonly string[] = ['kong', 'traefik', 'aws', 'envoy-json'];

const HTTP_MARKERS = ['http.request.method', 'http.method', 'http.response.status_code', 'http.status_code'];
const NUMERIC = /^\d{1,15}(?:\.\d{1,9})?$/;

/** Turns decoded log records into ApiCalls; parsers and detected formats live for this one call (one request). */
export function logRecordsToApiCalls(records: readonly LogRecordInput[], options: LogsToCallsOptions): LogCallsResult {
  return new LogsConverter(options).convert(records);
}

class LogsConverter {
  private readonly result: LogCallsResult = { calls: [], ignored: 0, rejected: 0, errors: [] };
  // Text parsers keep per-stream scratch state, so each request builds its own; a string is why a name has none.
  private readonly parsers = new Map<string, GatewayFormat | string>();
  // The format that last read a body, per resource and log file: one file's lines share one format.
  // Not per resource alone: one filelog resource often covers several files, and plain nginx
  // `combined` also reads `nginx-timed` lines (without their timings), so a winner from one
  // file must not shadow a more specific format for another.
  private readonly detected = new Map<string, string>();
  private readonly resourceDigests = new Map<Attributes, string>();

  constructor(private readonly options: LogsToCallsOptions) {}

  convert(records: readonly LogRecordInput[]): LogCallsResult {
    for (const record of records) {
      const outcome = this.convertRecord(record);
      if (outcome === null) this.result.ignored++;
      else if (typeof outcome === 'string') this.reject(record, outcome);
      else this.result.calls.push(outcome);
    }
    return this.result;
  }

  /** A call, the reason the record is rejected, or null for a record that is not an access log. */
  private convertRecord(record: LogRecordInput): ApiCall | string | null {
    const explicit = stringOf(record.attributes[LOG_FORMAT_ATTRIBUTE]) ?? stringOf(record.resource[LOG_FORMAT_ATTRIBUTE]);
    if (explicit !== null) {
      const parsed = this.parseBody(record, explicit);
      return parsed.ok ? this.fromGatewayCall(record, parsed.call) : `${LOG_FORMAT_ATTRIBUTE} ${explicit}: ${parsed.reason}`;
    }
    const attributes = isKvList(record.body) ? withBodyFields(record.attributes, record.body) : record.attributes;
    if (HTTP_MARKERS.some((key) => present(attributes[key]))) return this.fromAttributes(record, attributes);
    if (typeof record.body !== 'string') return null;
    const call = this.detect(detectionKey(record), stripLineEnd(record.body));
    return call === null ? null : this.fromGatewayCall(record, call);
  }

  private fromAttributes(record: LogRecordInput, attributes: Attributes): ApiCall | string {
    const nanos = record.timeUnixNano !== '0' ? record.timeUnixNano : record.observedTimeUnixNano;
    if (nanos === '0') return 'timeUnixNano and observedTimeUnixNano are both unset';
    const { routes, consumerAttributes } = this.options;
    const service = serviceOf(record.resource) ?? 'unknown';
    const route = httpRouteOf(service, attributes, routes) ?? 'unknown';
    const statusCode = statusCodeOf(attributes);
    return {
      id: this.idOf(record),
      timeUnixMs: nanosToMs(nanos),
      service,
      method: methodOf(attributes),
      route: routes.admit(service, route),
      statusCode,
      durationMs: durationOf(attributes),
      source: 'gateway',
      traceId: record.traceId,
      spanId: record.spanId,
      consumer: consumerOf(attributes, consumerAttributes),
      // A 4xx is the client's fault; without a status only an explicit `error.type` says it failed.
      error: statusCode >= 500 || (statusCode === 0 && present(attributes['error.type'])),
    };
  }

  private fromGatewayCall(record: LogRecordInput, parsed: GatewayCall): ApiCall {
    const { routes, consumerAttributes } = this.options;
    const call = gatewayCallToApiCall(parsed, this.idOf(record), { service: serviceOf(record.resource), routes, consumerFrom: 'log' });
    call.traceId = record.traceId;
    call.spanId = record.spanId;
    // A collector pipeline may have put the caller on the record rather than in the line.
    call.consumer ??= consumerOf(record.attributes, consumerAttributes);
    return call;
  }

  private parseBody(record: LogRecordInput, name: string): ParseResult {
    const parser = this.parser(name);
    if (typeof parser === 'string') return { ok: false, reason: parser };
    const body = record.body;
    if (typeof body === 'string') return parser.parseLine(stripLineEnd(body));
    // A JSON gateway record that a collector parsed into a structured body reads as the same object.
    if (isKvList(body) && parser.parseRecord) return parser.parseRecord(body);
    return { ok: false, reason: body === undefined ? 'the record has no body' : 'the body is not a text line' };
  }

  /** The first format in detection order that reads the line (this file's last winner first), or null. */
  private detect(key: string, line: string): GatewayCall | null {
    const text = line.trimStart();
    if (text === '') return null;
    const isJson = text.startsWith('{');
    let value: unknown;
    if (isJson) {
      if (text.length > MAX_LINE_LENGTH) return null;
      try {
        // Parsed once here rather than once per candidate format.
        value = JSON.parse(text);
      } catch {
        return null;
      }
    }
    const read = (name: string): GatewayCall | null => {
      const parser = this.parser(name);
      if (typeof parser === 'string') return null;
      const parsed = isJson && parser.parseRecord ? parser.parseRecord(value) : parser.parseLine(line);
      return parsed.ok ? parsed.call : null;
    };
    const order = isJson ? JSON_DETECTION_ORDER : TEXT_DETECTION_ORDER;
    const last = this.detected.get(key);
    if (last !== undefined && order.includes(last)) {
      const call = read(last);
      if (call !== null) return call;
    }
    for (const name of order) {
      if (name === last) continue;
      const call = read(name);
      if (call !== null) {
        this.detected.set(key, name);
        return call;
      }
    }
    return null;
  }

  private parser(name: string): GatewayFormat | string {
    let parser = this.parsers.get(name);
    if (parser === undefined) {
      try {
        parser = this.options.formats.create(name);
      } catch (err) {
        parser = (err as Error).message;
      }
      this.parsers.set(name, parser);
    }
    return parser;
  }

  /**
   * `otlplog:` + a digest of what identifies the record, so a re-sent request stores nothing
   * twice. Two byte-identical records at the same nanosecond (same resource, times, body,
   * attributes and trace context) are indistinguishable and count once.
   */
  private idOf(record: LogRecordInput): string {
    // One string, one update: hashing dominates this path, and each update() call costs a native crossing.
    const key = JSON.stringify([
      this.resourceDigest(record.resource), record.timeUnixNano, record.observedTimeUnixNano, record.traceId, record.spanId, record.body ?? null, record.attributes,
    ]);
    return `otlplog:${createHash('sha256').update(key).digest('hex').slice(0, 32)}`;
  }

  // Records of one ResourceLogs share their resource object, so it is serialised once per request.
  private resourceDigest(resource: Attributes): string {
    let digest = this.resourceDigests.get(resource);
    if (digest === undefined) {
      digest = createHash('sha256').update(JSON.stringify(resource)).digest('hex');
      this.resourceDigests.set(resource, digest);
    }
    return digest;
  }

  private reject(record: LogRecordInput, reason: string): void {
    this.result.rejected++;
    if (this.result.errors.length < MAX_REPORTED_ERRORS) {
      this.result.errors.push(`${logRecordPath(record.resourceIndex, record.scopeIndex, record.recordIndex)}: ${reason}`);
    }
  }
}

/**
 * A structured (KvList) body's fields as attributes, nested maps flattened one level
 * (`{http: {route: …}}` → `http.route`); the record's own attributes win over the body's.
 * Only semantic-convention keys are read from the result, so `{method: …}` means nothing.
 */
function withBodyFields(attributes: Attributes, body: Attributes): Attributes {
  const merged: Attributes = {};
  for (const [key, value] of Object.entries(body)) {
    if (isKvList(value)) for (const [inner, innerValue] of Object.entries(value)) setAttribute(merged, `${key}.${inner}`, innerValue);
    else setAttribute(merged, key, value);
  }
  for (const [key, value] of Object.entries(attributes)) setAttribute(merged, key, value);
  return merged;
}

/** Milliseconds from `http.server.request.duration` (seconds, as semconv metrics name it), else `duration_ms` / `http.duration_ms`. */
function durationOf(attributes: Attributes): number | null {
  const seconds = nonNegative(attributes['http.server.request.duration']);
  // Rounded to the nanosecond: 0.123 s × 1000 is 123.00000000000001 in binary floating point.
  if (seconds !== null) return Math.round(seconds * 1e9) / 1e6;
  return nonNegative(attributes.duration_ms) ?? nonNegative(attributes['http.duration_ms']);
}

function nonNegative(value: AttributeValue | undefined): number | null {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : null;
  if (typeof value === 'string' && NUMERIC.test(value.trim())) return Number(value.trim());
  return null;
}

// The filelog receiver names the file on each record (`log.file.path` / `log.file.name`).
function detectionKey(record: LogRecordInput): string {
  const file = stringOf(record.attributes['log.file.path']) ?? stringOf(record.attributes['log.file.name']) ?? '';
  return `${record.resourceIndex}\n${file}`;
}

function serviceOf(resource: Attributes): string | null {
  return stringOf(resource['service.name']);
}

function stringOf(value: AttributeValue | undefined): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function present(value: AttributeValue | undefined): boolean {
  return value !== undefined && value !== null && value !== '';
}

function isKvList(value: AttributeValue | undefined): value is Attributes {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// File readers normally strip the newline; a body that kept it is still one line.
function stripLineEnd(line: string): string {
  if (line.endsWith('\r\n')) return line.slice(0, -2);
  return line.endsWith('\n') ? line.slice(0, -1) : line;
}
