// One runbook, rendered: title, owner, severity, what it applies to, then its body.
import { getRunbook } from '../api/runbooks.ts';
import { ApiError } from '../api/client.ts';
import { linkTo } from '../lib/url-state.ts';
import { Link, useRouter } from '../shell/router.tsx';
import { useQuery } from '../shell/use-query.ts';
import { RunbookBody } from './runbook-body.tsx';
import { AppliesTo, Origin, SeverityBadge } from './runbook-meta.tsx';

export function RunbookView({ id }: { id: string }) {
  const { search } = useRouter();
  const runbook = useQuery(`runbook:${id}`, (api, signal) => getRunbook(api, id, signal).catch((err: unknown) => {
    // A runbook that does not exist is an answer for this page, not a banner-worthy failure.
    if (err instanceof ApiError && err.status === 404) return null;
    throw err;
  }), { followWindow: false });
  const r = runbook.data;

  return (
    <div className="stack">
      <div className="page-head">
        <nav aria-label="Breadcrumb" className="crumbs"><Link to={linkTo('/runbooks', search)}>Runbooks</Link> <span aria-hidden="true">›</span></nav>
        <h1 className="break" id="runbook-title">{r ? r.title : id}</h1>
        {r && (
          <dl className="runbook-facts" id="runbook-facts">
            <div><dt>Owner</dt><dd id="runbook-owner">{r.owner ?? <span className="muted">none named</span>}</dd></div>
            <div><dt>Severity</dt><dd><SeverityBadge severity={r.severity} /></dd></div>
            <div><dt>Applies to</dt><dd><AppliesTo runbook={r} /></dd></div>
            <div><dt>Origin</dt><dd><Origin origin={r.origin} /> <span className="mono muted small">{r.id}</span></dd></div>
          </dl>
        )}
      </div>
      {runbook.loading && !r && <p className="muted" role="status">Loading…</p>}
      {runbook.error && <p className="form-error">Could not load: {runbook.error}</p>}
      {r === null && (
        <section className="panel">
          <p id="runbook-missing">There is no runbook “{id}”. <Link to={linkTo('/runbooks', search)}>See all runbooks</Link>.</p>
        </section>
      )}
      {r && (
        <article className="panel runbook-body" aria-labelledby="runbook-title">
          <RunbookBody id="runbook-html" html={r.html} />
        </article>
      )}
    </div>
  );
}
