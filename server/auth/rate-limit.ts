// Per-token ingest rate limits, as Loki and Tempo limit tenants: a token bucket of bytes per
// token, so one noisy sender is told to slow down (429 + Retry-After) while every other token
// keeps its full rate. Pure: the caller passes the clock.

export interface RateLimitOptions {
  /** Sustained bytes per second per token. */
  bytesPerSecond: number;
  /** Bucket size: how far above the rate a token may burst. */
  burstBytes: number;
  /** Buckets idle this long are forgotten (bounded memory across many tokens). */
  idleMs?: number;
}

export type RateDecision = { ok: true } | { ok: false; retryAfterS: number };

interface Bucket {
  tokens: number;
  atMs: number;
}

export class TokenRateLimiter {
  readonly #o: Required<RateLimitOptions>;
  readonly #buckets = new Map<string, Bucket>();
  #lastSweepMs = 0;

  constructor(options: RateLimitOptions) {
    this.#o = { idleMs: 10 * 60_000, ...options };
  }

  /** Charges `bytes` to `key` at `nowMs`; refused requests are not charged. */
  take(key: string, bytes: number, nowMs: number): RateDecision {
    this.#sweep(nowMs);
    const { bytesPerSecond: rate, burstBytes: burst } = this.#o;
    const b = this.#buckets.get(key) ?? { tokens: burst, atMs: nowMs };
    b.tokens = Math.min(burst, b.tokens + ((nowMs - b.atMs) / 1000) * rate);
    b.atMs = nowMs;
    this.#buckets.set(key, b);
    // A request larger than the whole burst could never pass: charge it against a full bucket.
    const cost = Math.min(bytes, burst);
    if (b.tokens >= cost) {
      b.tokens -= cost;
      return { ok: true };
    }
    return { ok: false, retryAfterS: Math.max(1, Math.ceil((cost - b.tokens) / rate)) };
  }

  #sweep(nowMs: number): void {
    if (nowMs - this.#lastSweepMs < this.#o.idleMs) return;
    this.#lastSweepMs = nowMs;
    for (const [key, b] of this.#buckets) if (nowMs - b.atMs > this.#o.idleMs) this.#buckets.delete(key);
  }
}
