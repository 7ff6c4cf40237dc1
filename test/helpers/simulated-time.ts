// Simulated time for schedulers: a monotonic clock that timers follow and a wall clock that
// may jump apart from it, as Node's timers and Date.now() do. Nothing sleeps.
import type { SchedulerTimers } from '../../synthetic/index.ts';

interface Timer {
  id: number;
  atMono: number;
  fn: () => void;
}

/** Lets promise chains started by fired timers settle. */
export const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export class SimulatedTime {
  #mono = 0;
  #wallOffset: number;
  #timers: Timer[] = [];
  #nextId = 1;

  constructor(startWallMs: number) {
    this.#wallOffset = startWallMs;
  }

  readonly now = (): number => this.#mono + this.#wallOffset;

  readonly timers: SchedulerTimers = {
    setTimeout: (fn, ms) => {
      const id = this.#nextId++;
      this.#timers.push({ id, atMono: this.#mono + Math.max(0, ms), fn });
      return id;
    },
    clearTimeout: (handle) => {
      this.#timers = this.#timers.filter((t) => t.id !== handle);
    },
  };

  get pendingTimers(): number {
    return this.#timers.length;
  }

  #takeDue(limitMono: number): Timer | undefined {
    let due: Timer | undefined;
    for (const t of this.#timers) if (t.atMono <= limitMono && (!due || t.atMono < due.atMono || (t.atMono === due.atMono && t.id < due.id))) due = t;
    if (due) this.#timers = this.#timers.filter((t) => t !== due);
    return due;
  }

  /** Time passes normally: each timer fires at its due time, in order. */
  async advance(ms: number): Promise<void> {
    const target = this.#mono + ms;
    for (let t = this.#takeDue(target); t; t = this.#takeDue(target)) {
      this.#mono = Math.max(this.#mono, t.atMono);
      t.fn();
      await settle();
    }
    this.#mono = target;
    await settle();
  }

  /** The process was stopped (SIGSTOP, a laptop lid, a long GC): time passes, then overdue timers fire late, at once. */
  async pause(ms: number): Promise<void> {
    this.#mono += ms;
    for (let t = this.#takeDue(this.#mono); t; t = this.#takeDue(this.#mono)) {
      t.fn();
      await settle();
    }
  }

  /** The wall clock is stepped (NTP, VM restore); timers keep their monotonic deadlines. */
  jumpWall(ms: number): void {
    this.#wallOffset += ms;
  }
}
