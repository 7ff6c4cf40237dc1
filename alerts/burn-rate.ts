// Multi-window, multi-burn-rate SLO alerts (Google SRE Workbook, "Alerting on SLOs"). The long
// window proves the burn is significant; the short one proves it is still happening, so an
// alert resets within minutes of the fix instead of an hour later.

/** Who gets told: a page wakes someone, a ticket waits for working hours. */
export type BurnSeverity = 'page' | 'ticket';

/** One pair of windows and the burn rate both must exceed. */
export interface BurnWindow {
  longMs: number;
  shortMs: number;
  factor: number;
  severity: BurnSeverity;
}

/** Outcome of evaluating every pair. */
export interface BurnResult {
  active: boolean;
  /** Severity of the worst pair that fired; null when none did. */
  severity: BurnSeverity | null;
  /** Burn rate over the long window of the pair that fired (or of the first pair when none did). */
  value: number;
  summary: string;
}

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

/** The Workbook's recommended pairs, most urgent first. */
export const WORKBOOK_BURN_WINDOWS: readonly BurnWindow[] = [
  { longMs: HOUR_MS, shortMs: 5 * MINUTE_MS, factor: 14.4, severity: 'page' },
  { longMs: 6 * HOUR_MS, shortMs: 30 * MINUTE_MS, factor: 6, severity: 'page' },
  { longMs: 72 * HOUR_MS, shortMs: 6 * HOUR_MS, factor: 1, severity: 'ticket' },
];

/** Burn rate = error ratio ÷ error budget, with the SLO target in percent (99.9 → budget 0.001). */
export function burnRate(errorRatio: number, targetPercent: number): number {
  const budget = 1 - targetPercent / 100;
  if (!(budget > 0)) return errorRatio > 0 ? Infinity : 0;
  // A window without calls burns nothing: NaN must not compare its way into a page.
  return Number.isFinite(errorRatio) ? errorRatio / budget : 0;
}

const RANK: Readonly<Record<BurnSeverity, number>> = { page: 2, ticket: 1 };

/** Fires a pair only when BOTH its windows burn faster than its factor; reports the worst pair. */
export function evaluateBurn(
  windows: readonly BurnWindow[],
  errorRatioOf: (windowMs: number) => number,
  targetPercent: number,
): BurnResult {
  let hit: { w: BurnWindow; longBurn: number; shortBurn: number } | null = null;
  let firstLong = 0;
  for (const [i, w] of windows.entries()) {
    const longBurn = burnRate(errorRatioOf(w.longMs), targetPercent);
    if (i === 0) firstLong = longBurn;
    if (hit && RANK[hit.w.severity] >= RANK[w.severity]) continue;
    const shortBurn = burnRate(errorRatioOf(w.shortMs), targetPercent);
    if (longBurn > w.factor && shortBurn > w.factor) hit = { w, longBurn, shortBurn };
  }
  if (!hit) return { active: false, severity: null, value: firstLong, summary: `burn rate ${round(firstLong)}× within budget` };
  return {
    active: true,
    severity: hit.w.severity,
    value: hit.longBurn,
    summary: `burn rate ${round(hit.longBurn)}× over ${span(hit.w.longMs)} and ${round(hit.shortBurn)}× over ${span(hit.w.shortMs)} > ${hit.w.factor}×`,
  };
}

function round(x: number): number {
  return Number(x.toFixed(1));
}

function span(ms: number): string {
  if (ms % (24 * HOUR_MS) === 0) return `${ms / (24 * HOUR_MS)}d`;
  if (ms % HOUR_MS === 0) return `${ms / HOUR_MS}h`;
  return `${Math.round(ms / MINUTE_MS)}m`;
}
