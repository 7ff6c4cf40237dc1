// The overview's "Firing alerts": how many, and the first few (worst first, as the API sorts
// them) linking to their page. Its own query: a failure shows here, the rest of the page stays.
import { listAlerts } from '../api/alerts.ts';
import { alertSinceMs } from '../alerts/alert-format.ts';
import { LabelChips, MuteMarkers, SeverityBadge, Since, ValueVsThreshold } from '../alerts/alert-parts.tsx';
import { linkTo } from '../lib/url-state.ts';
import { Link, useRouter } from '../shell/router.tsx';
import { useQuery } from '../shell/use-query.ts';
import { Panel, QueryStatus } from '../ui/panel.tsx';
import '../alerts/alerts.css';

const SHOWN = 5;

export function FiringAlertsPanel() {
  const { search } = useRouter();
  const firing = useQuery('overview-firing', (api, signal) => listAlerts(api, 'firing', 1, signal));
  const list = firing.data ?? [];
  const now = Date.now();
  return (
    <Panel title={<><span className="big-count" id="firing-count">{firing.data ? list.length : '…'}</span>Firing alerts</>} id="firing-alerts"
      actions={<Link to={linkTo('/alerts', search)}>All alerts</Link>}>
      <QueryStatus loading={firing.loading} error={firing.error} empty={list.length === 0} emptyText="Nothing is firing." />
      {list.length > 0 && (
        <ul className="overview-alerts">
          {list.slice(0, SHOWN).map((a) => (
            <li key={a.fingerprint} data-alert={a.fingerprint}>
              <span>
                <SeverityBadge severity={a.labels['severity']} />{' '}
                <Link to={linkTo(`/alerts/${encodeURIComponent(a.fingerprint)}`, search)}>{a.labels['alertname'] ?? a.ruleId}</Link>{' '}
                <MuteMarkers alert={a} />
                <LabelChips labels={a.labels} />
              </span>
              <span className="small"><ValueVsThreshold alert={a} /> · <Since ms={alertSinceMs(a)} nowMs={now} /></span>
            </li>
          ))}
          {list.length > SHOWN && <li className="muted small">and {list.length - SHOWN} more</li>}
        </ul>
      )}
    </Panel>
  );
}
