// An alert's history, newest first: state changes, acknowledgements and notifications, each
// notification with its deliveries (channel, target, status, attempts, the last error).
import type { AlertHistoryEntry, Delivery } from '../api/alerts.ts';
import { formatDateTime } from '../lib/format.ts';
import { Panel } from '../ui/panel.tsx';
import { formatAlertValue } from './alert-format.ts';

function DeliveryList({ deliveries }: { deliveries: Delivery[] }) {
  return (
    <ul className="deliveries">
      {deliveries.map((d) => (
        <li key={d.id} data-delivery={d.id}>
          <span className={`delivery-status ${d.status}`}>{d.status}</span>{' '}
          <span className="mono">{d.channel}</span> → <span className="break">{d.target || '—'}</span>
          <span className="muted small"> · {d.attempts} attempt{d.attempts === 1 ? '' : 's'}{d.settledAt ? ` · settled ${formatDateTime(Date.parse(d.settledAt))}` : ''}{d.nextAttemptAt ? ` · next try ${formatDateTime(Date.parse(d.nextAttemptAt))}` : ''}</span>
          {d.subject && <div className="small break">“{d.subject}”</div>}
          {d.lastError && <div className="small bad break delivery-error">{d.lastError}</div>}
        </li>
      ))}
    </ul>
  );
}

export function AlertHistory({ history, unit }: { history: AlertHistoryEntry[]; unit: string }) {
  return (
    <Panel title="History" id="alert-history">
      {history.length === 0 ? <p className="muted">No events recorded.</p> : (
        <div className="table-wrap">
          <table className="data compact" id="alert-history-table">
            <thead><tr><th scope="col">When</th><th scope="col">Event</th><th scope="col" className="num">Value</th><th scope="col">Summary</th><th scope="col">Notifications</th></tr></thead>
            <tbody>
              {history.map((h, i) => (
                <tr key={`${h.at}-${i}`} data-event={h.event}>
                  <td className="nowrap">{formatDateTime(Date.parse(h.at))}</td>
                  <td><span className={`history-event ${h.event}`}>{h.event}</span>{h.by ? <span className="muted small"> by {h.by}</span> : null}</td>
                  <td className="num">{formatAlertValue(h.value, unit)}</td>
                  <td className="break">{h.summary}</td>
                  <td>{h.deliveries && h.deliveries.length > 0 ? <DeliveryList deliveries={h.deliveries} /> : <span className="muted">—</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Panel>
  );
}
