// The accepted time window's edges, with an injected clock: a span starting exactly at
// now − maxAge or now + maxFuture is kept, one nanosecond further is refused with a reason.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splitByWindow } from '../../collector/otlp/time-window.ts';
import type { SpanRecord } from '../../store/index.ts';

const NOW_MS = 1_764_000_000_000;
const span = (startNs: bigint, spanId: string) => ({ spanId, startTimeUnixNano: startNs.toString() }) as SpanRecord;

test('window edges are inclusive, to the nanosecond; reasons are capped, every rejection counted', () => {
  const window = { maxAgeMs: 60_000, maxFutureMs: 1_000, now: () => NOW_MS };
  const now = BigInt(NOW_MS) * 1_000_000n;
  const earliest = now - 60_000n * 1_000_000n;
  const latest = now + 1_000n * 1_000_000n;
  const spans = [span(earliest, 'a'), span(earliest - 1n, 'b'), span(latest, 'c'), span(latest + 1n, 'd'), span(1n, 'e'), span(2n ** 63n, 'f')];
  const split = splitByWindow(spans, window, 2);
  assert.deepEqual(split.kept.map((s) => s.spanId), ['a', 'c']);
  assert.equal(split.rejected, 4);
  assert.equal(split.errors.length, 2);
  assert.match(split.errors[0]!, /^span b: .* in the past$/);
  assert.match(split.errors[1]!, /^span d: .* in the future$/);
});
