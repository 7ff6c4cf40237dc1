// Silences (active, pending, then the recently expired) and recurring maintenance windows,
// each with its matchers; silences can be expired and windows deleted (write scope).
import { useState, type ReactNode } from 'react';
import { deleteMaintenanceWindow, expireSilence, listMaintenanceWindows, listSilences, type Matcher } from '../api/alerts.ts';
import { formatDateTime, formatSpan } from '../lib/format.ts';
import { useSession } from '../shell/session.tsx';
import { useQuery } from '../shell/use-query.ts';
import { Panel, QueryStatus } from '../ui/panel.tsx';
import { formatRelative } from './alert-format.ts';
import { writeFailure } from './silence-form.tsx';

const EXPIRED_SHOWN = 10;

export function MatcherList({ matchers }: { matchers: Matcher[] }) {
  if (matchers.length === 0) return <span className="muted">all alerts</span>;
  return (
    <ul className="label-chips">
      {matchers.map((m, i) => <li key={i}><span className="label-name">{m.name}</span>{m.op}<span className="label-value">{m.value}</span></li>)}
    </ul>
  );
}

export function SilencesPanel({ version, actions }: { version: number; actions?: ReactNode }) {
  const { api } = useSession();
  const [changed, setChanged] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const silences = useQuery(`silences:${version}:${changed}`, (a, signal) => listSilences(a, signal), { followWindow: false });
  const windows = useQuery(`maintenance:${version}:${changed}`, (a, signal) => listMaintenanceWindows(a, signal), { followWindow: false });
  const now = Date.now();
  const live = (silences.data ?? []).filter((s) => s.state !== 'expired');
  const expired = (silences.data ?? []).filter((s) => s.state === 'expired').slice(0, EXPIRED_SHOWN);

  const act = (work: Promise<unknown>, what: string) => {
    setError(null);
    work.then(() => setChanged((n) => n + 1), (err: unknown) => setError(writeFailure(err, what)));
  };

  return (
    <Panel title="Silences and maintenance windows" id="silences" actions={actions}>
      {error && <p className="form-error" role="alert" id="silences-error">{error}</p>}
      <h3 className="sub-head">Silences</h3>
      <QueryStatus loading={silences.loading} error={silences.error} empty={live.length === 0 && expired.length === 0} emptyText="No silences." />
      {(live.length > 0 || expired.length > 0) && (
        <div className="table-wrap">
          <table className="data compact" id="silences-table">
            <thead><tr><th scope="col">State</th><th scope="col">Matchers</th><th scope="col">Until</th><th scope="col">Why</th><th scope="col">By</th><th scope="col"><span className="visually-hidden">Actions</span></th></tr></thead>
            <tbody>
              {[...live, ...expired].map((s) => {
                const endsMs = Date.parse(s.endsAt);
                return (
                  <tr key={s.id} data-silence={s.id} className={s.state === 'expired' ? 'muted' : undefined}>
                    <td><span className={`silence-state ${s.state}`}>{s.state}</span></td>
                    <td><MatcherList matchers={s.matchers} /></td>
                    <td className="nowrap"><time dateTime={s.endsAt} title={formatDateTime(endsMs)}>{s.state === 'expired' ? formatDateTime(endsMs) : formatRelative(endsMs, now)}</time></td>
                    <td className="break">{s.comment}</td>
                    <td>{s.author}</td>
                    <td>{s.state !== 'expired' && <button type="button" onClick={() => act(expireSilence(api, s.id), 'Expiring a silence')} aria-label={`Expire silence ${s.comment}`}>Expire</button>}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <h3 className="sub-head">Maintenance windows</h3>
      <QueryStatus loading={windows.loading} error={windows.error} empty={!windows.data || windows.data.length === 0} emptyText="No maintenance windows. Create them with POST /api/v1/maintenance-windows or in the config file." />
      {windows.data && windows.data.length > 0 && (
        <div className="table-wrap">
          <table className="data compact" id="maintenance-table">
            <thead><tr><th scope="col">Opens (cron, UTC)</th><th scope="col">For</th><th scope="col">Matchers</th><th scope="col">Comment</th><th scope="col"><span className="visually-hidden">Actions</span></th></tr></thead>
            <tbody>
              {windows.data.map((w) => (
                <tr key={w.id} data-window={w.id}>
                  <td className="mono">{w.cron}</td>
                  <td>{formatSpan(w.durationMs)}</td>
                  <td><MatcherList matchers={w.matchers} /></td>
                  <td className="break">{w.comment ?? ''}</td>
                  <td><button type="button" onClick={() => act(deleteMaintenanceWindow(api, w.id), 'Deleting a maintenance window')} aria-label={`Delete maintenance window ${w.cron}`}>Delete</button></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Panel>
  );
}
