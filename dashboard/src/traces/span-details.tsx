// Everything recorded on one span: timing, status, attributes, resource and events. Values are
// rendered as text nodes only; span data comes from whoever holds an ingest token.
import type { WaterfallSpan } from '../api/schemas.ts';
import { formatAttribute, formatMs } from '../lib/format.ts';
import { nanosToMs, sortedEntries, spanKindName } from '../lib/waterfall.ts';

const STATUS = ['unset', 'ok', 'error'];

export function SpanDetails({ span, traceStartNano, onClose }: { span: WaterfallSpan; traceStartNano: string; onClose: () => void }) {
  const traceStartMs = nanosToMs(traceStartNano);
  return (
    <aside className="panel span-details" aria-labelledby="span-title" id="span-details">
      <div className="panel-head">
        <h2 id="span-title" className="break">{span.name}</h2>
        <div className="panel-actions"><button type="button" onClick={onClose}>Close</button></div>
      </div>
      <dl className="facts">
        <dt>Service</dt><dd>{span.service}</dd>
        <dt>Kind</dt><dd>{spanKindName(span.kind)}</dd>
        <dt>Status</dt><dd className={span.statusCode === 2 ? 'bad' : undefined}>{STATUS[span.statusCode] ?? span.statusCode}{span.statusMessage ? `: ${span.statusMessage}` : ''}</dd>
        <dt>Duration</dt><dd title={String(span.durationMs)}>{formatMs(span.durationMs)}</dd>
        <dt>Starts at</dt><dd>+{formatMs(span.offsetMs)}</dd>
        <dt>Span id</dt><dd className="mono">{span.spanId}</dd>
        <dt>Parent</dt><dd className="mono">{span.parentSpanId ?? '—'}</dd>
      </dl>
      <KeyValues title="Attributes" entries={sortedEntries(span.attributes)} id="span-attributes" />
      <KeyValues title="Resource" entries={sortedEntries(span.resource)} id="span-resource" />
      <h3>Events</h3>
      {span.events.length === 0 ? <p className="muted">None.</p> : (
        <ol className="events" id="span-events">
          {span.events.map((e, i) => (
            <li key={`${e.timeUnixNano}-${i}`}>
              <span className="mono small">+{formatMs(nanosToMs(e.timeUnixNano) - traceStartMs)}</span> <strong>{e.name}</strong>
              {Object.keys(e.attributes).length > 0 && <KeyValues entries={sortedEntries(e.attributes)} />}
            </li>
          ))}
        </ol>
      )}
    </aside>
  );
}

function KeyValues({ title, entries, id }: { title?: string; entries: Array<[string, unknown]>; id?: string }) {
  return (
    <>
      {title && <h3>{title}</h3>}
      {entries.length === 0 ? <p className="muted">None.</p> : (
        <table className="kv" id={id}>
          <tbody>
            {entries.map(([key, value]) => (
              <tr key={key}><th scope="row" className="mono">{key}</th><td className="mono break">{formatAttribute(value)}</td></tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
