// Gateway access-log lines → ApiCalls: the one path that HTTP push, file tailing, OTLP log
// records and `telltale import` share. Parsing is the gateway parsers'; this assigns the
// id, the service and the route, and keeps the bad lines' reasons for the sender.
import type { ApiCall } from '../store/index.ts';
import type { GatewayCall, GatewayFormat, ParseResult } from './gateway/index.ts';
import type { RouteBook } from './route-book.ts';

/** Who the consumer of a logged request is: what the log names, the client address, or nobody. */
export type ConsumerFrom = 'log' | 'client-address' | 'none';

export interface GatewayContext {
  /** The configured service; otherwise the gateway's own name for it; otherwise `unknown`. */
  service: string | null;
  routes: RouteBook;
  consumerFrom: ConsumerFrom;
  /** When set, calls whose time falls outside [earliestMs, latestMs] are rejected (pushes; not imports, which load the past on purpose). */
  window?: { earliestMs: number; latestMs: number };
}

export interface LineError {
  /** 1-based line number (or array index + 1) in what the sender sent. */
  line: number;
  reason: string;
}

export interface LinesResult {
  calls: ApiCall[];
  rejected: number;
  /** The first few rejected lines with their reason. */
  errors: LineError[];
  /** Of the rejected, how many parsed but fell outside the accepted time window. */
  outOfWindow: number;
}

const MAX_REPORTED_ERRORS = 10;

/** One parsed request as an ApiCall with source `gateway`. */
export function gatewayCallToApiCall(call: GatewayCall, id: string, context: GatewayContext): ApiCall {
  const service = context.service ?? call.service ?? 'unknown';
  const { routes } = context;
  let route: string;
  if (call.route !== null) {
    routes.learnTemplate(service, call.route);
    route = call.route;
  } else {
    route = routes.forPath(service, call.path);
  }
  const consumer = context.consumerFrom === 'log' ? call.consumer : context.consumerFrom === 'client-address' ? call.clientAddress : null;
  return {
    id,
    timeUnixMs: call.timeUnixMs,
    service,
    method: call.method,
    route: routes.admit(service, route),
    statusCode: call.statusCode,
    durationMs: call.durationMs,
    source: 'gateway',
    traceId: null,
    spanId: null,
    consumer,
    // No response at all (Envoy's 0) is the server's failure as much as a 5xx; a 4xx is the client's.
    error: call.statusCode >= 500 || call.statusCode === 0,
  };
}

/**
 * Parses lines (strings) or decoded JSON records; blank lines are skipped, not rejected.
 * `idOf(i)` names the i-th input (0-based), so a re-sent or re-read input gets the same ids.
 */
export function parseGatewayInput(
  inputs: readonly unknown[], format: GatewayFormat, context: GatewayContext, idOf: (index: number) => string, firstLine = 1,
): LinesResult {
  const result: LinesResult = { calls: [], rejected: 0, errors: [], outOfWindow: 0 };
  const reject = (i: number, reason: string) => {
    result.rejected += 1;
    if (result.errors.length < MAX_REPORTED_ERRORS) result.errors.push({ line: firstLine + i, reason });
  };
  for (let i = 0; i < inputs.length; i++) {
    const input = inputs[i];
    let parsed: ParseResult;
    if (typeof input === 'string') {
      if (input.trim() === '') continue;
      parsed = format.parseLine(input);
    } else if (format.parseRecord) {
      parsed = format.parseRecord(input);
    } else {
      parsed = { ok: false, reason: `format ${format.name} takes text lines, not JSON records` };
    }
    if (!parsed.ok) {
      reject(i, parsed.reason);
      continue;
    }
    const call = gatewayCallToApiCall(parsed.call, idOf(i), context);
    const w = context.window;
    if (w && (call.timeUnixMs < w.earliestMs || call.timeUnixMs > w.latestMs)) {
      result.outOfWindow += 1;
      reject(i, `time ${new Date(call.timeUnixMs).toISOString()} is outside the accepted window (${new Date(w.earliestMs).toISOString()} to ${new Date(w.latestMs).toISOString()}); load old logs with telltale import`);
      continue;
    }
    result.calls.push(call);
  }
  return result;
}

/** Splits a text body into lines, tolerating CRLF. */
export function splitLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
}
