// What a run becomes in the store: its history row, and one ApiCall so that check uptime and
// latency percentiles come from the same exact-mergeable rollups as API traffic.
//
// The ApiCall of a run:
//   id          `check:<checkId>:<startedAtMs>` (the run's own key: a re-sent run is one call)
//   timeUnixMs  startedAtMs
//   service     the check's `service` field, else the target host (URL host name of an http
//               check or of a multistep check's first step, tcp/tls `host`, dns `domain`)
//   method      the request method (multistep: the first step's); `_OTHER` for tcp/tls/dns
//   route       `check/<checkId>`: one route per check, never a URL, and visibly not a path
//   statusCode  the reported attempt's status (multistep: the last step's); 0 without one
//   durationMs  phases.totalMs (the reported attempt, not the retries before it)
//   source      `synthetic`, which is what separates it from real traffic
//   error       !ok: a failed assertion counts against uptime even on a 200
//   traceId     the run's W3C trace id, so a failed run links to the backend trace
// A check's history is then `{ route: 'check/<id>', source: 'synthetic' }` in any aggregate query,
// whatever its service or method were when each run happened.
import type { ApiCall, CheckRunRecord } from '../store/index.ts';
import type { CheckRunResult } from './result-schema.ts';
import type { Check } from './types/index.ts';

export const CHECK_ROUTE_PREFIX = 'check/';

/** The route a check's runs are rolled up under. */
export function checkRoute(checkId: string): string {
  return `${CHECK_ROUTE_PREFIX}${checkId}`;
}

function hostOf(url: string | undefined): string | null {
  if (!url) return null;
  try {
    return new URL(url).hostname.replace(/^\[|\]$/g, '') || null;
  } catch {
    return null;
  }
}

function firstRequest(check: Check): { method?: string; url: string } | null {
  if (check.type === 'http') return check.request;
  if (check.type === 'multistep') return check.steps[0]?.request ?? null;
  return null;
}

/** The service a check's runs are counted under (see the table above). */
export function checkService(check: Check, result?: CheckRunResult): string {
  if (check.service) return check.service;
  if (check.type === 'tcp' || check.type === 'tls') return check.host;
  if (check.type === 'dns') return check.domain;
  // A multistep URL may be a template; the first step's result holds it filled in.
  return hostOf(result?.steps?.[0]?.url) ?? hostOf(firstRequest(check)?.url) ?? 'synthetic';
}

/** One line for the run list: the error code and message, or null when the run passed. */
export function runErrorLine(result: CheckRunResult): string | null {
  return result.error ? `${result.error.code}: ${result.error.message}` : null;
}

/** The ApiCall a run feeds the rollups with. */
export function runToApiCall(check: Check, result: CheckRunResult): ApiCall {
  const request = firstRequest(check);
  return {
    id: `check:${check.id}:${result.startedAtMs}`,
    timeUnixMs: result.startedAtMs,
    service: checkService(check, result),
    method: request ? (request.method ?? 'GET') : '_OTHER',
    route: checkRoute(check.id),
    statusCode: result.statusCode ?? 0,
    durationMs: result.phases.totalMs,
    source: 'synthetic',
    traceId: result.traceId,
    spanId: null,
    consumer: null,
    error: !result.ok,
  };
}

/** The history row of a run. */
export function runToRecord(result: CheckRunResult): CheckRunRecord {
  return {
    checkId: result.checkId,
    startedAtMs: result.startedAtMs,
    ok: result.ok,
    degraded: result.degraded,
    durationMs: result.phases.totalMs,
    statusCode: result.statusCode,
    error: runErrorLine(result),
    traceId: result.traceId,
    result,
  };
}
