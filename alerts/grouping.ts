// Alertmanager notification timing for one aggregation group, as a pure decision: the caller
// persists the group and the decision's outcome, so a restart neither re-sends nor forgets.

/** Alert labels: names to values. */
export type Labels = Readonly<Record<string, string>>;

/** One alert as the group sees it. */
export interface GroupAlert {
  fingerprint: string;
  labels: Labels;
  /** Acknowledged on call: still listed when the group changes, never the reason to repeat. */
  acknowledged?: boolean;
}

/** Persisted state of one group (alerts sharing their `group_by` label values). */
export interface GroupState {
  /** Firing and not muted (the caller drops silenced alerts before deciding). */
  firing: GroupAlert[];
  /** Resolved since the last notification and not yet notified as such. */
  resolved: GroupAlert[];
  /** When the group's first alert arrived: group_wait counts from here. */
  createdAtMs: number;
  lastNotifiedAtMs: number | null;
  /** Fingerprints that were firing at the last notification, acknowledged ones included. */
  notifiedFiring: string[];
}

/** Alertmanager route timing. */
export interface GroupTiming {
  groupWaitMs: number;
  groupIntervalMs: number;
  repeatIntervalMs: number;
}

/** Whether to notify now, with what, and when deciding again could change the answer. */
export interface GroupDecision {
  notify: boolean;
  firing: GroupAlert[];
  resolved: GroupAlert[];
  /** Null when nothing will ever be due without new input (an empty or fully acknowledged group). */
  nextCheckAtMs: number | null;
}

/** Decides at `nowMs` whether the group notifies, per group_wait, group_interval and repeat_interval. */
export function decideNotification(group: GroupState, timing: GroupTiming, nowMs: number): GroupDecision {
  const notified = new Set(group.notifiedFiring);
  // Nobody was told about an alert that fired and resolved inside group_wait: saying it resolved would be noise.
  const resolved = group.resolved.filter((a) => notified.has(a.fingerprint));
  const quiet = (nextCheckAtMs: number | null): GroupDecision => ({ notify: false, firing: [], resolved: [], nextCheckAtMs });

  if (group.lastNotifiedAtMs === null) {
    if (group.firing.length === 0) return quiet(null);
    const dueAtMs = group.createdAtMs + timing.groupWaitMs;
    if (nowMs < dueAtMs) return quiet(dueAtMs);
    return { notify: true, firing: [...group.firing], resolved, nextCheckAtMs: nowMs + timing.groupIntervalMs };
  }

  const changed = resolved.length > 0 || group.firing.some((a) => !notified.has(a.fingerprint));
  if (changed) {
    const dueAtMs = group.lastNotifiedAtMs + timing.groupIntervalMs;
    if (nowMs < dueAtMs) return quiet(dueAtMs);
    return { notify: true, firing: [...group.firing], resolved, nextCheckAtMs: nowMs + timing.groupIntervalMs };
  }

  // Unchanged: only a repeat is possible, and acknowledged alerts are not repeated.
  const unacknowledged = group.firing.filter((a) => a.acknowledged !== true);
  if (unacknowledged.length === 0) return quiet(null);
  const dueAtMs = group.lastNotifiedAtMs + timing.repeatIntervalMs;
  if (nowMs < dueAtMs) return quiet(dueAtMs);
  return { notify: true, firing: unacknowledged, resolved: [], nextCheckAtMs: nowMs + timing.repeatIntervalMs };
}

/** The group after a notification was handed to the outbox: resolved alerts leave, so each is sent once. */
export function markNotified(group: GroupState, decision: GroupDecision, nowMs: number): GroupState {
  if (!decision.notify) return group;
  const sent = new Set(decision.resolved.map((a) => a.fingerprint));
  const notified = new Set(group.notifiedFiring);
  return {
    ...group,
    // Sent ones leave so each resolve is told once; unannounced ones leave too, or they would hold
    // a change open forever. Only an announced resolve the decision did not carry stays.
    resolved: group.resolved.filter((a) => !sent.has(a.fingerprint) && notified.has(a.fingerprint)),
    lastNotifiedAtMs: nowMs,
    notifiedFiring: group.firing.map((a) => a.fingerprint),
  };
}

const FNV_OFFSET = 0xcbf29ce484222325n;
const FNV_PRIME = 0x100000001b3n;
const MASK_64 = 0xffffffffffffffffn;
// Prometheus separates names and values with 0xff, a byte UTF-8 never produces.
const SEPARATOR = 0xff;

/** Stable 16-hex-digit FNV-1a hash of the sorted label set (Prometheus' fingerprint scheme). */
export function fingerprint(labels: Labels): string {
  const encoder = new TextEncoder();
  let hash = FNV_OFFSET;
  const add = (byte: number): void => {
    hash = ((hash ^ BigInt(byte)) * FNV_PRIME) & MASK_64;
  };
  for (const name of Object.keys(labels).sort()) {
    for (const b of encoder.encode(name)) add(b);
    add(SEPARATOR);
    for (const b of encoder.encode(labels[name] ?? '')) add(b);
    add(SEPARATOR);
  }
  return hash.toString(16).padStart(16, '0');
}

/** The group an alert belongs to: its `group_by` label values (`...` groups by every label). */
export function groupKey(labels: Labels, groupBy: readonly string[]): string {
  const names = groupBy.includes('...') ? Object.keys(labels) : [...new Set(groupBy)];
  const parts = names.sort().map((n) => `${n}=${JSON.stringify(labels[n] ?? '')}`);
  return `{${parts.join(',')}}`;
}
