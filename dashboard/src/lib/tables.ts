// Sorting, filtering and ranking of the API's rows for tables. Pure, so thousands of rows are
// handled by tested code and the components only render.

export type SortDir = 'asc' | 'desc';

/** Sorts by one key; nulls last in either direction (an idle route has no p99, not a small one). */
export function sortRows<T>(rows: readonly T[], key: keyof T, dir: SortDir): T[] {
  const sign = dir === 'asc' ? 1 : -1;
  return [...rows].sort((a, b) => {
    const x = a[key];
    const y = b[key];
    if (x === y) return 0;
    if (x === null || x === undefined) return 1;
    if (y === null || y === undefined) return -1;
    if (typeof x === 'number' && typeof y === 'number') return (x - y) * sign;
    return String(x).localeCompare(String(y)) * sign;
  });
}

/** Reads a sort from the URL, falling back when the key is not a sortable column. */
export function parseSort<K extends string>(key: string | null, dir: string | null, allowed: readonly K[], fallback: K): { key: K; dir: SortDir } {
  const k = allowed.find((a) => a === key) ?? fallback;
  return { key: k, dir: dir === 'asc' ? 'asc' : 'desc' };
}

export interface RouteLike {
  service: string;
  method: string;
  route: string;
  calls: number;
  errorRate: number;
  status5xx: number;
  p99: number | null;
}

/** Case-insensitive substring match on "service METHOD route", plus an exact service filter. */
export function filterRoutes<T extends RouteLike>(rows: readonly T[], text: string, service: string | null): T[] {
  const needle = text.trim().toLowerCase();
  return rows.filter((r) => (!service || r.service === service)
    && (!needle || `${r.service} ${r.method} ${r.route}`.toLowerCase().includes(needle)));
}

/** The slowest routes by p99; routes without timed calls cannot be ranked. */
export function worstByP99<T extends RouteLike>(rows: readonly T[], n: number): T[] {
  return rows
    .filter((r) => r.p99 !== null)
    .sort((a, b) => (b.p99 ?? 0) - (a.p99 ?? 0) || b.calls - a.calls)
    .slice(0, n);
}

/** The most failing routes by error rate; ties go to the route with more failed calls. */
export function worstByErrorRate<T extends RouteLike>(rows: readonly T[], n: number): T[] {
  return rows
    .filter((r) => r.errorRate > 0)
    .sort((a, b) => b.errorRate - a.errorRate || b.status5xx - a.status5xx || b.calls - a.calls)
    .slice(0, n);
}

export interface VirtualWindow {
  /** First row to render. */
  start: number;
  /** One past the last row to render. */
  end: number;
  /** Space standing in for the rows above and below the rendered ones. */
  padTop: number;
  padBottom: number;
}

/** Which rows of a fixed-row-height list are visible, with some overscan for smooth scrolling. */
export function virtualWindow(scrollTop: number, viewportHeight: number, rowHeight: number, rowCount: number, overscan = 10): VirtualWindow {
  if (rowCount === 0 || rowHeight <= 0) return { start: 0, end: 0, padTop: 0, padBottom: 0 };
  const first = Math.floor(Math.max(0, scrollTop) / rowHeight);
  const visible = Math.ceil(Math.max(0, viewportHeight) / rowHeight) + 1;
  const start = Math.max(0, Math.min(rowCount - 1, first - overscan));
  const end = Math.min(rowCount, first + visible + overscan);
  return { start, end, padTop: start * rowHeight, padBottom: (rowCount - end) * rowHeight };
}
