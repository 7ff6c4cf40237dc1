// One check: its numbers, latency over the picked window, phases of recent runs, the last
// failed run's assertions, every run linked to its backend trace, and "Run now".
import { useMemo, useState } from 'react';
import { ApiError } from '../api/client.ts';
import { checkRuns, checkText, getCheck, runCheck, type CheckRun } from '../api/checks.ts';
import { TimeChart } from '../charts/time-chart.tsx';
import { latencySeries, runStatus } from '../lib/check-runs.ts';
import { formatDateTime, formatMs, formatPercent } from '../lib/format.ts';
import { linkTo, traceLink } from '../lib/url-state.ts';
import { Link, useRouter, useSearchParams } from '../shell/router.tsx';
import { useSession } from '../shell/session.tsx';
import { useQuery } from '../shell/use-query.ts';
import { useTimeWindow } from '../shell/time-window.tsx';
import { Panel, QueryStatus } from '../ui/panel.tsx';
import { PhaseBars } from './phase-bars.tsx';
import { RunStrip, RunSummary, StatusBadge, runLink } from './run-parts.tsx';

const SERIES = [
  { label: 'Run latency', colorVar: '--chart-calls' },
  { label: 'p50 (last 20 runs)', colorVar: '--chart-1' },
  { label: 'p95 (last 20 runs)', colorVar: '--chart-2' },
];

type RunState = { state: 'idle' } | { state: 'running' } | { state: 'done'; run: CheckRun } | { state: 'failed'; message: string };

function runFailure(err: unknown): string {
  if (err instanceof ApiError && err.status === 403) return `Not allowed: ${err.message}. Running a check needs a token of the write scope; this one can only read.`;
  return err instanceof Error ? err.message : String(err);
}

export function CheckDetailPage({ id }: { id: string }) {
  const { api } = useSession();
  const { search } = useRouter();
  const [params, setParams] = useSearchParams();
  const tw = useTimeWindow();
  const [runState, setRunState] = useState<RunState>({ state: 'idle' });
  const [version, setVersion] = useState(0);
  const detail = useQuery(`check:${id}:${version}`, (a, signal) => getCheck(a, id, signal));
  const runs = useQuery(`check-runs:${id}:${version}`, (a, signal) => checkRuns(a, id, { fromMs: tw.fromMs, toMs: tw.toMs, limit: 1000 }, signal));
  const list = useMemo(() => runs.data ?? [], [runs.data]);
  const chartData = useMemo(() => latencySeries(list), [list]);
  const d = detail.data;
  const selectedMs = Number(params.get('run'));
  const selected = list.find((r) => r.startedAtMs === selectedMs) ?? null;
  const lastFailed = list.find((r) => !r.ok) ?? (d?.lastRun && !d.lastRun.ok ? d.lastRun : null);

  const runNow = () => {
    setRunState({ state: 'running' });
    runCheck(api, id).then(
      (run) => {
        setRunState({ state: 'done', run });
        // A relative window ends at "now" as of its last tick: move it on so the new run is inside.
        setVersion((v) => v + 1);
        tw.refresh();
      },
      (err: unknown) => setRunState({ state: 'failed', message: runFailure(err) }),
    );
  };

  return (
    <div className="stack">
      <div className="page-head">
        <nav aria-label="Breadcrumb" className="crumbs"><Link to={linkTo('/checks', search)}>Checks</Link> <span aria-hidden="true">›</span></nav>
        <h1 className="break" id="check-title">{d ? checkText(d.check, 'name', id) : id}</h1>
        {d && (
          <p className="muted" id="check-facts">
            <span className="mono">{id}</span> · {checkText(d.check, 'type', '')} · every {checkText(d.check, 'schedule', '')} · <span className="origin">{d.origin}</span> ·{' '}
            last run <StatusBadge run={d.lastRun} />{d.lastRun ? ` ${formatDateTime(d.lastRun.startedAtMs)}` : ''}
          </p>
        )}
        <div className="head-actions">
          <button type="button" className="primary" id="run-now" onClick={runNow} disabled={runState.state === 'running'}>
            {runState.state === 'running' ? 'Running…' : 'Run now'}
          </button>
          {d && <Link to={linkTo(`/checks/${encodeURIComponent(id)}`, search, { edit: 1 })}>{d.readOnly ? 'View definition and YAML' : 'Edit'}</Link>}
        </div>
      </div>
      <QueryStatus loading={detail.loading} error={detail.error} empty={!d} emptyText="" />
      {runState.state === 'failed' && <p className="form-error" role="alert" id="run-error">{runState.message}</p>}
      {runState.state === 'done' && (
        <Panel title="Result of this run" id="run-result"><RunSummary run={runState.run} /></Panel>
      )}
      {d && (
        <div className="grid-3">
          {(['24h', '7d', '30d'] as const).map((w) => (
            <Panel key={w} title={`Last ${w}`} headingLevel={3}>
              <p className="pad">
                Uptime <strong>{formatPercent(d.stats[w].uptime)}</strong> ({d.stats[w].okRuns}/{d.stats[w].runs} runs) · p50 {formatMs(d.stats[w].p50)} · p95 {formatMs(d.stats[w].p95)} · p99 {formatMs(d.stats[w].p99)}
              </p>
            </Panel>
          ))}
        </div>
      )}
      <Panel title="Latency of runs" id="latency">
        <QueryStatus loading={runs.loading} error={runs.error} empty={list.length === 0} emptyText="No runs in this window." />
        {list.length > 0 && <TimeChart data={chartData} series={SERIES} formatValue={formatMs} label={`Latency of ${id}'s runs`} onZoom={(fromMs, toMs) => setParams({ from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString() })} />}
        {list.length > 0 && <RunStrip checkId={id} runs={list} count={Math.min(60, list.length)} />}
      </Panel>
      <div className="grid-2">
        <Panel title="Phases of recent runs" id="phases"><PhaseBars runs={list} /></Panel>
        <Panel title={selected ? `Run of ${formatDateTime(selected.startedAtMs)}` : 'Last failed run'} id="failed-run">
          {selected ? <RunSummary run={selected} /> : lastFailed ? <RunSummary run={lastFailed} /> : <p className="muted">No failed run in this window.</p>}
        </Panel>
      </div>
      <Panel title="Runs" id="runs">
        <div className="table-wrap scroll-y">
          <table className="data compact">
            <thead><tr><th scope="col">Started</th><th scope="col">Result</th><th scope="col" className="num">Status</th><th scope="col" className="num">Latency</th><th scope="col">Error</th><th scope="col">Trace</th></tr></thead>
            <tbody>
              {list.slice(0, 200).map((r, i) => (
                <tr key={`${r.startedAtMs}-${i}`} className={r.startedAtMs === selectedMs ? 'selected' : undefined}>
                  <td className="nowrap"><Link to={runLink(id, r, search)}>{formatDateTime(r.startedAtMs)}</Link></td>
                  <td><span className={`check-status ${runStatus(r)}`}>{runStatus(r)}</span></td>
                  <td className="num">{r.statusCode ?? '—'}</td>
                  <td className="num">{formatMs(r.phases.totalMs)}</td>
                  <td className="break">{r.error ? r.error.message : ''}</td>
                  <td>{r.traceId ? <Link className="trace-link" to={traceLink(r.traceId, search)}>Trace</Link> : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Panel>
    </div>
  );
}
