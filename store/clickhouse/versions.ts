// Versions for ReplacingMergeTree rows: microseconds of wall time, strictly increasing within
// a process, so a delete right after a create (same millisecond) still wins.
export class VersionClock {
  #last = 0;

  constructor(private readonly now: () => number = Date.now) {}

  next(): number {
    this.#last = Math.max(this.#last + 1, this.now() * 1000);
    return this.#last;
  }
}
