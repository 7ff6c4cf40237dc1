// What an alert's chart plots: its error rate, or the latency percentile its rule watches.
import type { Alert, RuleView } from '../api/alerts.ts';
import type { SeriesPoint } from '../api/schemas.ts';

type LatencyColumn = 'p50' | 'p75' | 'p90' | 'p95' | 'p99' | 'p999';
export type Metric = { kind: 'errorRate' } | { kind: 'latency'; column: LatencyColumn; asked: string };

// The rule's percentile and the series field that carries it.
const COLUMNS: Record<string, LatencyColumn> = { p50: 'p50', p75: 'p75', p90: 'p90', p95: 'p95', p99: 'p99', 'p99.9': 'p999' };

export function metricOf(a: Pick<Alert, 'unit'>, rule: Pick<RuleView['rule'], 'percentile'> | null): Metric | null {
  if (a.unit === 'ratio') return { kind: 'errorRate' };
  if (a.unit === 'ms') {
    const asked = rule?.percentile ?? 'p99';
    return { kind: 'latency', column: COLUMNS[asked] ?? 'p99', asked };
  }
  return null;
}

export function seriesColumns(points: readonly SeriesPoint[], metric: Metric): [number[], Array<number | null>] {
  const x = points.map((p) => Date.parse(p.time) / 1000);
  const y = points.map((p) => (metric.kind === 'errorRate' ? (p.calls > 0 ? p.errorRate : null) : p[metric.column]));
  return [x, y];
}
