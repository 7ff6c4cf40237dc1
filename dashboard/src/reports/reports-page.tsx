// `/reports`: the SLA report for a period (the time picker's window, the previous week or month;
// `?period=` in the URL) and a scope (`?scope=all|tag:…|service:…`), as tables, with the same
// report downloadable as CSV or HTML. Downloads go through the API client (they need the token)
// and are saved from a Blob.
import { useState, type FormEvent } from 'react';
import { downloadSlaReport, getSlaReport, type ReportIncident, type SlaReport } from '../api/slos.ts';
import { formatDateTime, formatMs } from '../lib/format.ts';
import { linkTo } from '../lib/url-state.ts';
import { Link, useRouter, useSearchParams } from '../shell/router.tsx';
import { useSession } from '../shell/session.tsx';
import { useQuery } from '../shell/use-query.ts';
import { useTimeWindow } from '../shell/time-window.tsx';
import { Panel, QueryStatus } from '../ui/panel.tsx';
import { formatPct } from '../slos/slo-format.ts';
import { PERIODS, periodOf, reportFileName, type PeriodKey } from './report-period.ts';
import '../alerts/alerts.css';

function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  // The click has handed the blob to the download; free it once that has started.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

const minutes = (m: number) => formatMs(m * 60_000);

export function ReportsPage() {
  const { api } = useSession();
  const { search } = useRouter();
  const [params, setParams] = useSearchParams();
  const tw = useTimeWindow();
  const periodKey: PeriodKey = PERIODS.find((p) => p.key === params.get('period'))?.key ?? 'window';
  const scope = params.get('scope') ?? 'all';
  const [scopeText, setScopeText] = useState(scope);
  const [downloading, setDownloading] = useState<string | null>(null);
  const [downloadError, setDownloadError] = useState<string | null>(null);
  const period = periodOf(periodKey, tw, tw.toMs);
  const query = { ...period, scope };
  // A past week or month does not change with the refresh tick; the picker's window does.
  const report = useQuery(`sla:${period.fromMs}:${period.toMs}:${scope}`, (a, signal) => getSlaReport(a, query, signal), { followWindow: periodKey === 'window' });
  const r = report.data;

  const applyScope = (event: FormEvent) => {
    event.preventDefault();
    setParams({ scope: scopeText.trim() === 'all' ? null : scopeText.trim() });
  };
  const download = (format: 'csv' | 'html') => {
    setDownloading(format);
    setDownloadError(null);
    downloadSlaReport(api, query, format).then(
      (blob) => {
        setDownloading(null);
        saveBlob(blob, reportFileName(period, scope, format));
      },
      (err: unknown) => {
        setDownloading(null);
        setDownloadError(err instanceof Error ? err.message : String(err));
      },
    );
  };

  return (
    <div className="stack">
      <div className="page-head">
        <nav aria-label="Breadcrumb" className="crumbs"><Link to={linkTo('/slos', search)}>SLOs</Link> <span aria-hidden="true">›</span></nav>
        <h1>SLA report</h1>
        <p className="muted" id="report-period" data-from={new Date(period.fromMs).toISOString()} data-to={new Date(period.toMs).toISOString()}>
          {formatDateTime(period.fromMs)} → {formatDateTime(period.toMs)} · scope <span className="mono">{scope}</span>
        </p>
        <div className="head-actions report-controls">
          <div className="segmented" role="group" aria-label="Period">
            {PERIODS.map((p) => (
              <button key={p.key} type="button" aria-pressed={periodKey === p.key} onClick={() => setParams({ period: p.key === 'window' ? null : p.key })}>{p.label}</button>
            ))}
          </div>
          <form onSubmit={applyScope} className="scope-form">
            <label><span>Scope</span> <input id="report-scope" type="text" value={scopeText} onChange={(e) => setScopeText(e.target.value)} placeholder="all, tag:<tag>, service:<name>" /></label>
            <button type="submit">Apply</button>
          </form>
          <button type="button" id="download-csv" onClick={() => download('csv')} disabled={downloading !== null}>{downloading === 'csv' ? 'Preparing…' : 'Download CSV'}</button>
          <button type="button" id="download-html" onClick={() => download('html')} disabled={downloading !== null}>{downloading === 'html' ? 'Preparing…' : 'Download HTML'}</button>
        </div>
        {downloadError && <p className="form-error" role="alert" id="download-error">Download failed: {downloadError}</p>}
      </div>
      <QueryStatus loading={report.loading} error={report.error} empty={!r} emptyText="" />
      {r && <ReportBody report={r} />}
    </div>
  );
}

function ReportBody({ report: r }: { report: SlaReport }) {
  return (
    <>
      <dl className="tiles" id="report-summary">
        <div className="tile"><dt>SLOs</dt><dd>{r.summary.slos}</dd></div>
        <div className="tile"><dt>Met</dt><dd className="ok">{r.summary.met}</dd></div>
        <div className="tile"><dt>Breached</dt><dd className={r.summary.breached > 0 ? 'bad' : undefined}>{r.summary.breached}</dd></div>
        <div className="tile"><dt>No data</dt><dd>{r.summary.noData}</dd></div>
        <div className="tile"><dt>Incidents</dt><dd>{r.incidents.length}</dd></div>
      </dl>
      <Panel title="SLOs" id="report-slos">
        {r.slos.length === 0 ? <p className="muted">No SLO in this scope.</p> : (
          <div className="table-wrap">
            <table className="data" id="report-slos-table">
              <thead>
                <tr>
                  <th scope="col">SLO</th><th scope="col" className="num">Target</th><th scope="col" className="num">Attained</th><th scope="col">Met</th>
                  <th scope="col" className="num">Downtime</th><th scope="col" className="num">Budget spent</th><th scope="col" className="num">Budget left</th>
                  <th scope="col" className="num">p50</th><th scope="col" className="num">p95</th><th scope="col" className="num">p99</th><th scope="col" className="num">Incidents</th>
                </tr>
              </thead>
              <tbody>
                {r.slos.map((s) => (
                  <tr key={s.id} data-slo={s.id}>
                    <th scope="row">{s.name}<div className="muted small break">{s.indicator}</div></th>
                    <td className="num">{formatPct(s.target)}</td>
                    <td className="num report-attained">{formatPct(s.attained)}</td>
                    <td>{s.met === null ? <span className="muted">no data</span> : <span className={`slo-status ${s.met ? 'met' : 'breached'}`}>{s.met ? 'met' : 'breached'}</span>}</td>
                    <td className="num">{minutes(s.downtimeMinutes)}</td>
                    <td className="num">{s.errorBudgetConsumed === null ? '—' : `${Number(s.errorBudgetConsumed.toFixed(2))}%`}</td>
                    <td className="num">{Number(s.budget.remaining.toFixed(2))} {s.budget.unit}</td>
                    <td className="num">{formatMs(s.latency.p50Ms)}</td>
                    <td className="num">{formatMs(s.latency.p95Ms)}</td>
                    <td className="num">{formatMs(s.latency.p99Ms)}</td>
                    <td className="num">{s.incidents.length}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Panel>
      {r.checks.length > 0 && (
        <Panel title="Critical checks" id="report-checks">
          <div className="table-wrap">
            <table className="data" id="report-checks-table">
              <thead><tr><th scope="col">Check</th><th scope="col" className="num">Uptime</th><th scope="col" className="num">Downtime</th><th scope="col" className="num">Runs</th><th scope="col" className="num">Failed</th><th scope="col" className="num">p95</th></tr></thead>
              <tbody>
                {r.checks.map((c) => (
                  <tr key={c.id} data-check={c.id}>
                    <th scope="row">{c.name}<div className="muted small mono">{c.id}</div></th>
                    <td className="num">{formatPct(c.uptime)}</td>
                    <td className="num">{minutes(c.downtimeMinutes)}</td>
                    <td className="num">{c.runs}</td>
                    <td className="num">{c.failedRuns}</td>
                    <td className="num">{formatMs(c.latency.p95Ms)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </Panel>
      )}
      <Panel title="Incidents" id="report-incidents">
        {r.incidents.length === 0 ? <p className="muted">No incidents in this period.</p> : <IncidentTable incidents={r.incidents} />}
      </Panel>
    </>
  );
}

function IncidentTable({ incidents }: { incidents: ReportIncident[] }) {
  const { search } = useRouter();
  return (
    <div className="table-wrap">
      <table className="data compact" id="report-incidents-table">
        <thead><tr><th scope="col">Start</th><th scope="col">End</th><th scope="col" className="num">Duration</th><th scope="col">Rule</th><th scope="col">Severity</th><th scope="col">Summary</th><th scope="col">Runbook</th></tr></thead>
        <tbody>
          {incidents.map((i) => (
            <tr key={`${i.fingerprint}-${i.start}`}>
              <td className="nowrap">{formatDateTime(Date.parse(i.start))}</td>
              <td className="nowrap">{i.end ? formatDateTime(Date.parse(i.end)) : 'ongoing'}</td>
              <td className="num">{minutes(i.durationMinutes)}</td>
              <td><Link to={linkTo(`/alerts/${encodeURIComponent(i.fingerprint)}`, search)}>{i.rule}</Link></td>
              <td>{i.severity}</td>
              <td className="break">{i.summary}</td>
              <td>{i.runbookId ? <Link to={linkTo(`/runbooks/${encodeURIComponent(i.runbookId)}`, search)}>{i.runbookId}</Link> : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
