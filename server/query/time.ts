// Times in the query API: ISO-8601, epoch milliseconds, or relative to now (`now`, `now-15m`).
const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** A duration like `30s`, `5m`, `1h`, `7d`; null when malformed. */
export function parseDuration(text: string): number | null {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d|w)$/.exec(text.trim());
  if (!match) return null;
  const n = Number(match[1]);
  return match[2] === 'ms' ? n : n * UNIT_MS[match[2]!]!;
}

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
