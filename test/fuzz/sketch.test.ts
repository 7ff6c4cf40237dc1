// Property tests of the latency sketch: merging is associative and commutative (rollups of any
// window and any group of routes agree whichever way they are merged), and every percentile is
// within the stated 1% of the exact lower-nearest-rank percentile of the same values.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LatencySketch, RELATIVE_ACCURACY } from '../../store/sketch.ts';
import { exactQuantile, relativeError } from '../helpers/exact.ts';
import { fc, runsFor } from './settings.ts';

// Durations as they arrive: zeros, sub-microsecond noise, typical milliseconds, long tails.
const duration = fc.oneof(
  fc.constant(0),
  fc.double({ min: 0, max: 1e-3, noNaN: true }),
  fc.double({ min: 1e-3, max: 1e3, noNaN: true }),
  fc.double({ min: 1e3, max: 1e7, noNaN: true }),
  fc.integer({ min: 1, max: 100_000 }),
);
const values = fc.array(duration, { maxLength: 300 });

function sketchOf(list: number[]): LatencySketch {
  const sketch = new LatencySketch();
  for (const v of list) sketch.add(v);
  return sketch;
}

const copy = (s: LatencySketch) => new LatencySketch().merge(s);
const state = (s: LatencySketch) => ({ ...s.toArrays(), zero: s.zeroCount, count: s.count });

test('merge is commutative', () => {
  fc.assert(fc.property(values, values, (a, b) => {
    assert.deepEqual(state(sketchOf(a).merge(sketchOf(b))), state(sketchOf(b).merge(sketchOf(a))));
  }));
});

test('merge is associative, and merging equals sketching the concatenation', () => {
  fc.assert(fc.property(values, values, values, (a, b, c) => {
    const [sa, sb, sc] = [sketchOf(a), sketchOf(b), sketchOf(c)];
    const left = copy(sa).merge(sb).merge(sc);
    const right = copy(sa).merge(copy(sb).merge(sc));
    assert.deepEqual(state(left), state(right));
    assert.deepEqual(state(left), state(sketchOf([...a, ...b, ...c])));
  }));
});

test('every percentile of merged sketches is within 1% of the exact one', () => {
  fc.assert(fc.property(fc.array(values, { minLength: 1, maxLength: 6 }), fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 5 }), (parts, qs) => {
    const all = parts.flat();
    fc.pre(all.length > 0);
    const merged = parts.map(sketchOf).reduce((acc, s) => acc.merge(s), new LatencySketch());
    const estimates = merged.quantiles([...qs, 0.5, 0.95, 0.99, 1]);
    [...qs, 0.5, 0.95, 0.99, 1].forEach((q, i) => {
      const exact = exactQuantile(all, q);
      // Values below the smallest indexable duration (1 µs) are reported as 0, as documented.
      const expected = exact < 1e-3 ? 0 : exact;
      assert.ok(relativeError(estimates[i]!, expected) <= RELATIVE_ACCURACY + 1e-12, `q=${q}: ${estimates[i]} vs exact ${expected}`);
      assert.equal(merged.quantile(q), estimates[i]);
    });
  }), { numRuns: runsFor(2) });
});
