// The SLO and SLA report API (server/reports/routes.ts) as typed calls on the shared client.
import type { ApiClient } from './client.ts';
import { arrayOf, bool, nullable, num, objectOf, recordOf, str, unknownValue, type Guard, type Infer } from './guards.ts';

const nullableNum = nullable(num);
const nullableStr = nullable(str);
const nullableBool = nullable(bool);

function optional<T>(guard: Guard<T>): Guard<T | undefined> {
  return (v, p) => (v === undefined ? undefined : guard(v, p));
}

/** The SLO definition fields shown; the indicator is kept as an object and read with care. */
export const sloDefinition = objectOf({
  id: str, name: str, description: optional(str), target: num, window: str, tags: optional(arrayOf(str)), indicator: recordOf(unknownValue),
});
const sloFields = { slo: sloDefinition, origin: str, readOnly: bool };
const budget = objectOf({ total: num, consumed: num, remaining: num });
export const sloStatus = objectOf({
  ...sloFields,
  window: objectOf({ from: str, to: str }),
  basis: str,
  attainment: nullableNum,
  met: nullableBool,
  budget: objectOf({ events: budget, minutes: nullable(budget), consumedRatio: nullableNum, remainingRatio: nullableNum }),
  burnRate: num,
  // Request-based SLOs count events, not minutes: their minutes are null.
  tally: objectOf({ goodEvents: num, badEvents: num, goodMinutes: nullableNum, badMinutes: nullableNum, noDataMinutes: nullableNum, maintenanceMinutes: nullableNum }),
});
const sloStatuses = objectOf({ slos: arrayOf(sloStatus) });
export const sloPoint = objectOf({ from: str, to: str, remainingRatio: nullableNum, attainment: nullableNum, goodEvents: num, badEvents: num, badMinutes: nullableNum });
export const sloSeries = objectOf({ window: objectOf({ from: str, to: str }), stepMs: num, points: arrayOf(sloPoint) });

const latency = objectOf({ p50Ms: nullableNum, p95Ms: nullableNum, p99Ms: nullableNum });
const incident = objectOf({
  fingerprint: str, rule: str, ruleId: str, severity: str, summary: str, labels: recordOf(str), start: str, end: nullableStr, durationMinutes: num,
  runbookId: nullableStr, runbookUrl: nullableStr,
});
export const slaReport = objectOf({
  generatedAt: str, from: str, to: str, timeZone: str, scope: str,
  summary: objectOf({ slos: num, met: num, breached: num, noData: num }),
  slos: arrayOf(objectOf({
    id: str, name: str, indicator: str, basis: str, target: num, attained: nullableNum, met: nullableBool,
    downtimeMinutes: num, maintenanceMinutes: num, noDataMinutes: num, goodEvents: num, badEvents: num,
    budget: objectOf({ unit: str, total: num, consumed: num, remaining: num }), errorBudgetConsumed: nullableNum,
    latency, incidents: arrayOf(incident),
  })),
  checks: arrayOf(objectOf({ id: str, name: str, uptime: nullableNum, downtimeMinutes: num, runs: num, failedRuns: num, latency, incidents: arrayOf(incident) })),
  incidents: arrayOf(incident),
});

export type SloDefinition = Infer<typeof sloDefinition>;
export type SloStatus = Infer<typeof sloStatus>;
export type SloPoint = Infer<typeof sloPoint>;
export type SloSeries = Infer<typeof sloSeries>;
export type SlaReport = Infer<typeof slaReport>;
export type ReportIncident = Infer<typeof incident>;

export interface ReportQuery {
  fromMs: number;
  toMs: number;
  scope: string;
}

const path = (id: string) => `/slos/${encodeURIComponent(id)}`;
const reportParams = (q: ReportQuery) => ({ from: new Date(q.fromMs).toISOString(), to: new Date(q.toMs).toISOString(), scope: q.scope || 'all' });

export const listSlos = async (api: ApiClient, signal?: AbortSignal) =>
  (await api.request('GET', '/slos', objectOf({ slos: arrayOf(objectOf(sloFields)) }), { signal })).slos;
export const getSloStatus = (api: ApiClient, id: string, signal?: AbortSignal) => api.request('GET', path(id), sloStatus, { signal });
export const getSloSeries = (api: ApiClient, id: string, step: string | null, signal?: AbortSignal) =>
  api.request('GET', `${path(id)}/series`, sloSeries, { params: { step }, signal });

/** Every SLO with its numbers (the list answers definitions only: one status request each). */
export async function listSloStatuses(api: ApiClient, signal?: AbortSignal): Promise<SloStatus[]> {
  return (await api.request('GET', '/slo-status', sloStatuses, { signal })).slos;
}

export const getSlaReport = (api: ApiClient, q: ReportQuery, signal?: AbortSignal) =>
  api.request('GET', '/reports/sla', slaReport, { params: { ...reportParams(q), format: 'json' }, signal });
export const downloadSlaReport = (api: ApiClient, q: ReportQuery, format: 'csv' | 'html') =>
  api.download('/reports/sla', { ...reportParams(q), format });
