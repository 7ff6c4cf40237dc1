// An SLO now: its window's attainment, error budget, current burn rate and remaining-budget
// series, as the API shows them and the slo_burn rule reads them.
import { burnRate } from '../alerts/burn-rate.ts';
import type { Store } from '../store/store.ts';
import { maintenanceIntervals } from './maintenance.ts';
import { sloWindow, stepBoundaries, type Interval } from './periods.ts';
import { computeSlo, errorRatioOf, remainingBudgetSeries, type BudgetPoint, type SloComputation } from './slo-compute.ts';
import { loadSloData } from './slo-data.ts';
import { sloMaintenanceWindows, type Slo } from './slo-schema.ts';

const HOUR_MS = 3_600_000;
/** "Current" burn rate: over the last hour, the Workbook's fastest long window. */
export const CURRENT_BURN_WINDOW_MS = HOUR_MS;

/**
 * Applies the accounting rules to an SLO over any range, optionally split into bins. Request-based
 * SLOs are read by the hour where whole hours fit (events exact; downtime minutes need reports).
 */
export async function evaluateSlo(store: Store, slo: Slo, range: Interval, nowMs: number, bins?: readonly number[]): Promise<SloComputation> {
  const maintenance = maintenanceIntervals(sloMaintenanceWindows(slo), range);
  const data = await loadSloData(store, slo, range, { nowMs, maintenance, boundaries: bins });
  return computeSlo({ target: slo.target, noData: slo.noData, range, maintenance, data, bins });
}

export interface SloStatus {
  window: Interval;
  computation: SloComputation;
  /** Error ratio over the last hour ÷ (1 − target); 0 when the hour had no events. */
  burnRate: number;
  series: BudgetPoint[];
}

/** Step of the remaining-budget series: hourly for windows up to 7 days, else every 6 hours. */
function seriesStep(range: Interval): number {
  return range.toMs - range.fromMs <= 7 * 24 * HOUR_MS ? HOUR_MS : 6 * HOUR_MS;
}

export async function sloStatus(store: Store, slo: Slo, nowMs: number, stepMs?: number): Promise<SloStatus> {
  const window = sloWindow(slo.window, slo.timeZone, nowMs);
  const computation = await evaluateSlo(store, slo, window, nowMs, stepBoundaries(window, stepMs ?? seriesStep(window)));
  const last = await evaluateSlo(store, slo, { fromMs: window.toMs - CURRENT_BURN_WINDOW_MS, toMs: window.toMs }, nowMs);
  return { window, computation, burnRate: burnRate(errorRatioOf(last), slo.target), series: remainingBudgetSeries(computation) };
}
