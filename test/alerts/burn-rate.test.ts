import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WORKBOOK_BURN_WINDOWS, burnRate, evaluateBurn, initialState, step } from '../../alerts/index.ts';
import type { AlertTransition, BurnResult } from '../../alerts/index.ts';

const EVAL_MS = 15_000;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const TARGET = 99.9;
const BUDGET = 0.001;

/** A fixed ratio per window length; windows not listed had no errors. */
function ratios(byWindow: Record<number, number>): (windowMs: number) => number {
  return (windowMs) => byWindow[windowMs] ?? 0;
}

void test('burnRate is the error ratio over the error budget', () => {
  assert.ok(Math.abs(burnRate(0.0144, 99.9) - 14.4) < 1e-9);
  assert.ok(Math.abs(burnRate(0.006, 99.9) - 6) < 1e-9);
  assert.ok(Math.abs(burnRate(0.01, 99) - 1) < 1e-9);
  assert.equal(burnRate(NaN, 99.9), 0, 'a window without calls burns nothing');
  assert.equal(burnRate(0, 100), 0);
  assert.equal(burnRate(0.001, 100), Infinity, 'a 100% target has no budget: any error is an infinite burn');
});

void test('the Workbook table: each pair fires only when both its windows exceed its factor', () => {
  const W = WORKBOOK_BURN_WINDOWS;
  assert.deepEqual(W.map((w) => [w.longMs / MINUTE, w.shortMs / MINUTE, w.factor, w.severity]), [
    [60, 5, 14.4, 'page'], [360, 30, 6, 'page'], [4320, 360, 1, 'ticket'],
  ]);
  const page1 = evaluateBurn(W, ratios({ [HOUR]: 0.02, [5 * MINUTE]: 0.02 }), TARGET);
  assert.deepEqual([page1.active, page1.severity], [true, 'page']);
  assert.ok(Math.abs(page1.value - 20) < 1e-9);
  assert.equal(page1.summary, 'burn rate 20× over 1h and 20× over 5m > 14.4×');
  // The long window alone is history: the short window says it is over, so nothing fires.
  assert.equal(evaluateBurn(W, ratios({ [HOUR]: 0.02, [5 * MINUTE]: 0.01 }), TARGET).active, false);
  // The short window alone is a spike.
  assert.equal(evaluateBurn(W, ratios({ [HOUR]: 0.01, [5 * MINUTE]: 0.5 }), TARGET).active, false);
  const page2 = evaluateBurn(W, ratios({ [6 * HOUR]: 0.007, [30 * MINUTE]: 0.007 }), TARGET);
  assert.deepEqual([page2.active, page2.severity], [true, 'page']);
  const ticket = evaluateBurn(W, ratios({ [72 * HOUR]: 0.0015, [6 * HOUR]: 0.0015 }), TARGET);
  assert.deepEqual([ticket.active, ticket.severity], [true, 'ticket']);
  assert.equal(ticket.summary, 'burn rate 1.5× over 3d and 1.5× over 6h > 1×');
  // When a page pair and the ticket pair both fire, the page wins.
  const both = evaluateBurn(W, ratios({ [72 * HOUR]: 0.02, [6 * HOUR]: 0.02, [HOUR]: 0.02, [5 * MINUTE]: 0.02, [30 * MINUTE]: 0.02 }), TARGET);
  assert.equal(both.severity, 'page');
  const quiet = evaluateBurn(W, ratios({ [HOUR]: 0.0005 }), TARGET);
  assert.deepEqual([quiet.active, quiet.severity], [false, null]);
  assert.ok(Math.abs(quiet.value - 0.5) < 1e-9, 'the value of a quiet rule is the first pair\'s long-window burn');
  assert.equal(evaluateBurn(W, () => NaN, TARGET).active, false);
});

/**
 * Simulates evaluations every 15 s over steady traffic whose error ratio per 15 s bucket is
 * `errorRatioAt(offsetMs)`, preceded by three clean days so every window is full. Returns each
 * evaluation's result and the state machine's transitions (for: 0, as burn alerts use).
 */
function simulate(durationMs: number, errorRatioAt: (offsetMs: number) => number) {
  const history = (72 * HOUR) / EVAL_MS;
  const evals = durationMs / EVAL_MS;
  // prefix[i] = summed error ratio of the first i buckets (equal traffic per bucket).
  const prefix = new Float64Array(history + evals + 1);
  for (let i = 0; i < history + evals; i += 1) {
    const ratio = i < history ? 0 : errorRatioAt((i - history) * EVAL_MS);
    prefix[i + 1] = prefix[i]! + ratio;
  }
  const results: { atMs: number; result: BurnResult }[] = [];
  const transitions: { atMs: number; transition: AlertTransition }[] = [];
  let state = initialState();
  for (let n = 0; n < evals; n += 1) {
    const end = history + n + 1;
    const errorRatioOf = (windowMs: number): number => {
      const k = windowMs / EVAL_MS;
      return (prefix[end]! - prefix[end - k]!) / k;
    };
    // Evaluation n runs at the end of bucket n, so the bucket it just saw is inside every window.
    const atMs = (n + 1) * EVAL_MS;
    const result = evaluateBurn(WORKBOOK_BURN_WINDOWS, errorRatioOf, TARGET);
    results.push({ atMs, result });
    const r = step(state, { active: result.active, value: result.value, nowMs: atMs }, { forMs: 0, keepFiringForMs: 0 });
    state = r.state;
    if (r.transition) transitions.push({ atMs, transition: r.transition });
  }
  return { results, transitions, firstPageAtMs: results.find((x) => x.result.severity === 'page')?.atMs };
}

void test('a short spike does not page: 10% errors for 5 minutes lights only the 5m window', () => {
  const { results, transitions } = simulate(2 * HOUR, (t) => (t >= 10 * MINUTE && t < 15 * MINUTE ? 0.1 : 0));
  // 5m: 100× (over); 1h: 10% × 5/60 = 8.3× (under 14.4); 6h: 1.4× (under 6); 3d: under 1.
  assert.equal(results.some((x) => x.result.active), false);
  assert.deepEqual(transitions, []);
});

void test('a total outage pages within a minute (the 1h window passes 14.4× after 52 s of 100% errors)', () => {
  const { firstPageAtMs } = simulate(10 * MINUTE, () => 1);
  // 14.4 × 0.001 × 60 min = 0.864 min: the fourth evaluation (60 s) is the first with > 51.84 s of errors.
  assert.equal(firstPageAtMs, 60_000);
});

void test('a sustained 15× burn pages when the 1h window fills, as the Workbook\'s detection time says', () => {
  const { firstPageAtMs, transitions } = simulate(2 * HOUR, () => 15 * BUDGET);
  // Detection time = 14.4 / 15 × 1h = 57.6 min; evaluations every 15 s fire at the next one.
  assert.equal(firstPageAtMs, 57.75 * MINUTE);
  assert.deepEqual(transitions, [{ atMs: 57.75 * MINUTE, transition: 'firing' }], 'it pages once and stays firing');
});

void test('a sustained 14.4×+ burn resuming after a pause pages again once the 5m window is also over, within 5 minutes', () => {
  // 20× for 90 min, a 15-minute pause (the fix that did not hold), then 20× again.
  const burning = (t: number): number => (t < 90 * MINUTE || t >= 105 * MINUTE ? 20 * BUDGET : 0);
  const { results, transitions } = simulate(2 * HOUR, burning);
  const pageAt = (from: number): number | undefined => results.find((x) => x.atMs >= from && x.result.severity === 'page')?.atMs;
  // The pause resolves the page within 5 minutes even though the 1h window is still over 14.4×.
  const resolvedAt = transitions.find((t) => t.transition === 'resolved')?.atMs;
  assert.ok(resolvedAt !== undefined && resolvedAt > 90 * MINUTE && resolvedAt <= 95 * MINUTE, String(resolvedAt));
  // On resuming, the 5m window needs 14.4/20 × 5 min = 3.6 min; the 1h window is over all along.
  const again = pageAt(105 * MINUTE)!;
  assert.equal(again - 105 * MINUTE, 3.75 * MINUTE);
  assert.ok(again - 105 * MINUTE <= 5 * MINUTE);
  assert.deepEqual(transitions.map((t) => t.transition), ['firing', 'resolved', 'firing']);
});

void test('a slow 8× burn pages through the 6h/30m pair and a 1.5× burn only opens a ticket', () => {
  const slow = simulate(6 * HOUR, () => 8 * BUDGET);
  // 6h window passes 6× after 6/8 × 6h = 4.5 h; the 1h pair never fires at 8×.
  // At exactly 4.5 h the burn equals 6× and floating point decides; one evaluation later it is over.
  assert.ok(slow.firstPageAtMs! >= 4.5 * HOUR && slow.firstPageAtMs! <= 4.5 * HOUR + EVAL_MS, String(slow.firstPageAtMs));
  assert.equal(slow.results.find((x) => x.result.active)?.result.summary.endsWith('over 30m > 6×'), true);
  const trickle = simulate(10 * HOUR, () => 1.5 * BUDGET);
  assert.equal(trickle.results.some((x) => x.result.severity === 'page'), false);
  // The ticket needs the 3d window over 1×: 1/1.5 × 72 h = 48 h, longer than this run; the 6h one alone is not enough.
  assert.equal(trickle.results.some((x) => x.result.active), false);
});
