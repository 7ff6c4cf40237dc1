// The checks API (server/checks/routes.ts) as typed calls on the shared client: guards for a
// check's view, its detail (uptime and latency per window, last run) and its runs.
import { ApiError, type ApiClient } from './client.ts';
import { arrayOf, bool, nullable, num, objectOf, recordOf, str, unknownValue, type Guard, type Infer } from './guards.ts';

const nullableNum = nullable(num);
const nullableStr = nullable(str);

export const assertionResult = objectOf({ kind: str, target: (v, p) => (v === undefined ? undefined : str(v, p)), expected: str, actual: unknownValue, pass: bool });
export const phases = objectOf({ dnsMs: num, connectMs: num, tlsMs: num, firstByteMs: num, downloadMs: num, totalMs: num });
export const checkRun = objectOf({
  checkId: str, type: str, ok: bool, degraded: bool, startedAtMs: num, durationMs: num, statusCode: nullableNum,
  phases, assertions: arrayOf(assertionResult), error: nullable(objectOf({ code: str, message: str })), traceId: nullableStr, attempts: num,
});
/** A check definition as written: checked as an object here, its fields read with care where shown. */
const definition: Guard<Record<string, unknown>> = recordOf(unknownValue);
const origin: Guard<'code' | 'api'> = (v, p) => (v === 'code' ? 'code' : v === 'api' ? 'api' : (str(v, p), 'api'));
const viewFields = { check: definition, origin, readOnly: bool, createdAt: str, updatedAt: str };
export const checkView = objectOf(viewFields);
const windowStats = objectOf({ runs: num, okRuns: num, uptime: nullableNum, p50: nullableNum, p95: nullableNum, p99: nullableNum });
export const checkDetail = objectOf({ ...viewFields, stats: objectOf({ '24h': windowStats, '7d': windowStats, '30d': windowStats }), lastRun: nullable(checkRun) });
export const checksResponse = objectOf({ checks: arrayOf(checkView) });
export const runsResponse = objectOf({ from: str, to: str, runs: arrayOf(checkRun) });
export const savedResponse = objectOf({ ...viewFields, changed: bool });
const diagnostic = objectOf({ path: str, message: str });

export type CheckRun = Infer<typeof checkRun>;
export type AssertionOutcome = Infer<typeof assertionResult>;
export type CheckView = Infer<typeof checkView>;
export type CheckDetail = Infer<typeof checkDetail>;
export type WindowStats = Infer<typeof windowStats>;
export type Diagnostic = Infer<typeof diagnostic>;

const path = (id: string) => `/checks/${encodeURIComponent(id)}`;

export const listChecks = async (api: ApiClient, signal?: AbortSignal) => (await api.request('GET', '/checks', checksResponse, { signal })).checks;
export const getCheck = (api: ApiClient, id: string, signal?: AbortSignal) => api.request('GET', path(id), checkDetail, { signal });
export const checkRuns = async (api: ApiClient, id: string, q: { fromMs: number; toMs: number; limit: number }, signal?: AbortSignal) =>
  (await api.request('GET', `${path(id)}/runs`, runsResponse, { params: { from: Math.floor(q.fromMs), to: Math.ceil(q.toMs), limit: q.limit }, signal })).runs;
export const runCheck = (api: ApiClient, id: string) => api.request('POST', `${path(id)}/run`, checkRun);
/** PUT creates or replaces; the id is the definition's own. */
export const saveCheck = (api: ApiClient, id: string, check: unknown) => api.request('PUT', path(id), savedResponse, { body: check });

/** The `{path, message}` diagnostics of a 400 from a check save, or null for another failure. */
export function diagnosticsOf(err: unknown): Diagnostic[] | null {
  if (!(err instanceof ApiError) || err.status !== 400) return null;
  try {
    return objectOf({ diagnostics: arrayOf(diagnostic) })(err.body, '').diagnostics;
  } catch {
    return null;
  }
}
/** POST creates, refusing an id already taken (409). */
export const createCheck = (api: ApiClient, check: unknown) => api.request('POST', '/checks', savedResponse, { body: check });

/** A text field of a check definition (`name`, `schedule` …), or `fallback` when it is not one. */
export function checkText(check: Record<string, unknown>, key: string, fallback = ''): string {
  const value = check[key];
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : fallback;
}
