// The stored bodies of outbox messages, one shape per channel, and their validation. Bodies are
// JSON written by another version of Telltale maybe hours ago: each notifier checks the shape
// before it sends and reports a malformed body as failed rather than crashing. Pure.
import type { MailMessage } from './mail-message.ts';
import type { PostableAlert, WebhookPayload } from './webhook-payload.ts';

/** Body of a `webhook` message: where to post, extra headers (never logged), the v4 payload. */
export interface WebhookBody {
  url: string;
  headers?: Record<string, string>;
  payload: WebhookPayload | Record<string, unknown>;
}

/** Body of an `alertmanager` message: the Alertmanager base URL and the alerts to push. */
export interface AlertmanagerBody {
  url: string;
  alerts: PostableAlert[];
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v === 'string';

// A plain addr-spec: no display names, quoting, comments, separators or whitespace, so an
// address can never carry a second recipient or a header line.
const ADDRESS = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*$/;

// `<token@host>` with nothing that could fold or end a header line.
const MESSAGE_ID = /^<[A-Za-z0-9._+=-]{1,200}@[A-Za-z0-9.-]{1,200}>$/;

/** Whether `id` is a Message-ID Telltale writes (`<token@host>`). */
export function isValidMessageId(id: string): boolean {
  return MESSAGE_ID.test(id);
}

/** Whether `address` is a plain email address (`oncall@example.com`). Rule validation should use it too. */
export function isValidMailAddress(address: string): boolean {
  return address.length <= 254 && ADDRESS.test(address);
}

/** An absolute http(s) URL, else null. */
export function httpUrl(value: unknown): URL | null {
  if (!isString(value)) return null;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : null;
  } catch {
    return null;
  }
}

/** Checks an `email` body. */
export function parseMailMessage(body: unknown): Parsed<MailMessage> {
  if (!isRecord(body)) return { ok: false, error: 'malformed email body: not an object' };
  const { to, subject, text, html, attachments, messageId, references } = body;
  if (!Array.isArray(to) || to.length === 0 || !to.every(isString)) return { ok: false, error: 'malformed email body: "to" must be a non-empty list of addresses' };
  const bad = to.filter((a) => !isValidMailAddress(a));
  if (bad.length > 0) return { ok: false, error: `malformed email body: invalid recipient ${JSON.stringify(bad[0]).slice(0, 120)}` };
  if (!isString(subject) || /[\r\n]/.test(subject)) return { ok: false, error: 'malformed email body: "subject" must be one line' };
  if (!isString(text) || !isString(html)) return { ok: false, error: 'malformed email body: "text" and "html" must be strings' };
  if (attachments !== undefined) {
    const ok = Array.isArray(attachments) && attachments.every((a) => isRecord(a) && isString(a.filename) && isString(a.contentType) && isString(a.content));
    if (!ok) return { ok: false, error: 'malformed email body: bad "attachments"' };
  }
  if (messageId !== undefined && !(isString(messageId) && isValidMessageId(messageId))) return { ok: false, error: 'malformed email body: bad "messageId"' };
  if (references !== undefined && !(Array.isArray(references) && references.every((r) => isString(r) && isValidMessageId(r)))) {
    return { ok: false, error: 'malformed email body: bad "references"' };
  }
  return { ok: true, value: body as unknown as MailMessage };
}

/** Checks a `webhook` body. */
export function parseWebhookBody(body: unknown): Parsed<WebhookBody> {
  if (!isRecord(body)) return { ok: false, error: 'malformed webhook body: not an object' };
  if (!httpUrl(body.url)) return { ok: false, error: 'malformed webhook body: "url" must be an absolute http(s) URL' };
  const { headers } = body;
  if (headers !== undefined) {
    // Names and values are checked without echoing a value: headers carry credentials.
    if (!isRecord(headers)) return { ok: false, error: 'malformed webhook body: "headers" must be an object' };
    for (const [name, value] of Object.entries(headers)) {
      if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) return { ok: false, error: 'malformed webhook body: a header name is not a token' };
      if (!isString(value) || /[\u0000-\u0008\u000a-\u001f\u007f]/.test(value)) return { ok: false, error: `malformed webhook body: header ${name} has an invalid value` };
    }
  }
  if (!isRecord(body.payload)) return { ok: false, error: 'malformed webhook body: "payload" must be an object' };
  return { ok: true, value: body as unknown as WebhookBody };
}

/** Checks an `alertmanager` body. */
export function parseAlertmanagerBody(body: unknown): Parsed<AlertmanagerBody> {
  if (!isRecord(body)) return { ok: false, error: 'malformed alertmanager body: not an object' };
  if (!httpUrl(body.url)) return { ok: false, error: 'malformed alertmanager body: "url" must be an absolute http(s) URL' };
  const { alerts } = body;
  const ok = Array.isArray(alerts) && alerts.every((a) => isRecord(a) && isRecord(a.labels) && isString(a.startsAt));
  if (!ok) return { ok: false, error: 'malformed alertmanager body: "alerts" must be a list of postable alerts' };
  return { ok: true, value: body as unknown as AlertmanagerBody };
}
