// `/alerts/:fingerprint`, where alert emails link: what fired and how bad, Acknowledge and
// Silence (`?silence=1` opens the form prefilled from the labels), the runbook rendered in
// place beside the metric that triggered it, and the history with every delivery's status.
import { useState, type FormEvent } from 'react';
import { ApiError } from '../api/client.ts';
import { acknowledgeAlert, getAlert, getRule } from '../api/alerts.ts';
import { getRunbook } from '../api/runbooks.ts';
import { formatDateTime } from '../lib/format.ts';
import { linkTo } from '../lib/url-state.ts';
import { RunbookBody } from '../runbooks/runbook-body.tsx';
import { Link, useRouter, useSearchParams } from '../shell/router.tsx';
import { useSession } from '../shell/session.tsx';
import { useQuery } from '../shell/use-query.ts';
import { Panel, QueryStatus } from '../ui/panel.tsx';
import { alertSinceMs, formatAlertValue, labelLinks, matchersFromLabels } from './alert-format.ts';
import { AlertChart, RouteLinks } from './alert-chart.tsx';
import { AlertHistory } from './alert-history.tsx';
import { LabelChips, MuteMarkers, SeverityBadge, Since, StateBadge } from './alert-parts.tsx';
import { SilenceForm, writeFailure } from './silence-form.tsx';

const AUTHOR_KEY = 'telltale.author';

function savedAuthor(): string {
  try {
    return window.localStorage.getItem(AUTHOR_KEY) ?? '';
  } catch {
    return '';
  }
}

export function AlertDetailPage({ fingerprint }: { fingerprint: string }) {
  const { search } = useRouter();
  const [params, setParams] = useSearchParams();
  const [version, setVersion] = useState(0);
  const [notice, setNotice] = useState<string | null>(null);
  const alert = useQuery(`alert:${fingerprint}:${version}`, (api, signal) => getAlert(api, fingerprint, signal).catch((err: unknown) => {
    // A resolved alert ages out: a link from an old email gets an answer, not a banner.
    if (err instanceof ApiError && err.status === 404) return null;
    throw err;
  }));
  const a = alert.data;
  const ruleId = a?.ruleId ?? null;
  const rule = useQuery(ruleId === null ? null : `rule:${ruleId}`, (api, signal) => getRule(api, ruleId ?? '', signal).catch((err: unknown) => {
    if (err instanceof ApiError && err.status === 404) return null;
    throw err;
  }), { followWindow: false });
  // The server names the runbook the evaluator mails: the rule's own or its kind's default.
  const runbookId = a?.runbookId ?? null;
  const runbook = useQuery(runbookId === null ? null : `runbook:${runbookId}`, (api, signal) => getRunbook(api, runbookId ?? '', signal), { followWindow: false });
  const silencing = params.get('silence') === '1';
  const now = Date.now();
  const ruleName = a?.ruleName ?? a?.labels['alertname'] ?? fingerprint;

  if (alert.data === null) {
    return (
      <section className="panel">
        <h1>Alert {fingerprint}</h1>
        <p id="alert-missing">There is no current alert with this fingerprint: it resolved and aged out, or its rule was deleted. <Link to={linkTo('/alerts', search, { state: 'resolved' })}>See recently resolved alerts</Link>.</p>
      </section>
    );
  }

  return (
    <div className="stack">
      <div className="page-head">
        <nav aria-label="Breadcrumb" className="crumbs"><Link to={linkTo('/alerts', search)}>Alerts</Link> <span aria-hidden="true">›</span></nav>
        <h1 className="break" id="alert-title">{ruleName}</h1>
        {a && (
          <div className="alert-facts" id="alert-facts">
            <StateBadge state={a.state} /> <SeverityBadge severity={a.labels['severity']} />
            <span id="alert-value">value <strong>{formatAlertValue(a.value, a.unit)}</strong> against threshold <strong>{formatAlertValue(a.threshold, a.unit)}</strong></span>
            <span>{a.state === 'resolved' ? 'resolved' : a.state === 'firing' ? 'firing since' : 'pending since'} <Since ms={alertSinceMs(a)} nowMs={now} /> <span className="muted small">({alertSinceMs(a) === null ? '—' : formatDateTime(alertSinceMs(a) ?? 0)})</span></span>
            <MuteMarkers alert={a} />
          </div>
        )}
        {a && <p className="break alert-summary-line" id="alert-summary">{a.summary}</p>}
        {a && (
          <div className="head-actions">
            {a.state === 'firing' && !a.acknowledged && <AckButton fingerprint={fingerprint} onDone={(by) => { setNotice(`Acknowledged by ${by}.`); setVersion((v) => v + 1); }} />}
            {a.state !== 'resolved' && <button type="button" id="silence-open" onClick={() => setParams({ silence: silencing ? null : 1 })} aria-expanded={silencing}>Silence…</button>}
          </div>
        )}
        {notice && <p className="notice" role="status" id="alert-notice">{notice}</p>}
      </div>
      <QueryStatus loading={alert.loading} error={alert.error} empty={!a} emptyText="" />
      {a && silencing && (
        <Panel title="Silence this alert" id="new-silence">
          <SilenceForm initial={matchersFromLabels(a.labels)} onCancel={() => setParams({ silence: null })} onCreated={(s) => {
            setNotice(`Silenced until ${formatDateTime(Date.parse(s.endsAt))}.`);
            setParams({ silence: null });
            setVersion((v) => v + 1);
          }} />
        </Panel>
      )}
      {a && (
        <div className="alert-layout">
          <Panel title={runbook.data ? `Runbook: ${runbook.data.title}` : 'Runbook'} id="alert-runbook" className="runbook-body"
            actions={runbookId ? <Link to={linkTo(`/runbooks/${encodeURIComponent(runbookId)}`, search)}>Open runbook</Link> : undefined}>
            {rule.data === null && <p className="muted">The rule {a.ruleId} no longer exists, so its runbook is unknown.</p>}
            {rule.data && runbookId === null && <p className="muted">This rule names no runbook and its kind has no default.</p>}
            <QueryStatus loading={runbook.loading} error={runbook.error ?? rule.error} empty={!runbook.data && runbookId !== null} emptyText="" />
            {runbook.data && <RunbookBody id="alert-runbook-html" html={runbook.data.html} />}
          </Panel>
          <div className="stack">
            <AlertChart alert={a} rule={rule.data?.rule ?? null} nowMs={now} version={version} />
            <Panel title="Labels" id="alert-labels">
              <div className="pad">
                <LabelChips labels={a.labels} />
                <p className="muted small">Rule <span className="mono">{a.ruleId}</span>{rule.data ? ` · ${rule.data.rule.kind}` : ''}{rule.data?.rule.window ? ` over ${rule.data.rule.window}` : ''} · fingerprint <span className="mono">{a.fingerprint}</span></p>
                <ul className="link-list" id="alert-links">
                  {labelLinks(a.labels, search).map((l) => <li key={l.to}><Link to={l.to}>{l.label}</Link></li>)}
                </ul>
                <RouteLinks alert={a} nowMs={now} />
              </div>
            </Panel>
            <AlertHistory history={a.history} unit={a.unit} />
          </div>
        </div>
      )}
    </div>
  );
}

function AckButton({ fingerprint, onDone }: { fingerprint: string; onDone: (by: string) => void }) {
  const { api } = useSession();
  const [open, setOpen] = useState(false);
  const [by, setBy] = useState(savedAuthor);
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const name = by.trim() || 'dashboard';
    setBusy(true);
    setError(null);
    try {
      window.localStorage.setItem(AUTHOR_KEY, by.trim());
    } catch { /* not remembered */ }
    acknowledgeAlert(api, fingerprint, name, comment.trim()).then(
      (r) => {
        setBusy(false);
        setOpen(false);
        onDone(r.by);
      },
      (err: unknown) => {
        setBusy(false);
        setError(writeFailure(err, 'Acknowledging an alert'));
      },
    );
  };
  if (!open) return <button type="button" className="primary" id="ack-open" onClick={() => setOpen(true)}>Acknowledge…</button>;
  return (
    <form className="ack-form" id="ack-form" onSubmit={submit} aria-label="Acknowledge">
      <label><span>Your name</span> <input id="ack-by" type="text" autoFocus maxLength={100} value={by} onChange={(e) => setBy(e.target.value)} /></label>
      <label><span>Comment</span> <input id="ack-comment" type="text" maxLength={1000} value={comment} onChange={(e) => setComment(e.target.value)} placeholder="optional" /></label>
      <button type="submit" className="primary" id="ack-submit" disabled={busy}>{busy ? 'Acknowledging…' : 'Acknowledge'}</button>
      <button type="button" onClick={() => setOpen(false)}>Cancel</button>
      {error && <p className="form-error" role="alert" id="ack-error">{error}</p>}
    </form>
  );
}
