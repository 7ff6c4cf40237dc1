// Spans → ApiCalls, following the HTTP semantic conventions (semantic-conventions
// docs/http/http-spans.md). Senders may use the stable names, the older ones, or both; the
// stable name wins when both are present.
import { createHash } from 'node:crypto';
import type { ApiCall, AttributeValue, Attributes, SpanRecord } from '../store/index.ts';
import type { RouteBook } from './route-book.ts';
import { MAX_ROUTE_LENGTH, routeTemplate } from './route-template.ts';

/** How spans become ApiCalls. */
export interface NormalizeOptions {
  /** Attributes naming the caller, e.g. `['enduser.id', 'http.request.header.x-api-key']`; the first present wins. */
  consumerAttributes: string[];
  /** Learns `http.route` templates, names raw paths by them, and caps routes per service. */
  routes?: RouteBook;
}

const SPAN_KIND_SERVER = 2;
const STATUS_CODE_ERROR = 2;
/** Longest consumer kept: it is a grouping dimension, not a payload. */
export const MAX_CONSUMER_LENGTH = 256;

// The methods the semantic conventions know; anything else is `_OTHER`, as they prescribe.
const KNOWN_METHODS = new Set(['CONNECT', 'DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT', 'TRACE', 'QUERY']);
const OTHER_METHOD = '_OTHER';

// Any of these marks a span as describing an HTTP request.
const HTTP_KEYS = [
  'http.request.method', 'http.method', 'http.response.status_code', 'http.status_code', 'http.route',
  'url.path', 'url.full', 'http.target', 'http.url',
];

// `GET /users/{id}`: the span name the conventions prescribe. Linear: one method word, one space, no backtracking.
const NAME_ROUTE = /^[A-Za-z_]{3,10} (\/\S*)$/;

/**
 * Turns spans into ApiCalls: every SERVER span, and every root span of another kind that carries
 * HTTP attributes. A SERVER span without HTTP attributes (gRPC, say) still is a call, method `_OTHER`.
 */
export function spansToApiCalls(spans: readonly SpanRecord[], options: NormalizeOptions): ApiCall[] {
  const calls: ApiCall[] = [];
  for (const span of spans) {
    const http = hasHttpAttributes(span.attributes);
    const isServer = span.kind === SPAN_KIND_SERVER;
    if (!isServer && !(span.parentSpanId === null && http)) continue;
    calls.push(toApiCall(span, http, options));
  }
  return calls;
}

function toApiCall(span: SpanRecord, http: boolean, options: NormalizeOptions): ApiCall {
  const attributes = span.attributes;
  const statusCode = statusCodeOf(attributes);
  // A 4xx is the client's fault, never a server error; with no status code at all the span's
  // own verdict (status ERROR or an `error.type`) is all there is.
  const error = statusCode >= 500 || (statusCode === 0 && (span.statusCode === STATUS_CODE_ERROR || attributes['error.type'] !== undefined));
  const routes = options.routes;
  const route = http ? httpRoute(span, routes) : nonHttpRoute(span.name);
  return {
    id: span.traceId + span.spanId,
    timeUnixMs: nanosToMs(span.startTimeUnixNano),
    service: span.service,
    method: methodOf(attributes),
    route: routes ? routes.admit(span.service, route) : route,
    statusCode,
    durationMs: span.durationMs,
    source: 'trace',
    traceId: span.traceId,
    spanId: span.spanId,
    consumer: consumerOf(attributes, options.consumerAttributes),
    error,
  };
}

function hasHttpAttributes(attributes: Attributes): boolean {
  for (const key of HTTP_KEYS) if (attributes[key] !== undefined) return true;
  return false;
}

/** The HTTP method from `http.request.method` or `http.method`, upper-case; `_OTHER` when absent or unknown. */
export function methodOf(attributes: Attributes): string {
  const raw = stringAttribute(attributes, 'http.request.method') ?? stringAttribute(attributes, 'http.method');
  if (raw === null) return OTHER_METHOD;
  const method = raw.toUpperCase();
  return KNOWN_METHODS.has(method) ? method : OTHER_METHOD;
}

/** The HTTP status from `http.response.status_code` or `http.status_code` (number or 3-digit string); 0 when absent or invalid. */
export function statusCodeOf(attributes: Attributes): number {
  const value = attributes['http.response.status_code'] ?? attributes['http.status_code'];
  const code = typeof value === 'number' ? value : typeof value === 'string' && /^\d{3}$/.test(value.trim()) ? Number(value.trim()) : 0;
  return Number.isInteger(code) && code >= 100 && code <= 599 ? code : 0;
}

function httpRoute(span: SpanRecord, routes: RouteBook | undefined): string {
  return httpRouteOf(span.service, span.attributes, routes) ?? routeFromName(span.name) ?? 'unknown';
}

/** The route named by HTTP attributes (`http.route`, else a templated `url.path` / `http.target` / `url.full`), or null when they name none. */
export function httpRouteOf(service: string, attributes: Attributes, routes: RouteBook | undefined): string | null {
  // `http.route` is a template by definition (the framework's own), so it is kept as sent,
  // and remembered to name this service's raw paths from other sources the same way.
  const given = stringAttribute(attributes, 'http.route');
  if (given !== null) {
    const route = given.length > MAX_ROUTE_LENGTH ? given.slice(0, MAX_ROUTE_LENGTH - 1) + '…' : given;
    routes?.learnTemplate(service, route);
    return route;
  }
  const path = stringAttribute(attributes, 'url.path')
    ?? stringAttribute(attributes, 'http.target')
    ?? pathOfUrl(stringAttribute(attributes, 'url.full') ?? stringAttribute(attributes, 'http.url'));
  if (path !== null) return routes ? routes.forPath(service, path) : routeTemplate(path);
  return null;
}

// gRPC and other non-HTTP server spans are named after their method (`pkg.Service/Method`),
// already low-cardinality; a name that looks like a path is templated to be safe.
function nonHttpRoute(name: string): string {
  const fromName = routeFromName(name);
  if (fromName !== null) return fromName;
  if (name === '') return 'unknown';
  if (name.startsWith('/')) return routeTemplate(name);
  return name.length > MAX_ROUTE_LENGTH ? name.slice(0, MAX_ROUTE_LENGTH - 1) + '…' : name;
}

function routeFromName(name: string): string | null {
  if (name.length > 4 * MAX_ROUTE_LENGTH) return null;
  const match = NAME_ROUTE.exec(name);
  return match?.[1] === undefined ? null : routeTemplate(match[1]);
}

/** The path of an absolute URL (`https://host:8080/a/b?q` → `/a/b?q`), or null when there is none to find. */
function pathOfUrl(url: string | null): string | null {
  if (url === null) return null;
  if (url.startsWith('/')) return url;
  const scheme = url.indexOf('://');
  if (scheme === -1) return null;
  const authorityStart = scheme + 3;
  for (let i = authorityStart; i < url.length; i++) {
    const c = url.charCodeAt(i);
    if (c === 47 /* / */) return url.slice(i);
    if (c === 63 /* ? */ || c === 35 /* # */) return '/';
  }
  return '/';
}

/** Attributes that carry credentials: their values name a consumer but must not be stored. */
const SECRET_ATTRIBUTE = /key|token|secret|auth|password/i;

/** The consumer from the first present attribute of `keys`; credential-like keys give a short digest, never the secret. */
export function consumerOf(attributes: Attributes, keys: readonly string[]): string | null {
  for (const key of keys) {
    const text = consumerText(attributes[key]);
    if (text === null) continue;
    // An API key identifies its holder without being written down: keep a short digest.
    if (SECRET_ATTRIBUTE.test(key)) return `key:${createHash('sha256').update(text).digest('hex').slice(0, 12)}`;
    return text.length > MAX_CONSUMER_LENGTH ? text.slice(0, MAX_CONSUMER_LENGTH) : text;
  }
  return null;
}

// Header attributes are string arrays by convention (`http.request.header.x-api-key: ["k1"]`).
function consumerText(value: AttributeValue | undefined): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return value === '' ? null : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) {
    const parts = value.filter((item) => item !== null && item !== '').map((item) => (typeof item === 'object' ? JSON.stringify(item) : String(item)));
    return parts.length === 0 ? null : parts.join(',');
  }
  return JSON.stringify(value);
}

function stringAttribute(attributes: Attributes, key: string): string | null {
  const value = attributes[key];
  return typeof value === 'string' && value !== '' ? value : null;
}

/** Floor of nanoseconds / 1e6 from an exact decimal string, without BigInt: drop the last six digits. */
export function nanosToMs(nanos: string): number {
  if (!/^\d+$/.test(nanos)) return 0;
  return nanos.length <= 6 ? 0 : Number(nanos.slice(0, -6));
}
