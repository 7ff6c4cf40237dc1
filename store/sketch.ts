// A DDSketch-style latency histogram (Masson et al., VLDB 2019) on one fixed logarithmic
// bucket mapping. Every sketch in Telltale uses the same mapping and never collapses buckets,
// so merging is bucket-wise addition: exact, associative and commutative. Any window and any
// group of routes therefore yields the same percentile whichever way it was merged.

/** Every quantile is within this relative error of the exact value (for values ≥ MIN_INDEXABLE_MS). */
export const RELATIVE_ACCURACY = 0.01;
const GAMMA = (1 + RELATIVE_ACCURACY) / (1 - RELATIVE_ACCURACY);
const LOG_GAMMA = Math.log(GAMMA);
/** Durations below one microsecond are counted as zero. */
export const MIN_INDEXABLE_MS = 1e-3;

/** The bucket index of a positive duration: bucket i covers (γ^(i-1), γ^i]. */
export function bucketIndex(ms: number): number {
  return Math.ceil(Math.log(ms) / LOG_GAMMA);
}

/** The value reported for bucket i: within RELATIVE_ACCURACY of every value in the bucket. */
export function bucketValue(index: number): number {
  return (2 * Math.pow(GAMMA, index)) / (GAMMA + 1);
}

export class LatencySketch {
  /** Sparse bucket counts by index. */
  readonly buckets = new Map<number, number>();
  zeroCount = 0;
  count = 0;

  add(ms: number, times = 1): void {
    if (!(ms >= MIN_INDEXABLE_MS)) {
      this.zeroCount += times;
    } else {
      const index = bucketIndex(ms);
      this.buckets.set(index, (this.buckets.get(index) ?? 0) + times);
    }
    this.count += times;
  }

  merge(other: LatencySketch): this {
    for (const [index, n] of other.buckets) this.buckets.set(index, (this.buckets.get(index) ?? 0) + n);
    this.zeroCount += other.zeroCount;
    this.count += other.count;
    return this;
  }

  /**
   * The q-quantile (0 ≤ q ≤ 1) as the lower nearest rank on q·(n−1), the value of
   * sorted[floor(q·(n−1))]; NaN when empty.
   */
  quantile(q: number): number {
    if (this.count === 0) return NaN;
    const rank = Math.floor(Math.min(1, Math.max(0, q)) * (this.count - 1));
    if (rank < this.zeroCount) return 0;
    let seen = this.zeroCount;
    for (const index of [...this.buckets.keys()].sort((a, b) => a - b)) {
      seen += this.buckets.get(index) ?? 0;
      if (seen > rank) return bucketValue(index);
    }
    return NaN; // unreachable while counts are consistent
  }

  /** Several quantiles with one sort of the buckets. */
  quantiles(qs: readonly number[]): number[] {
    if (this.count === 0) return qs.map(() => NaN);
    const sorted = [...this.buckets.entries()].sort((a, b) => a[0] - b[0]);
    return qs.map((q) => {
      const rank = Math.floor(Math.min(1, Math.max(0, q)) * (this.count - 1));
      if (rank < this.zeroCount) return 0;
      let seen = this.zeroCount;
      for (const [index, n] of sorted) {
        seen += n;
        if (seen > rank) return bucketValue(index);
      }
      return NaN;
    });
  }

  /** Sparse arrays for column stores (ClickHouse `sumMap`) and for tests. */
  toArrays(): { indexes: number[]; counts: number[] } {
    const indexes = [...this.buckets.keys()].sort((a, b) => a - b);
    return { indexes, counts: indexes.map((i) => this.buckets.get(i) ?? 0) };
  }

  /**
   * Compact binary form: varint zeroCount, varint bucket count, then per bucket
   * a zigzag varint index delta and a varint count.
   */
  encode(): Buffer {
    const { indexes, counts } = this.toArrays();
    const bytes: number[] = [];
    writeVarint(bytes, this.zeroCount);
    writeVarint(bytes, indexes.length);
    let previous = 0;
    indexes.forEach((index, i) => {
      const delta = index - previous;
      writeVarint(bytes, delta >= 0 ? delta * 2 : -delta * 2 - 1);
      writeVarint(bytes, counts[i] ?? 0);
      previous = index;
    });
    return Buffer.from(bytes);
  }

  static decode(buf: Uint8Array): LatencySketch {
    const sketch = new LatencySketch();
    const cursor = { pos: 0 };
    sketch.zeroCount = readVarint(buf, cursor);
    sketch.count = sketch.zeroCount;
    const n = readVarint(buf, cursor);
    let index = 0;
    for (let i = 0; i < n; i++) {
      const zigzag = readVarint(buf, cursor);
      index += zigzag % 2 === 0 ? zigzag / 2 : -(zigzag + 1) / 2;
      const count = readVarint(buf, cursor);
      sketch.buckets.set(index, count);
      sketch.count += count;
    }
    return sketch;
  }

  static fromArrays(indexes: readonly number[], counts: readonly number[], zeroCount = 0): LatencySketch {
    const sketch = new LatencySketch();
    sketch.zeroCount = zeroCount;
    sketch.count = zeroCount;
    indexes.forEach((index, i) => {
      const n = counts[i] ?? 0;
      if (n === 0) return;
      sketch.buckets.set(index, (sketch.buckets.get(index) ?? 0) + n);
      sketch.count += n;
    });
    return sketch;
  }
}

// Varints carry counts up to 2^53 (plain arithmetic, not 32-bit shifts).
function writeVarint(out: number[], value: number): void {
  let v = value;
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
}

function readVarint(buf: Uint8Array, cursor: { pos: number }): number {
  let value = 0;
  let scale = 1;
  for (;;) {
    const byte = buf[cursor.pos++];
    if (byte === undefined) throw new RangeError('truncated sketch');
    value += (byte & 0x7f) * scale;
    if (byte < 0x80) return value;
    scale *= 0x80;
  }
}
