// A uPlot line chart with a horizontal threshold line and vertical time markers (when an alert
// went pending, fired, resolved; deploys), drawn by charts/chart-marks.ts as TimeChart's markers
// are; unlike TimeChart, its y scale keeps the threshold in view. Colours come from the theme's
// CSS variables, like TimeChart's.
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { cssVar, drawMarks, type Marker, type Threshold } from '../charts/chart-marks.ts';
import { useTheme } from '../shell/theme.tsx';

export interface MarkedChartProps {
  /** uPlot columns: x in Unix seconds, then one array per series (null = gap). */
  data: uPlot.AlignedData;
  series: Array<{ label: string; colorVar: string }>;
  formatValue: (value: number) => string;
  threshold: Threshold | null;
  markers: Marker[];
  label: string;
  height?: number;
  id?: string;
}

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
        draw: [(u) => drawMarks(u, latest.current.threshold, latest.current.markers)],
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
