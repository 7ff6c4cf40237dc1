// Runs the evaluation every interval on an injected clock and timers, one evaluation at a
// time: a slow one delays the next instead of overlapping it.
import { evaluateAlerts, type EvaluationSummary, type EvaluatorDeps } from './evaluator.ts';

/** The timers the loop uses; tests pass simulated ones. */
export interface LoopTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface AlertLoopOptions extends EvaluatorDeps {
  intervalMs: number;
  now: () => number;
  timers?: LoopTimers;
  onEvaluated?: (summary: EvaluationSummary, durationMs: number) => void;
  onError?: (err: unknown) => void;
}

const NODE_TIMERS: LoopTimers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms).unref(),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export class AlertLoop {
  readonly #options: AlertLoopOptions;
  readonly #timers: LoopTimers;
  #timer: unknown = null;
  #running: Promise<void> | null = null;
  #closed = false;

  constructor(options: AlertLoopOptions) {
    this.#options = options;
    this.#timers = options.timers ?? NODE_TIMERS;
  }

  /** Evaluates at once, then every interval. */
  start(): void {
    this.#schedule(0);
  }

  /** One evaluation now (joins one in flight): the API calls it after a rule or silence changes. */
  evaluateNow(): Promise<void> {
    if (this.#running) return this.#running;
    const started = this.#options.now();
    this.#running = evaluateAlerts(this.#options, started).then(
      (summary) => this.#options.onEvaluated?.(summary, this.#options.now() - started),
      (err: unknown) => this.#options.onError?.(err),
    ).finally(() => {
      this.#running = null;
    });
    return this.#running;
  }

  #schedule(delayMs: number): void {
    if (this.#closed) return;
    this.#timer = this.#timers.setTimeout(() => {
      void this.evaluateNow().then(() => this.#schedule(this.#options.intervalMs));
    }, delayMs);
  }

  /** Stops the loop and waits for an evaluation in flight. */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#timer !== null) this.#timers.clearTimeout(this.#timer);
    await this.#running;
  }
}
