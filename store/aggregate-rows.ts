// Merging rollup rows into the answer of an aggregate query, the same way for every engine:
// rows of one group (and time bucket) add up exactly, and the answer is sorted by group, then time.
import { emptyAggregate, mergeAggregate } from './aggregate.ts';
import type { Aggregate, AggregateRow, RollupDimension, RollupKey } from './types.ts';

export class AggregateRows {
  readonly #groupBy: readonly RollupDimension[];
  readonly #rows = new Map<string, AggregateRow>();

  constructor(groupBy: readonly RollupDimension[]) {
    this.#groupBy = groupBy;
  }

  /** Adds one row's aggregate to its group; `dims` holds at least the grouped dimensions. */
  add(dims: Readonly<Partial<Record<RollupDimension, string>>>, bucketStartMs: number | undefined, agg: Aggregate): void {
    const values = this.#groupBy.map((dim) => dims[dim]);
    const key = JSON.stringify([values, bucketStartMs ?? null]);
    let row = this.#rows.get(key);
    if (!row) {
      const group: Partial<RollupKey> = {};
      for (const dim of this.#groupBy) Object.assign(group, { [dim]: dims[dim] });
      row = bucketStartMs === undefined ? { group, agg: emptyAggregate() } : { group, bucketStartMs, agg: emptyAggregate() };
      this.#rows.set(key, row);
    }
    mergeAggregate(row.agg, agg);
  }

  /** The merged rows, by group then by bucket start. */
  sorted(): AggregateRow[] {
    const groupBy = this.#groupBy;
    return [...this.#rows.values()].sort((a, b) => {
      for (const dim of groupBy) {
        const x = a.group[dim] ?? '';
        const y = b.group[dim] ?? '';
        if (x !== y) return x < y ? -1 : 1;
      }
      return (a.bucketStartMs ?? 0) - (b.bucketStartMs ?? 0);
    });
  }
}
