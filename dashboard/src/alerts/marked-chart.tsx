// A uPlot line chart with a horizontal threshold line and vertical time markers (when an alert
// went pending, fired, resolved): the shared TimeChart has neither, and an alert's chart is
// about exactly those. Colours come from the theme's CSS variables, like TimeChart's.
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { useTheme } from '../shell/theme.tsx';

export interface Marker {
  timeMs: number;
  label: string;
  /** A CSS variable holding the colour. */
  colorVar: string;
}

export interface MarkedChartProps {
  /** uPlot columns: x in Unix seconds, then one array per series (null = gap). */
  data: uPlot.AlignedData;
  series: Array<{ label: string; colorVar: string }>;
  formatValue: (value: number) => string;
  threshold: { value: number; label: string } | null;
  markers: Marker[];
  label: string;
  height?: number;
  id?: string;
}

const cssVar = (name: string) => getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888';

export function MarkedChart({ data, series, formatValue, threshold, markers, label, height = 240, id }: MarkedChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const { theme } = useTheme();
  const latest = useRef({ formatValue, threshold, markers });
  useEffect(() => {
    latest.current = { formatValue, threshold, markers };
  });
  const shape = `${series.map((s) => `${s.label}:${s.colorVar}`).join('|')}:${threshold?.value ?? ''}:${markers.map((m) => m.timeMs).join(',')}`;

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const muted = cssVar('--text-muted');
    const grid = cssVar('--grid');
    const thresholdColor = cssVar('--bad');
    const fmt = (v: number | null) => (v === null || v === undefined ? '—' : latest.current.formatValue(v));
    const options: uPlot.Options = {
      width: Math.max(200, el.clientWidth),
      height,
      scales: {
        x: { time: true },
        y: {
          // Keep the threshold in view even when the metric is far below it.
          range: (_u, min, max) => {
            const t = latest.current.threshold?.value;
            const lo = Math.min(0, min ?? 0);
            const hi = Math.max(max ?? 0, t === undefined ? 0 : t * 1.15, lo + 1e-9);
            return [lo, hi];
          },
        },
      },
      cursor: { drag: { x: false, y: false } },
      legend: { live: true },
      series: [
        {},
        ...series.map((s): uPlot.Series => ({
          label: s.label, stroke: cssVar(s.colorVar), width: 1.5, points: { show: false }, spanGaps: false, value: (_u, v) => fmt(v),
        })),
      ],
      axes: [
        { stroke: muted, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } },
        { stroke: muted, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 }, size: 72, values: (_u, splits) => splits.map((v) => fmt(v)) },
      ],
      hooks: {
        draw: [(u) => {
          const { ctx, bbox } = u;
          const ratio = devicePixelRatio;
          ctx.save();
          ctx.font = `${11 * ratio}px system-ui, sans-serif`;
          // uPlot leaves the alignment of its last axis label behind.
          ctx.textAlign = 'left';
          ctx.textBaseline = 'alphabetic';
          const t = latest.current.threshold;
          if (t) {
            const y = u.valToPos(t.value, 'y', true);
            ctx.strokeStyle = thresholdColor;
            ctx.setLineDash([6 * ratio, 4 * ratio]);
            ctx.lineWidth = 1.5 * ratio;
            ctx.beginPath();
            ctx.moveTo(bbox.left, y);
            ctx.lineTo(bbox.left + bbox.width, y);
            ctx.stroke();
            ctx.fillStyle = thresholdColor;
            ctx.fillText(t.label, bbox.left + 4 * ratio, y - 4 * ratio);
          }
          ctx.setLineDash([]);
          for (const m of latest.current.markers) {
            const x = u.valToPos(m.timeMs / 1000, 'x', true);
            if (x < bbox.left || x > bbox.left + bbox.width) continue;
            const color = cssVar(m.colorVar);
            ctx.strokeStyle = color;
            ctx.lineWidth = 1.5 * ratio;
            ctx.beginPath();
            ctx.moveTo(x, bbox.top);
            ctx.lineTo(x, bbox.top + bbox.height);
            ctx.stroke();
            ctx.fillStyle = color;
            ctx.fillText(m.label, x + 4 * ratio, bbox.top + 12 * ratio);
          }
          ctx.restore();
        }],
      },
    };
    const chart = new uPlot(options, data, el);
    const observer = new ResizeObserver(() => chart.setSize({ width: Math.max(200, el.clientWidth), height }));
    observer.observe(el);
    return () => {
      observer.disconnect();
      chart.destroy();
    };
    // `shape` stands for series, threshold and markers; a new data array rebuilds as well (it is small).
  }, [shape, data, height, theme]);

  const described = [threshold ? `threshold ${threshold.label}` : '', ...markers.map((m) => m.label)].filter(Boolean).join(', ');
  return <div className="chart" id={id} ref={box} role="img" aria-label={described ? `${label} (${described})` : label} />;
}
