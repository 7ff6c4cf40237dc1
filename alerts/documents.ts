// The alerting state as control-store documents. Everything the evaluator needs to resume
// after a restart is here; nothing lives only in memory.
import type { AlertState } from './state.ts';
import type { GroupState, Labels } from './grouping.ts';
import type { AlertRuleInput } from './rule.ts';
import type { MaintenanceWindow, Silence } from './silences.ts';
import type { NotifiedAlert } from './notification.ts';

/** Document kinds in the control store. */
export const DOC = {
  rule: 'alert-rule',
  instance: 'alert-instance',
  group: 'alert-group',
  silence: 'silence',
  maintenance: 'maintenance-window',
} as const;

/** A rule as stored: as written, with who owns it. */
export interface StoredRule {
  rule: AlertRuleInput;
  /** `code`: from the config file, read-only in the API. */
  origin: 'code' | 'api';
  createdAtMs: number;
  updatedAtMs: number;
}

/** One alert instance (document id: its fingerprint). Inactive instances are not stored. */
export interface InstanceDoc {
  fingerprint: string;
  ruleId: string;
  /** Full label set: alertname, severity, the rule's labels and the instance's dimensions. */
  labels: Labels;
  /** The labels the rule's condition produced (selector and `by` dimensions). */
  dims: Labels;
  state: AlertState;
  summary: string;
  threshold: number;
  unit: NotifiedAlert['unit'];
  acknowledgedAtMs: number | null;
  acknowledgedBy: string | null;
  lastEvaluatedAtMs: number;
}

/** One notification group (document id: rule id + group key). */
export interface GroupDoc {
  ruleId: string;
  key: string;
  labels: Labels;
  state: GroupState;
}

export type StoredSilence = Silence & { createdAtMs: number };
export type StoredMaintenanceWindow = MaintenanceWindow & { comment?: string; createdAtMs: number };
