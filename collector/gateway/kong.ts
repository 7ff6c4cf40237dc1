// Kong's http-log (and file-log, tcp-log, …) serializer: one JSON object per request; the
// http-log plugin batches them into arrays, which the endpoint splits and hands to parseRecord.
import { reject } from './types.ts';
import type { GatewayFormat, ParseResult } from './types.ts';
import { OTHER_METHOD, methodOf, pathOf } from './scan.ts';
import { durationOf, isObject, countOf, objectAt, parseJsonLine, statusOf, stringAt, timeOf } from './json-fields.ts';

/** One Kong log record → a call. */
export function parseKongRecord(value: unknown): ParseResult {
  if (!isObject(value)) return reject('not a JSON object');
  const request = objectAt(value, 'request');
  const response = objectAt(value, 'response');
  if (request === null) return reject('request: missing');
  const timeUnixMs = timeOf(value.started_at);
  if (timeUnixMs === undefined) return reject('started_at: missing');
  if (Number.isNaN(timeUnixMs)) return reject('started_at: not a timestamp');
  const statusCode = statusOf(response?.status);
  if (statusCode === undefined) return reject('response.status: missing');
  if (Number.isNaN(statusCode)) return reject('response.status: not a number');
  // request.uri is nginx's $request_uri (path and query); url and upstream_uri are fallbacks.
  const target = stringAt(request, 'uri') ?? stringAt(request, 'url') ?? stringAt(value, 'upstream_uri');
  if (target === null) return reject('request.uri: missing');
  const latencies = objectAt(value, 'latencies');
  const durationMs = durationOf(latencies?.request, 'ms');
  const upstreamMs = durationOf(latencies?.proxy, 'ms');
  if (Number.isNaN(durationMs) || Number.isNaN(upstreamMs)) return reject('latencies: not a number');
  const consumer = objectAt(value, 'consumer');
  const requestHeaders = objectAt(request, 'headers');
  const method = stringAt(request, 'method');
  return {
    ok: true,
    call: {
      timeUnixMs,
      method: method === null ? OTHER_METHOD : methodOf(method),
      path: pathOf(target),
      // Kong route paths are prefixes or regexes, not templates: routerName carries the route instead.
      route: null,
      statusCode,
      durationMs,
      upstreamMs,
      service: stringAt(objectAt(value, 'service'), 'name'),
      routerName: stringAt(objectAt(value, 'route'), 'name'),
      consumer: stringAt(consumer, 'username') ?? stringAt(consumer, 'custom_id') ?? stringAt(consumer, 'id'),
      clientAddress: stringAt(value, 'client_ip'),
      userAgent: stringAt(requestHeaders, 'user-agent'),
      // Kong 3.5+ logs its own request id; older setups carry one in a correlation-id header
      // (the correlation-id plugin's default is Kong-Request-ID; the log lower-cases names).
      requestId: stringAt(request, 'id') ?? stringAt(requestHeaders, 'x-request-id') ?? stringAt(requestHeaders, 'kong-request-id')
        ?? stringAt(objectAt(response, 'headers'), 'x-kong-request-id'),
      bytesSent: countOf(response?.size),
    },
  };
}

/** The Kong http-log format. */
export function kongFormat(): GatewayFormat {
  return { name: 'kong', parseLine: (line) => parseJsonLine(line, parseKongRecord), parseRecord: parseKongRecord };
}
