// `/slos`: every SLO with its target, attainment over its window, the error budget left (a
// bar), the burn rate of the last hour and its status: met, at risk or breached.
import { listSloStatuses } from '../api/slos.ts';
import { linkTo } from '../lib/url-state.ts';
import { Link, useRouter } from '../shell/router.tsx';
import { useQuery } from '../shell/use-query.ts';
import { Panel, QueryStatus } from '../ui/panel.tsx';
import { AT_RISK_BURN, AT_RISK_REMAINING, describeIndicator, formatBurn, formatPct, sloState } from './slo-format.ts';
import { BudgetBar, SloStatusBadge } from './slo-parts.tsx';

export function SloList() {
  const { search } = useRouter();
  // Each SLO has its own window (7d, 30d, the month): the time picker does not apply.
  const slos = useQuery('slo-statuses', (api, signal) => listSloStatuses(api, signal), { followWindow: false });
  const data = slos.data;
  return (
    <div className="stack">
      <div className="page-head">
        <h1>SLOs</h1>
        <p className="muted">
          Service level objectives over their own windows. At risk: less than {AT_RISK_REMAINING * 100}% of the error budget left, or the last hour burning it {AT_RISK_BURN}× faster than the window allows.
        </p>
        <div className="head-actions"><Link className="button-link" to={linkTo('/reports', search)}>SLA report</Link></div>
      </div>
      <Panel title="All SLOs" id="slos">
        <QueryStatus loading={slos.loading} error={slos.error} empty={!data || data.length === 0} emptyText="No SLOs yet: define them under slos: in telltale.yaml or with POST /api/v1/slos." />
        {data && data.length > 0 && (
          <div className="table-wrap">
            <table className="data" id="slos-table">
              <thead>
                <tr>
                  <th scope="col">SLO</th>
                  <th scope="col">Status</th>
                  <th scope="col" className="num">Target</th>
                  <th scope="col" className="num">Attained</th>
                  <th scope="col">Budget remaining</th>
                  <th scope="col" className="num">Burn rate (1h)</th>
                  <th scope="col">Window</th>
                </tr>
              </thead>
              <tbody>
                {data.map((s) => {
                  const state = sloState(s);
                  return (
                    <tr key={s.slo.id} data-slo={s.slo.id}>
                      <th scope="row">
                        <Link to={linkTo(`/slos/${encodeURIComponent(s.slo.id)}`, search)}>{s.slo.name}</Link>
                        <div className="muted small break">{describeIndicator(s.slo.indicator)}</div>
                      </th>
                      <td><SloStatusBadge state={state} /></td>
                      <td className="num slo-target">{formatPct(s.slo.target)}</td>
                      <td className="num slo-attained" title={s.attainment === null ? 'no data' : String(s.attainment)}>{formatPct(s.attainment)}</td>
                      <td className="slo-budget"><BudgetBar ratio={s.budget.remainingRatio} state={state} /></td>
                      <td className="num slo-burn" title={String(s.burnRate)}>{formatBurn(s.burnRate)}</td>
                      <td className="nowrap">{s.slo.window}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </Panel>
    </div>
  );
}
