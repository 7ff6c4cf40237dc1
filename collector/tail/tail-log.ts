// What a tailer tells the operator: backlog progress while it catches up, and problems
// (bad lines, store refusals) at a bounded rate, so a broken log format cannot flood the logs.

/** The logging a tailer needs; pino-compatible, so fastify's `app.log` fits. */
export interface TailLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

/** Lets one message through per interval and counts the ones held back in between. */
export class Throttle {
  private lastMs = -Infinity;
  private held = 0;

  constructor(private readonly intervalMs: number, private readonly now: () => number) {}

  /** The number of messages held back since the last one let through, or null to hold this one too. */
  pass(count = 1): number | null {
    const now = this.now();
    if (now - this.lastMs < this.intervalMs) {
      this.held += count;
      return null;
    }
    this.lastMs = now;
    const held = this.held;
    this.held = 0;
    return held;
  }
}

export interface BacklogOptions {
  /** Unread bytes at start above which progress is reported. */
  thresholdBytes: number;
  intervalMs: number;
}

/** Reports how far a tailer is through what was unread when it started, then once when caught up. */
export class BacklogReport {
  private active = false;
  private totalBytes = 0;
  private startedMs = 0;
  private lastReportMs = 0;

  constructor(
    private readonly logger: TailLogger,
    private readonly source: string,
    private readonly options: BacklogOptions,
    private readonly now: () => number,
  ) {}

  begin(offset: number, size: number): void {
    if (size - offset <= this.options.thresholdBytes) return;
    this.active = true;
    this.totalBytes = size;
    this.startedMs = this.lastReportMs = this.now();
    this.logger.info({ source: this.source, readBytes: offset, totalBytes: size }, 'tail: reading backlog');
  }

  progress(offset: number): void {
    if (!this.active || this.now() - this.lastReportMs < this.options.intervalMs) return;
    this.lastReportMs = this.now();
    this.totalBytes = Math.max(this.totalBytes, offset);
    this.logger.info({ source: this.source, readBytes: offset, totalBytes: this.totalBytes }, 'tail: backlog progress');
  }

  /** At the end of the file: the backlog, if there was one, is done. */
  caughtUp(offset: number): void {
    if (!this.active) return;
    this.active = false;
    this.logger.info({ source: this.source, readBytes: offset, totalBytes: Math.max(this.totalBytes, offset), durationMs: this.now() - this.startedMs }, 'tail: caught up');
  }
}
