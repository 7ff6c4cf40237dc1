// Pure helpers for the alert pages: values by unit, relative times, silence matchers from an
// alert's labels, and the links an alert's labels lead to. No DOM, so tests can use them too.
import type { Alert, Matcher } from '../api/alerts.ts';
import { formatCount, formatMs, formatPercent } from '../lib/format.ts';
import { linkTo } from '../lib/url-state.ts';

/** An alert's value (or threshold) as its unit reads: ratio → %, ms, burn ×, count. */
export function formatAlertValue(value: number | null, unit: string): string {
  if (value === null || !Number.isFinite(value)) return '—';
  switch (unit) {
    case 'ratio': return formatPercent(value);
    case 'ms': return formatMs(value);
    case 'burn': return `${value < 10 ? value.toFixed(2) : value.toFixed(1)}×`;
    default: return formatCount(value);
  }
}

/** "just now", "5 min ago", "3 h ago", "2 d ago"; "in 20 min" for the future. */
export function formatRelative(ms: number, nowMs: number): string {
  const delta = nowMs - ms;
  const abs = Math.abs(delta);
  let text: string;
  if (abs < 45_000) return 'just now';
  if (abs < 3_600_000) text = `${Math.round(abs / 60_000)} min`;
  else if (abs < 86_400_000) text = `${Math.round(abs / 3_600_000)} h`;
  else text = `${Math.round(abs / 86_400_000)} d`;
  return delta >= 0 ? `${text} ago` : `in ${text}`;
}

/** When the alert's current episode started: fired, else went pending, else resolved. */
export function alertSinceMs(a: Pick<Alert, 'state' | 'firingSince' | 'activeSince' | 'resolvedAt'>): number | null {
  const text = a.state === 'resolved' ? a.resolvedAt : a.firingSince ?? a.activeSince;
  return text ? Date.parse(text) : null;
}

/** Labels every alert carries that say little in a row (shown elsewhere). */
const HIDDEN_LABELS = new Set(['alertname', 'severity']);

export function visibleLabels(labels: Record<string, string>): Array<[string, string]> {
  return Object.entries(labels).filter(([k]) => !HIDDEN_LABELS.has(k)).sort(([a], [b]) => a.localeCompare(b));
}

/** Matchers that select exactly this alert's labels, as the silence form's starting point. */
export function matchersFromLabels(labels: Record<string, string>): Matcher[] {
  const names = Object.keys(labels).filter((k) => k !== 'severity' && /^[a-zA-Z_][a-zA-Z0-9_]*$/.test(k)).sort((a, b) => (a === 'alertname' ? -1 : b === 'alertname' ? 1 : a.localeCompare(b)));
  return names.map((name) => ({ name, op: '=', value: labels[name] ?? '' }));
}

/** The route view (service/method/route labels) or the check page (check label) for an alert. */
export function labelLinks(labels: Record<string, string>, currentSearch: string): Array<{ label: string; to: string }> {
  const out: Array<{ label: string; to: string }> = [];
  const { service, route, method, check, slo } = labels;
  if (service || route) {
    const text = [method, route].filter(Boolean).join(' ') || 'all routes';
    out.push({ label: `Route view: ${service ? `${service} · ` : ''}${text}`, to: linkTo('/routes', currentSearch, { service, method, route }) });
  }
  if (check) out.push({ label: `Check ${check}`, to: linkTo(`/checks/${encodeURIComponent(check)}`, currentSearch) });
  if (slo) out.push({ label: `SLO ${slo}`, to: linkTo(`/slos/${encodeURIComponent(slo)}`, currentSearch) });
  return out;
}

/** A readable state label and CSS class for badges. */
export function stateClass(state: string): 'firing' | 'pending' | 'resolved' | 'other' {
  return state === 'firing' || state === 'pending' || state === 'resolved' ? state : 'other';
}

export function severityClass(severity: string | undefined): 'page' | 'ticket' | 'other' {
  if (severity === 'page' || severity === 'critical') return 'page';
  if (severity === 'ticket' || severity === 'warning') return 'ticket';
  return 'other';
}
