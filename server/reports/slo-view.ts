// How SLOs read in the API: the definition, who owns it, and its numbers over its window.
import { parseDuration } from '../query/time.ts';
import type { Store } from '../../store/index.ts';
import { binAttainment, remainingBudgetSeries } from '../../reports/index.ts';
import type { StoredSlo } from '../../reports/index.ts';
import { sloStatus } from '../../reports/index.ts';
import { TelltaleError } from '../errors.ts';

const MINUTE_MS = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();
const finite = (x: number | null) => (x !== null && Number.isFinite(x) ? x : null);

export function sloView(s: StoredSlo) {
  return { slo: s.slo, origin: s.origin, readOnly: s.origin === 'code', createdAt: iso(s.createdAtMs), updatedAt: iso(s.updatedAtMs) };
}

export async function sloStatusView(store: Store, s: StoredSlo, nowMs: number) {
  const status = await sloStatus(store, s.slo, nowMs);
  const c = status.computation;
  const consumed = finite(c.budgetConsumedRatio);
  const t = c.tally;
  return {
    ...sloView(s),
    window: { from: iso(status.window.fromMs), to: iso(status.window.toMs) },
    basis: c.basis,
    attainment: c.attainment,
    met: c.met,
    budget: { events: c.eventBudget, minutes: c.minuteBudget, consumedRatio: consumed, remainingRatio: consumed === null ? null : 1 - consumed },
    burnRate: Number.isFinite(status.burnRate) ? status.burnRate : 0,
    // Minutes are the accounting of time-based SLOs; a request-based SLO's status counts calls
    // (read by the hour, fast): its downtime minutes are in the SLA report.
    tally: c.basis === 'time'
      ? {
        goodEvents: t.goodEvents, badEvents: t.badEvents, goodMinutes: t.goodMs / MINUTE_MS, badMinutes: t.badMs / MINUTE_MS,
        noDataMinutes: t.noDataMs / MINUTE_MS, maintenanceMinutes: t.maintenanceMs / MINUTE_MS,
      }
      : { goodEvents: t.goodEvents, badEvents: t.badEvents, goodMinutes: null, badMinutes: null, noDataMinutes: null, maintenanceMinutes: t.maintenanceMs / MINUTE_MS },
  };
}

export async function sloSeries(store: Store, s: StoredSlo, nowMs: number, step: string | undefined) {
  let stepMs: number | undefined;
  if (step !== undefined) {
    const parsed = parseDuration(step);
    if (parsed === null || parsed < MINUTE_MS || parsed % MINUTE_MS !== 0) throw new TelltaleError('TELLTALE_ERR_BAD_REQUEST', 'step must be a whole number of minutes, at least 1m (`1h`, `6h`, `1d` …)');
    stepMs = parsed;
  }
  const status = await sloStatus(store, s.slo, nowMs, stepMs);
  const c = status.computation;
  const remaining = remainingBudgetSeries(c);
  const attained = binAttainment(c);
  return {
    window: { from: iso(status.window.fromMs), to: iso(status.window.toMs) },
    stepMs: stepMs ?? (c.bins[0] ? c.bins[0].toMs - c.bins[0].fromMs : 0),
    points: c.bins.map((b, i) => ({
      from: iso(b.fromMs), to: iso(b.toMs), remainingRatio: finite(remaining[i]?.remainingRatio ?? null),
      attainment: attained[i]?.attainment ?? null, goodEvents: b.goodEvents, badEvents: b.badEvents, badMinutes: c.basis === 'time' ? b.badMs / MINUTE_MS : null,
    })),
  };
}
