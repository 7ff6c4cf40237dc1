// `/slos/:id`: one SLO's numbers over its window (attainment, budget in events or minutes, the
// burn rate now), and two charts over the window: the budget left and the burn rate per step.
import { useMemo } from 'react';
import { ApiError } from '../api/client.ts';
import { getSloSeries, getSloStatus } from '../api/slos.ts';
import { MarkedChart } from '../alerts/marked-chart.tsx';
import { formatCount, formatDateTime } from '../lib/format.ts';
import { linkTo } from '../lib/url-state.ts';
import { Link, useRouter } from '../shell/router.tsx';
import { useQuery } from '../shell/use-query.ts';
import { Panel, QueryStatus } from '../ui/panel.tsx';
import { describeIndicator, formatBurn, formatPct, formatRemaining, sloColumns, sloState } from './slo-format.ts';
import { BudgetBar, SloStatusBadge } from './slo-parts.tsx';

export function SloDetailPage({ id }: { id: string }) {
  const { search } = useRouter();
  const status = useQuery(`slo:${id}`, (api, signal) => getSloStatus(api, id, signal).catch((err: unknown) => {
    if (err instanceof ApiError && err.status === 404) return null;
    throw err;
  }), { followWindow: false });
  const series = useQuery(status.data ? `slo-series:${id}` : null, (api, signal) => getSloSeries(api, id, null, signal), { followWindow: false });
  const s = status.data;
  const columns = useMemo(() => (s && series.data ? sloColumns(series.data.points, s.slo.target, s.basis) : null), [s, series.data]);
  if (s === null) {
    return <section className="panel"><h1>SLO {id}</h1><p id="slo-missing">There is no SLO “{id}”. <Link to={linkTo('/slos', search)}>See all SLOs</Link>.</p></section>;
  }
  const state = s ? sloState(s) : 'no-data';
  const budget = s ? (s.basis === 'time' && s.budget.minutes ? { ...s.budget.minutes, unit: 'minutes' } : { ...s.budget.events, unit: 'events' }) : null;
  const stepText = series.data ? ` · per ${series.data.stepMs >= 3_600_000 ? `${series.data.stepMs / 3_600_000} h` : `${series.data.stepMs / 60_000} min`}` : '';

  return (
    <div className="stack">
      <div className="page-head">
        <nav aria-label="Breadcrumb" className="crumbs"><Link to={linkTo('/slos', search)}>SLOs</Link> <span aria-hidden="true">›</span></nav>
        <h1 className="break" id="slo-title">{s ? s.slo.name : id}</h1>
        {s && <p className="muted break">{describeIndicator(s.slo.indicator)} · window {s.slo.window} ({formatDateTime(Date.parse(s.window.from))} → {formatDateTime(Date.parse(s.window.to))}) · {s.origin}</p>}
        {s?.slo.description && <p className="break">{s.slo.description}</p>}
      </div>
      <QueryStatus loading={status.loading} error={status.error} empty={!s} emptyText="" />
      {s && budget && (
        <Panel title="Over the window" id="slo-numbers" actions={<SloStatusBadge state={state} />}>
          <dl className="tiles" id="slo-tiles">
            <div className="tile"><dt>Target</dt><dd id="slo-target">{formatPct(s.slo.target)}</dd></div>
            <div className="tile"><dt>Attained</dt><dd id="slo-attained">{formatPct(s.attainment)}</dd></div>
            <div className="tile"><dt>Budget left</dt><dd id="slo-remaining">{formatRemaining(s.budget.remainingRatio)}</dd></div>
            <div className="tile"><dt>Burn rate (1h)</dt><dd id="slo-burn">{formatBurn(s.burnRate)}</dd></div>
            <div className="tile"><dt>Budget left ({budget.unit})</dt><dd id="slo-budget-events">{formatCount(Math.round(budget.remaining))} / {formatCount(Math.round(budget.total))}</dd></div>
            <div className="tile"><dt>{s.basis === 'time' ? 'Bad minutes' : 'Bad calls'}</dt><dd id="slo-bad">{formatCount(Math.round(s.basis === 'time' ? s.tally.badMinutes ?? 0 : s.tally.badEvents))}</dd></div>
          </dl>
          <div className="pad"><BudgetBar ratio={s.budget.remainingRatio} state={state} /></div>
        </Panel>
      )}
      {s && (
        <div className="grid-2">
          <Panel title={`Error budget remaining${stepText}`} id="slo-budget-chart">
            <QueryStatus loading={series.loading} error={series.error} empty={!series.data} emptyText="" />
            {columns && <MarkedChart data={columns.remaining} series={[{ label: 'budget left', colorVar: '--chart-1' }]} formatValue={formatRemaining}
              threshold={{ value: 0, label: 'budget spent' }} markers={[]} label={`Error budget remaining of ${s.slo.name} over its window`} />}
          </Panel>
          <Panel title={`Burn rate${stepText}`} id="slo-burn-chart">
            <QueryStatus loading={series.loading} error={series.error} empty={!series.data} emptyText="" />
            {columns && <MarkedChart data={columns.burn} series={[{ label: 'burn rate', colorVar: '--chart-2' }]} formatValue={formatBurn}
              threshold={{ value: 1, label: '1× spends the budget exactly over the window' }} markers={[]} label={`Burn rate of ${s.slo.name} per step`} />}
          </Panel>
        </div>
      )}
    </div>
  );
}
