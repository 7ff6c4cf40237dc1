// The `alertmanager` channel: pushes stored postable alerts to a real Alertmanager's
// `POST /api/v2/alerts`, so teams already running one route Telltale's alerts with the rest.
import { parseAlertmanagerBody } from './bodies.ts';
import { postJson } from './http-post.ts';
import type { DeliveryResult, Notifier } from './notifier.ts';
import { USER_AGENT, type WebhookNotifierOptions } from './webhook-notifier.ts';

/** `https://am.example.com/prefix` → `https://am.example.com/prefix/api/v2/alerts`. */
export function alertsEndpoint(base: string): URL {
  const url = new URL(base);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/api/v2/alerts`;
  return url;
}

/** A notifier for `alertmanager` outbox messages (body: `{ url, alerts }`). */
export function createAlertmanagerNotifier(options: WebhookNotifierOptions = {}): Notifier {
  const http = { timeoutMs: options.timeoutMs ?? 10_000, fetch: options.fetch ?? fetch, now: options.now ?? Date.now, userAgent: USER_AGENT };
  return {
    channel: 'alertmanager',
    async deliver(body: unknown): Promise<DeliveryResult> {
      const parsed = parseAlertmanagerBody(body);
      if (!parsed.ok) return { outcome: 'failed', error: parsed.error };
      return postJson(alertsEndpoint(parsed.value.url), undefined, parsed.value.alerts, http);
    },
    async close(): Promise<void> {},
  };
}
