// The shapes every gateway parser shares. A parser never throws on input: bad lines come back as
// values ({ ok: false, reason }) so an endpoint can report them and keep the rest of a batch.

/** One request as a gateway logged it, before Telltale assigns id, service and route template. */
export interface GatewayCall {
  /** Request START, epoch ms (end-time formats have the duration subtracted when they log it). */
  timeUnixMs: number;
  /** Upper-case; `_OTHER` for unknown or garbage methods. */
  method: string;
  /** Raw path without the query string; never empty. */
  path: string;
  /** A route template the gateway itself knows (only AWS `resourcePath` today), else null. */
  route: string | null;
  /** 0 = no response was sent. */
  statusCode: number;
  /** Total request time when the format has it. */
  durationMs: number | null;
  /** Upstream / integration time when the format has it. */
  upstreamMs: number | null;
  /** The gateway's own service name (Kong service.name, Traefik ServiceName, Envoy upstream_cluster). */
  service: string | null;
  /** Traefik RouterName, Kong route.name. */
  routerName: string | null;
  consumer: string | null;
  clientAddress: string | null;
  userAgent: string | null;
  requestId: string | null;
  bytesSent: number | null;
}

/** The outcome of parsing one line or record: a call, or a short reason naming the bad field. */
export type ParseResult = { ok: true; call: GatewayCall } | { ok: false; reason: string };

/** A parser for one access-log format. */
export interface GatewayFormat {
  name: string;
  /** Parses one log line (for JSON formats: one JSON object as text). */
  parseLine(line: string): ParseResult;
  /** JSON formats: parses an already-decoded value (an element of a pushed JSON array). */
  parseRecord?(value: unknown): ParseResult;
}

/** The built-in formats `gatewayFormat` knows. */
export type FormatName = 'nginx' | 'nginx-timed' | 'envoy' | 'envoy-json' | 'kong' | 'traefik' | 'aws' | 'json';

/**
 * Where the `json` format finds each field: dotted paths into the object (`request.method`); a key
 * that itself contains dots (`"http.method"`) is matched whole first.
 */
export interface JsonMapping {
  /** Epoch seconds, milliseconds, microseconds or nanoseconds (told apart by magnitude), or ISO-8601. */
  time: string;
  method: string;
  path: string;
  status: string;
  durationMs?: string;
  /** The unit of the `durationMs` field's values; default `ms`. */
  durationUnit?: 'ms' | 's' | 'us' | 'ns';
  route?: string;
  service?: string;
  consumer?: string;
  clientAddress?: string;
  requestId?: string;
}

/** Thrown only while building a parser from bad configuration (a log_format, a mapping), never while parsing. */
export class GatewayFormatError extends Error {
  override name = 'GatewayFormatError';
}

/** In UTF-16 code units. Longer lines are refused before any scanning, so no line costs unbounded work. */
export const MAX_LINE_LENGTH = 64 * 1024;

/** The rejection for a line over MAX_LINE_LENGTH (shared: it is frozen). */
export const LINE_TOO_LONG: ParseResult = Object.freeze({ ok: false, reason: 'line too long' });

/** A rejection; reasons are short and start with the field they are about. */
export function reject(reason: string): ParseResult {
  return { ok: false, reason };
}
