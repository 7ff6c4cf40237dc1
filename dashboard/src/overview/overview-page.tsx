// The overview: services, the worst routes, and every route, for the window in the URL.
import { useEffect } from 'react';
import { formatDateTime, formatSpan } from '../lib/format.ts';
import { useQuery } from '../shell/use-query.ts';
import { useTimeWindow } from '../shell/time-window.tsx';
import { Panel, QueryStatus } from '../ui/panel.tsx';
import { FiringAlertsPanel } from './firing-alerts-panel.tsx';
import { SlosAtRiskPanel } from './slos-at-risk-panel.tsx';
import { RoutesTable } from './routes-table.tsx';
import { ServicesTable } from './services-table.tsx';
import { WorstRoutes } from './worst-routes.tsx';

/** Performance marks the e2e test reads: data arrived, and the tables it fed were painted. */
export const MARK_DATA = 'telltale:overview-data';
export const MARK_RENDERED = 'telltale:overview-rendered';

export function OverviewPage() {
  const tw = useTimeWindow();
  const services = useQuery('services', async (api, signal) => {
    const rows = await api.services(tw, signal);
    performance.mark(MARK_DATA);
    return rows;
  });
  const routes = useQuery('routes', async (api, signal) => {
    const rows = await api.routes(tw, {}, signal);
    performance.mark(MARK_DATA);
    return rows;
  });

  const ready = services.data !== undefined && routes.data !== undefined;
  useEffect(() => {
    if (!ready) return;
    // After the commit, the next frame, then a task: the browser has painted the tables by then.
    requestAnimationFrame(() => setTimeout(() => performance.mark(MARK_RENDERED), 0));
  }, [ready, routes.data]);

  return (
    <div className="stack">
      <div className="page-head">
        <h1>Overview</h1>
        <p className="muted">{formatSpan(tw.toMs - tw.fromMs)} · {formatDateTime(tw.fromMs)} → {formatDateTime(tw.toMs)}</p>
      </div>
      <Panel title="Services" id="services">
        <QueryStatus loading={services.loading} error={services.error} empty={!services.data?.length} emptyText="No calls in this window. Send traces to /v1/traces or gateway logs to /v1/gateway-logs." />
        {services.data && services.data.length > 0 && <ServicesTable services={services.data} trends={routes.data !== undefined} />}
      </Panel>
      {/* Each panel has its own query: a slow or failing one does not hold up or break the rest. */}
      <div className="grid-2">
        <FiringAlertsPanel />
        <SlosAtRiskPanel />
      </div>
      {routes.data && <WorstRoutes routes={routes.data} />}
      <Panel title="Routes" id="routes">
        <QueryStatus loading={routes.loading} error={routes.error} empty={!routes.data} emptyText="" />
        {routes.data && <RoutesTable routes={routes.data} />}
      </Panel>
    </div>
  );
}
