// Every runbook with its owner, severity and the rule kinds or tags it is written for. The
// filter is in the URL (`?q=`), like every other view's state.
import { useMemo } from 'react';
import { listRunbooks, type RunbookSummary } from '../api/runbooks.ts';
import { linkTo } from '../lib/url-state.ts';
import { Link, useRouter, useSearchParams } from '../shell/router.tsx';
import { useQuery } from '../shell/use-query.ts';
import { Panel, QueryStatus } from '../ui/panel.tsx';
import { AppliesTo, Origin, SeverityBadge } from './runbook-meta.tsx';

/** Runbooks whose id, title, owner or applies-to contains every word of `text`. */
export function filterRunbooks(runbooks: readonly RunbookSummary[], text: string): RunbookSummary[] {
  const words = text.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...runbooks];
  return runbooks.filter((r) => {
    const haystack = [r.id, r.title, r.owner ?? '', r.severity ?? '', ...r.appliesTo].join(' ').toLowerCase();
    return words.every((w) => haystack.includes(w));
  });
}

export function RunbooksList() {
  const { search } = useRouter();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  // Runbooks are files loaded at start: the time window does not apply.
  const list = useQuery('runbooks', (api, signal) => listRunbooks(api, signal), { followWindow: false });
  const shown = useMemo(() => filterRunbooks(list.data ?? [], q), [list.data, q]);
  return (
    <div className="stack">
      <div className="page-head">
        <h1>Runbooks</h1>
        <p className="muted">What to do when an alert fires. An alert rule names one, or gets the default of its kind; teams add their own in TELLTALE_RUNBOOKS_DIR.</p>
      </div>
      <Panel title="All runbooks" id="runbooks" actions={
        <label className="runbook-filter">
          <span className="visually-hidden">Filter runbooks</span>
          {/* Typing replaces the history entry: one Back undoes the whole filter. */}
          <input type="search" id="runbook-filter" value={q} placeholder="Filter: title, owner, kind…" onChange={(e) => setParams({ q: e.target.value }, { replace: true })} />
        </label>
      }>
        <QueryStatus loading={list.loading} error={list.error} empty={!list.data || list.data.length === 0} emptyText="No runbooks are loaded." />
        {list.data && list.data.length > 0 && shown.length === 0 && <p className="muted">No runbook matches “{q}”.</p>}
        {shown.length > 0 && (
          <div className="table-wrap">
            <table className="data" id="runbooks-table">
              <thead>
                <tr>
                  <th scope="col">Runbook</th>
                  <th scope="col">Owner</th>
                  <th scope="col">Severity</th>
                  <th scope="col">Applies to</th>
                  <th scope="col">Origin</th>
                </tr>
              </thead>
              <tbody>
                {shown.map((r) => (
                  <tr key={r.id} data-runbook={r.id}>
                    <th scope="row">
                      <Link to={linkTo(`/runbooks/${encodeURIComponent(r.id)}`, search)}>{r.title}</Link>
                      <div className="muted small mono">{r.id}</div>
                    </th>
                    <td>{r.owner ?? <span className="muted">—</span>}</td>
                    <td><SeverityBadge severity={r.severity} /></td>
                    <td><AppliesTo runbook={r} /></td>
                    <td><Origin origin={r.origin} /></td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Panel>
    </div>
  );
}
