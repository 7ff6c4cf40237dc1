// The scheduler under simulated time: spreading, no overlap, no burst after a pause or clock
// jump, independence of a hanging check, drift reporting, and close() waiting for runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CheckScheduler, MAX_SLEEP_MS, nextRunAfter, parseSchedule, type Check, type RunStart } from '../../synthetic/index.ts';
import { SimulatedTime, settle } from '../helpers/simulated-time.ts';

/** 2030-01-01T00:00:00Z plus a few seconds, so the first slots are not all at a minute boundary. */
const START = Date.UTC(2030, 0, 1) + 7_000;

function check(id: string, schedule = '1m', more: Partial<Check> = {}): Check {
  return { id, name: id, type: 'http', schedule, request: { url: 'http://127.0.0.1/' }, ...more } as Check;
}

function slot(schedule: string, afterMs: number, id: string): number {
  const parsed = parseSchedule(schedule);
  assert.ok(parsed.ok);
  return nextRunAfter(parsed.schedule, afterMs, id);
}

interface Harness {
  time: SimulatedTime;
  scheduler: CheckScheduler;
  starts: RunStart[];
  skips: Array<{ checkId: string; plannedAtMs: number }>;
  errors: Array<{ checkId: string; error: unknown }>;
  ran: (id: string) => number[];
}

function harness(run: (check: Check, time: SimulatedTime) => Promise<unknown> = async () => {}): Harness {
  const time = new SimulatedTime(START);
  const starts: RunStart[] = [];
  const skips: Harness['skips'] = [];
  const errors: Harness['errors'] = [];
  const scheduler = new CheckScheduler({
    now: time.now, timers: time.timers,
    run: (c) => run(c, time),
    onStart: (s) => starts.push(s),
    onSkip: (checkId, plannedAtMs) => skips.push({ checkId, plannedAtMs }),
    onError: (checkId, error) => errors.push({ checkId, error }),
  });
  return { time, scheduler, starts, skips, errors, ran: (id) => starts.filter((s) => s.checkId === id).map((s) => s.startedAtMs) };
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

test('1,000 one-minute checks spread over the minute, each on its own slot, with no drift', async () => {
  const h = harness();
  const ids = Array.from({ length: 1000 }, (_, i) => `check-${i}`);
  h.scheduler.replaceAll(ids.map((id) => check(id)));
  assert.equal(h.scheduler.size, 1000);
  await h.time.advance(120_000);
  const perSecond = new Map<number, number>();
  for (const id of ids) {
    const first = slot('1m', START, id);
    assert.deepEqual(h.ran(id), [first, first + 60_000].filter((t) => t <= START + 120_000), id);
  }
  for (const s of h.starts) {
    assert.equal(s.driftMs, 0);
    const second = Math.floor((s.startedAtMs % 60_000) / 1000);
    perSecond.set(second, (perSecond.get(second) ?? 0) + 1);
  }
  const firstMinute = h.starts.filter((s) => s.startedAtMs < START + 60_000).length;
  assert.ok(firstMinute >= 990 && firstMinute <= 1000, `${firstMinute} runs in the first minute`);
  assert.equal(perSecond.size, 60, 'every second of the minute has runs');
  assert.ok(Math.max(...perSecond.values()) <= 2 * 2000 / 60, `busiest second: ${Math.max(...perSecond.values())} of ~33`);
  await h.scheduler.close();
});

test('a run longer than the interval never overlaps the next: those slots are skipped', async () => {
  let active = 0;
  let maxActive = 0;
  const h = harness(async (_c, time) => {
    active++;
    maxActive = Math.max(maxActive, active);
    await new Promise<void>((resolve) => time.timers.setTimeout(resolve, 150_000));
    active--;
  });
  h.scheduler.upsert(check('slow'));
  const s0 = slot('1m', START, 'slow');
  await h.time.advance(s0 - START + 5 * 60_000 + 1);
  assert.equal(maxActive, 1);
  assert.deepEqual(h.ran('slow'), [s0, s0 + 180_000]);
  assert.deepEqual(h.skips.map((s) => s.plannedAtMs), [s0 + 60_000, s0 + 120_000, s0 + 240_000, s0 + 300_000]);
  // close() waits for the run in flight, which ends when simulated time reaches it.
  const closing = h.scheduler.close();
  await h.time.advance(150_000);
  await closing;
  assert.equal(h.ran('slow').length, 2);
});

test('a hanging check does not delay another', async () => {
  const hang = deferred();
  const h = harness((c) => (c.id === 'hangs' ? hang.promise : Promise.resolve()));
  h.scheduler.replaceAll([check('hangs'), check('healthy')]);
  await h.time.advance(5 * 60_000);
  const healthy = h.starts.filter((s) => s.checkId === 'healthy');
  assert.equal(healthy.length, 5);
  assert.ok(healthy.every((s) => s.driftMs === 0));
  assert.equal(h.ran('hangs').length, 1);
  assert.equal(h.skips.filter((s) => s.checkId === 'hangs').length, 4);
  hang.resolve();
  await h.scheduler.close();
});

test('after a 10-minute pause each check runs once, then resumes its slots', async () => {
  const h = harness();
  const checks = [check('every-30s', '30s'), check('every-1m', '1m'), check('every-5m', '5m')];
  h.scheduler.replaceAll(checks);
  await h.time.advance(6 * 60_000);
  const before = h.starts.length;
  await h.time.pause(10 * 60_000);
  const caughtUp = h.starts.slice(before);
  assert.deepEqual(caughtUp.map((s) => s.checkId).sort(), ['every-1m', 'every-30s', 'every-5m'], 'one run each, not one per missed slot');
  assert.ok(caughtUp.every((s) => s.driftMs > 0 && s.driftMs <= 10 * 60_000));
  const resumeAt = h.time.now();
  await h.time.advance(5 * 60_000);
  for (const c of checks) {
    const after = h.ran(c.id).filter((t) => t > resumeAt);
    assert.equal(after[0], slot(c.schedule, resumeAt, c.id), `${c.id} back on its grid`);
  }
  assert.ok(h.starts.slice(before + 3).every((s) => s.driftMs === 0));
  await h.scheduler.close();
});

test('wall-clock jumps: forward runs each check once; backward does not silence checks', async () => {
  const h = harness();
  h.scheduler.replaceAll([check('a'), check('b', '5m')]);
  await h.time.advance(2 * 60_000);
  let before = h.starts.length;
  h.time.jumpWall(3_600_000);
  await h.time.advance(MAX_SLEEP_MS);
  assert.deepEqual(h.starts.slice(before).filter((s) => s.driftMs > 60_000).map((s) => s.checkId).sort(), ['a', 'b'], 'one catch-up each');
  for (const id of ['a', 'b']) {
    const since = h.starts.slice(before).filter((s) => s.checkId === id).length;
    assert.ok(since <= 2, `${id}: ${since} runs in the minute after an hour's jump (catch-up plus at most its next slot)`);
  }

  before = h.starts.length;
  h.time.jumpWall(-3_600_000);
  await h.time.advance(MAX_SLEEP_MS + 60_000);
  assert.ok(h.starts.slice(before).some((s) => s.checkId === 'a'), 'the 1m check still runs within two minutes');
  await h.scheduler.close();
});

test('start drift is reported when the timer fires late', async () => {
  const h = harness();
  h.scheduler.upsert(check('drifty'));
  const s0 = slot('1m', START, 'drifty');
  await h.time.advance(s0 - START - 500);
  await h.time.pause(2000); // the event loop was blocked across the slot
  assert.deepEqual(h.starts.map((s) => [s.plannedAtMs, s.driftMs]), [[s0, 1500]]);
  await h.scheduler.close();
});

test('close waits for runs in flight and starts no new ones', async () => {
  const inFlight = deferred();
  const h = harness(() => inFlight.promise);
  h.scheduler.replaceAll([check('x')]);
  await h.time.advance(60_000);
  assert.equal(h.scheduler.running, 1);
  let closed = false;
  const closing = h.scheduler.close().then(() => (closed = true));
  await settle();
  assert.equal(closed, false, 'still waiting for the run');
  inFlight.resolve();
  await closing;
  assert.equal(closed, true);
  await h.time.advance(10 * 60_000);
  assert.equal(h.starts.length, 1);
  assert.equal(h.time.pendingTimers, 0);
});

test('edits: an unchanged schedule keeps its slot, disabled checks stop, failures are reported', async () => {
  const h = harness(async (c) => {
    if (c.id === 'throws') throw new Error('boom');
  });
  h.scheduler.replaceAll([check('kept'), check('throws'), check('dropped')]);
  const kept = h.scheduler.nextRunOf('kept');
  h.scheduler.upsert(check('kept', '1m', { name: 'renamed' }));
  assert.equal(h.scheduler.nextRunOf('kept'), kept);
  h.scheduler.upsert(check('kept', '5m', { name: 'renamed' }));
  assert.equal(h.scheduler.nextRunOf('kept'), slot('5m', START, 'kept'));
  h.scheduler.upsert(check('dropped', '1m', { enabled: false }));
  h.scheduler.replaceAll([check('kept', '5m', { name: 'renamed' }), check('throws')]);
  assert.equal(h.scheduler.size, 2);
  await h.time.advance(5 * 60_000);
  assert.equal(h.ran('dropped').length, 0);
  assert.equal(h.ran('kept').length, 1);
  assert.equal(h.errors.length, 5);
  assert.match(String(h.errors[0]!.error), /boom/);
  await h.scheduler.close();
});
