// What a notifier is handed: one group's notification, with everything an on-call engineer
// needs to act from the message alone. Built by the evaluator, stored in the outbox as JSON,
// rendered by each notifier (email, webhook). Plain data only: it must survive a restart.
import type { Labels } from './grouping.ts';

/** The rule kinds Telltale evaluates. */
export type RuleKind = 'error_rate' | 'latency' | 'check_failing' | 'slo_burn' | 'no_data';
export const RULE_KINDS: readonly RuleKind[] = ['error_rate', 'latency', 'check_failing', 'slo_burn', 'no_data'];

/** A runbook as a message shows it: title, where it lives, and its first steps inline. */
export interface RunbookRef {
  id: string;
  title: string;
  /** The team to escalate to. */
  owner: string | null;
  /** Absolute link to the rendered runbook in the dashboard. */
  url: string;
  /** The first few steps, as plain-text lines (no markup). */
  firstSteps: string[];
}

/** One point of the metric that triggered the alert. */
export interface MetricPoint {
  timeMs: number;
  /** Null where the window had no data. */
  value: number | null;
}

/** A route, consumer or status that contributes most to the alert. */
export interface Contributor {
  label: string;
  calls: number;
  errors: number;
}

/** A deploy (a service.version change or a POST to the deploys API) shortly before the alert began. */
export interface DeployMarker {
  timeMs: number;
  service: string;
  version: string;
}

/** One alert instance inside a notification. */
export interface NotifiedAlert {
  /** Prometheus-style fingerprint of the labels. */
  fingerprint: string;
  status: 'firing' | 'resolved';
  ruleId: string;
  ruleName: string;
  kind: RuleKind;
  severity: string;
  /** Includes `alertname`, `severity`, the rule's labels and the instance's (service, route …). */
  labels: Labels;
  /** `summary` (one line, e.g. `error rate 12.4% > 5%`), `description`, `runbook_url`. */
  annotations: Labels;
  /** When the alert started firing. */
  startsAtMs: number;
  /** When it resolved; null while firing. */
  endsAtMs: number | null;
  /** The measured value and the threshold it is compared with, in the rule's unit. */
  value: number;
  threshold: number;
  /** `ratio` (shown as %), `ms`, `count` or `burn` (×). */
  unit: 'ratio' | 'ms' | 'count' | 'burn';
  /** The metric around the alert, oldest first, for a sparkline. */
  series: MetricPoint[];
  contributors: Contributor[];
  exampleTraceIds: string[];
  deploys: DeployMarker[];
  runbook: RunbookRef | null;
  /** The dashboard at the right time range, and the page that silences this alert. */
  dashboardUrl: string;
  silenceUrl: string;
  acknowledged: boolean;
}

/** One group's notification: what Alertmanager would send to one receiver. */
export interface Notification {
  /** Idempotency key of the notification (also the outbox message id prefix). */
  id: string;
  /** `firing` when any alert in it fires, else `resolved` (Alertmanager's rule). */
  status: 'firing' | 'resolved';
  /** The rule that owns the group: groups never span rules. */
  receiver: string;
  groupKey: string;
  groupLabels: Labels;
  alerts: NotifiedAlert[];
  /** Telltale's public base URL (TELLTALE_PUBLIC_URL). */
  externalUrl: string;
  createdAtMs: number;
}

/** Where a rule sends its notifications. */
export type NotifyTarget =
  | { type: 'email'; to: string[] }
  | { type: 'webhook'; url: string; /** Extra headers, e.g. Authorization; never logged. */ headers?: Record<string, string> }
  | { type: 'alertmanager'; url: string };
