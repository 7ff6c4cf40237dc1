// Every route in the window: sortable, filterable, and windowed so 5,000 rows scroll smoothly.
// Sort and filter live in the URL like the rest of the view.
import type { RouteRow } from '../api/schemas.ts';
import { filterRoutes, parseSort, sortRows, type SortDir } from '../lib/tables.ts';
import { routeLink } from '../lib/url-state.ts';
import { Link, useRouter, useSearchParams } from '../shell/router.tsx';
import { CountCell, MethodBadge, MsCell, RateCell, RpsCell } from '../ui/cells.tsx';
import { SortHeader } from '../ui/sort-header.tsx';
import { useVirtualRows } from '../ui/use-virtual-rows.ts';

const COLUMNS = ['route', 'service', 'calls', 'rps', 'errorRate', 'status4xx', 'status5xx', 'p50', 'p95', 'p99', 'max'] as const;
type Column = (typeof COLUMNS)[number];
/** Must match `.virtual tbody tr` height in the stylesheet. */
const ROW_HEIGHT = 34;

export function RoutesTable({ routes }: { routes: RouteRow[] }) {
  const [params, setParams] = useSearchParams();
  const { search } = useRouter();
  const sort = parseSort<Column>(params.get('sort'), params.get('dir'), COLUMNS, 'calls');
  const text = params.get('q') ?? '';
  const service = params.get('service');
  const rows = sortRows(filterRoutes(routes, text, service), sort.key, sort.dir);
  const { ref, onScroll, window: view } = useVirtualRows(rows.length, ROW_HEIGHT);
  const onSort = (key: Column, dir: SortDir) => setParams({ sort: key === 'calls' ? null : key, dir: dir === 'desc' ? null : dir }, { replace: true });
  const header = { sort, onSort };

  return (
    <>
      <div className="toolbar">
        <label htmlFor="route-filter" className="visually-hidden">Filter routes</label>
        <input id="route-filter" type="search" placeholder="Filter by route, method or service" value={text}
          onChange={(e) => setParams({ q: e.target.value }, { replace: true })} />
        {service && (
          <span className="chip">service: {service}
            <button type="button" className="link-button" onClick={() => setParams({ service: null }, { replace: true })} aria-label={`Remove the service filter ${service}`}>×</button>
          </span>
        )}
        <span className="muted small" aria-live="polite" id="routes-count">{rows.length} of {routes.length} routes</span>
      </div>
      <div className="table-wrap virtual" ref={ref} onScroll={onScroll} tabIndex={0} aria-label="Routes table, scrollable">
        <table className="data" id="routes-table" aria-rowcount={rows.length + 1}>
          <thead>
            <tr>
              <SortHeader label="Route" column="route" {...header} />
              <SortHeader label="Service" column="service" {...header} />
              <SortHeader label="Calls" column="calls" numeric {...header} />
              <SortHeader label="Rate" column="rps" numeric {...header} />
              <SortHeader label="Error rate" column="errorRate" numeric {...header} />
              <SortHeader label="4xx" column="status4xx" numeric {...header} />
              <SortHeader label="5xx" column="status5xx" numeric {...header} />
              <SortHeader label="p50" column="p50" numeric {...header} />
              <SortHeader label="p95" column="p95" numeric {...header} />
              <SortHeader label="p99" column="p99" numeric {...header} />
              <SortHeader label="Max" column="max" numeric {...header} />
            </tr>
          </thead>
          <tbody>
            {view.padTop > 0 && <tr className="spacer" aria-hidden="true" style={{ height: view.padTop }}><td colSpan={11} /></tr>}
            {rows.slice(view.start, view.end).map((r, i) => (
              <tr key={`${r.service} ${r.method} ${r.route}`} aria-rowindex={view.start + i + 2}>
                <th scope="row" className="route-cell">
                  <Link to={routeLink(r, search)} title={`${r.method} ${r.route}`}><MethodBadge method={r.method} /> <span className="route-text">{r.route}</span></Link>
                </th>
                <td className="ellipsis">{r.service}</td>
                <CountCell value={r.calls} />
                <RpsCell value={r.rps} />
                <RateCell value={r.errorRate} />
                <CountCell value={r.status4xx} />
                <CountCell value={r.status5xx} />
                <MsCell value={r.p50} />
                <MsCell value={r.p95} />
                <MsCell value={r.p99} />
                <MsCell value={r.max} />
              </tr>
            ))}
            {view.padBottom > 0 && <tr className="spacer" aria-hidden="true" style={{ height: view.padBottom }}><td colSpan={11} /></tr>}
          </tbody>
        </table>
        {rows.length === 0 && <p className="muted pad">No routes match.</p>}
      </div>
    </>
  );
}
