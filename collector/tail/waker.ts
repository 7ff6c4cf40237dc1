// The tailer's waiting: sleeps that close() always cuts short and that file events cut short
// only between polls, never during a retry backoff (a busy log would otherwise defeat it).
import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';

export class Waker {
  private wake: ((byEvent: boolean) => void) | null = null;
  /** An event arrived while nobody slept: the next poll sleep returns at once. */
  private poked = false;
  private stopped = false;
  private watcher: FSWatcher | null = null;

  /** Waits `ms`; `byEvent` lets a file event end the wait early. */
  sleep(ms: number, byEvent: boolean): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (byEvent && this.poked) {
      this.poked = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = (event) => {
        if (!event || byEvent) done();
      };
    });
  }

  /** A hint that the file may have changed. */
  poke(): void {
    if (this.wake) this.wake(true);
    else this.poked = true;
  }

  /**
   * Pokes on changes in the file's folder to names starting with the file's (its rotations
   * too). fs.watch misses events on some filesystems (NFS, some containers), so polling stays
   * the source of truth and a watch that cannot start is simply not used.
   */
  watch(path: string): void {
    const name = basename(path);
    try {
      this.watcher = watch(dirname(path), { persistent: false }, (_event, file) => {
        if (file === null || file.startsWith(name)) this.poke();
      });
      this.watcher.on('error', () => this.unwatch());
    } catch {
      this.watcher = null;
    }
  }

  /** Ends the current sleep and every later one at once, and stops watching. */
  stop(): void {
    this.stopped = true;
    this.unwatch();
    this.wake?.(false);
  }

  private unwatch(): void {
    this.watcher?.close();
    this.watcher = null;
  }
}
