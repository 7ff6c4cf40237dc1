// A uPlot time-series chart. uPlot draws to canvas and stays smooth with hundreds of
// thousands of points; this wrapper sizes it to its container, takes colours from the
// theme's CSS variables, turns a drag-selection into a new time window (zoom), and draws
// vertical markers (deploys) with chart-marks.ts.
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { useTheme } from '../shell/theme.tsx';
import { cssVar, drawMarks, type Marker } from './chart-marks.ts';

export interface ChartSeries {
  label: string;
  /** A CSS variable holding the colour, e.g. `--chart-1`. */
  colorVar: string;
  bars?: boolean;
}

export interface TimeChartProps {
  /** uPlot columns: x in Unix seconds, then one array per series (null = gap). */
  data: uPlot.AlignedData;
  series: ChartSeries[];
  formatValue: (value: number) => string;
  height?: number;
  /** Called with a drag-selected range in epoch ms. */
  onZoom?: (fromMs: number, toMs: number) => void;
  label: string;
  /** Vertical lines at these times (those outside the plotted range are left out). */
  markers?: readonly Marker[];
}

const NO_MARKERS: readonly Marker[] = [];

export function TimeChart({ data, series, formatValue, height = 220, onZoom, label, markers = NO_MARKERS }: TimeChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const { theme } = useTheme();
  const latest = useRef({ data, formatValue, onZoom, markers });
  useEffect(() => {
    latest.current = { data, formatValue, onZoom, markers };
  });

  // (Re)build the chart when its shape or the theme changes; data alone only calls setData.
  const shape = series.map((s) => `${s.label}:${s.colorVar}:${s.bars ? 1 : 0}`).join('|');
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const muted = cssVar('--text-muted');
    const grid = cssVar('--grid');
    const fmt = (v: number | null) => (v === null || v === undefined ? '—' : latest.current.formatValue(v));
    const bars = uPlot.paths.bars?.({ size: [0.7, 40], gap: 1 });
    const options: uPlot.Options = {
      width: Math.max(200, el.clientWidth),
      height,
      scales: { x: { time: true } },
      cursor: { drag: { x: true, y: false, setScale: false } },
      legend: { live: true },
      series: [
        {},
        ...series.map((s): uPlot.Series => {
          const color = cssVar(s.colorVar);
          return {
            label: s.label, stroke: color, width: s.bars ? 0 : 1.5, fill: s.bars ? color : undefined,
            paths: s.bars ? bars : undefined, points: { show: false }, spanGaps: false,
            value: (_u, v) => fmt(v),
          };
        }),
      ],
      axes: [
        { stroke: muted, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } },
        { stroke: muted, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 }, size: 72, values: (_u, splits) => splits.map((v) => fmt(v)) },
      ],
      hooks: {
        draw: [(u) => drawMarks(u, null, latest.current.markers)],
        setSelect: [(u) => {
          const { left, width } = u.select;
          if (width < 5) return;
          const from = u.posToVal(left, 'x');
          const to = u.posToVal(left + width, 'x');
          u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
          latest.current.onZoom?.(Math.round(from * 1000), Math.round(to * 1000));
        }],
      },
    };
    const chart = new uPlot(options, latest.current.data, el);
    plot.current = chart;
    const observer = new ResizeObserver(() => chart.setSize({ width: Math.max(200, el.clientWidth), height }));
    observer.observe(el);
    return () => {
      observer.disconnect();
      chart.destroy();
      plot.current = null;
    };
    // `shape` stands for `series`; data updates go through setData below.
  }, [shape, height, theme]);

  useEffect(() => {
    plot.current?.setData(data);
  }, [data]);

  // New markers only need a repaint; `latest` holds them by now (its effect runs first).
  const markerKey = markers.map((m) => `${m.timeMs}:${m.label}`).join('|');
  useEffect(() => {
    plot.current?.redraw(false, false);
  }, [markerKey]);

  const described = markers.map((m) => m.label).join(', ');
  return <div className="chart" ref={box} role="img" aria-label={described ? `${label} (marked: ${described})` : label} />;
}
