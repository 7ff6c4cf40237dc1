// Where a route's errors come from: status codes, consumers, and sources (traces vs gateway
// logs vs synthetic checks). Picking a consumer or a source narrows the rest of the view.
import type { RouteFilter } from '../api/client.ts';
import { formatCount, formatMs, formatPercent } from '../lib/format.ts';
import { useSearchParams } from '../shell/router.tsx';
import { useQuery } from '../shell/use-query.ts';
import { useTimeWindow } from '../shell/time-window.tsx';
import { CountCell, RateCell, StatusBadge } from '../ui/cells.tsx';
import { Panel, QueryStatus } from '../ui/panel.tsx';

const SOURCES = ['trace', 'gateway', 'synthetic'] as const;

export function ErrorBreakdown({ filter, totalCalls }: { filter: RouteFilter; totalCalls: number }) {
  return (
    <div className="grid-3">
      <ByStatus filter={filter} totalCalls={totalCalls} />
      <ByConsumer filter={filter} />
      <BySource filter={filter} />
    </div>
  );
}

const subject = (name: string, filter: RouteFilter) => `${name}:${JSON.stringify(filter)}`;

function ByStatus({ filter, totalCalls }: { filter: RouteFilter; totalCalls: number }) {
  const tw = useTimeWindow();
  const q = useQuery(subject('by-status', filter), (api, signal) => api.errors(tw, filter, 'status', 20, signal));
  return (
    <Panel title="Errors by status" headingLevel={3} id="errors-by-status">
      <QueryStatus loading={q.loading} error={q.error} empty={!q.data?.length} emptyText="No 4xx or 5xx responses." />
      {q.data && q.data.length > 0 && (
        <table className="data compact">
          <thead><tr><th scope="col">Status</th><th scope="col" className="num">Calls</th><th scope="col" className="num">Share</th></tr></thead>
          <tbody>
            {q.data.map((r) => (
              <tr key={r.key ?? 'none'}>
                <th scope="row"><StatusBadge status={Number(r.key)} /></th>
                <CountCell value={r.calls} />
                <td className="num" title={`${r.calls} of ${totalCalls} calls`}>{formatPercent(totalCalls ? r.calls / totalCalls : 0)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Panel>
  );
}

function ByConsumer({ filter }: { filter: RouteFilter }) {
  const tw = useTimeWindow();
  const [params, setParams] = useSearchParams();
  const selected = params.get('consumer');
  const q = useQuery(subject('by-consumer', filter), (api, signal) => api.errors(tw, filter, 'consumer', 20, signal));
  return (
    <Panel title="By consumer" headingLevel={3} id="errors-by-consumer">
      <QueryStatus loading={q.loading} error={q.error} empty={!q.data?.length} emptyText="No calls." />
      {q.data && q.data.length > 0 && (
        <table className="data compact">
          <thead><tr><th scope="col">Consumer</th><th scope="col" className="num">Calls</th><th scope="col" className="num">5xx rate</th><th scope="col" className="num">4xx</th></tr></thead>
          <tbody>
            {q.data.map((r) => {
              // The API's null consumer is "unknown caller"; the calls filter cannot select it.
              const name = r.key;
              return (
                <tr key={name ?? '\u0000unknown'} className={name !== null && selected === name ? 'selected' : undefined}>
                  <th scope="row" className="ellipsis">
                    {name === null ? <span className="muted">(unknown)</span> : (
                      <button type="button" className="link-button" aria-pressed={selected === name} title="Show only this consumer’s calls"
                        onClick={() => setParams({ consumer: selected === name ? null : name }, { replace: true })}>{name}</button>
                    )}
                  </th>
                  <CountCell value={r.calls} />
                  <RateCell value={r.calls ? r.errors / r.calls : 0} />
                  <CountCell value={r.status4xx} />
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </Panel>
  );
}

function BySource({ filter }: { filter: RouteFilter }) {
  const tw = useTimeWindow();
  const [, setParams] = useSearchParams();
  // The split ignores the view's own source filter: it is what you pick that filter from.
  const base = { ...filter, source: null };
  const q = useQuery(subject('by-source', base), async (api, signal) => {
    const answers = await Promise.all(SOURCES.map((source) => api.routes(tw, { ...base, source }, signal)));
    return SOURCES.map((source, i) => ({ source, row: answers[i]?.[0] ?? null })).filter((x) => x.row !== null);
  });
  return (
    <Panel title="By source" headingLevel={3} id="errors-by-source">
      <QueryStatus loading={q.loading} error={q.error} empty={!q.data?.length} emptyText="No calls." />
      {q.data && q.data.length > 0 && (
        <table className="data compact">
          <thead><tr><th scope="col">Source</th><th scope="col" className="num">Calls</th><th scope="col" className="num">5xx rate</th><th scope="col" className="num">p99</th></tr></thead>
          <tbody>
            {q.data.map(({ source, row }) => (
              <tr key={source} className={filter.source === source ? 'selected' : undefined}>
                <th scope="row">
                  <button type="button" className="link-button" aria-pressed={filter.source === source}
                    onClick={() => setParams({ source: filter.source === source ? null : source }, { replace: true })}>{source}</button>
                </th>
                <td className="num" title={String(row?.calls)}>{formatCount(row?.calls)}</td>
                <RateCell value={row?.errorRate ?? 0} />
                <td className="num" title={String(row?.p99)}>{formatMs(row?.p99)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Panel>
  );
}
