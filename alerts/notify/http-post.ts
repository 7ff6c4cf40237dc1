// One JSON POST with the webhook classification of its outcome, shared by the webhook and
// Alertmanager notifiers: 2xx sent; 408, 429 and 5xx or no answer retryable (Retry-After
// honoured); any other status failed. Errors name only the target's origin: webhook paths and
// queries often hold tokens (Slack, Teams), and header values are never repeated anywhere.
import type { DeliveryResult } from './notifier.ts';
import { errorText } from './notifier.ts';

export interface HttpPostOptions {
  /** Whole request, body included. */
  timeoutMs: number;
  fetch: typeof fetch;
  now: () => number;
  userAgent: string;
}

/** Retry-After as milliseconds from `nowMs` (delta-seconds or an HTTP date), or undefined. */
export function parseRetryAfter(value: string | null, nowMs: number): number | undefined {
  if (value === null) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

function networkError(err: unknown): string {
  if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')) return 'timed out';
  const cause = err instanceof Error ? (err as Error & { cause?: unknown }).cause : undefined;
  if (cause instanceof Error) {
    const code = (cause as NodeJS.ErrnoException).code;
    return code !== undefined ? `${code}: ${errorText(cause, 160)}` : errorText(cause, 160);
  }
  return errorText(err, 160);
}

async function snippet(res: Response): Promise<string> {
  try {
    const text = errorText(await res.text(), 200);
    return text !== '' ? `: ${text}` : '';
  } catch {
    return '';
  }
}

/** POSTs `payload` as JSON to `url` and classifies the outcome. Never throws. */
export async function postJson(url: URL, headers: Readonly<Record<string, string>> | undefined, payload: unknown, options: HttpPostOptions): Promise<DeliveryResult> {
  const where = `POST ${url.origin}`;
  const all: Record<string, string> = { 'user-agent': options.userAgent, ...headers };
  if (!Object.keys(all).some((k) => k.toLowerCase() === 'content-type')) all['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await options.fetch(url, {
      method: 'POST',
      headers: all,
      body: JSON.stringify(payload),
      // A redirect would re-send the credentials elsewhere; the target should name the final URL.
      redirect: 'manual',
      signal: AbortSignal.timeout(options.timeoutMs),
    });
  } catch (err) {
    return { outcome: 'retryable', error: `${where} failed: ${networkError(err)}` };
  }
  const status = `${where} → ${res.status}${res.statusText !== '' ? ` ${errorText(res.statusText, 60)}` : ''}`;
  if (res.status >= 200 && res.status < 300) {
    await res.body?.cancel().catch(() => undefined);
    return { outcome: 'sent' };
  }
  const detail = await snippet(res);
  if (res.status === 408 || res.status === 429 || res.status >= 500) {
    const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'), options.now());
    return retryAfterMs !== undefined
      ? { outcome: 'retryable', error: `${status}${detail}`, retryAfterMs }
      : { outcome: 'retryable', error: `${status}${detail}` };
  }
  if (res.status >= 300 && res.status < 400) return { outcome: 'failed', error: `${status}: redirects are not followed; configure the final URL` };
  return { outcome: 'failed', error: `${status}${detail}` };
}
