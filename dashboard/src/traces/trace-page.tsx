// One trace: summary, waterfall, and the selected span's details (`?span=` in the URL, so a
// link can point at the span that failed).
import type { PageProps } from '../shell/pages.ts';
import { formatCount, formatDateTime, formatMs } from '../lib/format.ts';
import { isErrorSpan, nanosToMs } from '../lib/waterfall.ts';
import { linkTo } from '../lib/url-state.ts';
import { Link, useRouter, useSearchParams } from '../shell/router.tsx';
import { useQuery } from '../shell/use-query.ts';
import { Panel, QueryStatus } from '../ui/panel.tsx';
import { SpanDetails } from './span-details.tsx';
import { Waterfall } from './waterfall.tsx';

export function TracePage({ params }: PageProps) {
  const traceId = params['traceId'] ?? '';
  const { search } = useRouter();
  const [query, setParams] = useSearchParams();
  const valid = /^[0-9a-fA-F]{32}$/.test(traceId);
  // A trace does not depend on the window (a link keeps working whatever the picker says).
  const trace = useQuery(valid ? `trace:${traceId}` : null, (api, signal) => api.trace(traceId, signal), { followWindow: false });
  const selectedId = query.get('span');
  const data = trace.data;
  const selected = data?.spans.find((s) => s.spanId === selectedId) ?? null;
  const root = data?.spans[0];

  if (!valid) return <Panel title="Trace"><p className="form-error">“{traceId}” is not a trace id (32 hexadecimal characters).</p></Panel>;
  return (
    <div className="stack">
      <div className="page-head">
        <nav aria-label="Breadcrumb" className="crumbs"><Link to={linkTo('/traces', search)}>Traces</Link> <span aria-hidden="true">›</span></nav>
        <h1 className="break" id="trace-title">{root ? <><span className="muted">{root.service}:</span> {root.name}</> : 'Trace'}</h1>
        {data && (
          <p className="muted" id="trace-facts">
            <span className="mono">{data.traceId}</span> · {formatDateTime(nanosToMs(data.startTimeUnixNano))} · {formatMs(data.durationMs)} ·{' '}
            {formatCount(data.spans.length)} spans · {new Set(data.spans.map((s) => s.service)).size} services ·{' '}
            <span className={data.spans.some(isErrorSpan) ? 'bad' : undefined}>{formatCount(data.spans.filter(isErrorSpan).length)} errors</span>
          </p>
        )}
      </div>
      <QueryStatus loading={trace.loading} error={trace.error} empty={!data} emptyText="" />
      {data && (
        <div className={selected ? 'trace-layout with-details' : 'trace-layout'}>
          <Panel title="Waterfall" id="waterfall" actions={!selected && <span className="muted small">Select a span to see its attributes</span>}>
            <Waterfall spans={data.spans} durationMs={data.durationMs} selected={selectedId}
              onSelect={(spanId) => setParams({ span: spanId === selectedId ? null : spanId }, { replace: true })} />
          </Panel>
          {selected && <SpanDetails span={selected} traceStartNano={data.startTimeUnixNano} onClose={() => setParams({ span: null }, { replace: true })} />}
        </div>
      )}
    </div>
  );
}
