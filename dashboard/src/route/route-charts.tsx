// Latency percentiles and traffic over time for one route (one series request feeds both), with
// the service's deploys in the window marked on both and listed below them.
import { useMemo } from 'react';
import type { RouteFilter } from '../api/client.ts';
import { DeployList, deployMarkers, useDeploys } from '../charts/deploy-markers.tsx';
import { TimeChart, type ChartSeries } from '../charts/time-chart.tsx';
import { formatCount, formatMs } from '../lib/format.ts';
import { latencyColumns, trafficColumns } from '../lib/series.ts';
import { useSearchParams } from '../shell/router.tsx';
import { useQuery } from '../shell/use-query.ts';
import { useTimeWindow } from '../shell/time-window.tsx';
import { Panel, QueryStatus } from '../ui/panel.tsx';

const LATENCY: ChartSeries[] = [
  { label: 'p50', colorVar: '--chart-1' },
  { label: 'p95', colorVar: '--chart-2' },
  { label: 'p99', colorVar: '--chart-3' },
];
const TRAFFIC: ChartSeries[] = [
  { label: 'calls', colorVar: '--chart-calls', bars: true },
  { label: 'errors', colorVar: '--bad', bars: true },
];

export function RouteCharts({ filter }: { filter: RouteFilter }) {
  const tw = useTimeWindow();
  const [, setParams] = useSearchParams();
  // The API picks a step of about 300 points: finer than the chart's pixels are wide apart.
  const series = useQuery(`series:${JSON.stringify(filter)}`, (api, signal) => api.series(tw, filter, null, signal));
  const latency = useMemo(() => latencyColumns(series.data?.points ?? []), [series.data]);
  const traffic = useMemo(() => trafficColumns(series.data?.points ?? []), [series.data]);
  const deploys = useDeploys(filter.service ?? null, tw);
  const markers = useMemo(() => deployMarkers(deploys.data ?? []), [deploys.data]);
  const zoom = (fromMs: number, toMs: number) => setParams({ from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString(), refresh: null });
  const stepText = series.data ? ` · per ${series.data.stepMs / 60_000} min` : '';
  return (
    <>
      <div className="grid-2">
        <Panel title={`Latency${stepText}`} id="latency-chart" actions={<span className="muted small">drag to zoom</span>}>
          <QueryStatus loading={series.loading} error={series.error} empty={!series.data} emptyText="" />
          {series.data && <TimeChart data={latency} series={LATENCY} formatValue={formatMs} onZoom={zoom} markers={markers} label="Latency p50, p95 and p99 over time" />}
        </Panel>
        <Panel title={`Calls and errors${stepText}`} id="traffic-chart" actions={<span className="muted small">drag to zoom</span>}>
          <QueryStatus loading={series.loading} error={series.error} empty={!series.data} emptyText="" />
          {series.data && <TimeChart data={traffic} series={TRAFFIC} formatValue={formatCount} onZoom={zoom} markers={markers} label="Calls and server errors over time" />}
        </Panel>
      </div>
      {deploys.data && deploys.data.length > 0 && (
        <Panel title={`Deploys of ${filter.service ?? ''} in this window`} id="route-deploys" actions={<span className="muted small">dashed lines on the charts</span>}>
          <DeployList deploys={deploys.data} id="route-deploy-list" />
        </Panel>
      )}
    </>
  );
}
