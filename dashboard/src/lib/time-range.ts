// Time windows as they appear in URLs (`from=now-6h&to=now`, or absolute ISO / epoch ms)
// and their resolution to milliseconds. The grammar is the query API's, so a link works the
// same whether the dashboard or curl reads it.

import { formatDateTime, formatSpan } from './format.ts';

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

export interface TimePreset {
  key: string;
  label: string;
  from: string;
}

export const TIME_PRESETS: readonly TimePreset[] = [
  { key: '15m', label: 'Last 15 minutes', from: 'now-15m' },
  { key: '1h', label: 'Last 1 hour', from: 'now-1h' },
  { key: '6h', label: 'Last 6 hours', from: 'now-6h' },
  { key: '24h', label: 'Last 24 hours', from: 'now-24h' },
  { key: '7d', label: 'Last 7 days', from: 'now-7d' },
  { key: '30d', label: 'Last 30 days', from: 'now-30d' },
];

export const DEFAULT_FROM = 'now-1h';
export const DEFAULT_TO = 'now';

export interface TimeWindow {
  fromMs: number;
  toMs: number;
}

/** `30s`, `15m`, `6h`, `7d`, `2w` → ms; null when malformed. */
export function parseDuration(text: string): number | null {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d|w)$/.exec(text.trim());
  if (!match) return null;
  const n = Number(match[1]);
  return match[2] === 'ms' ? n : n * (UNIT_MS[match[2] ?? ''] ?? Number.NaN);
}

/** `now`, `now-15m`, epoch ms or ISO-8601 → ms; null when malformed. */
export function parseTimeExpr(text: string, nowMs: number): number | null {
  const value = text.trim();
  if (value === 'now') return nowMs;
  const relative = /^now-(.+)$/.exec(value);
  if (relative) {
    const d = parseDuration(relative[1] ?? '');
    return d === null ? null : nowMs - d;
  }
  if (/^\d{10,16}$/.test(value)) return Number(value);
  if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(value)) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
}

/**
 * Resolves a window once, so every request of one page load (and of one auto-refresh tick)
 * asks for exactly the same milliseconds and the numbers on screen agree with each other.
 */
export function resolveWindow(from: string, to: string, nowMs: number): TimeWindow | null {
  const fromMs = parseTimeExpr(from, nowMs);
  const toMs = parseTimeExpr(to, nowMs);
  if (fromMs === null || toMs === null || toMs <= fromMs) return null;
  return { fromMs, toMs };
}

/** The preset a URL's window matches, or null for a custom window. */
export function presetFor(from: string, to: string): TimePreset | null {
  if (to !== 'now') return null;
  return TIME_PRESETS.find((p) => p.from === from) ?? null;
}

/** Words for any window: a preset's label, "Last 3 hours" for other relative ones, else from → to. */
export function describeWindow(from: string, to: string, window: TimeWindow): string {
  const preset = presetFor(from, to);
  if (preset) return preset.label;
  const relative = /^now-(.+)$/.exec(from.trim());
  const span = relative ? parseDuration(relative[1] ?? '') : null;
  if (to.trim() === 'now' && span !== null) return `Last ${formatSpan(span)}`;
  return `${formatDateTime(window.fromMs)} → ${formatDateTime(window.toMs)}`;
}

/** Relative windows move with the clock and make sense to auto-refresh; absolute ones do not. */
export function isRelative(to: string): boolean {
  return to.trim().startsWith('now');
}

// Divisors of an hour or a day, so buckets line up with the clock (and with hourly rollups).
const NICE_STEPS_MIN = [1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30, 60, 120, 180, 240, 360, 720, 1440];

/** A whole-minute step giving at most about `points` buckets (the API's series step). */
export function stepForPoints(window: TimeWindow, points: number): number {
  const minutes = (window.toMs - window.fromMs) / 60_000 / points;
  const nice = NICE_STEPS_MIN.find((m) => m >= minutes) ?? Math.ceil(minutes / 1440) * 1440;
  return nice * 60_000;
}

export const REFRESH_CHOICES: ReadonlyArray<{ key: string; label: string; ms: number | null }> = [
  { key: '', label: 'Off', ms: null },
  { key: '10s', label: '10s', ms: 10_000 },
  { key: '30s', label: '30s', ms: 30_000 },
  { key: '1m', label: '1m', ms: 60_000 },
];

/** The auto-refresh interval named in the URL; null (off) for anything unknown. */
export function refreshIntervalMs(key: string | null): number | null {
  return REFRESH_CHOICES.find((c) => c.key === (key ?? ''))?.ms ?? null;
}
