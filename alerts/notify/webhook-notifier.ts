// The `webhook` channel: posts a stored Alertmanager v4 payload to the target's URL with its
// extra headers (Authorization …), which are sent and never logged.
import { parseWebhookBody } from './bodies.ts';
import { postJson } from './http-post.ts';
import type { DeliveryResult, Notifier } from './notifier.ts';

export interface WebhookNotifierOptions {
  /** Per request, body included; default 10 s. */
  timeoutMs?: number;
  /** Injected for tests; default the global fetch. */
  fetch?: typeof fetch;
  /** Wall clock for Retry-After dates; default Date.now. */
  now?: () => number;
}

export const USER_AGENT = 'Telltale-Alerts/1';

/** A notifier for `webhook` outbox messages (body: `{ url, headers?, payload }`). */
export function createWebhookNotifier(options: WebhookNotifierOptions = {}): Notifier {
  const http = { timeoutMs: options.timeoutMs ?? 10_000, fetch: options.fetch ?? fetch, now: options.now ?? Date.now, userAgent: USER_AGENT };
  return {
    channel: 'webhook',
    async deliver(body: unknown): Promise<DeliveryResult> {
      const parsed = parseWebhookBody(body);
      if (!parsed.ok) return { outcome: 'failed', error: parsed.error };
      return postJson(new URL(parsed.value.url), parsed.value.headers, parsed.value.payload, http);
    },
    async close(): Promise<void> {},
  };
}
