// The incident list of a report: alert history (ControlStore events of kind `alert`) paired into
// firing → resolved stretches per alert fingerprint.
import type { AlertEvent } from '../alerts/history.ts';
import type { Labels } from '../alerts/grouping.ts';
import type { Interval } from './periods.ts';

/** One alert that fired: from its firing to its resolution (null while still firing at the period's end). */
export interface Incident {
  fingerprint: string;
  ruleId: string;
  ruleName: string;
  severity: string;
  summary: string;
  labels: Labels;
  startMs: number;
  endMs: number | null;
  /** To the end, or to the period's end while still firing. */
  durationMs: number;
  runbookId: string | null;
}

/**
 * Pairs `firing` with the next `resolved` of the same fingerprint (events in any order) and keeps
 * the incidents that overlap the period. A `firing` repeated without a resolve in between
 * continues the same incident.
 */
export function pairIncidents(events: ReadonlyArray<{ atMs: number; body: AlertEvent }>, period: Interval): Incident[] {
  const sorted = [...events].sort((a, b) => a.atMs - b.atMs);
  const open = new Map<string, Incident>();
  const done: Incident[] = [];
  for (const { atMs, body } of sorted) {
    if (body.event === 'firing' && !open.has(body.fingerprint)) {
      open.set(body.fingerprint, {
        fingerprint: body.fingerprint, ruleId: body.ruleId, ruleName: body.ruleName, severity: body.severity, summary: body.summary,
        labels: body.labels, startMs: body.firingSinceMs ?? atMs, endMs: null, durationMs: 0, runbookId: body.runbookId,
      });
    } else if (body.event === 'resolved') {
      const incident = open.get(body.fingerprint);
      if (!incident) continue;
      open.delete(body.fingerprint);
      done.push({ ...incident, endMs: atMs });
    }
  }
  return [...done, ...open.values()]
    .filter((i) => i.startMs < period.toMs && (i.endMs ?? Infinity) > period.fromMs)
    .map((i) => ({ ...i, durationMs: (i.endMs ?? period.toMs) - i.startMs }))
    .sort((a, b) => a.startMs - b.startMs || a.fingerprint.localeCompare(b.fingerprint));
}
