// The overview's "SLOs at risk": the SLOs with the least error budget left, with their status.
// Its own query (SLO windows are their own, so the time picker does not apply).
import { listSloStatuses } from '../api/slos.ts';
import { formatPct, sloState } from '../slos/slo-format.ts';
import { BudgetBar, SloStatusBadge } from '../slos/slo-parts.tsx';
import { linkTo } from '../lib/url-state.ts';
import { Link, useRouter } from '../shell/router.tsx';
import { useQuery } from '../shell/use-query.ts';
import { Panel, QueryStatus } from '../ui/panel.tsx';
import '../alerts/alerts.css';

const SHOWN = 5;

export function SlosAtRiskPanel() {
  const { search } = useRouter();
  const slos = useQuery('overview-slos', (api, signal) => listSloStatuses(api, signal), { followWindow: false });
  const worst = (slos.data ?? []).slice()
    .sort((a, b) => (a.budget.remainingRatio ?? Number.POSITIVE_INFINITY) - (b.budget.remainingRatio ?? Number.POSITIVE_INFINITY))
    .slice(0, SHOWN);
  const risky = (slos.data ?? []).filter((s) => sloState(s) === 'at-risk' || sloState(s) === 'breached').length;
  return (
    <Panel title={<><span className="big-count" id="slos-at-risk-count">{slos.data ? risky : '…'}</span>SLOs at risk</>} id="slos-at-risk"
      actions={<Link to={linkTo('/slos', search)}>All SLOs</Link>}>
      <QueryStatus loading={slos.loading} error={slos.error} empty={worst.length === 0} emptyText="No SLOs defined." />
      {worst.length > 0 && (
        <table className="data compact" id="slos-at-risk-table">
          <thead><tr><th scope="col">SLO</th><th scope="col">Status</th><th scope="col" className="num">Attained</th><th scope="col">Budget left</th></tr></thead>
          <tbody>
            {worst.map((s) => {
              const state = sloState(s);
              return (
                <tr key={s.slo.id} data-slo={s.slo.id}>
                  <th scope="row"><Link to={linkTo(`/slos/${encodeURIComponent(s.slo.id)}`, search)}>{s.slo.name}</Link></th>
                  <td><SloStatusBadge state={state} /></td>
                  <td className="num">{formatPct(s.attainment)} <span className="muted small">/ {formatPct(s.slo.target)}</span></td>
                  <td><BudgetBar ratio={s.budget.remainingRatio} state={state} /></td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </Panel>
  );
}
