// The control plane's state: alert rules, alert instances and groups, silences, SLOs, report
// schedules, their history and the notification outbox. Small, mutable and transactional, it
// always lives in SQLite on the one control instance, whichever engine holds the telemetry
// (ClickHouse is built for appends, not for a state machine rewritten every 15 seconds).

/** One small JSON document; `kind` names the collection (`alert-rule`, `silence`, `slo` …). */
export interface ControlDocument {
  kind: string;
  id: string;
  /** Owned by the capability that wrote it; the store never looks inside. */
  body: unknown;
  updatedAtMs: number;
}

/** An append-only history entry about one thing (e.g. kind `alert`, key = the alert's fingerprint). */
export interface ControlEvent {
  kind: string;
  key: string;
  atMs: number;
  body: unknown;
}

export type OutboxStatus = 'pending' | 'sent' | 'failed';

/** A message waiting for (or done with) delivery: a notification email, a webhook post, a report. */
export interface OutboxMessage {
  /** Idempotency key: enqueueing the same id twice keeps the first. */
  id: string;
  /** Which notifier delivers it (`email`, `webhook`, `alertmanager` …). */
  channel: string;
  body: unknown;
  createdAtMs: number;
  status: OutboxStatus;
  attempts: number;
  /** When a pending message is next due; ignored once settled. */
  nextAttemptAtMs: number;
  lastError: string | null;
  /** When it was sent or given up on; null while pending. */
  settledAtMs: number | null;
}

/** Everything one decision changes, written in one transaction. */
export interface ControlChange {
  put?: ControlDocument[];
  delete?: Array<{ kind: string; id: string }>;
  events?: ControlEvent[];
  enqueue?: OutboxMessage[];
}

export interface ControlEventQuery {
  kind: string;
  /** One subject's history; all subjects of the kind when left out. */
  key?: string;
  fromMs: number;
  toMs: number;
  limit: number;
}

export interface OutboxQuery {
  status?: OutboxStatus;
  channel?: string;
  limit: number;
}

/** The outcome of one delivery attempt, as the outbox records it. */
export interface OutboxAttempt {
  status: OutboxStatus;
  attempts: number;
  nextAttemptAtMs: number;
  lastError: string | null;
  settledAtMs: number | null;
}

/** Control-plane persistence. Implemented by SQLite only; see the header comment for why. */
export interface ControlStore {
  /** Every document of one kind, by id. */
  documents(kind: string): Promise<ControlDocument[]>;
  document(kind: string, id: string): Promise<ControlDocument | null>;
  /** Applies puts, deletes, history events and new outbox messages atomically. */
  commit(change: ControlChange): Promise<void>;
  /** History entries in [fromMs, toMs), newest first. */
  events(query: ControlEventQuery): Promise<ControlEvent[]>;
  /** Pending messages due at `nowMs`, oldest due first. */
  dueMessages(nowMs: number, limit: number): Promise<OutboxMessage[]>;
  /** Messages newest first, optionally one status or channel. */
  messages(query: OutboxQuery): Promise<OutboxMessage[]>;
  message(id: string): Promise<OutboxMessage | null>;
  /** Records a delivery attempt; false when the message does not exist. */
  recordAttempt(id: string, attempt: OutboxAttempt): Promise<boolean>;
  /** Deletes history and settled messages older than the cutoff; returns rows removed. */
  prune(beforeMs: number): Promise<number>;
  close(): Promise<void>;
}
