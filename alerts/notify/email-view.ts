// What an alert email says, decided once for both parts: the headline, how bad, since when, the
// runbooks and links. The text and HTML renderers only lay it out. Pure.
import type { Labels } from '../grouping.ts';
import type { Notification, NotifiedAlert, RunbookRef } from '../notification.ts';
import { formatDuration, formatValue, isoUtc, oneLine } from './text.ts';

/** The alert a headline is about: the first firing one, else the first. */
export function leadAlert(n: Notification): NotifiedAlert | undefined {
  return n.alerts.find((a) => a.status === 'firing') ?? n.alerts[0];
}

export function firingCount(n: Notification): number {
  return n.alerts.filter((a) => a.status === 'firing').length;
}

/** `POST /orders` from the method and route labels, or '' when neither is labelled. */
export function whereOf(labels: Labels): string {
  return [labels.method, labels.route].filter((v): v is string => typeof v === 'string' && v !== '').map((v) => oneLine(v, 120)).join(' ');
}

/** The one-line summary of an alert: its `summary` annotation, else the rule's name. */
export function summaryOf(a: NotifiedAlert): string {
  const summary = a.annotations.summary;
  return oneLine(summary !== undefined && summary !== '' ? summary : a.ruleName, 160);
}

/** `checkout: error rate 12.4% > 5% on POST /orders` */
export function headlineOf(n: Notification, a: NotifiedAlert | undefined): string {
  if (!a) return oneLine(n.receiver);
  // Who is in trouble: the service, else the check or SLO, else the rule itself.
  const service = a.labels.service ?? n.groupLabels.service;
  const who = service ? service : a.labels.check ? `check ${a.labels.check}` : a.labels.slo ? `SLO ${a.labels.slo}` : a.ruleName;
  const where = whereOf(a.labels);
  return oneLine(`${who ? `${oneLine(who, 80)}: ` : ''}${summaryOf(a)}${where !== '' ? ` on ${where}` : ''}`, 300);
}

/** How long a resolved alert lasted (or a firing one has lasted, at `atMs`). */
export function lastedMs(a: NotifiedAlert, atMs: number): number {
  return Math.max(0, (a.endsAtMs ?? atMs) - a.startsAtMs);
}

/** The subject line: `[FIRING 2] checkout: error rate 12.4% > 5% on POST /orders`. Header-safe. */
export function alertSubject(n: Notification): string {
  const lead = leadAlert(n);
  const firing = n.alerts.filter((a) => a.status === 'firing');
  const allAcked = firing.length > 0 && firing.every((a) => a.acknowledged);
  const tag = n.status === 'firing' ? `[FIRING ${firing.length}${allAcked ? ', acknowledged' : ''}]` : '[RESOLVED]';
  const lasted = n.status === 'resolved' && lead && n.alerts.length === 1 ? ` (lasted ${formatDuration(lastedMs(lead, n.createdAtMs))})` : '';
  return oneLine(`${tag} ${headlineOf(n, lead)}${lasted}`, 250);
}

/** `12.4%, 2.5× the threshold of 5%` — how bad, in the rule's unit. */
export function severityLine(a: NotifiedAlert): string {
  const value = formatValue(a.value, a.unit);
  const threshold = formatValue(a.threshold, a.unit);
  const ratio = a.threshold > 0 && Number.isFinite(a.value) && a.value > a.threshold ? a.value / a.threshold : null;
  const times = ratio !== null && ratio >= 1.1 ? `, ${Number(ratio.toFixed(1))}× the threshold` : '';
  return a.status === 'firing' ? `${value} against a threshold of ${threshold}${times}` : `last value ${value} (threshold ${threshold})`;
}

/** `2026-11-26T02:41:00Z (firing for 17m)` or, resolved, `02:41 → 03:04 UTC, lasted 23m`. */
export function sinceLine(a: NotifiedAlert, atMs: number): string {
  if (a.status === 'resolved' && a.endsAtMs !== null) {
    return `${isoUtc(a.startsAtMs)} → ${isoUtc(a.endsAtMs)} (lasted ${formatDuration(lastedMs(a, atMs))})`;
  }
  return `${isoUtc(a.startsAtMs)} (firing for ${formatDuration(lastedMs(a, atMs))})`;
}

/** The runbooks of the group's alerts, each once, firing alerts' first. */
export function runbooksOf(n: Notification): RunbookRef[] {
  const seen = new Map<string, RunbookRef>();
  const ordered = [...n.alerts.filter((a) => a.status === 'firing'), ...n.alerts.filter((a) => a.status !== 'firing')];
  for (const a of ordered) if (a.runbook && !seen.has(a.runbook.id)) seen.set(a.runbook.id, a.runbook);
  return [...seen.values()];
}

/** At most this many runbook steps inline: the first screen, not the whole page. */
export const MAX_STEPS = 5;
/** Example traces per alert. */
export const MAX_TRACES = 3;
/** Alerts shown in full; a larger group lists the rest one line each (50 alerts in one email stay readable). */
export const MAX_DETAILED_ALERTS = 20;
/** Contributors per alert. */
export const MAX_CONTRIBUTORS = 5;

/** `service=checkout route=/orders`, sorted, without the names the email already shows. */
export function labelPairs(labels: Labels): Array<[string, string]> {
  return Object.keys(labels).sort().map((k): [string, string] => [k, labels[k] ?? '']);
}

/** `120 errors of 950 calls (12.6%)` */
export function contributorLine(calls: number, errors: number): string {
  const pct = calls > 0 ? ` (${formatValue(errors / calls, 'ratio')})` : '';
  return `${errors} errors of ${calls} calls${pct}`;
}

/** One line about an alert, for the ones past MAX_DETAILED_ALERTS: `FIRING route=/cart: error rate 7% > 5% since …`. */
export function briefLine(a: NotifiedAlert, atMs: number): string {
  const where = whereOf(a.labels);
  return oneLine(`${a.status.toUpperCase()} ${where !== '' ? `${where}: ` : ''}${summaryOf(a)} — ${sinceLine(a, atMs)}`, 400);
}
