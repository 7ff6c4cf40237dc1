// Runs checks on their schedules. One timer for all checks, armed for the earliest next run in
// a heap; each run is its own promise, so a slow or hanging check (bounded by the runner's
// timeout) never delays another. The clock and timers are injected: tests drive it with
// simulated time instead of sleeping.
//
// Rules, each for a reason:
// - Slots come from nextRunAfter, which spreads checks over their period by id.
// - At most one run per check: a slot that comes while the previous run is still going is
//   skipped (and reported), so a slow target is not hit by a pile of overlapping runs.
// - After every run slot the next one is "the first slot after now", so a pause or a forward
//   clock jump yields one catch-up run per check, never a burst of the missed ones.
// - The timer never sleeps longer than MAX_SLEEP_MS, and a wall clock found to have gone
//   backwards re-plans every check, so a backward jump cannot silence checks for its length.
import { nextRunAfter, parseSchedule, type Schedule } from './schedule.ts';
import type { Check } from './types/index.ts';
import { MinHeap } from './min-heap.ts';

/** Timer functions; the defaults are Node's, unref'd so the scheduler alone keeps no process alive. */
export interface SchedulerTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** A run starting: `driftMs` is how late it starts against its planned slot (timer and event-loop lag). */
export interface RunStart {
  checkId: string;
  plannedAtMs: number;
  startedAtMs: number;
  driftMs: number;
}

export interface SchedulerOptions {
  /** Wall clock, epoch ms: slots are wall-clock times. */
  now: () => number;
  timers?: SchedulerTimers;
  /** Runs and records one check. Rejections are reported through onError and never stop the scheduler. */
  run: (check: Check) => Promise<unknown>;
  onStart?: (start: RunStart) => void;
  /** A slot skipped because the check's previous run was still going. */
  onSkip?: (checkId: string, plannedAtMs: number) => void;
  onError?: (checkId: string, error: unknown) => void;
}

/** Longest single sleep, so a backward clock jump is noticed within this long. */
export const MAX_SLEEP_MS = 60_000;
/** A wall clock this far behind the last wake-up has jumped back (NTP slews far less). */
const BACKWARD_JUMP_MS = 1_000;

interface Entry {
  check: Check;
  /** The definition as JSON: an unchanged upsert keeps its slot. */
  key: string;
  schedule: Schedule;
  generation: number;
  /** The planned slot; +Infinity when the schedule never fires again. */
  nextAtMs: number;
}

interface Slot {
  atMs: number;
  id: string;
  /** Slots of replaced or removed entries stay in the heap and are dropped when they surface. */
  generation: number;
}

const NODE_TIMERS: SchedulerTimers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms).unref(),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export class CheckScheduler {
  readonly #options: SchedulerOptions;
  readonly #timers: SchedulerTimers;
  readonly #entries = new Map<string, Entry>();
  readonly #heap = new MinHeap<Slot>((slot) => slot.atMs);
  /** Runs in flight by check id: the overlap guard outlives an edit of the check. */
  readonly #running = new Map<string, Promise<void>>();
  #timer: unknown = null;
  #timerAtMs = Number.POSITIVE_INFINITY;
  #generation = 0;
  #lastWakeMs: number;
  #closed = false;

  constructor(options: SchedulerOptions) {
    this.#options = options;
    this.#timers = options.timers ?? NODE_TIMERS;
    this.#lastWakeMs = options.now();
  }

  /** Checks scheduled (enabled ones). */
  get size(): number {
    return this.#entries.size;
  }

  /** Runs in flight. */
  get running(): number {
    return this.#running.size;
  }

  /** The next planned run of a check, or undefined when it is not scheduled. */
  nextRunOf(id: string): number | undefined {
    const at = this.#entries.get(id)?.nextAtMs;
    return at !== undefined && Number.isFinite(at) ? at : undefined;
  }

  /** Makes the scheduled set exactly `checks` (start, reload of checks as code). */
  replaceAll(checks: readonly Check[]): void {
    const wanted = new Set(checks.map((c) => c.id));
    for (const id of [...this.#entries.keys()]) if (!wanted.has(id)) this.remove(id);
    for (const check of checks) this.upsert(check);
  }

  /** Adds or changes a check. A disabled check is removed; an unchanged schedule keeps its slot. */
  upsert(check: Check): void {
    if (this.#closed) return;
    if (check.enabled === false) {
      this.remove(check.id);
      return;
    }
    const key = JSON.stringify(check);
    const existing = this.#entries.get(check.id);
    if (existing?.key === key) return;
    const parsed = parseSchedule(check.schedule);
    if (!parsed.ok) {
      this.remove(check.id);
      this.#options.onError?.(check.id, new Error(`schedule: ${parsed.error}`));
      return;
    }
    const keptSlot = existing && existing.schedule.text === parsed.schedule.text ? existing.nextAtMs : undefined;
    const entry: Entry = { check, key, schedule: parsed.schedule, generation: ++this.#generation, nextAtMs: Number.POSITIVE_INFINITY };
    this.#entries.set(check.id, entry);
    this.#plan(check.id, entry, keptSlot ?? nextRunAfter(parsed.schedule, this.#options.now(), check.id));
    this.#arm();
  }

  /** Stops scheduling a check; a run in flight finishes. */
  remove(id: string): void {
    this.#entries.delete(id);
  }

  /** Stops scheduling and resolves once every run in flight has finished. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#entries.clear();
    this.#heap.clear();
    if (this.#timer !== null) this.#timers.clearTimeout(this.#timer);
    this.#timer = null;
    while (this.#running.size > 0) await Promise.all(this.#running.values());
  }

  #plan(id: string, entry: Entry, atMs: number): void {
    entry.nextAtMs = atMs;
    // A cron expression that never fires again has no slot.
    if (Number.isFinite(atMs)) this.#heap.push({ atMs, id, generation: entry.generation });
  }

  #arm(): void {
    if (this.#closed) return;
    const head = this.#heap.peek();
    if (!head) return;
    if (this.#timer !== null && this.#timerAtMs <= head.atMs) return;
    if (this.#timer !== null) this.#timers.clearTimeout(this.#timer);
    const now = this.#options.now();
    const delay = Math.min(MAX_SLEEP_MS, Math.max(0, head.atMs - now));
    this.#timerAtMs = now + delay;
    this.#timer = this.#timers.setTimeout(() => this.#wake(), delay);
  }

  #wake(): void {
    this.#timer = null;
    this.#timerAtMs = Number.POSITIVE_INFINITY;
    if (this.#closed) return;
    const now = this.#options.now();
    if (now < this.#lastWakeMs - BACKWARD_JUMP_MS) this.#replanAll(now);
    this.#lastWakeMs = now;
    for (let head = this.#heap.peek(); head && head.atMs <= now; head = this.#heap.peek()) {
      this.#heap.pop();
      const entry = this.#entries.get(head.id);
      if (!entry || entry.generation !== head.generation) continue;
      this.#start(entry.check, head.atMs);
      // The first slot after now, not after the planned one: missed slots collapse into this run.
      this.#plan(head.id, entry, nextRunAfter(entry.schedule, now, head.id));
    }
    this.#arm();
  }

  #replanAll(now: number): void {
    this.#heap.clear();
    for (const [id, entry] of this.#entries) {
      entry.generation = ++this.#generation;
      this.#plan(id, entry, nextRunAfter(entry.schedule, now, id));
    }
  }

  #start(check: Check, plannedAtMs: number): void {
    if (this.#running.has(check.id)) {
      this.#options.onSkip?.(check.id, plannedAtMs);
      return;
    }
    // Read per run: the synchronous start of the runs before it in this wake-up is drift too.
    const now = this.#options.now();
    this.#options.onStart?.({ checkId: check.id, plannedAtMs, startedAtMs: now, driftMs: now - plannedAtMs });
    let run: Promise<unknown>;
    try {
      run = this.#options.run(check);
    } catch (err) {
      // A synchronous throw is reported like a rejection.
      run = Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
    const settled = run.then(
      () => undefined,
      (err: unknown) => this.#options.onError?.(check.id, err),
    ).finally(() => this.#running.delete(check.id));
    this.#running.set(check.id, settled);
  }
}
