// Small pieces the alert list, the alert page and the overview panel share: badges for state
// and severity, the labels as chips, "since" with the exact time on hover, and mute markers.
import type { Alert } from '../api/alerts.ts';
import { formatDateTime } from '../lib/format.ts';
import { formatAlertValue, formatRelative, severityClass, stateClass, visibleLabels } from './alert-format.ts';

export function StateBadge({ state }: { state: string }) {
  return <span className={`alert-state ${stateClass(state)}`}>{state}</span>;
}

export function SeverityBadge({ severity }: { severity: string | undefined }) {
  if (!severity) return <span className="muted">—</span>;
  return <span className={`alert-severity sev-${severityClass(severity)}`}>{severity}</span>;
}

export function LabelChips({ labels }: { labels: Record<string, string> }) {
  const shown = visibleLabels(labels);
  if (shown.length === 0) return <span className="muted">—</span>;
  return (
    <ul className="label-chips">
      {shown.map(([k, v]) => <li key={k}><span className="label-name">{k}</span>=<span className="label-value">{v}</span></li>)}
    </ul>
  );
}

/** Relative time with the absolute local time on hover (and for screen readers via `title`). */
export function Since({ ms, nowMs }: { ms: number | null; nowMs: number }) {
  if (ms === null) return <span className="muted">—</span>;
  return <time dateTime={new Date(ms).toISOString()} title={formatDateTime(ms)}>{formatRelative(ms, nowMs)}</time>;
}

export function ValueVsThreshold({ alert }: { alert: Pick<Alert, 'value' | 'threshold' | 'unit'> }) {
  return (
    <span className="alert-value" title={`value ${alert.value ?? 'none'}, threshold ${alert.threshold} (${alert.unit})`}>
      <strong>{formatAlertValue(alert.value, alert.unit)}</strong> <span className="muted">/ {formatAlertValue(alert.threshold, alert.unit)}</span>
    </span>
  );
}

/** Acknowledged, silenced, in maintenance: what keeps this alert quiet. */
export function MuteMarkers({ alert }: { alert: Pick<Alert, 'acknowledged' | 'silencedBy' | 'maintenanceBy'> }) {
  const { acknowledged, silencedBy, maintenanceBy } = alert;
  if (!acknowledged && silencedBy.length === 0 && maintenanceBy.length === 0) return null;
  return (
    <span className="mute-markers">
      {acknowledged && <span className="marker ack" title={`Acknowledged by ${acknowledged.by} at ${formatDateTime(Date.parse(acknowledged.at))}`}>acknowledged by {acknowledged.by}</span>}
      {silencedBy.length > 0 && <span className="marker silenced" title={`Silence ${silencedBy.join(', ')}`}>silenced</span>}
      {maintenanceBy.length > 0 && <span className="marker maintenance" title={`Maintenance window ${maintenanceBy.join(', ')}`}>in maintenance</span>}
    </span>
  );
}

