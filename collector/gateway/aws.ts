// Amazon API Gateway access logs in JSON. The user's format string picks the keys, so this reads
// the keys AWS's own examples use, nested or flat:
//   requestId, requestTimeEpoch (ms) or requestTime (`26/Nov/2026:10:00:00 +0000`), httpMethod,
//   path, resourcePath (REST) or routeKey (HTTP APIs, `GET /pets/{id}`), status, responseLatency,
//   integrationLatency or integration.latency, responseLength,
//   identity.{sourceIp,userAgent,apiKeyId,user} or flat ip / sourceIp, userAgent, apiKeyId, user.
// The consumer is the API key id when there is one (API keys are how API Gateway tells its
// consumers apart, and their number is bounded by usage plans), else the IAM user.
// AWS writes `-` for values it does not have; those read as absent.
import { reject } from './types.ts';
import type { GatewayFormat, ParseResult } from './types.ts';
import { OTHER_METHOD, methodOf, pathOf } from './scan.ts';
import { countOf, durationOf, isObject, objectAt, parseJsonLine, statusOf, stringAt, stringOf, timeOf } from './json-fields.ts';

function firstString(...values: unknown[]): string | null {
  for (const value of values) {
    const text = stringOf(value);
    if (text !== null) return text;
  }
  return null;
}

function present(...values: unknown[]): unknown {
  return values.find((value) => value !== undefined && value !== null && value !== '' && value !== '-');
}

// `GET /pets/{id}` → `/pets/{id}`; `$default` has no template.
function routeKeyPath(routeKey: string | null): string | null {
  if (routeKey === null) return null;
  const space = routeKey.indexOf(' ');
  return space !== -1 && routeKey.charCodeAt(space + 1) === 0x2f ? routeKey.slice(space + 1) : null;
}

/** One API Gateway access-log record → a call. */
export function parseAwsRecord(value: unknown): ParseResult {
  if (!isObject(value)) return reject('not a JSON object');
  const identity = objectAt(value, 'identity');
  const timeUnixMs = timeOf(present(value.requestTimeEpoch, value.requestTime));
  if (timeUnixMs === undefined) return reject('requestTime: missing');
  if (Number.isNaN(timeUnixMs)) return reject('requestTime: not a timestamp');
  const statusCode = statusOf(value.status);
  if (statusCode === undefined) return reject('status: missing');
  if (Number.isNaN(statusCode)) return reject('status: not a number');
  const routeKey = stringAt(value, 'routeKey');
  const route = stringAt(value, 'resourcePath') ?? routeKeyPath(routeKey);
  const target = stringAt(value, 'path') ?? route;
  if (target === null) return reject('path: missing');
  const durationMs = durationOf(value.responseLatency, 'ms');
  if (Number.isNaN(durationMs)) return reject('responseLatency: not a number');
  const upstreamMs = durationOf(present(value.integrationLatency, objectAt(value, 'integration')?.latency), 'ms');
  if (Number.isNaN(upstreamMs)) return reject('integrationLatency: not a number');
  const method = firstString(value.httpMethod, routeKey !== null && routeKeyPath(routeKey) !== null ? routeKey.slice(0, routeKey.indexOf(' ')) : null);
  return {
    ok: true,
    call: {
      timeUnixMs,
      method: method === null ? OTHER_METHOD : methodOf(method),
      path: pathOf(target),
      route,
      statusCode,
      durationMs,
      upstreamMs,
      service: null,
      routerName: null,
      consumer: firstString(identity?.apiKeyId, value.apiKeyId, identity?.user, value.user),
      clientAddress: firstString(identity?.sourceIp, value.ip, value.sourceIp),
      userAgent: firstString(identity?.userAgent, value.userAgent),
      requestId: stringAt(value, 'requestId'),
      bytesSent: countOf(value.responseLength),
    },
  };
}

/** The API Gateway JSON access-log format. */
export function awsFormat(): GatewayFormat {
  return { name: 'aws', parseLine: (line) => parseJsonLine(line, parseAwsRecord), parseRecord: parseAwsRecord };
}
