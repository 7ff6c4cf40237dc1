// Trace search: by service, route (span name or API route), minimum duration, errors only.
// The form writes the URL; the results are read from it, so a search is a link.
import { useState, type FormEvent } from 'react';
import type { TraceSummary } from '../api/schemas.ts';
import { formatCount, formatDateTime, formatMs } from '../lib/format.ts';
import { numberParam, traceLink } from '../lib/url-state.ts';
import { nanosToMs } from '../lib/waterfall.ts';
import { Link, useRouter, useSearchParams } from '../shell/router.tsx';
import { useQuery } from '../shell/use-query.ts';
import { useTimeWindow } from '../shell/time-window.tsx';
import { Panel, QueryStatus } from '../ui/panel.tsx';

const LIMIT = 100;

export function TraceSearchPage() {
  const tw = useTimeWindow();
  const [params, setParams] = useSearchParams();
  const service = params.get('service') ?? '';
  const route = params.get('route') ?? '';
  const minMs = numberParam(params.get('minMs'));
  const errors = params.get('errors') === '1';

  const services = useQuery('services', (api, signal) => api.services(tw, signal));
  const results = useQuery(`traces:${JSON.stringify([service, route, minMs, errors])}`,
    (api, signal) => api.traces(tw, { service: service || null, route: route || null, minDurationMs: minMs, hasError: errors, limit: LIMIT }, signal));

  return (
    <div className="stack">
      <div className="page-head"><h1>Traces</h1></div>
      <Panel title="Search" id="trace-search">
        {/* Keyed by the URL so Back/Forward (and links) refill the form. */}
        <SearchForm key={`${service}|${route}|${minMs}|${errors}`} initial={{ service, route, minMs, errors }} services={services.data?.map((s) => s.service) ?? []}
          onSearch={(q) => setParams({ service: q.service, route: q.route, minMs: q.minMs, errors: q.errors })} />
      </Panel>
      <Panel title={results.data ? `${results.data.length === LIMIT ? `First ${LIMIT}` : results.data.length} traces` : 'Traces'} id="trace-results">
        <QueryStatus loading={results.loading} error={results.error} empty={!results.data?.length} emptyText="No traces match in this window." />
        {results.data && results.data.length > 0 && <TraceList traces={results.data} />}
      </Panel>
    </div>
  );
}

interface SearchValues {
  service: string;
  route: string;
  minMs: number | null;
  errors: boolean;
}

function SearchForm({ initial, services, onSearch }: { initial: SearchValues; services: string[]; onSearch: (v: SearchValues) => void }) {
  const [values, setValues] = useState({ ...initial, minMs: initial.minMs === null ? '' : String(initial.minMs) });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSearch({ service: values.service.trim(), route: values.route.trim(), minMs: numberParam(values.minMs), errors: values.errors });
  };
  return (
    <form className="search-form" onSubmit={submit}>
      <label>Service
        <input list="service-names" value={values.service} onChange={(e) => setValues({ ...values, service: e.target.value })} placeholder="any" />
        <datalist id="service-names">{services.map((s) => <option key={s} value={s} />)}</datalist>
      </label>
      <label>Route or span name
        <input value={values.route} onChange={(e) => setValues({ ...values, route: e.target.value })} placeholder="/orders/{id}" />
      </label>
      <label>Min duration (ms)
        <input type="number" min={0} step="any" inputMode="decimal" value={values.minMs} onChange={(e) => setValues({ ...values, minMs: e.target.value })} placeholder="0" />
      </label>
      <label className="checkbox">
        <input type="checkbox" checked={values.errors} onChange={(e) => setValues({ ...values, errors: e.target.checked })} /> Errors only
      </label>
      <button type="submit" className="primary">Search</button>
    </form>
  );
}

function TraceList({ traces }: { traces: TraceSummary[] }) {
  const { search } = useRouter();
  const longest = Math.max(...traces.map((t) => t.durationMs), 1);
  return (
    <div className="table-wrap">
      <table className="data" id="trace-table">
        <thead>
          <tr>
            <th scope="col">Start</th>
            <th scope="col">Root span</th>
            <th scope="col" className="num">Duration</th>
            <th scope="col" className="num">Spans</th>
            <th scope="col" className="num">Errors</th>
            <th scope="col">Services</th>
          </tr>
        </thead>
        <tbody>
          {traces.map((t) => (
            <tr key={t.traceId}>
              <td className="nowrap">{formatDateTime(nanosToMs(t.startTimeUnixNano))}</td>
              <th scope="row" className="ellipsis">
                {/* The span name first: a long service name must not push it out of sight. */}
                <Link to={traceLink(t.traceId, search)} title={`${t.rootService}: ${t.rootName} (${t.traceId})`}>{t.rootName}</Link> <span className="muted small">{t.rootService}</span>
              </th>
              <td className="num duration-cell" title={String(t.durationMs)}>
                <span className="duration-bar" aria-hidden="true" style={{ width: `${(t.durationMs / longest) * 100}%` }} />
                <span>{formatMs(t.durationMs)}</span>
              </td>
              <td className="num">{formatCount(t.spanCount)}</td>
              <td className={`num ${t.errorCount > 0 ? 'bad' : ''}`}>{formatCount(t.errorCount)}</td>
              <td className="ellipsis">{t.services.join(', ')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
