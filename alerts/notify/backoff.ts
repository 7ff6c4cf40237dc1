// Retry timing for outbox messages, as a pure decision: exponential backoff with full jitter
// (a random delay between a floor and min(cap, base·2^(attempt−1)), so many messages failing
// together do not retry together), a peer's Retry-After honoured, and a maximum age after which
// a message is given up and marked failed.

export interface BackoffPolicy {
  /** Ceiling of the first retry's delay. */
  baseMs: number;
  /** Largest ceiling, however many attempts. */
  capMs: number;
  /** No delay is shorter, so a message that fails instantly cannot spin. */
  minMs: number;
  /** A message still undelivered this long after it was created is failed. */
  maxAgeMs: number;
  /** A Retry-After longer than this is shortened to it (a peer cannot park an alert for days). */
  maxRetryAfterMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = {
  baseMs: 10_000,
  capMs: 10 * 60_000,
  minMs: 1_000,
  maxAgeMs: 24 * 3_600_000,
  maxRetryAfterMs: 3_600_000,
};

/** The delay before the retry that follows failed attempt number `attempt` (1-based); `random` returns [0, 1). */
export function backoffDelayMs(attempt: number, policy: BackoffPolicy, random: () => number): number {
  const exponent = Math.min(Math.max(0, attempt - 1), 40);
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** exponent);
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.max(policy.minMs, Math.floor(r * ceiling));
}

/** What to do with a message after a failed attempt. */
export type RetryDecision = { status: 'pending'; nextAttemptAtMs: number } | { status: 'failed' };

/**
 * After failed attempt number `attempt` at `nowMs`: retry later, or give up once the message is
 * `maxAgeMs` old. The last retry is pulled in to the deadline, so a message always gets an attempt
 * at its maximum age rather than being failed while it waits.
 */
export function decideRetry(input: {
  createdAtMs: number;
  nowMs: number;
  attempt: number;
  retryAfterMs?: number;
  policy: BackoffPolicy;
  random: () => number;
}): RetryDecision {
  const { createdAtMs, nowMs, attempt, retryAfterMs, policy, random } = input;
  const deadlineMs = createdAtMs + policy.maxAgeMs;
  if (nowMs >= deadlineMs) return { status: 'failed' };
  let delay = backoffDelayMs(attempt, policy, random);
  if (retryAfterMs !== undefined && Number.isFinite(retryAfterMs) && retryAfterMs > 0) {
    delay = Math.max(delay, Math.min(retryAfterMs, policy.maxRetryAfterMs));
  }
  return { status: 'pending', nextAttemptAtMs: Math.min(nowMs + delay, deadlineMs) };
}

/** A seeded pseudo-random source in [0, 1) (mulberry32), for tests and reproducible jitter. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
