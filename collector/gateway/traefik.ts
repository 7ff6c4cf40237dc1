// Traefik's JSON access log (accessLog.format=json). Durations are nanoseconds; header fields
// (`request_User-Agent`) appear only when the user keeps them via accessLog.fields.headers.
import { reject } from './types.ts';
import type { GatewayFormat, ParseResult } from './types.ts';
import { OTHER_METHOD, methodOf, pathOf } from './scan.ts';
import { durationOf, isObject, countOf, parseJsonLine, statusOf, stringAt, timeOf } from './json-fields.ts';

// `shop@docker` → `shop`: the provider suffix says where Traefik found the service, not what it is.
function withoutProvider(name: string | null): string | null {
  if (name === null) return null;
  const at = name.lastIndexOf('@');
  return at > 0 ? name.slice(0, at) : name;
}

/** One Traefik access-log record → a call. */
export function parseTraefikRecord(value: unknown): ParseResult {
  if (!isObject(value)) return reject('not a JSON object');
  const timeUnixMs = timeOf(value.StartUTC ?? value.StartLocal);
  if (timeUnixMs === undefined) return reject('StartUTC: missing');
  if (Number.isNaN(timeUnixMs)) return reject('StartUTC: not a timestamp');
  // DownstreamStatus is what the client got (middlewares may change it); OriginStatus is the fallback.
  const statusCode = statusOf(value.DownstreamStatus) ?? statusOf(value.OriginStatus);
  if (statusCode === undefined) return reject('DownstreamStatus: missing');
  if (Number.isNaN(statusCode)) return reject('DownstreamStatus: not a number');
  const target = stringAt(value, 'RequestPath');
  if (target === null) return reject('RequestPath: missing');
  const durationMs = durationOf(value.Duration, 'ns');
  if (Number.isNaN(durationMs)) return reject('Duration: not a number');
  // OriginStatus 0 with no OriginDuration: Traefik answered itself (a middleware, a redirect).
  const originDuration = durationOf(value.OriginDuration, 'ns');
  if (Number.isNaN(originDuration)) return reject('OriginDuration: not a number');
  const upstreamMs = originDuration === 0 && statusOf(value.OriginStatus) === 0 ? null : originDuration;
  const method = stringAt(value, 'RequestMethod');
  return {
    ok: true,
    call: {
      timeUnixMs,
      method: method === null ? OTHER_METHOD : methodOf(method),
      path: pathOf(target),
      // RouterName names a router (rule + middlewares), not a path template.
      route: null,
      statusCode,
      durationMs,
      upstreamMs,
      service: withoutProvider(stringAt(value, 'ServiceName')),
      routerName: stringAt(value, 'RouterName'),
      consumer: null,
      clientAddress: stringAt(value, 'ClientHost'),
      userAgent: stringAt(value, 'request_User-Agent'),
      requestId: stringAt(value, 'request_X-Request-Id'),
      bytesSent: countOf(value.DownstreamContentSize),
    },
  };
}

/** The Traefik JSON access-log format. */
export function traefikFormat(): GatewayFormat {
  return { name: 'traefik', parseLine: (line) => parseJsonLine(line, parseTraefikRecord), parseRecord: parseTraefikRecord };
}
