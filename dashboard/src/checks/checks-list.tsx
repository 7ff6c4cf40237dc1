// Every check with its last run, uptime over 24h/7d/30d, p95 and its last runs as a strip.
import { checkRuns, checkText, getCheck, listChecks, type CheckDetail, type CheckRun } from '../api/checks.ts';
import { formatDateTime, formatMs, formatPercent } from '../lib/format.ts';
import { linkTo } from '../lib/url-state.ts';
import { Link, useRouter } from '../shell/router.tsx';
import { useQuery } from '../shell/use-query.ts';
import { Panel, QueryStatus } from '../ui/panel.tsx';
import { RunStrip, StatusBadge } from './run-parts.tsx';

const STRIP_RUNS = 30;
const DAY_MS = 24 * 3600_000;

interface Row {
  detail: CheckDetail;
  runs: CheckRun[];
}

function UptimeCell({ stats }: { stats: CheckDetail['stats']['24h'] }) {
  const level = stats.uptime === null ? '' : stats.uptime < 0.99 ? 'bad' : stats.uptime < 0.999 ? 'warn' : '';
  return <td className={`num ${level}`} title={`${stats.okRuns} of ${stats.runs} runs passed`}>{stats.uptime === null ? '—' : formatPercent(stats.uptime)}</td>;
}

export function ChecksList() {
  const { search } = useRouter();
  // Uptime windows are fixed (24h/7d/30d) and the strip is the last runs, so the picker does not apply.
  const rows = useQuery('checks-list', async (api, signal): Promise<Row[]> => {
    const checks = await listChecks(api, signal);
    const now = Date.now();
    return Promise.all(checks.map(async (c) => {
      const id = checkText(c.check, 'id');
      const [detail, runs] = await Promise.all([getCheck(api, id, signal), checkRuns(api, id, { fromMs: now - 30 * DAY_MS, toMs: now, limit: STRIP_RUNS }, signal)]);
      return { detail, runs };
    }));
  }, { followWindow: false });
  const data = rows.data;
  return (
    <div className="stack">
      <div className="page-head">
        <h1>Checks</h1>
        <p className="muted">Synthetic checks: status of the last run, uptime, p95 latency over 24 hours and the last {STRIP_RUNS} runs.</p>
        <div className="head-actions"><Link className="button-link" to={linkTo('/checks/new', search)}>New check</Link></div>
      </div>
      <Panel title="All checks" id="checks">
        <QueryStatus loading={rows.loading} error={rows.error} empty={!data || data.length === 0} emptyText="No checks yet: create one here, or define them in code (telltale.yaml or the checks folder)." />
        {data && data.length > 0 && (
          <div className="table-wrap">
            <table className="data" id="checks-table">
              <thead>
                <tr>
                  <th scope="col">Check</th>
                  <th scope="col">Status</th>
                  <th scope="col">Last run</th>
                  <th scope="col" className="num">Uptime 24h</th>
                  <th scope="col" className="num">7d</th>
                  <th scope="col" className="num">30d</th>
                  <th scope="col" className="num">p95 24h</th>
                  <th scope="col">Origin</th>
                  <th scope="col">Last {STRIP_RUNS} runs</th>
                </tr>
              </thead>
              <tbody>
                {data.map(({ detail, runs }) => {
                  const id = checkText(detail.check, 'id');
                  return (
                    <tr key={id} data-check={id}>
                      <th scope="row">
                        <Link to={linkTo(`/checks/${encodeURIComponent(id)}`, search)}>{checkText(detail.check, 'name', id)}</Link>
                        <div className="muted small mono">{id} · {checkText(detail.check, 'schedule', '')}</div>
                      </th>
                      <td><StatusBadge run={detail.lastRun} /></td>
                      <td className="nowrap">{detail.lastRun ? formatDateTime(detail.lastRun.startedAtMs) : '—'}</td>
                      <UptimeCell stats={detail.stats['24h']} />
                      <UptimeCell stats={detail.stats['7d']} />
                      <UptimeCell stats={detail.stats['30d']} />
                      <td className="num">{formatMs(detail.stats['24h'].p95)}</td>
                      <td><span className="origin" title={detail.readOnly ? 'Defined in code: change it there' : 'Created through the API'}>{detail.origin}</span></td>
                      <td><RunStrip checkId={id} runs={runs} count={STRIP_RUNS} /></td>
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
