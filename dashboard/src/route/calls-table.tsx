// Individual calls (the slowest, the failed) with links to their traces: the step from
// "p99 is high" to "this is the request, and here is what it did".
import type { ApiCall } from '../api/schemas.ts';
import { formatDateTime, formatMs } from '../lib/format.ts';
import { traceLink } from '../lib/url-state.ts';
import { Link, useRouter } from '../shell/router.tsx';
import { StatusBadge } from '../ui/cells.tsx';

export function CallsTable({ calls, id }: { calls: ApiCall[]; id: string }) {
  const { search } = useRouter();
  return (
    <div className="table-wrap scroll-y">
      <table className="data compact" id={id}>
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Status</th>
            <th scope="col" className="num">Duration</th>
            <th scope="col">Consumer</th>
            <th scope="col">Source</th>
            <th scope="col">Trace</th>
          </tr>
        </thead>
        <tbody>
          {calls.map((c) => (
            <tr key={c.id}>
              <td className="nowrap">{formatDateTime(Date.parse(c.time))}</td>
              <td><StatusBadge status={c.statusCode} /></td>
              <td className="num" title={String(c.durationMs)}>{formatMs(c.durationMs)}</td>
              <td className="ellipsis">{c.consumer ?? <span className="muted">—</span>}</td>
              <td>{c.source}</td>
              <td>{c.traceId ? <Link to={traceLink(c.traceId, search, c.spanId ?? undefined)} className="trace-link" aria-label={`Trace ${c.traceId}`}>Trace</Link> : <span className="muted">—</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
