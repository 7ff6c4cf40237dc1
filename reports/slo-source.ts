// The SloSource the `slo_burn` rule reads, computed with the same accounting as reports.
import type { SloSource } from '../alerts/slo-source.ts';
import type { ControlStore } from '../store/control.ts';
import type { Store } from '../store/store.ts';
import { maintenanceIntervals } from './maintenance.ts';
import { computeSlo, errorRatioOf, type SloData } from './slo-compute.ts';
import { loadSloData } from './slo-data.ts';
import { getSlo } from './slo-registry.ts';
import { sloMaintenanceWindows } from './slo-schema.ts';

const MINUTE_MS = 60_000;
/** The longest window of the Workbook's burn-rate pairs: one load serves every pair of an evaluation. */
const PRELOAD_MS = 3 * 24 * 3_600_000;

/**
 * An SloSource over the SLOs in the control store. The rule asks for several windows at the same
 * `nowMs`; the data of the longest is loaded once and each window is computed from it.
 */
export function createSloSource(store: Store, control: ControlStore): SloSource {
  const loaded = new Map<string, { nowMs: number; fromMs: number; data: Promise<SloData> }>();
  return {
    async target(sloId) {
      return (await getSlo(control, sloId))?.slo.target ?? null;
    },
    async errorRatio(sloId, windowMs, nowMs) {
      const stored = await getSlo(control, sloId);
      if (!stored) return NaN;
      // Whole minutes up to the end of the current one, as rollups are kept.
      const toMs = Math.ceil((nowMs + 1) / MINUTE_MS) * MINUTE_MS;
      const range = { fromMs: toMs - windowMs, toMs };
      let cached = loaded.get(sloId);
      if (!cached || cached.nowMs !== nowMs || cached.fromMs > range.fromMs) {
        const fromMs = toMs - Math.max(windowMs, PRELOAD_MS);
        cached = { nowMs, fromMs, data: loadSloData(store, stored.slo, { fromMs, toMs }, nowMs) };
        loaded.set(sloId, cached);
      }
      const data = await cached.data.catch((err: unknown) => {
        loaded.delete(sloId);
        throw err;
      });
      const maintenance = maintenanceIntervals(sloMaintenanceWindows(stored.slo), range);
      return errorRatioOf(computeSlo({ target: stored.slo.target, noData: stored.slo.noData, range, maintenance, data }));
    },
  };
}
