// How checks read in the API: the definition with secrets masked, who owns it, and for one
// check its uptime and latency percentiles over 24 h, 7 d and 30 d from the rollups.
import { percentile, type Aggregate, type CheckRecord } from '../../store/index.ts';
import { checkRoute, type Check, type CheckRunResult } from '../../synthetic/index.ts';
import type { ChecksContext } from './context.ts';
import { maskSecrets } from './seal.ts';

const HOUR_MS = 3_600_000;
export const STATS_WINDOWS = { '24h': 24 * HOUR_MS, '7d': 7 * 24 * HOUR_MS, '30d': 30 * 24 * HOUR_MS } as const;
export type StatsWindow = keyof typeof STATS_WINDOWS;

export interface CheckView {
  check: Check;
  origin: 'code' | 'api';
  /** Code-owned checks change in their file, not through the API. */
  readOnly: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface WindowStats {
  runs: number;
  okRuns: number;
  /** okRuns / runs; null without runs. */
  uptime: number | null;
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

export interface CheckDetail extends CheckView {
  stats: Record<StatsWindow, WindowStats>;
  lastRun: CheckRunResult | null;
}

const iso = (ms: number) => new Date(ms).toISOString();

export function toView(ctx: ChecksContext, record: CheckRecord): CheckView {
  return {
    check: maskSecrets(ctx.secrets, record.id, record.definition as Check),
    origin: record.origin, readOnly: record.origin === 'code',
    createdAt: iso(record.createdAtMs), updatedAt: iso(record.updatedAtMs),
  };
}

function pct(agg: Aggregate, q: number): number | null {
  const v = percentile(agg, q);
  return Number.isNaN(v) ? null : Math.round(v * 1000) / 1000;
}

/** One window, read like any API traffic: the check's route, synthetic source only. */
async function windowStats(ctx: ChecksContext, id: string, widthMs: number, nowMs: number): Promise<WindowStats> {
  const [row] = await ctx.store.aggregate({ fromMs: nowMs - widthMs, toMs: nowMs, filter: { route: checkRoute(id), source: 'synthetic' }, groupBy: [] });
  if (!row || row.agg.calls === 0) return { runs: 0, okRuns: 0, uptime: null, p50: null, p95: null, p99: null };
  const { agg } = row;
  return { runs: agg.calls, okRuns: agg.calls - agg.errors, uptime: (agg.calls - agg.errors) / agg.calls, p50: pct(agg, 0.5), p95: pct(agg, 0.95), p99: pct(agg, 0.99) };
}

export async function checkDetail(ctx: ChecksContext, record: CheckRecord): Promise<CheckDetail> {
  const nowMs = ctx.now();
  const entries = await Promise.all(Object.entries(STATS_WINDOWS).map(async ([name, widthMs]) => [name, await windowStats(ctx, record.id, widthMs, nowMs)] as const));
  const [last] = await ctx.store.checkRuns({ checkId: record.id, fromMs: 0, toMs: Number.MAX_SAFE_INTEGER, limit: 1 });
  return { ...toView(ctx, record), stats: Object.fromEntries(entries) as Record<StatsWindow, WindowStats>, lastRun: (last?.result as CheckRunResult | undefined) ?? null };
}
