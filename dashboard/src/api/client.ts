// The typed API client: one method per query endpoint, every answer checked against its
// schema. A 401 calls `onUnauthorized` (the shell shows sign-in); every other failure is an
// ApiError with a message fit for the error banner.
import { ShapeError, type Guard } from './guards.ts';
import {
  callsResponse, errorBody, errorsResponse, routesResponse, seriesResponse, servicesResponse, traceResponse, tracesResponse,
  type ApiCall, type ErrorRow, type RouteRow, type SeriesPoint, type ServiceRow, type TraceDetail, type TraceSummary,
} from './schemas.ts';

export class ApiError extends Error {
  /** `body` is the parsed error answer (e.g. a 400's `diagnostics`), when there was one. */
  constructor(readonly status: number, readonly code: string, message: string, readonly body: unknown = null) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The token is missing, unknown or revoked. */
export class UnauthorizedError extends ApiError {
  constructor(message: string) {
    super(401, 'TELLTALE_ERR_UNAUTHENTICATED', message);
    this.name = 'UnauthorizedError';
  }
}

export interface Window {
  fromMs: number;
  toMs: number;
}

export interface RouteFilter {
  service?: string | null;
  method?: string | null;
  route?: string | null;
  source?: 'trace' | 'gateway' | 'synthetic' | null;
}

export interface CallsQuery extends RouteFilter {
  consumer?: string | null;
  status?: string | null;
  errorsOnly?: boolean;
  minDurationMs?: number | null;
  order?: 'recent' | 'slowest';
  limit?: number;
}

export interface TraceSearch {
  service?: string | null;
  route?: string | null;
  minDurationMs?: number | null;
  hasError?: boolean;
  limit?: number;
}

export interface ApiClient {
  services(w: Window, signal?: AbortSignal): Promise<ServiceRow[]>;
  routes(w: Window, filter: RouteFilter, signal?: AbortSignal): Promise<RouteRow[]>;
  series(w: Window, filter: RouteFilter, stepMs: number | null, signal?: AbortSignal): Promise<{ stepMs: number; points: SeriesPoint[] }>;
  errors(w: Window, filter: RouteFilter, by: 'status' | 'route' | 'consumer', limit: number, signal?: AbortSignal): Promise<ErrorRow[]>;
  calls(w: Window, query: CallsQuery, signal?: AbortSignal): Promise<ApiCall[]>;
  traces(w: Window, query: TraceSearch, signal?: AbortSignal): Promise<TraceSummary[]>;
  trace(traceId: string, signal?: AbortSignal): Promise<TraceDetail>;
  /** Any API call, its answer checked by `guard`; feature clients (api/checks.ts) build on it. */
  request<T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, guard: Guard<T>, options?: { params?: Params; body?: unknown; signal?: AbortSignal }): Promise<T>;
  /** A GET whose answer is a file (a CSV or HTML report): its bytes as a Blob of its content type. */
  download(path: string, params: Params, signal?: AbortSignal): Promise<Blob>;
}

export interface ApiClientOptions {
  token: string;
  /** Origin of the API; empty for the one that served the dashboard. */
  baseUrl?: string;
  fetch?: typeof fetch;
  onUnauthorized?: (error: UnauthorizedError) => void;
}

export type Params = Record<string, string | number | boolean | null | undefined>;

function queryString(params: Params): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === null || value === undefined || value === '' || value === false) continue;
    search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

const windowParams = (w: Window): Params => ({ from: Math.floor(w.fromMs), to: Math.ceil(w.toMs) });
const filterParams = (f: RouteFilter): Params => ({ service: f.service, method: f.method, route: f.route, source: f.source });

export function createApiClient(options: ApiClientOptions): ApiClient {
  const fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
  const base = options.baseUrl ?? '';

  const get = <T>(path: string, params: Params, guard: Guard<T>, signal?: AbortSignal): Promise<T> => send('GET', path, params, undefined, guard, signal);

  async function send<T>(method: string, path: string, params: Params, payload: unknown, guard: Guard<T>, signal?: AbortSignal): Promise<T> {
    const { response, body } = await exchange(method, path, params, payload, signal, false);
    try {
      return guard(body, '');
    } catch (err) {
      if (err instanceof ShapeError) throw new ApiError(response.status, 'TELLTALE_ERR_BAD_RESPONSE', `Unexpected answer from ${path}: ${err.message}`);
      throw err;
    }
  }

  async function exchange(method: string, path: string, params: Params, payload: unknown, signal: AbortSignal | undefined, file: boolean): Promise<{ response: Response; body: unknown; blob: Blob | null }> {
    let response: Response;
    const headers: Record<string, string> = { authorization: `Bearer ${options.token}`, accept: file ? '*/*' : 'application/json' };
    if (payload !== undefined) headers['content-type'] = 'application/json';
    try {
      response = await fetchImpl(`${base}/api/v1${path}${queryString(params)}`, {
        method, headers, signal, ...(payload !== undefined ? { body: JSON.stringify(payload) } : {}),
      });
    } catch (err) {
      // An abort is the caller changing its mind, not a failure to report.
      if (signal?.aborted) throw err;
      throw new ApiError(0, 'TELLTALE_ERR_NETWORK', `Telltale did not answer (${(err as Error).message}). Is it running?`);
    }
    if (file && response.ok) return { response, body: null, blob: await response.blob() };
    const text = await response.text();
    let body: unknown = null;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      if (response.ok) throw new ApiError(response.status, 'TELLTALE_ERR_BAD_RESPONSE', `${path}: the answer is not JSON`);
    }
    if (!response.ok) {
      let code = 'TELLTALE_ERR_HTTP';
      let message = `${path}: HTTP ${response.status}`;
      try {
        const error = errorBody(body, '');
        code = error.code;
        message = error.message;
      } catch { /* a proxy's HTML error page: keep the generic message */ }
      if (response.status === 401) {
        const unauthorized = new UnauthorizedError(message);
        options.onUnauthorized?.(unauthorized);
        throw unauthorized;
      }
      throw new ApiError(response.status, code, message, body);
    }
    return { response, body, blob: null };
  }

  return {
    services: async (w, signal) => (await get('/services', windowParams(w), servicesResponse, signal)).services,
    routes: async (w, filter, signal) => (await get('/routes', { ...windowParams(w), ...filterParams(filter) }, routesResponse, signal)).routes,
    series: async (w, filter, stepMs, signal) => {
      const step = stepMs === null ? undefined : `${Math.round(stepMs / 60_000)}m`;
      const body = await get('/series', { ...windowParams(w), ...filterParams(filter), step }, seriesResponse, signal);
      return { stepMs: body.stepMs, points: body.points };
    },
    errors: async (w, filter, by, limit, signal) => (await get('/errors', { ...windowParams(w), ...filterParams(filter), by, limit }, errorsResponse, signal)).rows,
    calls: async (w, q, signal) => (await get('/calls', {
      ...windowParams(w), ...filterParams(q), consumer: q.consumer, status: q.status, errorsOnly: q.errorsOnly,
      minDurationMs: q.minDurationMs, order: q.order, limit: q.limit,
    }, callsResponse, signal)).calls,
    traces: async (w, q, signal) => (await get('/traces', {
      ...windowParams(w), service: q.service, route: q.route, minDurationMs: q.minDurationMs, hasError: q.hasError, limit: q.limit,
    }, tracesResponse, signal)).traces,
    trace: (traceId, signal) => get(`/traces/${encodeURIComponent(traceId)}`, {}, traceResponse, signal),
    request: (method, path, guard, o = {}) => send(method, path, o.params ?? {}, o.body, guard, o.signal),
    download: async (path, params, signal) => (await exchange('GET', path, params, undefined, signal, true)).blob ?? new Blob([]),
  };
}
