// The SloSource the `slo_burn` rule reads, computed with the same accounting as reports.
import type { SloSource } from '../alerts/slo-source.ts';
import type { ControlStore } from '../store/control.ts';
import type { Store } from '../store/store.ts';
import { errorRatioOf } from './slo-compute.ts';
import { getSlo } from './slo-registry.ts';
import { evaluateSlo } from './slo-status.ts';

const MINUTE_MS = 60_000;

/** An SloSource over the SLOs in the control store. */
export function createSloSource(store: Store, control: ControlStore): SloSource {
  return {
    async target(sloId) {
      return (await getSlo(control, sloId))?.slo.target ?? null;
    },
    async errorRatio(sloId, windowMs, nowMs) {
      const stored = await getSlo(control, sloId);
      if (!stored) return NaN;
      // Whole minutes up to the end of the current one, as rollups are kept. Whole hours come
      // from hour rollups, so even the 3-day window reads a few hundred rows.
      const toMs = Math.ceil((nowMs + 1) / MINUTE_MS) * MINUTE_MS;
      return errorRatioOf(await evaluateSlo(store, stored.slo, { fromMs: toMs - windowMs, toMs }, nowMs));
    },
  };
}
