// Times in the query API: ISO-8601, epoch milliseconds, or relative to now (`now`, `now-15m`).
import { parseDuration } from '../../alerts/duration.ts';

export { parseDuration };

/** Parses a time parameter; null when malformed. */
export function parseTime(text: string, nowMs: number): number | null {
  const value = text.trim();
  if (value === 'now') return nowMs;
  const relative = /^now-(.+)$/.exec(value);
  if (relative) {
    const d = parseDuration(relative[1]!);
    return d === null ? null : nowMs - d;
  }
  if (/^\d{10,16}$/.test(value)) return Number(value);
  // Date.parse accepts much that is not ISO-8601; demand its shape first.
  if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(value)) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
}
