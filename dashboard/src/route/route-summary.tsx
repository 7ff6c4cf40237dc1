// The route's headline numbers for the window, as tiles.
import type { RouteRow } from '../api/schemas.ts';
import { formatCount, formatMs, formatPercent, formatRps } from '../lib/format.ts';

export function RouteSummary({ row }: { row: RouteRow | null }) {
  const tiles: Array<{ label: string; value: string; exact: string; tone?: string }> = row
    ? [
      { label: 'Calls', value: formatCount(row.calls), exact: String(row.calls) },
      { label: 'Rate', value: formatRps(row.rps), exact: String(row.rps) },
      { label: '5xx rate', value: formatPercent(row.errorRate), exact: String(row.errorRate), tone: row.errorRate >= 0.05 ? 'bad' : row.errorRate >= 0.01 ? 'warn' : '' },
      { label: '4xx', value: formatCount(row.status4xx), exact: String(row.status4xx) },
      { label: '5xx', value: formatCount(row.status5xx), exact: String(row.status5xx), tone: row.status5xx > 0 ? 'bad' : '' },
      { label: 'p50', value: formatMs(row.p50), exact: String(row.p50) },
      { label: 'p95', value: formatMs(row.p95), exact: String(row.p95) },
      { label: 'p99', value: formatMs(row.p99), exact: String(row.p99) },
      { label: 'Max', value: formatMs(row.max), exact: String(row.max) },
    ]
    : [];
  if (!row) return <p className="muted">No calls to this route in the window.</p>;
  return (
    <dl className="tiles" id="route-summary">
      {tiles.map((t) => (
        <div key={t.label} className="tile">
          <dt>{t.label}</dt>
          <dd className={t.tone} title={t.exact}>{t.value}</dd>
        </div>
      ))}
    </dl>
  );
}
