// The API's series points reshaped for charts: uPlot wants columns (x in seconds, one array per
// series) and sparklines want an SVG path.

export interface PointLike {
  time: string;
  calls: number;
  errors: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

/** Columns for a latency chart: [x (s), p50, p95, p99]; null keeps a gap where nothing was timed. */
export function latencyColumns(points: readonly PointLike[]): [number[], Array<number | null>, Array<number | null>, Array<number | null>] {
  const x: number[] = [];
  const p50: Array<number | null> = [];
  const p95: Array<number | null> = [];
  const p99: Array<number | null> = [];
  for (const p of points) {
    x.push(Date.parse(p.time) / 1000);
    p50.push(p.p50);
    p95.push(p.p95);
    p99.push(p.p99);
  }
  return [x, p50, p95, p99];
}

/** Columns for calls and errors over time: [x (s), calls, errors]. */
export function trafficColumns(points: readonly PointLike[]): [number[], number[], number[]] {
  return [points.map((p) => Date.parse(p.time) / 1000), points.map((p) => p.calls), points.map((p) => p.errors)];
}

/**
 * An SVG path through `values` scaled into width×height (y grows downwards). Nulls break the
 * line. `max` lets several sparklines share one scale.
 */
export function sparklinePath(values: ReadonlyArray<number | null>, width: number, height: number, max?: number): string {
  if (values.length === 0) return '';
  const top = max ?? Math.max(0, ...values.map((v) => v ?? 0));
  const dx = values.length > 1 ? width / (values.length - 1) : 0;
  const y = (v: number) => (top > 0 ? height - (v / top) * height : height);
  let d = '';
  let pen = false;
  values.forEach((v, i) => {
    if (v === null) {
      pen = false;
      return;
    }
    d += `${pen ? 'L' : 'M'}${round(i * dx)} ${round(y(v))}`;
    pen = true;
  });
  return d;
}

const round = (n: number) => Math.round(n * 10) / 10;
