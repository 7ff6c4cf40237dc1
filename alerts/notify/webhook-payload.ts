// The Alertmanager webhook payload (version 4), so any receiver built for Alertmanager (chat
// bridges, incident tools) takes Telltale's notifications unchanged; and the postable alerts a
// real Alertmanager accepts on /api/v2/alerts. Pure.
import type { Labels } from '../grouping.ts';
import type { Notification, NotifiedAlert } from '../notification.ts';

/** Alertmanager's "no end" time: a firing alert's endsAt in the webhook payload. */
export const ZERO_TIME = '0001-01-01T00:00:00Z';

/** One alert of the webhook payload. */
export interface WebhookAlert {
  status: 'firing' | 'resolved';
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  generatorURL: string;
  fingerprint: string;
}

/** The Alertmanager webhook payload, version 4. */
export interface WebhookPayload {
  version: '4';
  groupKey: string;
  truncatedAlerts: number;
  status: 'firing' | 'resolved';
  receiver: string;
  groupLabels: Record<string, string>;
  commonLabels: Record<string, string>;
  commonAnnotations: Record<string, string>;
  externalURL: string;
  alerts: WebhookAlert[];
}

/** One alert as Alertmanager's `POST /api/v2/alerts` takes it (`postableAlert`). */
export interface PostableAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt?: string;
  generatorURL: string;
}

/** RFC 3339 in UTC with milliseconds, as Go's time marshals it. */
export function rfc3339(ms: number): string {
  return new Date(ms).toISOString();
}

function copy(labels: Labels): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(labels).sort()) out[k] = labels[k] ?? '';
  return out;
}

/** The pairs every set shares with the same value (Alertmanager's commonLabels / commonAnnotations). */
export function commonPairs(sets: readonly Labels[]): Record<string, string> {
  const [first, ...rest] = sets;
  if (!first) return {};
  const out: Record<string, string> = {};
  for (const k of Object.keys(first).sort()) {
    const v = first[k];
    if (v !== undefined && rest.every((s) => Object.hasOwn(s, k) && s[k] === v)) out[k] = v;
  }
  return out;
}

function webhookAlert(a: NotifiedAlert): WebhookAlert {
  return {
    status: a.status,
    labels: copy(a.labels),
    annotations: copy(a.annotations),
    startsAt: rfc3339(a.startsAtMs),
    endsAt: a.status === 'resolved' && a.endsAtMs !== null ? rfc3339(a.endsAtMs) : ZERO_TIME,
    generatorURL: a.dashboardUrl,
    fingerprint: a.fingerprint,
  };
}

/**
 * The webhook payload of one notification. `receiver` defaults to the notification's (the rule);
 * past `maxAlerts` alerts are dropped and counted in `truncatedAlerts`, as Alertmanager's
 * `max_alerts` does (0 = no limit).
 */
export function alertmanagerWebhookPayload(n: Notification, receiver?: string, maxAlerts = 0): WebhookPayload {
  const kept = maxAlerts > 0 ? n.alerts.slice(0, maxAlerts) : n.alerts;
  return {
    version: '4',
    groupKey: n.groupKey,
    truncatedAlerts: n.alerts.length - kept.length,
    status: n.status,
    receiver: receiver ?? n.receiver,
    groupLabels: copy(n.groupLabels),
    // Over the alerts sent: Alertmanager truncates before it builds the template data.
    commonLabels: commonPairs(kept.map((a) => a.labels)),
    commonAnnotations: commonPairs(kept.map((a) => a.annotations)),
    externalURL: n.externalUrl,
    alerts: kept.map(webhookAlert),
  };
}

/**
 * The notification's alerts for a real Alertmanager's `POST /api/v2/alerts`. Resolved alerts
 * carry their end; firing ones carry none, so Alertmanager keeps them until its
 * `resolve_timeout` unless they are pushed again (Prometheus re-pushes every evaluation).
 */
export function alertmanagerPostableAlerts(n: Notification): PostableAlert[] {
  return n.alerts.map((a) => {
    const alert: PostableAlert = {
      labels: copy(a.labels),
      annotations: copy(a.annotations),
      startsAt: rfc3339(a.startsAtMs),
      generatorURL: a.dashboardUrl,
    };
    if (a.status === 'resolved' && a.endsAtMs !== null) alert.endsAt = rfc3339(a.endsAtMs);
    return alert;
  });
}
