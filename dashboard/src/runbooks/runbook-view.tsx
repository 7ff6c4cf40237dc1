// One runbook, rendered: title, owner, severity, what it applies to, then its body. Links
// inside the body to other dashboard pages navigate in place; in-page links scroll.
import { type MouseEvent } from 'react';
import { getRunbook } from '../api/runbooks.ts';
import { ApiError } from '../api/client.ts';
import { linkTo } from '../lib/url-state.ts';
import { Link, useRouter } from '../shell/router.tsx';
import { useQuery } from '../shell/use-query.ts';
import { AppliesTo, Origin, SeverityBadge } from './runbook-meta.tsx';

export function RunbookView({ id }: { id: string }) {
  const { search, navigate } = useRouter();
  const runbook = useQuery(`runbook:${id}`, (api, signal) => getRunbook(api, id, signal).catch((err: unknown) => {
    // A runbook that does not exist is an answer for this page, not a banner-worthy failure.
    if (err instanceof ApiError && err.status === 404) return null;
    throw err;
  }), { followWindow: false });
  const r = runbook.data;

  // Same-origin links in the body (e.g. `/checks`, `/runbooks/slo-burn`) stay in the app.
  const onBodyClick = (event: MouseEvent<HTMLDivElement>) => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const anchor = (event.target as Element).closest('a');
    if (!anchor || anchor.target || anchor.origin !== window.location.origin) return;
    if (anchor.pathname === window.location.pathname && anchor.hash) return;
    event.preventDefault();
    navigate(anchor.pathname + anchor.search + anchor.hash);
  };

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
          {/* The HTML is sanitized by the server (alerts/runbooks/markdown.ts: markdown-it with raw
              HTML escaped and only http(s)/mailto/relative links), which is the only reason it
              may be set as HTML here; never pass anything else through this. */}
          <div id="runbook-html" onClick={onBodyClick} dangerouslySetInnerHTML={{ __html: r.html }} />
        </article>
      )}
    </div>
  );
}
