// The trace waterfall: one row per span, indented by depth, its bar placed by offset and
// duration (layoutWaterfall does the arithmetic), coloured by service, errors marked.
import { useMemo, useState } from 'react';
import type { WaterfallSpan } from '../api/schemas.ts';
import { formatMs } from '../lib/format.ts';
import { layoutWaterfall } from '../lib/waterfall.ts';

/** Indentation per level, capped so deep traces keep room for names. */
const INDENT_PX = 14;
const MAX_INDENT_LEVELS = 16;

export function Waterfall({ spans, durationMs, selected, onSelect }: {
  spans: WaterfallSpan[]; durationMs: number; selected: string | null; onSelect: (spanId: string) => void;
}) {
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());
  const layout = useMemo(() => layoutWaterfall(spans, durationMs, collapsed), [spans, durationMs, collapsed]);
  const toggle = (spanId: string) => setCollapsed((set) => {
    const next = new Set(set);
    if (!next.delete(spanId)) next.add(spanId);
    return next;
  });

  return (
    <div className="waterfall" role="table" aria-label="Trace waterfall" aria-rowcount={layout.rows.length}>
      <div className="wf-legend">
        {layout.services.map((s) => (
          <span key={s.service} className="wf-legend-item"><span className={`swatch svc-${s.colorIndex}`} aria-hidden="true" />{s.service}</span>
        ))}
      </div>
      <div className="wf-row wf-axis" role="row">
        <div className="wf-name" role="columnheader">Span</div>
        <div className="wf-track" role="columnheader" aria-label="Timeline">
          {layout.ticks.map((t) => (
            <span key={t.pct} className="wf-tick" style={{ left: `${t.pct}%` }}>{t.label}</span>
          ))}
        </div>
      </div>
      {layout.rows.map((row) => {
        const s = row.span;
        const isSelected = s.spanId === selected;
        const indent = Math.min(s.depth, MAX_INDENT_LEVELS) * INDENT_PX;
        // The duration goes inside a wide bar, else beside it on whichever side has room.
        const place = row.widthPct > 30 ? 'inside' : row.leftPct + row.widthPct > 75 ? 'before' : 'after';
        const labelStyle = place === 'inside' ? { left: `${row.leftPct}%` } : place === 'before' ? { right: `${100 - row.leftPct}%` } : { left: `${row.leftPct + row.widthPct}%` };
        return (
          <div key={s.spanId} role="row" data-span-id={s.spanId}
            className={`wf-row ${isSelected ? 'selected' : ''} ${row.error ? 'error' : ''}`}>
            <div className="wf-name" role="cell" style={{ paddingLeft: indent }}>
              {row.childCount > 0 ? (
                <button type="button" className="wf-toggle" aria-expanded={!row.collapsed} onClick={() => toggle(s.spanId)}
                  aria-label={`${row.collapsed ? 'Expand' : 'Collapse'} ${row.childCount} child spans of ${s.name}`}>{row.collapsed ? '▸' : '▾'}</button>
              ) : <span className="wf-toggle-space" aria-hidden="true" />}
              <button type="button" className="wf-span-button" aria-pressed={isSelected} onClick={() => onSelect(s.spanId)} title={`${s.service}: ${s.name}`}>
                <span className={`swatch svc-${row.colorIndex}`} aria-hidden="true" />
                {row.error && <span className="wf-error-mark" aria-label="error">!</span>}
                <span className="wf-service">{s.service}</span>
                <span className="wf-span-name">{s.name}</span>
              </button>
            </div>
            <div className="wf-track" role="cell" onClick={() => onSelect(s.spanId)}>
              {layout.ticks.map((t) => <span key={t.pct} className="wf-gridline" style={{ left: `${t.pct}%` }} aria-hidden="true" />)}
              <span className={`wf-bar svc-${row.colorIndex} ${row.error ? 'error' : ''}`} style={{ left: `${row.leftPct}%`, width: `${row.widthPct}%` }} />
              <span className={`wf-duration ${place}`} style={labelStyle}>{formatMs(s.durationMs)}</span>
            </div>
          </div>
        );
      })}
    </div>
  );
}
