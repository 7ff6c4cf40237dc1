// Exact statistics computed from raw values: what Telltale's numbers are checked against.

/** The lower nearest-rank quantile sorted[floor(q·(n−1))], the definition Telltale reports. */
export function exactQuantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(q * (sorted.length - 1))]!;
}

/** Relative error |estimate − exact| / exact (0 when both are 0). */
export function relativeError(estimate: number, exact: number): number {
  if (exact === 0) return estimate === 0 ? 0 : Infinity;
  return Math.abs(estimate - exact) / Math.abs(exact);
}
