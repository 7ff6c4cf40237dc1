// The metric that triggered an alert, around the alert: the error rate or the rule's latency
// percentile of the route/service its labels name, with the threshold line and the moments it
// went pending, fired and resolved marked, and the service's deploys in that window (dashed, and
// listed below). And links to the routes those labels cover.
import { useMemo } from 'react';
import type { Alert, RuleView } from '../api/alerts.ts';
import type { Marker } from '../charts/chart-marks.ts';
import { DeployList, deployMarkers, useDeploys } from '../charts/deploy-markers.tsx';
import { formatMs, formatPercent } from '../lib/format.ts';
import { linkTo, routeLink } from '../lib/url-state.ts';
import { Link, useRouter } from '../shell/router.tsx';
import { useQuery } from '../shell/use-query.ts';
import { Panel, QueryStatus } from '../ui/panel.tsx';
import { formatAlertValue } from './alert-format.ts';
import { MarkedChart } from './marked-chart.tsx';
import { metricOf, seriesColumns } from './alert-metric.ts';

const BEFORE_MS = 60 * 60_000;
const AFTER_MS = 30 * 60_000;


/** The chart window: an hour before the alert became active, to now or a while after it resolved. */
export function alertWindow(a: Pick<Alert, 'activeSince' | 'firingSince' | 'resolvedAt'>, nowMs: number): { fromMs: number; toMs: number } {
  const start = Date.parse(a.activeSince ?? a.firingSince ?? a.resolvedAt ?? '') || nowMs;
  const end = a.resolvedAt ? Math.min(nowMs, Date.parse(a.resolvedAt) + AFTER_MS) : nowMs;
  // Whole minutes, so refreshes ask for the same bins.
  const fromMs = Math.floor((start - BEFORE_MS) / 60_000) * 60_000;
  return { fromMs, toMs: Math.max(fromMs + 2 * 60_000, Math.ceil(end / 60_000) * 60_000) };
}

function markersOf(a: Alert): Marker[] {
  const out: Marker[] = [];
  if (a.activeSince && a.activeSince !== a.firingSince) out.push({ timeMs: Date.parse(a.activeSince), label: 'pending', colorVar: '--warn' });
  if (a.firingSince) out.push({ timeMs: Date.parse(a.firingSince), label: 'firing', colorVar: '--bad' });
  if (a.resolvedAt) out.push({ timeMs: Date.parse(a.resolvedAt), label: 'resolved', colorVar: '--ok' });
  return out;
}

const filterOf = (labels: Record<string, string>) => ({ service: labels['service'] ?? null, method: labels['method'] ?? null, route: labels['route'] ?? null });

export function AlertChart({ alert: a, rule, nowMs, version }: { alert: Alert; rule: RuleView['rule'] | null; nowMs: number; version: number }) {
  const metric = metricOf(a, rule);
  const w = alertWindow(a, nowMs);
  const filter = filterOf(a.labels);
  const subject = metric ? `alert-series:${a.fingerprint}:${w.fromMs}:${w.toMs}:${version}` : null;
  const series = useQuery(subject, (api, signal) => api.series(w, filter, null, signal), { followWindow: false });
  const metricKey = metric === null ? '' : metric.kind === 'latency' ? metric.column : metric.kind;
  // `metricKey` stands for `metric` (a new object each render).
  const data = useMemo(() => (series.data && metric ? seriesColumns(series.data.points, metric) : null), [series.data, metricKey]);
  const deploys = useDeploys(metric ? filter.service : null, w, { subject: `alert:${w.fromMs}:${w.toMs}:${version}`, followWindow: false });
  const markers = useMemo(() => [...markersOf(a), ...deployMarkers(deploys.data ?? [])], [a, deploys.data]);
  if (!metric) {
    return (
      <Panel title="Metric" id="alert-chart-panel">
        <p className="muted">This alert measures {a.unit === 'burn' ? 'an SLO’s error-budget burn rate' : 'a count (failed check runs or calls)'}; see {a.labels['slo'] ? 'the SLO page' : a.labels['check'] ? 'the check page' : 'the links below'} for its history.</p>
      </Panel>
    );
  }
  const title = metric.kind === 'errorRate' ? 'Error rate' : `Latency ${metric.asked}`;
  const threshold = { value: a.threshold, label: `threshold ${formatAlertValue(a.threshold, a.unit)}` };
  return (
    <Panel title={`${title} around the alert`} id="alert-chart-panel" actions={series.data ? <span className="muted small">per {series.data.stepMs / 60_000} min</span> : undefined}>
      <QueryStatus loading={series.loading} error={series.error} empty={!series.data} emptyText="" />
      {data && (
        <MarkedChart id="alert-chart" data={data} series={[{ label: title, colorVar: metric.kind === 'errorRate' ? '--chart-3' : '--chart-2' }]}
          formatValue={metric.kind === 'errorRate' ? formatPercent : formatMs} threshold={threshold} markers={markers}
          label={`${title} of ${[filter.service, filter.method, filter.route].filter(Boolean).join(' ') || 'all calls'}`} />
      )}
      {deploys.data && deploys.data.length > 0 && <DeployList deploys={deploys.data} id="alert-deploy-list" />}
    </Panel>
  );
}

/** Links to the route view for what the labels name; a service-wide alert lists its routes. */
export function RouteLinks({ alert: a, nowMs }: { alert: Alert; nowMs: number }) {
  const { search } = useRouter();
  const { service, method, route } = filterOf(a.labels);
  const exact = service !== null && method !== null && route !== null;
  const w = alertWindow(a, nowMs);
  const subject = !exact && (service !== null || route !== null) ? `alert-routes:${a.fingerprint}:${w.fromMs}` : null;
  const routes = useQuery(subject, (api, signal) => api.routes(w, { service, method, route }, signal), { followWindow: false });
  if (exact) return <p><Link id="alert-route-link" to={routeLink({ service, method, route }, search)}>Open the route view of {method} {route}</Link></p>;
  if (subject === null) return null;
  const rows = (routes.data ?? []).slice().sort((x, y) => y.errorRate - x.errorRate).slice(0, 5);
  return (
    <div id="alert-route-links">
      <p className="muted small">Routes {service ? `of ${service}` : ''} {route ? `matching ${route}` : ''} around the alert, worst error rate first:</p>
      <QueryStatus loading={routes.loading} error={routes.error} empty={rows.length === 0} emptyText="No calls in that window." />
      <ul className="link-list">
        {rows.map((r) => (
          <li key={`${r.service} ${r.method} ${r.route}`}>
            <Link to={routeLink(r, search)}>{r.method} {r.route}</Link> <span className="muted small">{r.service} · {formatPercent(r.errorRate)} errors</span>
          </li>
        ))}
      </ul>
      {service && <p className="small"><Link to={linkTo('/', search)}>Overview</Link></p>}
    </div>
  );
}
