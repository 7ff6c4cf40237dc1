// Pure helpers for the SLO pages and the overview's "SLOs at risk": the status of an SLO from
// its numbers, the way those numbers read, and the burn rate of each step of its series.
import type { SloPoint, SloStatus } from '../api/slos.ts';

export type SloState = 'met' | 'at-risk' | 'breached' | 'no-data';

/** Below this share of budget left, or burning this fast, an SLO that still holds is at risk. */
export const AT_RISK_REMAINING = 0.25;
export const AT_RISK_BURN = 2;

export function sloState(s: Pick<SloStatus, 'met' | 'budget' | 'burnRate'>): SloState {
  if (s.met === null) return 'no-data';
  const remaining = s.budget.remainingRatio;
  if (!s.met || (remaining !== null && remaining <= 0)) return 'breached';
  if ((remaining !== null && remaining < AT_RISK_REMAINING) || s.burnRate >= AT_RISK_BURN) return 'at-risk';
  return 'met';
}

export const STATE_TEXT: Record<SloState, string> = { met: 'met', 'at-risk': 'at risk', breached: 'breached', 'no-data': 'no data' };

/** A percentage the API gives in percent (attainment, target): 99.9 → "99.9%", 99.9567 → "99.957%". */
export function formatPct(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return '—';
  return `${Number(value.toFixed(3))}%`;
}

/** The share of budget left (a ratio; below zero when overspent, so not capped like formatPercent). */
export function formatRemaining(ratio: number | null): string {
  if (ratio === null || !Number.isFinite(ratio)) return '—';
  if (ratio === 0) return '0%';
  const pct = Math.abs(ratio) * 100;
  const text = pct < 0.01 ? '<0.01' : pct < 10 ? pct.toFixed(2) : pct < 100 ? pct.toFixed(1) : pct.toFixed(0);
  return `${ratio < 0 ? '−' : ''}${text}%`;
}

export function formatBurn(rate: number | null): string {
  if (rate === null || !Number.isFinite(rate)) return '—';
  return `${rate < 10 ? rate.toFixed(2) : rate.toFixed(1)}×`;
}

/** The indicator in one line: `availability · service=checkout route=/orders`. */
export function describeIndicator(indicator: Record<string, unknown>): string {
  const type = typeof indicator['type'] === 'string' ? indicator['type'] : 'indicator';
  if (type === 'check') {
    const id = indicator['checkId'];
    const tag = indicator['tag'];
    return `check ${typeof id === 'string' ? id : typeof tag === 'string' ? `tag:${tag}` : ''}`.trim();
  }
  const selector = indicator['selector'];
  const parts = selector && typeof selector === 'object' ? Object.entries(selector as Record<string, unknown>).map(([k, v]) => `${k}=${String(v)}`) : [];
  const threshold = typeof indicator['thresholdMs'] === 'number' ? ` ≤ ${indicator['thresholdMs']} ms` : '';
  return `${type}${threshold}${parts.length ? ` · ${parts.join(' ')}` : ' · all calls'}`;
}

/**
 * The burn rate of each step: its bad share ÷ the allowed bad share (1 − target). Request-based
 * SLOs count calls; time-based ones minutes. Null where the step had nothing to count.
 */
export function burnColumn(points: readonly SloPoint[], targetPercent: number, basis: string): Array<number | null> {
  const allowed = 1 - targetPercent / 100;
  return points.map((p) => {
    if (allowed <= 0) return null;
    if (basis === 'time') {
      const minutes = (Date.parse(p.to) - Date.parse(p.from)) / 60_000;
      return minutes > 0 && p.badMinutes !== null ? p.badMinutes / minutes / allowed : null;
    }
    const total = p.goodEvents + p.badEvents;
    return total > 0 ? p.badEvents / total / allowed : null;
  });
}

/** uPlot columns of remaining budget and burn rate, x at each step's end. */
export function sloColumns(points: readonly SloPoint[], targetPercent: number, basis: string): { remaining: [number[], Array<number | null>]; burn: [number[], Array<number | null>] } {
  const x = points.map((p) => Date.parse(p.to) / 1000);
  return { remaining: [x, points.map((p) => p.remainingRatio)], burn: [x, burnColumn(points, targetPercent, basis)] };
}
