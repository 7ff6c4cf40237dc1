// One route: its numbers, latency and traffic over time, where its errors come from, and its
// slowest and failed calls with their traces. Everything is in the URL:
// /routes?service=…&method=…&route=…[&source=…][&consumer=…][&failed=4xx][&from=…&to=…]
import type { CallsQuery, RouteFilter } from '../api/client.ts';
import { linkTo } from '../lib/url-state.ts';
import { Link, useRouter, useSearchParams } from '../shell/router.tsx';
import { useQuery } from '../shell/use-query.ts';
import { useTimeWindow } from '../shell/time-window.tsx';
import { MethodBadge } from '../ui/cells.tsx';
import { Panel, QueryStatus } from '../ui/panel.tsx';
import { CallsTable } from './calls-table.tsx';
import { ErrorBreakdown } from './error-breakdown.tsx';
import { RouteCharts } from './route-charts.tsx';
import { RouteSummary } from './route-summary.tsx';

const SOURCES = ['trace', 'gateway', 'synthetic'] as const;
type Source = (typeof SOURCES)[number];
const CALLS_LIMIT = 50;

export function RoutePage() {
  const [params] = useSearchParams();
  const { search } = useRouter();
  const service = params.get('service');
  const method = params.get('method');
  const route = params.get('route');
  if (!service || !method || !route) {
    return (
      <Panel title="Route">
        <p>This link names no route. Pick one on the <Link to={linkTo('/', search)}>overview</Link>.</p>
      </Panel>
    );
  }
  const source = SOURCES.find((s) => s === params.get('source')) ?? null;
  return <RouteView filter={{ service, method, route, source }} />;
}

function RouteView({ filter }: { filter: RouteFilter & { service: string; method: string; route: string; source: Source | null } }) {
  const tw = useTimeWindow();
  const { search } = useRouter();
  const [params, setParams] = useSearchParams();
  const consumer = params.get('consumer');
  const failed = params.get('failed') === '4xx' ? '4xx' : params.get('failed') === '5xx' ? '5xx' : 'errors';
  const key = JSON.stringify(filter);

  const summary = useQuery(`summary:${key}`, async (api, signal) => (await api.routes(tw, filter, signal))[0] ?? null);
  const callsFilter: CallsQuery = { ...filter, consumer, limit: CALLS_LIMIT };
  const slowest = useQuery(`slowest:${key}:${JSON.stringify(consumer)}`, (api, signal) => api.calls(tw, { ...callsFilter, order: 'slowest' }, signal));
  const failedCalls = useQuery(`failed:${key}:${JSON.stringify(consumer)}:${failed}`, (api, signal) => api.calls(tw, {
    ...callsFilter, order: 'recent',
    // "errors" are server errors as the API defines them: 5xx, or no response at all.
    ...(failed === 'errors' ? { errorsOnly: true } : { status: failed }),
  }, signal));

  return (
    <div className="stack">
      <div className="page-head">
        <nav aria-label="Breadcrumb" className="crumbs">
          <Link to={linkTo('/', search)}>Overview</Link> <span aria-hidden="true">›</span>{' '}
          <Link to={linkTo('/', search, { service: filter.service })}>{filter.service}</Link> <span aria-hidden="true">›</span>
        </nav>
        <h1 id="route-title"><MethodBadge method={filter.method} /> <span className="route-text">{filter.route}</span></h1>
        <div className="head-actions">
          <div className="segmented" role="group" aria-label="Source">
            {[null, ...SOURCES].map((s) => (
              <button key={s ?? 'all'} type="button" aria-pressed={filter.source === s} onClick={() => setParams({ source: s }, { replace: true })}>{s ?? 'all sources'}</button>
            ))}
          </div>
          <Link to={linkTo('/traces', search, { service: filter.service, route: filter.route })}>Traces of this route</Link>
        </div>
      </div>
      <Panel title="Summary" id="summary">
        <QueryStatus loading={summary.loading} error={summary.error} empty={summary.data === undefined} emptyText="" />
        {summary.data !== undefined && <RouteSummary row={summary.data} />}
      </Panel>
      <RouteCharts filter={filter} />
      <ErrorBreakdown filter={filter} totalCalls={summary.data?.calls ?? 0} />
      {consumer && (
        <p className="chip-row">
          <span className="chip">consumer: {consumer}
            <button type="button" className="link-button" onClick={() => setParams({ consumer: null }, { replace: true })} aria-label={`Remove the consumer filter ${consumer}`}>×</button>
          </span>
        </p>
      )}
      <div className="grid-2">
        <Panel title="Slowest calls" id="slowest-calls">
          <QueryStatus loading={slowest.loading} error={slowest.error} empty={!slowest.data?.length} emptyText="No calls in this window." />
          {slowest.data && slowest.data.length > 0 && <CallsTable calls={slowest.data} id="slowest-table" />}
        </Panel>
        <Panel title="Failed calls" id="failed-calls" actions={
          <>
            <label htmlFor="failed-kind" className="visually-hidden">Which failures</label>
            <select id="failed-kind" value={failed} onChange={(e) => setParams({ failed: e.target.value === 'errors' ? null : e.target.value }, { replace: true })}>
              <option value="errors">Server errors (5xx, no response)</option>
              <option value="5xx">5xx only</option>
              <option value="4xx">4xx (client errors)</option>
            </select>
          </>
        }>
          <QueryStatus loading={failedCalls.loading} error={failedCalls.error} empty={!failedCalls.data?.length} emptyText="No failed calls in this window." />
          {failedCalls.data && failedCalls.data.length > 0 && <CallsTable calls={failedCalls.data} id="failed-table" />}
        </Panel>
      </div>
    </div>
  );
}
