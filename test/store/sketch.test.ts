import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LatencySketch, MIN_INDEXABLE_MS, RELATIVE_ACCURACY, bucketIndex, bucketValue } from '../../store/sketch.ts';
import { createRandom } from '../helpers/random.ts';
import type { Random } from '../helpers/random.ts';

const QUANTILES = [0, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 1];
// Floating-point log and pow can land a value exactly on a bucket edge one ulp to either side.
const SLACK = 1e-9;

function exactQuantile(sorted: readonly number[], q: number): number {
  return sorted[Math.floor(q * (sorted.length - 1))]!;
}

function assertClose(actual: number, expected: number, label: string): void {
  const error = Math.abs(actual - expected);
  assert.ok(error <= RELATIVE_ACCURACY * expected + SLACK, `${label}: ${actual} vs exact ${expected} (rel ${error / expected})`);
}

function sketchOf(values: readonly number[]): LatencySketch {
  const sketch = new LatencySketch();
  for (const v of values) sketch.add(v);
  return sketch;
}

function snapshot(sketch: LatencySketch): unknown {
  return { ...sketch.toArrays(), zeroCount: sketch.zeroCount, count: sketch.count };
}

void test('every value from 1 µs to 1 h maps to a bucket value within the relative accuracy', () => {
  let checked = 0;
  for (let v = MIN_INDEXABLE_MS; v <= 3_600_000; v *= 1.0007) {
    assertClose(bucketValue(bucketIndex(v)), v, `value ${v}`);
    checked += 1;
  }
  // Exact bucket edges are where rounding would bite first.
  for (let i = bucketIndex(MIN_INDEXABLE_MS); i <= bucketIndex(3_600_000); i++) {
    const edge = Math.pow((1 + RELATIVE_ACCURACY) / (1 - RELATIVE_ACCURACY), i);
    assertClose(bucketValue(bucketIndex(edge)), edge, `edge ${i}`);
  }
  assert.ok(checked > 30_000);
});

for (const [shape, seed, draw] of [
  ['log-normal', 11, (r: Random) => r.lognormal(Math.log(40), 0.9)],
  ['bimodal', 12, (r: Random) => r.bimodal()],
  ['uniform', 13, (r: Random) => 1 + r.next() * 999],
] as const) {
  void test(`quantiles of ${shape} latencies are within 1% of the exact lower nearest rank`, () => {
    const random = createRandom(seed);
    const values = Array.from({ length: 20_000 }, () => draw(random));
    const sketch = sketchOf(values);
    const sorted = [...values].sort((a, b) => a - b);
    const batch = sketch.quantiles(QUANTILES);
    QUANTILES.forEach((q, i) => {
      assertClose(sketch.quantile(q), exactQuantile(sorted, q), `${shape} q=${q}`);
      assert.equal(batch[i], sketch.quantile(q), 'quantiles() agrees with quantile()');
    });
  });
}

void test('merging is associative and commutative, and equals sketching the union', () => {
  const random = createRandom(42);
  const parts = [0, 1, 2].map(() => Array.from({ length: 3000 }, () => random.bimodal()));
  parts[0]!.push(0, 0.0001); // zero counts merge too
  const [a, b, c] = parts.map(sketchOf) as [LatencySketch, LatencySketch, LatencySketch];
  const leftFirst = sketchOf([]).merge(a).merge(b).merge(c);
  const rightFirst = sketchOf([]).merge(a).merge(sketchOf([]).merge(b).merge(c));
  const reversed = sketchOf([]).merge(c).merge(b).merge(a);
  const union = sketchOf(parts.flat());
  assert.deepEqual(snapshot(leftFirst), snapshot(union));
  assert.deepEqual(snapshot(rightFirst), snapshot(union));
  assert.deepEqual(snapshot(reversed), snapshot(union));
});

void test('encode and decode round-trip, including negative indexes and counts beyond 32 bits', () => {
  const sketch = sketchOf([0, 0.002, 0.5, 1, 17.3, 250, 3_600_000]);
  sketch.add(42, 2 ** 40 + 3);
  sketch.add(0, 2 ** 33);
  const decoded = LatencySketch.decode(sketch.encode());
  assert.deepEqual(snapshot(decoded), snapshot(sketch));
  assert.deepEqual(snapshot(LatencySketch.decode(new LatencySketch().encode())), snapshot(new LatencySketch()));
  assert.throws(() => LatencySketch.decode(sketch.encode().subarray(0, 5)), RangeError);
});

void test('fromArrays builds the same sketch as adding values', () => {
  const sketch = sketchOf([0, 3, 3, 90, 1200]);
  const { indexes, counts } = sketch.toArrays();
  assert.deepEqual(snapshot(LatencySketch.fromArrays(indexes, counts, sketch.zeroCount)), snapshot(sketch));
});

void test('an empty sketch has no quantiles', () => {
  const sketch = new LatencySketch();
  assert.ok(Number.isNaN(sketch.quantile(0.5)));
  assert.ok(sketch.quantiles([0.5, 0.99]).every(Number.isNaN));
});

void test('values below one microsecond count as zero', () => {
  const sketch = sketchOf([0, 0.0005, MIN_INDEXABLE_MS / 2, 10]);
  assert.equal(sketch.zeroCount, 3);
  assert.equal(sketch.count, 4);
  assert.equal(sketch.quantile(0), 0);
  assert.equal(sketch.quantile(0.6), 0);
  assertClose(sketch.quantile(1), 10, 'max');
});
