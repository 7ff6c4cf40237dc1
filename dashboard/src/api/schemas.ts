// The query API's response shapes (server/query/routes.ts), as runtime guards. The static
// types are inferred from the guards, so what the dashboard believes and what it checks are
// one definition.
import { arrayOf, bool, nullable, num, objectOf, recordOf, str, unknownValue, type Infer } from './guards.ts';

const nullableNum = nullable(num);
const nullableStr = nullable(str);
const windowEcho = { from: str, to: str };

export const serviceRow = objectOf({ service: str, calls: num, rps: num, errorRate: num, p50: nullableNum, p95: nullableNum, p99: nullableNum });
export const routeRow = objectOf({
  service: str, method: str, route: str, calls: num, rps: num, errorRate: num, status4xx: num, status5xx: num,
  p50: nullableNum, p90: nullableNum, p95: nullableNum, p99: nullableNum, max: nullableNum,
});
export const seriesPoint = objectOf({ time: str, calls: num, errors: num, errorRate: num, p50: nullableNum, p75: nullableNum, p90: nullableNum, p95: nullableNum, p99: nullableNum, p999: nullableNum });
export const errorRow = objectOf({ key: nullableStr, calls: num, errors: num, status4xx: num, status5xx: num });
export const apiCall = objectOf({
  id: str, time: str, service: str, method: str, route: str, statusCode: num, durationMs: nullableNum,
  source: str, traceId: nullableStr, spanId: nullableStr, consumer: nullableStr, error: bool,
});
export const traceSummary = objectOf({
  traceId: str, rootService: str, rootName: str, startTimeUnixNano: str, durationMs: num, spanCount: num, errorCount: num, services: arrayOf(str),
});
const attributes = recordOf(unknownValue);
export const waterfallSpan = objectOf({
  traceId: str, spanId: str, parentSpanId: nullableStr, service: str, name: str, kind: num,
  startTimeUnixNano: str, endTimeUnixNano: str, durationMs: num, statusCode: num, statusMessage: str,
  attributes, resource: attributes,
  events: arrayOf(objectOf({ name: str, timeUnixNano: str, attributes })),
  depth: num, offsetMs: num,
});

export const servicesResponse = objectOf({ ...windowEcho, services: arrayOf(serviceRow) });
export const routesResponse = objectOf({ ...windowEcho, routes: arrayOf(routeRow) });
export const seriesResponse = objectOf({ ...windowEcho, stepMs: num, points: arrayOf(seriesPoint) });
export const errorsResponse = objectOf({ ...windowEcho, by: str, rows: arrayOf(errorRow) });
export const callsResponse = objectOf({ ...windowEcho, calls: arrayOf(apiCall) });
export const tracesResponse = objectOf({ ...windowEcho, traces: arrayOf(traceSummary) });
export const traceResponse = objectOf({ traceId: str, startTimeUnixNano: str, durationMs: num, spans: arrayOf(waterfallSpan) });
/** The API's error body: `{ statusCode, code, message }`. */
export const errorBody = objectOf({ statusCode: num, code: str, message: str });

export type ServiceRow = Infer<typeof serviceRow>;
export type RouteRow = Infer<typeof routeRow>;
export type SeriesPoint = Infer<typeof seriesPoint>;
export type ErrorRow = Infer<typeof errorRow>;
export type ApiCall = Infer<typeof apiCall>;
export type TraceSummary = Infer<typeof traceSummary>;
export type WaterfallSpan = Infer<typeof waterfallSpan>;
export type TraceDetail = Infer<typeof traceResponse>;
