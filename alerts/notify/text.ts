// Pure text helpers shared by the renderers: header-safe lines, HTML escaping, safe links and
// the unit-aware formatting of values, times and durations. No I/O, no mail library.
import { formatPercent } from '../evaluate.ts';
import type { MetricPoint, NotifiedAlert } from '../notification.ts';

// C0 and C1 controls, DEL, and the Unicode line and paragraph separators: anything a mail
// client or a header folder could read as a line break or hide from the reader.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g;

/** One line safe for a mail header: control characters become spaces, runs of space collapse, capped. */
export function oneLine(text: string, maxLength = 200): string {
  const flat = text.replace(CONTROL, ' ').replace(/\s+/g, ' ').trim();
  return flat.length <= maxLength ? flat : `${flat.slice(0, maxLength - 1)}…`;
}

/** Text for the plain-text part: keeps line breaks of multi-line values but drops other controls. */
export function plainText(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]+/g, ' ');
}

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The link when it is an absolute http(s) URL, else null (no javascript:, data:, relative links). */
export function safeHref(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return null;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return null;
  return parsed.href;
}

/** `https://telltale.example.com` from the configured public URL, without a trailing slash. */
export function baseUrl(externalUrl: string): string {
  return externalUrl.replace(/\/+$/, '');
}

/** The dashboard page of one trace. */
export function traceUrl(externalUrl: string, traceId: string): string {
  return `${baseUrl(externalUrl)}/traces/${encodeURIComponent(traceId)}`;
}

function trimNumber(value: number, digits: number): string {
  return String(Number(value.toFixed(digits)));
}

/** A value in the rule's unit: ratio as %, milliseconds (seconds past 1 s), a count, a burn rate as ×. */
export function formatValue(value: number | null, unit: NotifiedAlert['unit']): string {
  if (value === null || !Number.isFinite(value)) return 'no data';
  switch (unit) {
    case 'ratio':
      return formatPercent(value);
    case 'ms':
      return value >= 1000 ? `${trimNumber(value / 1000, 2)} s` : `${Math.round(value)} ms`;
    case 'count':
      return Number.isInteger(value) ? String(value) : trimNumber(value, 2);
    case 'burn':
      return `${trimNumber(value, value < 10 ? 2 : 1)}×`;
  }
}

/** A human duration: `45s`, `17m`, `2h 5m`, `3d 4h`. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 24) return m % 60 === 0 ? `${h}h` : `${h}h ${m % 60}m`;
  const d = Math.floor(h / 24);
  return h % 24 === 0 ? `${d}d` : `${d}d ${h % 24}h`;
}

/** UTC ISO time to the second: `2026-11-26T02:41:00Z`. */
export function isoUtc(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

const BLOCKS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'] as const;

/** Heights 0..1 of each point against the series' own range (and the threshold, so it is on the scale); null stays null. */
export function scaleSeries(series: readonly MetricPoint[], threshold?: number): Array<number | null> {
  const values = series.map((p) => (p.value !== null && Number.isFinite(p.value) ? p.value : null));
  const known = values.filter((v): v is number => v !== null);
  if (known.length === 0) return values.map(() => null);
  const top = Math.max(...known, threshold !== undefined && Number.isFinite(threshold) ? threshold : -Infinity);
  const bottom = Math.min(0, ...known);
  const span = top - bottom;
  return values.map((v) => (v === null ? null : span === 0 ? 0.5 : (v - bottom) / span));
}

/** A unicode sparkline, one block per point; gaps are spaces. */
export function sparkline(series: readonly MetricPoint[], threshold?: number): string {
  return scaleSeries(series, threshold)
    .map((h) => (h === null ? ' ' : BLOCKS[Math.min(BLOCKS.length - 1, Math.floor(h * BLOCKS.length))]))
    .join('');
}
