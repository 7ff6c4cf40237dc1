// A tiny inline SVG trend (calls, with failing buckets in red): many of them on one page cost
// far less than chart instances.
import { sparklinePath } from '../lib/series.ts';

export function Sparkline({ calls, errors, label, width = 160, height = 28 }: { calls: number[]; errors: number[]; label: string; width?: number; height?: number }) {
  const max = Math.max(0, ...calls);
  return (
    <svg className="sparkline" width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={label}>
      <path className="spark-calls" d={sparklinePath(calls, width, height - 2, max)} transform="translate(0 1)" />
      <path className="spark-errors" d={sparklinePath(errors, width, height - 2, max)} transform="translate(0 1)" />
    </svg>
  );
}
