// The two questions on-call asks first: which routes are slowest, which fail most.
import type { RouteRow } from '../api/schemas.ts';
import { formatCount, formatMs, formatPercent } from '../lib/format.ts';
import { worstByErrorRate, worstByP99 } from '../lib/tables.ts';
import { routeLink } from '../lib/url-state.ts';
import { Link, useRouter } from '../shell/router.tsx';
import { MethodBadge } from '../ui/cells.tsx';
import { Panel } from '../ui/panel.tsx';

const TOP = 10;

export function WorstRoutes({ routes }: { routes: RouteRow[] }) {
  const slowest = worstByP99(routes, TOP);
  const failing = worstByErrorRate(routes, TOP);
  return (
    <div className="grid-2">
      <Panel title="Slowest routes (p99)" id="worst-p99">
        <RankTable rows={slowest} empty="No timed calls in this window." value={(r) => formatMs(r.p99)} exact={(r) => String(r.p99)}
          detail={(r) => `p50 ${formatMs(r.p50)} · ${formatCount(r.calls)} calls`} bar={(r) => (r.p99 ?? 0) / (slowest[0]?.p99 ?? 1)} />
      </Panel>
      <Panel title="Most failing routes (5xx rate)" id="worst-errors">
        <RankTable rows={failing} empty="No server errors in this window." value={(r) => formatPercent(r.errorRate)} exact={(r) => String(r.errorRate)}
          detail={(r) => `${formatCount(r.status5xx)} of ${formatCount(r.calls)} calls`} bar={(r) => r.errorRate} bad />
      </Panel>
    </div>
  );
}

function RankTable({ rows, empty, value, exact, detail, bar, bad = false }: {
  rows: RouteRow[]; empty: string; value: (r: RouteRow) => string; exact: (r: RouteRow) => string;
  detail: (r: RouteRow) => string; bar: (r: RouteRow) => number; bad?: boolean;
}) {
  const { search } = useRouter();
  if (rows.length === 0) return <p className="muted">{empty}</p>;
  return (
    <ol className="rank">
      {rows.map((r) => (
        <li key={`${r.service} ${r.method} ${r.route}`}>
          <Link to={routeLink(r, search)} className="rank-link">
            <span className="rank-name"><MethodBadge method={r.method} /> <span className="route-text">{r.route}</span> <span className="muted small">{r.service}</span></span>
            <span className={`rank-value ${bad ? 'bad' : ''}`} title={exact(r)}>{value(r)}</span>
          </Link>
          <span className="rank-bar" aria-hidden="true"><span className={bad ? 'bar bad' : 'bar'} style={{ width: `${Math.max(1, Math.min(100, bar(r) * 100))}%` }} /></span>
          <span className="muted small">{detail(r)}</span>
        </li>
      ))}
    </ol>
  );
}
