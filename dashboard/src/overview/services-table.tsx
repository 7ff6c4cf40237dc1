// Services with their headline numbers, a trend and their latest deploy in the window (one
// /deploys request for every row); a service name narrows the routes below.
import { listDeploys, type Deploy } from '../api/deploys.ts';
import type { ServiceRow } from '../api/schemas.ts';
import { Since } from '../alerts/alert-parts.tsx';
import { latestDeployByService } from '../charts/deploy-markers.tsx';
import { formatDateTime } from '../lib/format.ts';
import { stepForPoints } from '../lib/time-range.ts';
import { linkTo } from '../lib/url-state.ts';
import { Link, useRouter, useSearchParams } from '../shell/router.tsx';
import { useQuery } from '../shell/use-query.ts';
import { useTimeWindow } from '../shell/time-window.tsx';
import { CountCell, MsCell, RateCell, RpsCell } from '../ui/cells.tsx';
import { Sparkline } from '../ui/sparkline.tsx';

/** About this many points per sparkline: enough to see a spike, few enough to stay cheap. */
const SPARK_POINTS = 60;
/** Deploys asked for at once; a window with more shows the newest services' only. */
const DEPLOYS_LIMIT = 1000;

/** `trends` false holds the sparkline requests back, so they do not compete with the tables' own. */
export function ServicesTable({ services, trends }: { services: ServiceRow[]; trends: boolean }) {
  const [params, setParams] = useSearchParams();
  const { search } = useRouter();
  const selected = params.get('service');
  const tw = useTimeWindow();
  const deploys = useQuery(trends ? 'overview-deploys' : null, (api, signal) => listDeploys(api, tw, { service: null, limit: DEPLOYS_LIMIT }, signal));
  const latest = latestDeployByService(deploys.data ?? []);
  const nowMs = Date.now();
  return (
    <div className="table-wrap">
      <table className="data" id="services-table">
        <thead>
          <tr>
            <th scope="col">Service</th>
            <th scope="col" className="num">Calls</th>
            <th scope="col" className="num">Rate</th>
            <th scope="col" className="num">Error rate</th>
            <th scope="col" className="num">p50</th>
            <th scope="col" className="num">p95</th>
            <th scope="col" className="num">p99</th>
            <th scope="col">Trend (calls, errors)</th>
            <th scope="col"><span className="visually-hidden">Links</span></th>
          </tr>
        </thead>
        <tbody>
          {services.map((s) => (
            <tr key={s.service} data-service={s.service} className={selected === s.service ? 'selected' : undefined}>
              <th scope="row">
                <button type="button" className="link-button" aria-pressed={selected === s.service}
                  title={selected === s.service ? 'Show the routes of every service' : 'Show only this service’s routes'}
                  onClick={() => setParams({ service: selected === s.service ? null : s.service }, { replace: true })}>
                  {s.service}
                </button>
                <DeployNote deploy={latest.get(s.service)} nowMs={nowMs} />
              </th>
              <CountCell value={s.calls} />
              <RpsCell value={s.rps} />
              <RateCell value={s.errorRate} />
              <MsCell value={s.p50} />
              <MsCell value={s.p95} />
              <MsCell value={s.p99} />
              <td><ServiceTrend service={s.service} enabled={trends} /></td>
              <td><Link to={linkTo('/traces', search, { service: s.service })}>Traces</Link></td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function DeployNote({ deploy, nowMs }: { deploy: Deploy | undefined; nowMs: number }) {
  if (!deploy) return null;
  return <span className="deploy-note">deployed <span className="deploy-version">{deploy.version}</span> <Since ms={Date.parse(deploy.at)} nowMs={nowMs} /></span>;
}

function ServiceTrend({ service, enabled }: { service: string; enabled: boolean }) {
  const tw = useTimeWindow();
  const step = stepForPoints(tw, SPARK_POINTS);
  const { data } = useQuery(enabled ? `spark:${service}` : null, (api, signal) => api.series(tw, { service }, step, signal));
  if (!data) return <span className="sparkline-placeholder" aria-hidden="true" />;
  const first = data.points[0];
  const label = first ? `${service}: calls per ${step / 60_000} min since ${formatDateTime(Date.parse(first.time))}` : `${service}: no data`;
  return <Sparkline calls={data.points.map((p) => p.calls)} errors={data.points.map((p) => p.errors)} label={label} />;
}
