// Envoy's default access-log format, and the same fields as a json_format. Envoy does not escape
// values in its text format, so a quoted field ends at the literal that follows it (`" "`), not
// at the first quote: a `"` inside a user agent then costs nothing. `-` means unset; a response
// code of 0 means no response was sent (look at the response flags, e.g. UF, to learn why).
import { LINE_TOO_LONG, MAX_LINE_LENGTH, reject } from './types.ts';
import type { GatewayFormat, ParseResult } from './types.ts';
import { ABSENT, OTHER_METHOD, decimalAt, firstForwardedFor, isDashAt, methodAt, methodOf, pathAt, pathOf } from './scan.ts';
import { Slots, Stop, field, matchTemplate } from './template.ts';
import type { Template } from './template.ts';
import { isoTimeAt } from './time.ts';
import { countOf, durationOf, isObject, parseJsonLine, statusOf, stringAt, timeOf } from './json-fields.ts';

const IGNORED = 0, START_TIME = 1, METHOD = 2, PATH = 3, RESPONSE_CODE = 4, BYTES_SENT = 5, DURATION = 6;
const UPSTREAM_TIME = 7, FORWARDED_FOR = 8, USER_AGENT = 9, REQUEST_ID = 10;
const SLOT_COUNT = 11;

// [%START_TIME%] "%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% %PROTOCOL%" %RESPONSE_CODE%
// %RESPONSE_FLAGS% %BYTES_RECEIVED% %BYTES_SENT% %DURATION% %RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)%
// "%REQ(X-FORWARDED-FOR)%" "%REQ(USER-AGENT)%" "%REQ(X-REQUEST-ID)%" "%REQ(:AUTHORITY)%" "%UPSTREAM_HOST%"
const DEFAULT_TEMPLATE: Template = {
  prefix: '[',
  fields: [
    field('START_TIME', START_TIME, Stop.literal, '] "'),
    field('METHOD', METHOD, Stop.literal, ' '),
    field('PATH', PATH, Stop.literal, ' '),
    field('PROTOCOL', IGNORED, Stop.literal, '" '),
    field('RESPONSE_CODE', RESPONSE_CODE, Stop.literal, ' '),
    field('RESPONSE_FLAGS', IGNORED, Stop.literal, ' '),
    field('BYTES_RECEIVED', IGNORED, Stop.literal, ' '),
    field('BYTES_SENT', BYTES_SENT, Stop.literal, ' '),
    field('DURATION', DURATION, Stop.literal, ' '),
    field('X-ENVOY-UPSTREAM-SERVICE-TIME', UPSTREAM_TIME, Stop.literal, ' "'),
    field('X-FORWARDED-FOR', FORWARDED_FOR, Stop.literal, '" "'),
    field('USER-AGENT', USER_AGENT, Stop.literal, '" "'),
    field('X-REQUEST-ID', REQUEST_ID, Stop.literal, '" "'),
    field(':AUTHORITY', IGNORED, Stop.literal, '" "'),
    field('UPSTREAM_HOST', IGNORED, Stop.literal, '"'),
  ],
  slotCount: SLOT_COUNT,
};

/** The Envoy default text format. */
export function envoyFormat(): GatewayFormat {
  const slots = new Slots(SLOT_COUNT);
  const { start, end } = slots;
  const text = (line: string, slot: number): string | null =>
    start[slot] === end[slot] || isDashAt(line, start[slot]!, end[slot]!) ? null : line.slice(start[slot], end[slot]);
  const number = (line: string, slot: number): number => decimalAt(line, start[slot]!, end[slot]!, 0);

  const parseLine = (line: string): ParseResult => {
    if (line.length > MAX_LINE_LENGTH) return LINE_TOO_LONG;
    const failed = matchTemplate(DEFAULT_TEMPLATE, line, slots);
    if (failed !== null) return reject(failed);
    const timeUnixMs = isoTimeAt(line, start[START_TIME]!, end[START_TIME]!);
    if (Number.isNaN(timeUnixMs)) return reject('START_TIME: not a timestamp');
    const statusCode = number(line, RESPONSE_CODE);
    if (!(statusCode >= 0) || !Number.isInteger(statusCode) || statusCode > 999) return reject('RESPONSE_CODE: not a number');
    const durationMs = number(line, DURATION);
    if (Number.isNaN(durationMs)) return reject('DURATION: not a number');
    const upstreamMs = number(line, UPSTREAM_TIME);
    if (Number.isNaN(upstreamMs)) return reject('X-ENVOY-UPSTREAM-SERVICE-TIME: not a number');
    const bytesSent = number(line, BYTES_SENT);
    const forwardedFor = text(line, FORWARDED_FOR);
    return {
      ok: true,
      call: {
        timeUnixMs,
        method: isDashAt(line, start[METHOD]!, end[METHOD]!) ? OTHER_METHOD : methodAt(line, start[METHOD]!, end[METHOD]!),
        path: pathAt(line, start[PATH]!, end[PATH]!),
        route: null,
        statusCode,
        durationMs: durationMs === ABSENT ? null : durationMs,
        upstreamMs: upstreamMs === ABSENT ? null : upstreamMs,
        // The default format has no upstream cluster; UPSTREAM_HOST is an address, not a service.
        service: null,
        routerName: null,
        consumer: null,
        // The default format has no downstream address: X-Forwarded-For's first entry is the best there is.
        clientAddress: forwardedFor === null ? null : firstForwardedFor(forwardedFor),
        userAgent: text(line, USER_AGENT),
        requestId: text(line, REQUEST_ID),
        bytesSent: bytesSent >= 0 ? bytesSent : null,
      },
    };
  };
  return { name: 'envoy', parseLine };
}

/** One Envoy json_format record with the default format's fields as snake_case keys → a call. */
export function parseEnvoyRecord(value: unknown): ParseResult {
  if (!isObject(value)) return reject('not a JSON object');
  const timeUnixMs = timeOf(value.start_time);
  if (timeUnixMs === undefined) return reject('start_time: missing');
  if (Number.isNaN(timeUnixMs)) return reject('start_time: not a timestamp');
  const statusCode = statusOf(value.response_code);
  if (statusCode === undefined) return reject('response_code: missing');
  if (Number.isNaN(statusCode)) return reject('response_code: not a number');
  const durationMs = durationOf(value.duration, 'ms');
  if (Number.isNaN(durationMs)) return reject('duration: not a number');
  const upstreamMs = durationOf(value.upstream_service_time, 'ms');
  if (Number.isNaN(upstreamMs)) return reject('upstream_service_time: not a number');
  const method = stringAt(value, 'method');
  const target = stringAt(value, 'path');
  const forwardedFor = stringAt(value, 'x_forwarded_for');
  return {
    ok: true,
    call: {
      timeUnixMs,
      method: method === null ? OTHER_METHOD : methodOf(method),
      path: target === null ? '/' : pathOf(target),
      route: null,
      statusCode,
      durationMs,
      upstreamMs,
      service: stringAt(value, 'upstream_cluster'),
      routerName: null,
      consumer: null,
      clientAddress: forwardedFor === null ? null : firstForwardedFor(forwardedFor),
      userAgent: stringAt(value, 'user_agent'),
      requestId: stringAt(value, 'request_id'),
      bytesSent: countOf(value.bytes_sent),
    },
  };
}

/** Envoy json_format access logs. */
export function envoyJsonFormat(): GatewayFormat {
  return { name: 'envoy-json', parseLine: (line) => parseJsonLine(line, parseEnvoyRecord), parseRecord: parseEnvoyRecord };
}
