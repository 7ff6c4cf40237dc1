import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RESOLVED_RETENTION_MS, initialState, step } from '../../alerts/index.ts';
import type { AlertState, AlertTransition, StateRule } from '../../alerts/index.ts';

const T0 = Date.UTC(2026, 0, 5, 3, 0, 0);
const EVAL_MS = 15_000;
const MINUTE = 60_000;

/** Runs a series of active/inactive evaluations every 15 s and records each transition with its time offset. */
function run(rule: StateRule, actives: readonly boolean[], start: AlertState = initialState()) {
  let state = start;
  const transitions: { atMs: number; transition: AlertTransition }[] = [];
  actives.forEach((active, i) => {
    const nowMs = T0 + i * EVAL_MS;
    const r = step(state, { active, value: active ? 1 : 0, nowMs }, rule);
    state = r.state;
    if (r.transition) transitions.push({ atMs: nowMs - T0, transition: r.transition });
  });
  return { state, transitions };
}

const repeat = (v: boolean, n: number): boolean[] => Array<boolean>(n).fill(v);

void test('for: pending at the first active evaluation, firing once the condition held for the whole duration', () => {
  const { state, transitions } = run({ forMs: 2 * MINUTE, keepFiringForMs: 0 }, repeat(true, 10));
  assert.deepEqual(transitions, [{ atMs: 0, transition: 'pending' }, { atMs: 2 * MINUTE, transition: 'firing' }]);
  assert.equal(state.status, 'firing');
  assert.equal(state.activeSinceMs, T0);
  assert.equal(state.firingSinceMs, T0 + 2 * MINUTE);
  assert.equal(state.lastValue, 1);
});

void test('for: 0 fires on the first active evaluation, as Prometheus does', () => {
  const { transitions } = run({ forMs: 0, keepFiringForMs: 0 }, [true]);
  assert.deepEqual(transitions, [{ atMs: 0, transition: 'firing' }]);
});

void test('for: one false evaluation while pending returns to inactive and restarts the wait', () => {
  const series = [...repeat(true, 7), false, ...repeat(true, 9)];
  const { state, transitions } = run({ forMs: 2 * MINUTE, keepFiringForMs: 0 }, series);
  // Pending at 0, dropped at 105 s (no transition to notify), pending again at 120 s, firing 2 min later.
  assert.deepEqual(transitions, [
    { atMs: 0, transition: 'pending' },
    { atMs: 8 * EVAL_MS, transition: 'pending' },
    { atMs: 8 * EVAL_MS + 2 * MINUTE, transition: 'firing' },
  ]);
  assert.equal(state.status, 'firing');
  const dropped = run({ forMs: 2 * MINUTE, keepFiringForMs: 0 }, [...repeat(true, 7), false]).state;
  assert.equal(dropped.status, 'inactive');
  assert.equal(dropped.activeSinceMs, null);
});

void test('firing → resolved at the first clear evaluation without keepFiringFor, then inactive after the retention', () => {
  const rule = { forMs: 0, keepFiringForMs: 0 };
  const { state, transitions } = run(rule, [true, true, false]);
  assert.deepEqual(transitions.map((t) => t.transition), ['firing', 'resolved']);
  assert.equal(state.status, 'resolved');
  assert.equal(state.resolvedAtMs, T0 + 2 * EVAL_MS);
  assert.equal(state.firingSinceMs, T0, 'firingSinceMs is kept so a resolved email can say how long it lasted');
  const later = step(state, { active: false, value: 0, nowMs: state.resolvedAtMs + RESOLVED_RETENTION_MS - 1 }, rule);
  assert.equal(later.state.status, 'resolved');
  const gone = step(state, { active: false, value: 0, nowMs: state.resolvedAtMs + RESOLVED_RETENTION_MS }, rule);
  assert.equal(gone.state.status, 'inactive');
  assert.equal(gone.transition, undefined);
});

void test('resolved → pending when the condition returns, with a fresh activeSinceMs', () => {
  const rule = { forMs: MINUTE, keepFiringForMs: 0 };
  const { state } = run(rule, [...repeat(true, 5), false]);
  assert.equal(state.status, 'resolved');
  const again = step(state, { active: true, value: 2, nowMs: T0 + 10 * MINUTE }, rule);
  assert.equal(again.transition, 'pending');
  assert.equal(again.state.activeSinceMs, T0 + 10 * MINUTE);
  assert.equal(again.state.resolvedAtMs, null);
});

void test('keepFiringFor: keeps firing after the condition clears and resolves only once it has been clear that long', () => {
  const rule = { forMs: 0, keepFiringForMs: MINUTE };
  const { state, transitions } = run(rule, [true, ...repeat(false, 5)]);
  // Cleared at 15 s; still firing at 15…60 s; resolved at 75 s = 15 s + 1 min.
  assert.deepEqual(transitions, [{ atMs: 0, transition: 'firing' }, { atMs: 5 * EVAL_MS, transition: 'resolved' }]);
  assert.equal(state.status, 'resolved');
  const mid = run(rule, [true, false, false]).state;
  assert.equal(mid.status, 'firing');
  assert.equal(mid.clearedAtMs, T0 + EVAL_MS);
});

void test('keepFiringFor: the condition returning during the hold cancels the resolve', () => {
  const rule = { forMs: 0, keepFiringForMs: MINUTE };
  const { state, transitions } = run(rule, [true, false, false, false, true, false, false, false, false]);
  // The clock restarts at the second clear (75 s); 4 clear evaluations (to 120 s) are under a minute.
  assert.deepEqual(transitions.map((t) => t.transition), ['firing']);
  assert.equal(state.status, 'firing');
  assert.equal(state.clearedAtMs, T0 + 5 * EVAL_MS);
});

void test('flapping around a threshold: keepFiringFor turns an hour of flapping into one firing and one resolved', () => {
  // The condition alternates every evaluation for an hour, then stays clear.
  const flapping = Array.from({ length: 240 }, (_, i) => i % 2 === 0);
  const damped = run({ forMs: 0, keepFiringForMs: 5 * MINUTE }, [...flapping, ...repeat(false, 40)]);
  assert.deepEqual(damped.transitions.map((t) => t.transition), ['firing', 'resolved']);
  // Without keep_firing_for every flip would be a notification: the storm the option exists to stop.
  const raw = run({ forMs: 0, keepFiringForMs: 0 }, flapping);
  assert.equal(raw.transitions.length, 240);
  // A `for` longer than one evaluation never lets a flapping condition fire at all.
  const gated = run({ forMs: MINUTE, keepFiringForMs: 0 }, flapping);
  assert.ok(gated.transitions.every((t) => t.transition === 'pending'));
});

void test('state is plain JSON: a restart from the serialized state continues exactly where it was', () => {
  const rule = { forMs: 2 * MINUTE, keepFiringForMs: MINUTE };
  const series = [...repeat(true, 12), ...repeat(false, 6)];
  const straight = run(rule, series);
  let state = initialState();
  const transitions: AlertTransition[] = [];
  series.forEach((active, i) => {
    const r = step(state, { active, value: i, nowMs: T0 + i * EVAL_MS }, rule);
    if (r.transition) transitions.push(r.transition);
    state = JSON.parse(JSON.stringify(r.state)) as AlertState;
  });
  assert.deepEqual(transitions, straight.transitions.map((t) => t.transition));
  assert.equal(state.status, straight.state.status);
});

void test('step never mutates the state it was given', () => {
  const s = initialState();
  const frozen = Object.freeze({ ...s });
  step(frozen, { active: true, value: 1, nowMs: T0 }, { forMs: 0, keepFiringForMs: 0 });
  assert.deepEqual(frozen, s);
});
