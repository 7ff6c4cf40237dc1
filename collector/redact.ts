// Credentials never reach the store: SDKs may record request headers and full URLs as span
// attributes (semantic conventions: `url.full` must not keep credentials or signature values).
// Runs after normalization, which may still read a consumer from such an attribute (it keeps
// only a digest).
import type { AttributeValue, Attributes, SpanRecord } from '../store/index.ts';

export const REDACTED = '[redacted]';

/** Attribute keys whose values are secrets: headers and fields named like credentials. */
const SECRET_KEY = /(^|[._-])(authorization|cookie|set-cookie|token|secret|password|passwd|api[._-]?key|x-api-key|session|credential)s?($|[._-])/i;
/** Query parameters that carry signatures or credentials (AWS SigV4, GCS, Azure SAS, OAuth). */
const SECRET_PARAM = /^(x-amz-signature|x-amz-credential|x-amz-security-token|x-goog-signature|x-goog-credential|sig|signature|token|access_token|id_token|refresh_token|api_key|apikey|key|password|secret|code)$/i;
const URL_KEYS = new Set(['url.full', 'http.url', 'url.query', 'http.target', 'url.original']);

function redactUrl(value: string): string {
  // userinfo (`https://user:pass@host`) and secret query values; the rest stays readable.
  let out = value.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@?#]*@/i, `$1${REDACTED}@`);
  const q = out.indexOf('?');
  const query = q === -1 ? (out.includes('=') && !out.includes('/') ? 0 : -1) : q + 1;
  if (query === -1) return out;
  const hash = out.indexOf('#', query);
  const end = hash === -1 ? out.length : hash;
  const params = out.slice(query, end).split('&').map((pair) => {
    const eq = pair.indexOf('=');
    const name = eq === -1 ? pair : pair.slice(0, eq);
    return eq !== -1 && SECRET_PARAM.test(decodeURIComponentSafe(name)) ? `${name}=${REDACTED}` : pair;
  });
  out = out.slice(0, query) + params.join('&') + out.slice(end);
  return out;
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Redacts secret-looking attributes in place; returns how many values were changed. */
export function redactAttributes(attributes: Attributes): number {
  let changed = 0;
  for (const [key, value] of Object.entries(attributes)) {
    let next: AttributeValue = value;
    if (SECRET_KEY.test(key)) next = REDACTED;
    else if (URL_KEYS.has(key) && typeof value === 'string') next = redactUrl(value);
    if (next !== value) {
      attributes[key] = next;
      changed++;
    }
  }
  return changed;
}

/** Redacts a span's attributes and its events' attributes in place. */
export function redactSpan(span: SpanRecord): void {
  redactAttributes(span.attributes);
  for (const event of span.events) redactAttributes(event.attributes);
}
