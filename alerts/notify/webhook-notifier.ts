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
  /** The headers as sent, from the headers as stored (secrets are sealed in the outbox). */
  openHeaders?: (url: string, headers: Readonly<Record<string, string>>) => Record<string, string>;
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
      const { url, headers, payload } = parsed.value;
      let sent = headers;
      try {
        if (headers && options.openHeaders) sent = options.openHeaders(url, headers);
      } catch (err) {
        // Not retried: the stored secret does not open with this key and never will.
        return { outcome: 'failed', error: (err as Error).message };
      }
      return postJson(new URL(url), sent, payload, http);
    },
    async close(): Promise<void> {},
  };
}
