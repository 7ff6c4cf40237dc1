// The delivery loop of the notification outbox. The evaluator commits rendered messages in the
// same transaction as the state that caused them and never waits on delivery; this loop sends
// what is due, records every attempt in the outbox, and retries with backoff until a message is
// sent, refused for good, or too old.
//
// Guarantees, each for a reason:
// - At least once. An attempt is recorded after the notifier returns, so a crash between the
//   send and recordAttempt leaves the message pending and it is sent again after restart: a rare
//   duplicate beats a lost alert (Alertmanager makes the same trade).
// - Never twice at the same time: messages in flight are skipped by later polls and kicks. This
//   holds within one process; only the one control instance runs this loop.
// - A channel with no notifier configured (email without TELLTALE_SMTP_URL) keeps its messages
//   pending without counting attempts, so they go out once the channel is configured, or fail
//   at their maximum age like any other.
import type { ControlStore, OutboxAttempt, OutboxMessage } from '../../store/index.ts';
import { DEFAULT_BACKOFF, decideRetry, type BackoffPolicy } from './backoff.ts';
import type { DeliveryResult, Notifier } from './notifier.ts';
import { errorText } from './notifier.ts';

/** Timer functions (the same shape as the check scheduler's); the default is Node's, unref'd. */
export interface DeliveryTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface OutboxDeliveryOptions {
  control: ControlStore;
  /** At most one per channel. */
  notifiers: readonly Notifier[];
  /** Wall clock, epoch ms (outbox times are wall times). */
  now: () => number;
  timers?: DeliveryTimers;
  /** [0, 1), for jitter; default Math.random. */
  random?: () => number;
  /** How often the outbox is polled for due retries; default 5 s. */
  pollIntervalMs?: number;
  /** Age after which an undelivered message is failed; default 24 h. */
  maxAgeMs?: number;
  /** Retry timing; `maxAgeMs` above wins over `backoff.maxAgeMs`. */
  backoff?: Partial<BackoffPolicy>;
  /** Attempts in flight at once per channel (a hanging mail server never holds up webhooks); default 4. */
  concurrency?: number;
  /** How often a message of an unconfigured channel is looked at again; default 60 s. */
  unconfiguredRecheckMs?: number;
  /** A message settled: for `telltale_notifications_total{channel,status}`. */
  onSettled?: (channel: string, status: 'sent' | 'failed') => void;
  /** Every attempt's outcome, for metrics or logs (errors never hold header values). */
  onAttempt?: (channel: string, result: DeliveryResult) => void;
  /** The loop itself failed (the store was unreachable); it keeps polling. */
  onError?: (error: unknown) => void;
}

const NODE_TIMERS: DeliveryTimers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms).unref(),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** What lastError says for a message whose channel has no notifier. */
export function unconfiguredError(channel: string): string {
  return channel === 'email' ? 'no mail server configured (set TELLTALE_SMTP_URL)' : `no notifier configured for channel "${channel}"`;
}

/** Delivers due outbox messages through the notifiers, recording every attempt. */
export class OutboxDelivery {
  readonly #o: OutboxDeliveryOptions;
  readonly #timers: DeliveryTimers;
  readonly #random: () => number;
  readonly #policy: BackoffPolicy;
  readonly #notifiers = new Map<string, Notifier>();
  readonly #concurrency: number;
  readonly #pollIntervalMs: number;
  readonly #inFlight = new Map<string, Promise<void>>();
  /** Attempts in flight by channel. */
  readonly #busy = new Map<string, number>();
  #timer: unknown = null;
  #ticking: Promise<void> | null = null;
  #again = false;
  #started = false;
  #closed = false;

  constructor(options: OutboxDeliveryOptions) {
    this.#o = options;
    this.#timers = options.timers ?? NODE_TIMERS;
    this.#random = options.random ?? Math.random;
    this.#policy = { ...DEFAULT_BACKOFF, ...options.backoff, ...(options.maxAgeMs !== undefined ? { maxAgeMs: options.maxAgeMs } : {}) };
    this.#concurrency = Math.max(1, Math.floor(options.concurrency ?? 4));
    this.#pollIntervalMs = Math.max(1, options.pollIntervalMs ?? 5_000);
    for (const n of options.notifiers) {
      if (this.#notifiers.has(n.channel)) throw new Error(`two notifiers for channel "${n.channel}"`);
      this.#notifiers.set(n.channel, n);
    }
  }

  /** Attempts in flight. */
  get inFlight(): number {
    return this.#inFlight.size;
  }

  /** Starts polling; delivers what is already due right away (messages left by a restart). */
  start(): void {
    if (this.#started || this.#closed) return;
    this.#started = true;
    this.kick();
  }

  /** Looks for due messages now (the evaluator calls it after enqueueing). Never waits on delivery. */
  kick(): void {
    if (this.#closed) return;
    if (this.#ticking) {
      this.#again = true;
      return;
    }
    this.#ticking = this.#tick().finally(() => {
      this.#ticking = null;
      if (this.#again && !this.#closed) {
        this.#again = false;
        this.kick();
      }
    });
  }

  /** Resolves when no poll and no attempt is in flight (tests and graceful shutdown). */
  async idle(): Promise<void> {
    while (this.#ticking || this.#inFlight.size > 0) {
      await Promise.all([this.#ticking, ...this.#inFlight.values()]);
    }
  }

  /** Stops polling, waits for attempts in flight to be recorded, then closes the notifiers. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#timer !== null) this.#timers.clearTimeout(this.#timer);
    this.#timer = null;
    await this.idle();
    await Promise.all([...this.#notifiers.values()].map((n) => n.close().catch((err: unknown) => this.#o.onError?.(err))));
  }

  #arm(): void {
    if (this.#closed || !this.#started) return;
    if (this.#timer !== null) this.#timers.clearTimeout(this.#timer);
    this.#timer = this.#timers.setTimeout(() => {
      this.#timer = null;
      this.kick();
    }, this.#pollIntervalMs);
  }

  async #tick(): Promise<void> {
    try {
      // Messages in flight are still pending in the store, and a busy channel's are skipped: ask
      // for enough to fill every channel's free slots past them.
      const limit = Math.min(1_000, this.#concurrency * 2 * (this.#notifiers.size + 1) + this.#inFlight.size);
      const due = await this.#o.control.dueMessages(this.#o.now(), limit);
      for (const m of due) {
        if (this.#closed) break;
        const busy = this.#busy.get(m.channel) ?? 0;
        if (this.#inFlight.has(m.id) || busy >= this.#concurrency) continue;
        this.#busy.set(m.channel, busy + 1);
        const attempt = this.#attempt(m).then((recorded) => {
          this.#inFlight.delete(m.id);
          const left = (this.#busy.get(m.channel) ?? 1) - 1;
          if (left > 0) this.#busy.set(m.channel, left);
          else this.#busy.delete(m.channel);
          // A freed slot takes the next due message at once rather than at the next poll; after a
          // store fault the poll timer retries instead, so a broken store cannot spin the loop.
          if (recorded) this.kick();
        });
        this.#inFlight.set(m.id, attempt);
      }
    } catch (err) {
      this.#o.onError?.(err);
    } finally {
      this.#arm();
    }
  }

  /** One attempt, recorded; false when recording failed. Never rejects. */
  async #attempt(m: OutboxMessage): Promise<boolean> {
    try {
      const notifier = this.#notifiers.get(m.channel);
      const record = notifier ? this.#afterAttempt(m, await this.#deliver(notifier, m)) : this.#unconfigured(m);
      await this.#o.control.recordAttempt(m.id, record);
      if (record.status !== 'pending') this.#o.onSettled?.(m.channel, record.status);
      return true;
    } catch (err) {
      // Not recorded: the message stays pending and is tried again (at least once).
      this.#o.onError?.(err);
      return false;
    }
  }

  async #deliver(notifier: Notifier, m: OutboxMessage): Promise<DeliveryResult> {
    let result: DeliveryResult;
    try {
      result = await notifier.deliver(m.body);
    } catch (err) {
      // A notifier should return values; one that throws is treated as a transient fault.
      result = { outcome: 'retryable', error: `notifier error: ${errorText(err)}` };
    }
    this.#o.onAttempt?.(m.channel, result);
    return result;
  }

  #afterAttempt(m: OutboxMessage, result: DeliveryResult): OutboxAttempt {
    const nowMs = this.#o.now();
    const attempts = m.attempts + 1;
    switch (result.outcome) {
      case 'sent':
        return { status: 'sent', attempts, nextAttemptAtMs: m.nextAttemptAtMs, lastError: result.note ?? null, settledAtMs: nowMs };
      case 'failed':
        return { status: 'failed', attempts, nextAttemptAtMs: m.nextAttemptAtMs, lastError: result.error, settledAtMs: nowMs };
      case 'retryable': {
        const decision = decideRetry({
          createdAtMs: m.createdAtMs, nowMs, attempt: attempts, policy: this.#policy, random: this.#random,
          ...(result.retryAfterMs !== undefined ? { retryAfterMs: result.retryAfterMs } : {}),
        });
        return decision.status === 'failed'
          ? { status: 'failed', attempts, nextAttemptAtMs: m.nextAttemptAtMs, lastError: `gave up after ${attempts} attempts: ${result.error}`, settledAtMs: nowMs }
          : { status: 'pending', attempts, nextAttemptAtMs: decision.nextAttemptAtMs, lastError: result.error, settledAtMs: null };
      }
    }
  }

  #unconfigured(m: OutboxMessage): OutboxAttempt {
    const nowMs = this.#o.now();
    const error = unconfiguredError(m.channel);
    const deadlineMs = m.createdAtMs + this.#policy.maxAgeMs;
    if (nowMs >= deadlineMs) return { status: 'failed', attempts: m.attempts, nextAttemptAtMs: m.nextAttemptAtMs, lastError: error, settledAtMs: nowMs };
    const recheckMs = Math.max(1, this.#o.unconfiguredRecheckMs ?? 60_000);
    return { status: 'pending', attempts: m.attempts, nextAttemptAtMs: Math.min(nowMs + recheckMs, deadlineMs), lastError: error, settledAtMs: null };
  }
}
