// Small pieces the checks pages share: a run's status badge, the run-history strip, and the
// assertion results of a run.
import type { AssertionOutcome, CheckRun } from '../api/checks.ts';
import { formatAttribute, formatDateTime, formatMs } from '../lib/format.ts';
import { historyStrip, runStatus } from '../lib/check-runs.ts';
import { linkTo, traceLink } from '../lib/url-state.ts';
import { Link, useRouter } from '../shell/router.tsx';

export function StatusBadge({ run }: { run: CheckRun | null | undefined }) {
  if (!run) return <span className="check-status none">no runs</span>;
  const status = runStatus(run);
  return <span className={`check-status ${status}`}>{status}</span>;
}

/** A link to a run on its check's page (`?run=` selects it). */
export function runLink(checkId: string, run: Pick<CheckRun, 'startedAtMs'>, search: string): string {
  return linkTo(`/checks/${encodeURIComponent(checkId)}`, search, { run: run.startedAtMs });
}

/** The last `count` runs as coloured cells, oldest on the left; a failed one links to its details. */
export function RunStrip({ checkId, runs, count = 30 }: { checkId: string; runs: CheckRun[]; count?: number }) {
  const { search } = useRouter();
  const cells = historyStrip(runs, count);
  return (
    <div className="run-strip" role="list" aria-label={`Last ${cells.length} runs, oldest first`}>
      {Array.from({ length: count - cells.length }, (_, i) => <span key={`e${i}`} className="run-cell empty" aria-hidden="true" />)}
      {cells.map((run, i) => {
        const status = runStatus(run);
        const title = `${formatDateTime(run.startedAtMs)}: ${status}, ${formatMs(run.phases.totalMs)}${run.error ? ` (${run.error.message})` : ''}`;
        return status === 'failed'
          ? <Link key={`${run.startedAtMs}-${i}`} role="listitem" className="run-cell failed" to={runLink(checkId, run, search)} title={title} aria-label={title} />
          : <span key={`${run.startedAtMs}-${i}`} role="listitem" className={`run-cell ${status}`} title={title} aria-label={title} />;
      })}
    </div>
  );
}

export function AssertionTable({ assertions }: { assertions: AssertionOutcome[] }) {
  if (assertions.length === 0) return <p className="muted">This run checked no assertions.</p>;
  return (
    <table className="data compact assertion-table">
      <thead><tr><th scope="col">Assertion</th><th scope="col">Expected</th><th scope="col">Actual</th><th scope="col">Result</th></tr></thead>
      <tbody>
        {assertions.map((a, i) => (
          <tr key={i} className={a.pass ? undefined : 'failed'}>
            <td>{a.kind}{a.target ? <span className="muted"> {a.target}</span> : null}</td>
            <td className="break">{a.expected}</td>
            <td className="break mono">{formatAttribute(a.actual)}</td>
            <td className={a.pass ? 'ok' : 'bad'}>{a.pass ? 'pass' : 'fail'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** One run in full: outcome, status code, latency, error, trace link and assertions. */
export function RunSummary({ run }: { run: CheckRun }) {
  const { search } = useRouter();
  return (
    <div className="run-result">
      <p>
        <StatusBadge run={run} /> {formatDateTime(run.startedAtMs)} · status {run.statusCode ?? 'none'} · {formatMs(run.phases.totalMs)}
        {run.attempts > 1 ? ` · ${run.attempts} attempts` : ''}
        {run.traceId && <> · <Link className="trace-link" to={traceLink(run.traceId, search)}>Backend trace</Link></>}
      </p>
      {run.error && <p className="form-error run-error"><span className="mono">{run.error.code}</span>: {run.error.message}</p>}
      <AssertionTable assertions={run.assertions} />
    </div>
  );
}
