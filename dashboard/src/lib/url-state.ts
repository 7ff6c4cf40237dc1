// Every view's state lives in the URL (path + query), so a link pasted in chat opens the same
// view. These helpers build and match those URLs without touching the DOM.

/** Query keys that follow the user from page to page: the time window and auto-refresh. */
export const GLOBAL_KEYS = ['from', 'to', 'refresh'] as const;

export type ParamPatch = Record<string, string | number | boolean | null | undefined>;

/**
 * Applies a patch to a query string: null, undefined, '' and false remove a key, true writes
 * `1`. Keys keep their order so URLs stay stable and diffable.
 */
export function patchSearch(search: string, patch: ParamPatch): string {
  const params = new URLSearchParams(search);
  for (const [key, value] of Object.entries(patch)) {
    if (value === null || value === undefined || value === '' || value === false) params.delete(key);
    else params.set(key, value === true ? '1' : String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** A link to `path` carrying the global keys of the current search plus `params`. */
export function linkTo(path: string, currentSearch: string, params: ParamPatch = {}): string {
  const current = new URLSearchParams(currentSearch);
  const kept: ParamPatch = {};
  for (const key of GLOBAL_KEYS) kept[key] = current.get(key);
  return path + patchSearch('', { ...kept, ...params });
}

/** Matches `/traces/:traceId` style patterns; returns the decoded params or null. */
export function matchPath(pattern: string, pathname: string): Record<string, string> | null {
  const trim = (p: string) => (p.length > 1 && p.endsWith('/') ? p.slice(0, -1) : p);
  const want = trim(pattern).split('/');
  const have = trim(pathname).split('/');
  if (want.length !== have.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i] ?? '';
    const h = have[i] ?? '';
    if (w.startsWith(':')) {
      if (h === '') return null;
      try {
        params[w.slice(1)] = decodeURIComponent(h);
      } catch {
        return null;
      }
    } else if (w !== h) {
      return null;
    }
  }
  return params;
}

export interface RouteKey {
  service: string;
  method: string;
  route: string;
}

/** The route view of one route, in the current window. */
export function routeLink(key: RouteKey, currentSearch: string): string {
  return linkTo('/routes', currentSearch, { service: key.service, method: key.method, route: key.route });
}

/** A trace's waterfall; the window is kept so "back to the route" returns to the same view. */
export function traceLink(traceId: string, currentSearch: string, spanId?: string): string {
  return linkTo(`/traces/${encodeURIComponent(traceId)}`, currentSearch, { span: spanId });
}

/** Reads a positive number from a query value; null when absent or not a number. */
export function numberParam(value: string | null): number | null {
  if (value === null || value.trim() === '') return null;
  const n = Number(value);
  return Number.isFinite(n) && n >= 0 ? n : null;
}
