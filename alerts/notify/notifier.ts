// The notifier interface: one file per channel behind it (email, webhook, alertmanager). A
// notifier delivers one stored outbox body and reports the outcome as a value; the delivery
// loop decides about retries. A notifier never throws for a bad body or a bad peer.

/** The outcome of one delivery attempt. */
export type DeliveryResult =
  /** Accepted by the peer. `note` records a partial outcome (some recipients refused). */
  | { outcome: 'sent'; note?: string }
  /** Worth trying again later; `retryAfterMs` is the peer's own hint (Retry-After). */
  | { outcome: 'retryable'; error: string; retryAfterMs?: number }
  /** Will never succeed as stored (malformed body, refused for good): give up now. */
  | { outcome: 'failed'; error: string };

/** Delivers outbox messages of one channel. */
export interface Notifier {
  /** The outbox channel it serves: `email`, `webhook`, `alertmanager`. */
  readonly channel: string;
  /** Delivers one stored body; validates its shape first (a malformed body is `failed`). */
  deliver(body: unknown): Promise<DeliveryResult>;
  /** Releases connections; attempts in flight finish first. */
  close(): Promise<void>;
}

/** A short, single-line error text for the outbox (no stack, no newlines). */
export function errorText(err: unknown, maxLength = 300): string {
  const text = err instanceof Error ? err.message : String(err);
  const flat = text.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ').replace(/\s+/g, ' ').trim();
  return flat.length <= maxLength ? flat : `${flat.slice(0, maxLength - 1)}…`;
}
