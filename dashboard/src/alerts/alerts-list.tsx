// `/alerts`: firing, pending and recently resolved alerts (the tab is `?state=` in the URL),
// each with severity, rule, labels, value against threshold, since when and what mutes it;
// below, silences and maintenance windows, and `?silence=1` opens a blank silence form.
import { useMemo, useState } from 'react';
import { listAlerts, listRules, type Alert, type AlertState } from '../api/alerts.ts';
import { linkTo } from '../lib/url-state.ts';
import { Link, useRouter, useSearchParams } from '../shell/router.tsx';
import { useQuery } from '../shell/use-query.ts';
import { Panel, QueryStatus } from '../ui/panel.tsx';
import { alertSinceMs } from './alert-format.ts';
import { LabelChips, MuteMarkers, SeverityBadge, Since, StateBadge, ValueVsThreshold } from './alert-parts.tsx';
import { SilenceForm } from './silence-form.tsx';
import { SilencesPanel } from './silences-panel.tsx';

const TABS: ReadonlyArray<{ key: AlertState | 'all'; label: string }> = [
  { key: 'firing', label: 'Firing' },
  { key: 'pending', label: 'Pending' },
  { key: 'resolved', label: 'Resolved' },
  { key: 'all', label: 'All' },
];

export function alertLink(fingerprint: string, search: string, extra: Record<string, string | null> = {}): string {
  return linkTo(`/alerts/${encodeURIComponent(fingerprint)}`, search, extra);
}

export function AlertsList() {
  const { search } = useRouter();
  const [params, setParams] = useSearchParams();
  const tab = TABS.find((t) => t.key === params.get('state'))?.key ?? 'firing';
  const silencing = params.get('silence') === '1';
  const [version, setVersion] = useState(0);
  // One request for all states (history is for the alert page): the tab counts come with it, and switching tabs is instant.
  const alerts = useQuery(`alerts:${version}`, (api, signal) => listAlerts(api, null, 1, signal));
  const rules = useQuery('alert-rules', (api, signal) => listRules(api, signal), { followWindow: false });
  const ruleNames = useMemo(() => new Map((rules.data ?? []).map((r) => [r.rule.id, r.rule.name])), [rules.data]);
  const all = alerts.data ?? [];
  const shown = tab === 'all' ? all : all.filter((a) => a.state === tab);
  const count = (key: AlertState | 'all') => (key === 'all' ? all.length : all.filter((a) => a.state === key).length);
  const now = Date.now();

  return (
    <div className="stack">
      <div className="page-head">
        <h1>Alerts</h1>
        <p className="muted">Alerts the rules raised: firing, pending (waiting out their <span className="mono">for</span>) and recently resolved. Open one for its runbook, chart and history.</p>
        <div className="head-actions">
          <Link className="button-link" to={linkTo('/alerts', search, { state: params.get('state'), silence: 1 })}>New silence</Link>
        </div>
      </div>
      {silencing && (
        <Panel title="New silence" id="new-silence">
          <SilenceForm initial={[]} onCancel={() => setParams({ silence: null })} onCreated={() => {
            setParams({ silence: null });
            setVersion((v) => v + 1);
          }} />
        </Panel>
      )}
      <Panel title="Alerts" id="alerts" actions={
        <div className="segmented" role="group" aria-label="Alert state">
          {TABS.map((t) => (
            <button key={t.key} type="button" aria-pressed={tab === t.key} onClick={() => setParams({ state: t.key === 'firing' ? null : t.key })}>
              {t.label} <span className="count">{alerts.data ? count(t.key) : '…'}</span>
            </button>
          ))}
        </div>
      }>
        <QueryStatus loading={alerts.loading} error={alerts.error} empty={shown.length === 0} emptyText={tab === 'firing' ? 'Nothing is firing.' : `No ${tab === 'all' ? '' : `${tab} `}alerts.`} />
        {shown.length > 0 && (
          <div className="table-wrap">
            <table className="data" id="alerts-table">
              <thead>
                <tr>
                  <th scope="col">Alert</th>
                  <th scope="col">State</th>
                  <th scope="col">Severity</th>
                  <th scope="col">Labels</th>
                  <th scope="col" className="num">Value / threshold</th>
                  <th scope="col">Since</th>
                  <th scope="col"><span className="visually-hidden">Actions</span></th>
                </tr>
              </thead>
              <tbody>
                {shown.map((a) => <AlertRow key={a.fingerprint} alert={a} ruleName={ruleNames.get(a.ruleId)} nowMs={now} search={search} />)}
              </tbody>
            </table>
          </div>
        )}
      </Panel>
      <SilencesPanel version={version} />
    </div>
  );
}

function AlertRow({ alert: a, ruleName, nowMs, search }: { alert: Alert; ruleName: string | undefined; nowMs: number; search: string }) {
  return (
    <tr data-alert={a.fingerprint} className={`alert-row ${a.state}`}>
      <th scope="row">
        <Link to={alertLink(a.fingerprint, search)} className="alert-name">{ruleName ?? a.ruleId}</Link>
        <div className="muted small break alert-summary">{a.summary}</div>
        <MuteMarkers alert={a} />
      </th>
      <td><StateBadge state={a.state} /></td>
      <td><SeverityBadge severity={a.labels['severity']} /></td>
      <td><LabelChips labels={a.labels} /></td>
      <td className="num"><ValueVsThreshold alert={a} /></td>
      <td className="nowrap"><Since ms={alertSinceMs(a)} nowMs={nowMs} /></td>
      <td>{a.state !== 'resolved' && <Link to={alertLink(a.fingerprint, search, { silence: '1' })} aria-label={`Silence ${ruleName ?? a.ruleId}`}>Silence</Link>}</td>
    </tr>
  );
}
