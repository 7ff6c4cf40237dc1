// What the alert history records (ControlStore events of kind `alert`, keyed by fingerprint):
// the API's per-alert history and the SLA report's incident list are both read from it.
import type { Labels } from './grouping.ts';
import type { RuleKind } from './notification.ts';

/** The control-store event kind of alert history. */
export const ALERT_EVENT_KIND = 'alert';

/** One entry in an alert instance's history. */
export interface AlertEvent {
  fingerprint: string;
  ruleId: string;
  ruleName: string;
  kind: RuleKind;
  severity: string;
  labels: Labels;
  /** State changes, and the acts of people and of delivery. */
  event: 'pending' | 'firing' | 'resolved' | 'acknowledged' | 'notified';
  /** The value and one-line summary at the time of the event. */
  value: number | null;
  summary: string;
  /** When the alert began firing (on `firing`, `resolved` and later events). */
  firingSinceMs: number | null;
  runbookId: string | null;
  /** On `notified`: the outbox message ids handed to delivery. */
  messageIds?: string[];
  /** On `acknowledged`: who did it. */
  actor?: string;
}
