// Number and time formatting for every table and chart. Pure (no DOM), so the e2e test can
// format the API's numbers the same way and compare them with what the page shows.

const DASH = '—';
const grouped = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** Milliseconds as people read latency: 0.42 ms, 45.6 ms, 456 ms, 4.56 s, 2.5 min. */
export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return DASH;
  if (ms === 0) return '0 ms';
  if (ms < 10) return `${ms.toFixed(2)} ms`;
  if (ms < 100) return `${ms.toFixed(1)} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  // 999.6 ms rounds to "1000 ms" above; seconds keep three significant digits.
  if (ms < 10_000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 3_600_000) return `${(ms / 60_000).toFixed(1)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}

/** A fraction (0..1) as a percentage; tiny but non-zero rates never read as 0%. */
export function formatPercent(fraction: number | null | undefined): string {
  if (fraction === null || fraction === undefined || !Number.isFinite(fraction)) return DASH;
  if (fraction === 0) return '0%';
  const pct = fraction * 100;
  if (pct < 0.01) return '<0.01%';
  if (pct < 10) return `${pct.toFixed(2)}%`;
  if (pct < 100) return `${pct.toFixed(1)}%`;
  return '100%';
}

/** Requests per second: 0.0042/s would be noise, so small rates show as <0.01/s. */
export function formatRps(rps: number | null | undefined): string {
  if (rps === null || rps === undefined || !Number.isFinite(rps)) return DASH;
  if (rps === 0) return '0/s';
  if (rps < 0.01) return '<0.01/s';
  if (rps < 10) return `${rps.toFixed(2)}/s`;
  if (rps < 100) return `${rps.toFixed(1)}/s`;
  return `${grouped.format(rps)}/s`;
}

/** Counts are exact: people compare them with logs, so no "12.3k". */
export function formatCount(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return DASH;
  return grouped.format(n);
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Local date and time to the second, sortable: 2026-11-26 10:04:05. */
export function formatDateTime(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** Value for an `<input type="datetime-local">` (local time, minutes). */
export function toDateTimeLocal(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A span of time in words for headings: "15 minutes", "6 hours", "30 days". */
export function formatSpan(ms: number): string {
  const units: Array<[number, string]> = [[86_400_000, 'day'], [3_600_000, 'hour'], [60_000, 'minute'], [1000, 'second']];
  for (const [size, name] of units) {
    if (ms >= size && ms % size === 0) {
      const n = ms / size;
      return `${n} ${name}${n === 1 ? '' : 's'}`;
    }
  }
  return formatMs(ms);
}

/** Any attribute value as text: strings as they are, everything else as JSON. */
export function formatAttribute(value: unknown): string {
  if (typeof value === 'string') return value;
  // JSON.stringify answers undefined for undefined, functions and symbols; none come from JSON.
  return JSON.stringify(value) ?? '';
}
