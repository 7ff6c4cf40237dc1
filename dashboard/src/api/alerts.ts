// The alerting API (server/alerts/routes.ts) as typed calls on the shared client: alerts with
// their history and deliveries, acknowledgement, silences, maintenance windows and rules.
import type { ApiClient } from './client.ts';
import { arrayOf, bool, nullable, num, objectOf, recordOf, str, type Guard, type Infer } from './guards.ts';

const nullableNum = nullable(num);
const nullableStr = nullable(str);

function optional<T>(guard: Guard<T>): Guard<T | undefined> {
  return (v, p) => (v === undefined ? undefined : guard(v, p));
}

export const delivery = objectOf({
  id: str, channel: str, status: str, attempts: num, lastError: nullableStr, target: str, subject: nullableStr,
  createdAt: str, settledAt: nullableStr, nextAttemptAt: nullableStr,
});
export const historyEntry = objectOf({ at: str, event: str, value: nullableNum, summary: str, by: optional(str), deliveries: optional(arrayOf(delivery)) });
export const alertView = objectOf({
  fingerprint: str, ruleId: str, ruleName: nullableStr, kind: nullableStr, runbookId: nullableStr, state: str, labels: recordOf(str), summary: str, value: nullableNum, threshold: num, unit: str,
  activeSince: nullableStr, firingSince: nullableStr, resolvedAt: nullableStr,
  acknowledged: nullable(objectOf({ at: str, by: str })), silencedBy: arrayOf(str), maintenanceBy: arrayOf(str),
  history: arrayOf(historyEntry),
});
export const matcher = objectOf({ name: str, op: str, value: str });
export const silenceView = objectOf({ id: str, matchers: arrayOf(matcher), startsAt: str, endsAt: str, comment: str, author: str, createdAt: str, state: str });
export const windowView = objectOf({ id: str, cron: str, durationMs: num, matchers: arrayOf(matcher), comment: optional(str), createdAt: str });
/** The rule fields the dashboard shows; the rest of the definition is dropped. */
export const ruleDefinition = objectOf({
  id: str, name: str, kind: str, selector: optional(recordOf(str)), threshold: optional(num), percentile: optional(str),
  window: optional(str), for: optional(str), severity: optional(str), runbook: optional(str),
});
export const ruleView = objectOf({ rule: ruleDefinition, origin: str, readOnly: bool });
const ackResponse = objectOf({ fingerprint: str, acknowledgedAt: str, by: str });

export type Alert = Infer<typeof alertView>;
export type AlertHistoryEntry = Infer<typeof historyEntry>;
export type Delivery = Infer<typeof delivery>;
export type Matcher = Infer<typeof matcher>;
export type Silence = Infer<typeof silenceView>;
export type MaintenanceWindow = Infer<typeof windowView>;
export type RuleView = Infer<typeof ruleView>;
export type AlertState = 'firing' | 'pending' | 'resolved';

export interface NewSilence {
  matchers: Matcher[];
  endsAt: string;
  comment: string;
  author: string;
}

export const listAlerts = async (api: ApiClient, state: AlertState | null, history: number, signal?: AbortSignal) =>
  (await api.request('GET', '/alerts', objectOf({ alerts: arrayOf(alertView) }), { params: { state, history }, signal })).alerts;
export const getAlert = (api: ApiClient, fingerprint: string, signal?: AbortSignal) =>
  api.request('GET', `/alerts/${encodeURIComponent(fingerprint)}`, alertView, { signal });
export const acknowledgeAlert = (api: ApiClient, fingerprint: string, by: string, comment: string) =>
  api.request('POST', `/alerts/${encodeURIComponent(fingerprint)}/ack`, ackResponse, { body: { by, ...(comment ? { comment } : {}) } });

export const listSilences = async (api: ApiClient, signal?: AbortSignal) =>
  (await api.request('GET', '/silences', objectOf({ silences: arrayOf(silenceView) }), { signal })).silences;
export const createSilence = (api: ApiClient, silence: NewSilence) => api.request('POST', '/silences', silenceView, { body: silence });
export const expireSilence = (api: ApiClient, id: string) => api.request('DELETE', `/silences/${encodeURIComponent(id)}`, silenceView);

export const listMaintenanceWindows = async (api: ApiClient, signal?: AbortSignal) =>
  (await api.request('GET', '/maintenance-windows', objectOf({ windows: arrayOf(windowView) }), { signal })).windows;
/** DELETE answers 204 with no body. */
export const deleteMaintenanceWindow = (api: ApiClient, id: string) =>
  api.request('DELETE', `/maintenance-windows/${encodeURIComponent(id)}`, (v: unknown) => v);

export const listRules = async (api: ApiClient, signal?: AbortSignal) =>
  (await api.request('GET', '/alert-rules', objectOf({ rules: arrayOf(ruleView) }), { signal })).rules;
export const getRule = (api: ApiClient, id: string, signal?: AbortSignal) =>
  api.request('GET', `/alert-rules/${encodeURIComponent(id)}`, ruleView, { signal });
