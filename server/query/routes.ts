// The query API (read scope): validate, call a verb, answer. TypeBox schemas here validate
// requests, serialize responses and produce the OpenAPI document.
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { CALL_SOURCES, type CallFilter, type Store, type TimeRange } from '../../store/index.ts';
import { TelltaleError } from '../errors.ts';
import { parseDuration, parseTime } from './time.ts';
import { MAX_SERIES_POINTS, autoStepMs, errorBreakdown, listServices, recentCalls, routeTable, series, traceDetail } from './verbs.ts';

const Num = Type.Number();
const NullableNum = Type.Union([Type.Number(), Type.Null()]);
const TimeParam = Type.String({ description: 'ISO-8601, epoch milliseconds, or relative: `now`, `now-15m`, `now-7d`.' });

const WindowQuery = {
  from: Type.Optional({ ...TimeParam, default: 'now-1h' }),
  to: Type.Optional({ ...TimeParam, default: 'now' }),
};
const FilterQuery = {
  service: Type.Optional(Type.String({ maxLength: 256 })),
  route: Type.Optional(Type.String({ maxLength: 1024 })),
  method: Type.Optional(Type.String({ maxLength: 32 })),
  source: Type.Optional(Type.Union(CALL_SOURCES.map((s) => Type.Literal(s)))),
};
const WindowEcho = { from: Type.String({ format: 'date-time' }), to: Type.String({ format: 'date-time' }) };
const ErrorBody = Type.Object({ statusCode: Num, code: Type.String(), message: Type.String() });

const ServiceRow = Type.Object({ service: Type.String(), calls: Num, rps: Num, errorRate: Num, p50: NullableNum, p95: NullableNum, p99: NullableNum });
const RouteRow = Type.Object({
  service: Type.String(), method: Type.String(), route: Type.String(), calls: Num, rps: Num, errorRate: Num,
  status4xx: Num, status5xx: Num, p50: NullableNum, p90: NullableNum, p95: NullableNum, p99: NullableNum, max: NullableNum,
});
const SeriesPoint = Type.Object({
  time: Type.String({ format: 'date-time' }), calls: Num, errors: Num, errorRate: Num,
  p50: NullableNum, p75: NullableNum, p90: NullableNum, p95: NullableNum, p99: NullableNum, p999: Type.Union([Num, Type.Null()], { description: 'p99.9' }),
});
const ErrorRow = Type.Object({ key: Type.Union([Type.String(), Type.Null()]), calls: Num, errors: Num, status4xx: Num, status5xx: Num });
const ApiCall = Type.Object({
  id: Type.String(), time: Type.String({ format: 'date-time' }), service: Type.String(), method: Type.String(), route: Type.String(),
  statusCode: Num, durationMs: NullableNum, source: Type.String(), traceId: Type.Union([Type.String(), Type.Null()]),
  spanId: Type.Union([Type.String(), Type.Null()]), consumer: Type.Union([Type.String(), Type.Null()]), error: Type.Boolean(),
});
const TraceSummary = Type.Object({
  traceId: Type.String(), rootService: Type.String(), rootName: Type.String(), startTimeUnixNano: Type.String(),
  durationMs: Num, spanCount: Num, errorCount: Num, services: Type.Array(Type.String()),
});
const Attrs = Type.Record(Type.String(), Type.Unknown());
const WaterfallSpan = Type.Object({
  traceId: Type.String(), spanId: Type.String(), parentSpanId: Type.Union([Type.String(), Type.Null()]), service: Type.String(),
  name: Type.String(), kind: Num, startTimeUnixNano: Type.String(), endTimeUnixNano: Type.String(), durationMs: Num,
  statusCode: Num, statusMessage: Type.String(), attributes: Attrs, resource: Attrs,
  events: Type.Array(Type.Object({ name: Type.String(), timeUnixNano: Type.String(), attributes: Attrs })),
  depth: Num, offsetMs: Num,
});

const iso = (ms: number) => new Date(ms).toISOString();

export interface QueryRoutesOptions {
  store: Store;
  now: () => number;
}

export const queryRoutes: FastifyPluginAsyncTypebox<QueryRoutesOptions> = async (app, { store, now }) => {
  const window = (q: { from?: string; to?: string }): TimeRange => {
    const nowMs = now();
    const fromMs = parseTime(q.from ?? 'now-1h', nowMs);
    const toMs = parseTime(q.to ?? 'now', nowMs);
    if (fromMs === null) throw new TelltaleError('TELLTALE_ERR_BAD_TIME_RANGE', `from: cannot read "${q.from}" as a time`);
    if (toMs === null) throw new TelltaleError('TELLTALE_ERR_BAD_TIME_RANGE', `to: cannot read "${q.to}" as a time`);
    if (toMs <= fromMs) throw new TelltaleError('TELLTALE_ERR_BAD_TIME_RANGE', 'from must be before to');
    return { fromMs, toMs };
  };
  const filterOf = (q: CallFilter): CallFilter => ({ service: q.service, route: q.route, method: q.method?.toUpperCase(), source: q.source });
  const read = { scope: 'read' as const };
  const errors = { 400: ErrorBody };

  app.get('/services', {
    config: read,
    schema: { tags: ['query'], summary: 'Services with calls, error rate and latency percentiles', querystring: Type.Object(WindowQuery), response: { 200: Type.Object({ ...WindowEcho, services: Type.Array(ServiceRow) }), ...errors } },
  }, async (request) => {
    const range = window(request.query);
    return { from: iso(range.fromMs), to: iso(range.toMs), services: await listServices(store, range) };
  });

  app.get('/routes', {
    config: read,
    schema: { tags: ['query'], summary: 'Per route: calls, rps, error rate, 4xx/5xx, p50/p90/p95/p99/max', querystring: Type.Object({ ...WindowQuery, ...FilterQuery }), response: { 200: Type.Object({ ...WindowEcho, routes: Type.Array(RouteRow) }), ...errors } },
  }, async (request) => {
    const range = window(request.query);
    return { from: iso(range.fromMs), to: iso(range.toMs), routes: await routeTable(store, range, filterOf(request.query)) };
  });

  app.get('/series', {
    config: read,
    schema: {
      tags: ['query'], summary: 'Time series of calls, error rate and p50/p75/p90/p95/p99/p99.9',
      querystring: Type.Object({ ...WindowQuery, ...FilterQuery, step: Type.Optional(Type.String({ description: 'Bucket width, whole minutes: `1m`, `5m`, `1h`. Default: about 300 points.' })) }),
      response: { 200: Type.Object({ ...WindowEcho, stepMs: Num, points: Type.Array(SeriesPoint) }), ...errors },
    },
  }, async (request) => {
    const range = window(request.query);
    const stepMs = request.query.step ? parseDuration(request.query.step) : autoStepMs(range);
    if (stepMs === null || stepMs < 60_000 || stepMs % 60_000 !== 0) throw new TelltaleError('TELLTALE_ERR_BAD_REQUEST', 'step must be a whole number of minutes, e.g. 1m, 5m, 1h');
    if ((range.toMs - range.fromMs) / stepMs > MAX_SERIES_POINTS) throw new TelltaleError('TELLTALE_ERR_BAD_REQUEST', `step too small: at most ${MAX_SERIES_POINTS} points per series`);
    const points = await series(store, range, filterOf(request.query), stepMs);
    return { from: iso(range.fromMs), to: iso(range.toMs), stepMs, points: points.map(({ timeUnixMs, ...p }) => ({ time: iso(timeUnixMs), ...p })) };
  });

  app.get('/errors', {
    config: read,
    schema: {
      tags: ['query'], summary: 'Error breakdown by status code, route or consumer',
      querystring: Type.Object({ ...WindowQuery, ...FilterQuery, by: Type.Optional(Type.Union([Type.Literal('status'), Type.Literal('route'), Type.Literal('consumer')], { default: 'status' })), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 50 })) }),
      response: { 200: Type.Object({ ...WindowEcho, by: Type.String(), rows: Type.Array(ErrorRow) }), ...errors },
    },
  }, async (request) => {
    const range = window(request.query);
    const by = request.query.by ?? 'status';
    return { from: iso(range.fromMs), to: iso(range.toMs), by, rows: await errorBreakdown(store, range, filterOf(request.query), by, request.query.limit ?? 50) };
  });

  const CallsQuery = Type.Object({
    ...WindowQuery, ...FilterQuery,
    consumer: Type.Optional(Type.String({ maxLength: 512 })),
    status: Type.Optional(Type.String({ pattern: '^([1-5]xx|\\d{1,3})$', description: 'A status code (`503`) or class (`5xx`).' })),
    errorsOnly: Type.Optional(Type.Boolean()),
    minDurationMs: Type.Optional(Type.Number({ minimum: 0 })),
    order: Type.Optional(Type.Union([Type.Literal('recent'), Type.Literal('slowest')], { default: 'recent' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
  });
  app.get('/calls', {
    config: read,
    schema: { tags: ['query'], summary: 'Recent or slowest matching API calls, with trace ids', querystring: CallsQuery, response: { 200: Type.Object({ ...WindowEcho, calls: Type.Array(ApiCall) }), ...errors } },
  }, async (request) => {
    const q: Static<typeof CallsQuery> = request.query;
    const range = window(q);
    const status = q.status === undefined ? undefined : /xx$/.test(q.status) ? (q.status as `${1 | 2 | 3 | 4 | 5}xx`) : Number(q.status);
    const calls = await recentCalls(store, {
      ...range, filter: { ...filterOf(q), consumer: q.consumer }, status, errorsOnly: q.errorsOnly,
      minDurationMs: q.minDurationMs, order: q.order ?? 'recent', limit: q.limit ?? 100,
    });
    return { from: iso(range.fromMs), to: iso(range.toMs), calls: calls.map(({ timeUnixMs, ...c }) => ({ time: iso(timeUnixMs), ...c })) };
  });

  app.get('/traces', {
    config: read,
    schema: {
      tags: ['query'], summary: 'Search traces by service, route, duration and error',
      querystring: Type.Object({ ...WindowQuery, service: FilterQuery.service, route: FilterQuery.route, minDurationMs: Type.Optional(Type.Number({ minimum: 0 })), hasError: Type.Optional(Type.Boolean()), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 50 })) }),
      response: { 200: Type.Object({ ...WindowEcho, traces: Type.Array(TraceSummary) }), ...errors },
    },
  }, async (request) => {
    const q = request.query;
    const range = window(q);
    const traces = await store.searchTraces({ ...range, service: q.service, route: q.route, minDurationMs: q.minDurationMs, hasError: q.hasError, limit: q.limit ?? 50 });
    return { from: iso(range.fromMs), to: iso(range.toMs), traces };
  });

  app.get('/traces/:traceId', {
    config: read,
    schema: {
      tags: ['query'], summary: "One trace's spans in waterfall order with depth and offset",
      params: Type.Object({ traceId: Type.String({ pattern: '^[0-9a-fA-F]{32}$' }) }),
      response: { 200: Type.Object({ traceId: Type.String(), startTimeUnixNano: Type.String(), durationMs: Num, spans: Type.Array(WaterfallSpan) }), 404: ErrorBody, ...errors },
    },
  }, async (request) => {
    const trace = await traceDetail(store, request.params.traceId);
    if (!trace) throw new TelltaleError('TELLTALE_ERR_NOT_FOUND', `no trace ${request.params.traceId}`);
    return trace;
  });
};
