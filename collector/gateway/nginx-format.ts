// nginx `log_format` → parser. The format string itself is the grammar: literal text between
// `$variables` delimits them, a variable wrapped in `"…"` is a quoted field (nginx escapes `"`
// and non-printable bytes inside values as `\xHH`, so the first bare quote ends it), and the few
// variables no delimiter can end (`$time_local` holds a space, `$upstream_*` are lists) have
// their own scanners. Unknown variables are opaque tokens: delimited, then ignored. Values that
// may hold spaces ($request, $http_*) must be quoted in the format, as `combined` does; the
// format string alone (no `log_format name` or `escape=` prefix) is what is compiled.
import { LINE_TOO_LONG, MAX_LINE_LENGTH, GatewayFormatError, reject } from './types.ts';
import type { GatewayFormat, ParseResult } from './types.ts';
import { ABSENT, OTHER_METHOD, decimalAt, decimalListAt, decodeEscapes, firstForwardedFor, isDashAt, methodAt, pathAt, pathOf, splitRequestLine } from './scan.ts';
import type { RequestParts } from './scan.ts';
import { Slots, Stop, field, matchTemplate } from './template.ts';
import type { StopKind, Template, TemplateField } from './template.ts';
import { TimeCache, clfTimeAt, isoTimeAt } from './time.ts';

/** Options for a compiled nginx format. */
export interface NginxFormatOptions {
  /** The format's name as reported by GatewayFormat.name; default `nginx`. */
  name?: string;
  /** A variable naming the caller, e.g. `http_x_api_key`; used before `$remote_user`. */
  consumerVariable?: string;
}

// Slot 0 parks the variables Telltale does not read.
const IGNORED = 0;
const REMOTE_ADDR = 1, REMOTE_USER = 2, TIME_LOCAL = 3, TIME_ISO = 4, MSEC = 5, REQUEST = 6, REQUEST_METHOD = 7;
const REQUEST_URI = 8, URI = 9, STATUS = 10, BODY_BYTES_SENT = 11, BYTES_SENT = 12, USER_AGENT = 13, REQUEST_TIME = 14;
const UPSTREAM_TIME = 15, FORWARDED_FOR = 16, REQUEST_ID = 17, HTTP_REQUEST_ID = 18, CONSUMER = 19;
const SLOT_COUNT = 20;

const ROLES: Readonly<Record<string, number>> = {
  remote_addr: REMOTE_ADDR, remote_user: REMOTE_USER, time_local: TIME_LOCAL, time_iso8601: TIME_ISO, msec: MSEC,
  request: REQUEST, request_method: REQUEST_METHOD, request_uri: REQUEST_URI, uri: URI, document_uri: URI, status: STATUS,
  body_bytes_sent: BODY_BYTES_SENT, bytes_sent: BYTES_SENT, http_user_agent: USER_AGENT, request_time: REQUEST_TIME,
  upstream_response_time: UPSTREAM_TIME, http_x_forwarded_for: FORWARDED_FOR, request_id: REQUEST_ID, http_x_request_id: HTTP_REQUEST_ID,
};
// nginx writes these with a fixed width: `10/Oct/2026:13:55:36 +0200`, `2026-10-10T13:55:36+02:00`.
const FIXED_WIDTHS: Readonly<Record<string, number>> = { time_local: 26, time_iso8601: 25 };

interface Variable {
  name: string;
  before: string;
  after: string;
}

// nginx.conf writes a format as one or more single-quoted strings; accept it pasted that way.
function unwrapConfQuotes(format: string): string {
  const trimmed = format.trim();
  if (!trimmed.startsWith("'") || !trimmed.endsWith("'")) return format;
  let out = '';
  let i = 0;
  while (i < trimmed.length) {
    if (trimmed.charCodeAt(i) <= 0x20) {
      i++;
      continue;
    }
    if (trimmed[i] !== "'") return format;
    const close = trimmed.indexOf("'", i + 1);
    if (close === -1) return format;
    out += trimmed.slice(i + 1, close);
    i = close + 1;
  }
  return out;
}

function isNameChar(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a) || c === 0x5f;
}

function tokenize(format: string): { prefix: string; variables: Variable[] } {
  const variables: Variable[] = [];
  let literal = '';
  let prefix: string | null = null;
  let i = 0;
  while (i < format.length) {
    const braced = format[i] === '$' && format[i + 1] === '{';
    let j = braced ? i + 2 : i + 1;
    if (format[i] === '$') while (j < format.length && isNameChar(format.charCodeAt(j))) j++;
    const name = format.slice(braced ? i + 2 : i + 1, j);
    if (format[i] !== '$' || name === '' || (braced && format[j] !== '}')) {
      literal += format[i];
      i++;
      continue;
    }
    const previous = variables.at(-1);
    if (previous) previous.after = literal;
    else prefix = literal;
    if (previous && literal === '') throw new GatewayFormatError(`log_format: $${previous.name} and $${name} have nothing between them, so neither can be delimited`);
    variables.push({ name, before: literal, after: '' });
    literal = '';
    i = braced ? j + 1 : j;
  }
  const last = variables.at(-1);
  if (last) last.after = literal;
  return { prefix: prefix ?? literal, variables };
}

function stopOf(variable: Variable): StopKind {
  if (variable.before.endsWith('"') && variable.after.startsWith('"')) return Stop.quoted;
  if (FIXED_WIDTHS[variable.name] !== undefined) return Stop.fixed;
  if (variable.name.startsWith('upstream_')) return Stop.list;
  return variable.after === '' ? Stop.rest : Stop.literal;
}

function compileTemplate(format: string, consumerVariable: string | null): Template {
  const { prefix, variables } = tokenize(unwrapConfQuotes(format));
  const fields: TemplateField[] = variables.map((variable) => {
    const role = ROLES[variable.name];
    const slot = role ?? (variable.name === consumerVariable ? CONSUMER : IGNORED);
    return field(variable.name, slot, stopOf(variable), variable.after, FIXED_WIDTHS[variable.name] ?? 0);
  });
  const has = (...slots: number[]): boolean => fields.some((f) => slots.includes(f.slot));
  const missing = [
    has(TIME_LOCAL, TIME_ISO, MSEC) ? null : '$time_local, $time_iso8601 or $msec',
    has(STATUS) ? null : '$status',
    has(REQUEST, REQUEST_URI, URI) ? null : '$request, $request_uri or $uri',
  ].filter((problem) => problem !== null);
  if (missing.length > 0) throw new GatewayFormatError(`log_format lacks ${missing.join('; ')}`);
  return { prefix, fields, slotCount: SLOT_COUNT };
}

/**
 * Compiles an nginx `log_format` string (as written in nginx.conf, quotes optional) into a
 * parser; throws GatewayFormatError when the format cannot be parsed unambiguously.
 */
export function compileNginxLogFormat(logFormat: string, options: NginxFormatOptions = {}): GatewayFormat {
  const consumerVariable = options.consumerVariable?.replace(/^\$/, '') ?? null;
  const template = compileTemplate(logFormat, consumerVariable);
  // A known variable keeps its own role (the consumer may well be $remote_addr); any other gets the consumer slot.
  const consumerSlot = consumerVariable === null ? CONSUMER : (ROLES[consumerVariable] ?? CONSUMER);
  const slots = new Slots(SLOT_COUNT);
  const start = slots.start;
  const end = slots.end;
  const escaped = slots.escaped;
  const parts: RequestParts = { method: OTHER_METHOD, path: '/' };
  const localTimes = new TimeCache(clfTimeAt);
  const isoTimes = new TimeCache(isoTimeAt);

  const text = (line: string, slot: number): string | null => {
    const from = start[slot]!;
    const to = end[slot]!;
    if (from < 0 || from === to || isDashAt(line, from, to)) return null;
    return escaped[slot] === 1 ? decodeEscapes(line, from, to) : line.slice(from, to);
  };
  const decimal = (line: string, slot: number, scale: number): number => (start[slot]! < 0 ? ABSENT : decimalAt(line, start[slot]!, end[slot]!, scale));

  const requestParts = (line: string): void => {
    if (start[REQUEST]! >= 0) {
      if (escaped[REQUEST] === 1) {
        const request = decodeEscapes(line, start[REQUEST]!, end[REQUEST]!);
        splitRequestLine(request, 0, request.length, parts);
      } else {
        splitRequestLine(line, start[REQUEST]!, end[REQUEST]!, parts);
      }
      return;
    }
    parts.method = start[REQUEST_METHOD]! >= 0 ? methodAt(line, start[REQUEST_METHOD]!, end[REQUEST_METHOD]!) : OTHER_METHOD;
    const slot = start[REQUEST_URI]! >= 0 ? REQUEST_URI : URI;
    parts.path = escaped[slot] === 1 ? pathOf(decodeEscapes(line, start[slot]!, end[slot]!)) : pathAt(line, start[slot]!, end[slot]!);
  };

  const parseLine = (line: string): ParseResult => {
    if (line.length > MAX_LINE_LENGTH) return LINE_TOO_LONG;
    const failed = matchTemplate(template, line, slots);
    if (failed !== null) return reject(failed);

    // Every nginx time variable is taken when the log line is written: the END of the request.
    let endMs: number;
    if (start[MSEC]! >= 0) endMs = decimal(line, MSEC, 3);
    else if (start[TIME_ISO]! >= 0) endMs = isoTimes.at(line, start[TIME_ISO]!, end[TIME_ISO]!);
    else endMs = localTimes.at(line, start[TIME_LOCAL]!, end[TIME_LOCAL]!);
    if (!(endMs >= 0)) return reject(start[MSEC]! >= 0 ? 'msec: not a timestamp' : start[TIME_ISO]! >= 0 ? 'time_iso8601: not a timestamp' : 'time_local: not a timestamp');

    const statusCode = decimal(line, STATUS, 0);
    if (!(statusCode >= 0) || !Number.isInteger(statusCode) || statusCode > 999) return reject('status: not a number');
    const durationMs = decimal(line, REQUEST_TIME, 3);
    if (Number.isNaN(durationMs)) return reject('request_time: not a number');
    const upstreamMs = start[UPSTREAM_TIME]! < 0 ? ABSENT : decimalListAt(line, start[UPSTREAM_TIME]!, end[UPSTREAM_TIME]!, 3);
    if (Number.isNaN(upstreamMs)) return reject('upstream_response_time: not a number');
    const bytesSlot = start[BODY_BYTES_SENT]! >= 0 ? BODY_BYTES_SENT : BYTES_SENT;
    const bytesSent = decimal(line, bytesSlot, 0);
    if (Number.isNaN(bytesSent)) return reject(bytesSlot === BODY_BYTES_SENT ? 'body_bytes_sent: not a number' : 'bytes_sent: not a number');

    requestParts(line);
    const forwardedFor = text(line, FORWARDED_FOR);
    return {
      ok: true,
      call: {
        timeUnixMs: durationMs === ABSENT ? Math.round(endMs) : Math.round(endMs - durationMs),
        method: parts.method,
        path: parts.path,
        route: null,
        statusCode,
        durationMs: durationMs === ABSENT ? null : durationMs,
        upstreamMs: upstreamMs === ABSENT ? null : upstreamMs,
        service: null,
        routerName: null,
        consumer: text(line, consumerSlot) ?? text(line, REMOTE_USER),
        clientAddress: text(line, REMOTE_ADDR) ?? (forwardedFor === null ? null : firstForwardedFor(forwardedFor)),
        userAgent: text(line, USER_AGENT),
        requestId: text(line, REQUEST_ID) ?? text(line, HTTP_REQUEST_ID),
        bytesSent: bytesSent === ABSENT ? null : bytesSent,
      },
    };
  };
  return { name: options.name ?? 'nginx', parseLine };
}
