// Generic JSON lines: the user says where each field lives. Mapping problems are configuration
// errors and are thrown once, when the parser is built; record problems come back as reasons.
import { GatewayFormatError, reject } from './types.ts';
import type { GatewayFormat, JsonMapping, ParseResult } from './types.ts';
import { OTHER_METHOD, methodOf, pathOf } from './scan.ts';
import { durationOf, isObject, parseJsonLine, pathReader, statusOf, stringOf, timeOf } from './json-fields.ts';

const REQUIRED = ['time', 'method', 'path', 'status'] as const;
const OPTIONAL = ['durationMs', 'route', 'service', 'consumer', 'clientAddress', 'requestId'] as const;
const DURATION_UNITS = ['ms', 's', 'us', 'ns'];

type Reader = (record: Record<string, unknown>) => unknown;
const ABSENT_READER: Reader = () => undefined;

function checkMapping(mapping: JsonMapping): void {
  const problems: string[] = [];
  for (const key of REQUIRED) {
    if (typeof mapping[key] !== 'string' || mapping[key].trim() === '') problems.push(`${key} is required`);
  }
  for (const key of OPTIONAL) {
    const path = mapping[key];
    if (path !== undefined && (typeof path !== 'string' || path.trim() === '')) problems.push(`${key} must be a non-empty path`);
  }
  if (mapping.durationUnit !== undefined && !DURATION_UNITS.includes(mapping.durationUnit)) {
    problems.push(`durationUnit must be one of ${DURATION_UNITS.join(', ')}`);
  }
  if (problems.length > 0) throw new GatewayFormatError(`JSON mapping: ${problems.join('; ')}`);
}

/** Builds a parser for JSON lines laid out as `mapping` says; throws GatewayFormatError on a bad mapping. */
export function jsonMappingFormat(mapping: JsonMapping): GatewayFormat {
  checkMapping(mapping);
  const reader = (path: string | undefined): Reader => (path === undefined ? ABSENT_READER : pathReader(path.trim()));
  const time = reader(mapping.time);
  const method = reader(mapping.method);
  const path = reader(mapping.path);
  const status = reader(mapping.status);
  const duration = reader(mapping.durationMs);
  const unit = mapping.durationUnit ?? 'ms';
  const route = reader(mapping.route);
  const service = reader(mapping.service);
  const consumer = reader(mapping.consumer);
  const clientAddress = reader(mapping.clientAddress);
  const requestId = reader(mapping.requestId);

  const parseRecord = (value: unknown): ParseResult => {
    if (!isObject(value)) return reject('not a JSON object');
    const timeUnixMs = timeOf(time(value));
    if (timeUnixMs === undefined) return reject(`${mapping.time}: missing`);
    if (Number.isNaN(timeUnixMs)) return reject(`${mapping.time}: not a timestamp`);
    const statusCode = statusOf(status(value));
    if (statusCode === undefined) return reject(`${mapping.status}: missing`);
    if (Number.isNaN(statusCode)) return reject(`${mapping.status}: not a number`);
    const target = stringOf(path(value));
    if (target === null) return reject(`${mapping.path}: missing`);
    const durationMs = durationOf(duration(value), unit);
    if (Number.isNaN(durationMs)) return reject(`${mapping.durationMs}: not a number`);
    const methodText = stringOf(method(value));
    return {
      ok: true,
      call: {
        timeUnixMs,
        method: methodText === null ? OTHER_METHOD : methodOf(methodText),
        path: pathOf(target),
        route: stringOf(route(value)),
        statusCode,
        durationMs,
        upstreamMs: null,
        service: stringOf(service(value)),
        routerName: null,
        consumer: stringOf(consumer(value)),
        clientAddress: stringOf(clientAddress(value)),
        userAgent: null,
        requestId: stringOf(requestId(value)),
        bytesSent: null,
      },
    };
  };
  return { name: 'json', parseLine: (line) => parseJsonLine(line, parseRecord), parseRecord };
}
