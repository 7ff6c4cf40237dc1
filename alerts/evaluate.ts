// Rule conditions as pure functions of data the evaluator already fetched, so each kind is
// tested against hand-computed numbers and the store stays out of the core.
import { percentile } from '../store/aggregate.ts';
import type { Aggregate } from '../store/types.ts';

/** What one rule condition says at one evaluation. */
export interface ConditionResult {
  active: boolean;
  value: number;
  /** One line for subjects and history, e.g. `error rate 12.4% > 5%`. */
  summary: string;
}

/** Parameters of an `error_rate` rule. */
export interface ErrorRateParams {
  /** Ratio in 0..1 that must be exceeded. */
  threshold: number;
  /** Below this many calls the rule stays quiet: one failed call at night must not page. */
  minCalls: number;
  /** Count 4xx as errors too (client errors matter for some APIs). */
  include4xx?: boolean;
}

/** Parameters of a `latency` rule. */
export interface LatencyParams {
  percentile: LatencyPercentile;
  thresholdMs: number;
  /** A percentile of three calls is noise; default 1. */
  minCalls?: number;
}

/** Percentiles a latency rule may use. */
export type LatencyPercentile = 'p50' | 'p75' | 'p90' | 'p95' | 'p99' | 'p99.9';

/** Quantile of each supported percentile name. */
export const PERCENTILES: Readonly<Record<LatencyPercentile, number>> = {
  p50: 0.5, p75: 0.75, p90: 0.9, p95: 0.95, p99: 0.99, 'p99.9': 0.999,
};

/** Parameters of a `no_data` rule. */
export interface NoDataParams {
  /** Fewer calls than this in the window is "no data"; default 1. */
  minCalls?: number;
}

/** Parameters of a `check_failing` rule. */
export interface CheckFailingParams {
  consecutiveFailures: number;
}

/** The part of a check run the `check_failing` rule reads. */
export interface RunOutcome {
  startedAtMs: number;
  ok: boolean;
}

/** Formats a ratio as a percentage with at most one decimal (two below 1%). */
export function formatPercent(ratio: number): string {
  const pct = ratio * 100;
  return `${Number(pct.toFixed(pct !== 0 && Math.abs(pct) < 1 ? 2 : 1))}%`;
}

function formatMs(ms: number): string {
  return ms >= 1000 ? `${Number((ms / 1000).toFixed(2))} s` : `${Math.round(ms)} ms`;
}

/** `error_rate`: server errors (optionally plus 4xx) over calls in the window. */
export function evaluateErrorRate(agg: Aggregate, params: ErrorRateParams): ConditionResult {
  const failed = agg.errors + (params.include4xx ? agg.status4xx : 0);
  const ratio = agg.calls === 0 ? 0 : failed / agg.calls;
  const what = params.include4xx ? 'error rate (4xx+5xx)' : 'error rate';
  if (agg.calls < params.minCalls) {
    return { active: false, value: ratio, summary: `${what} not evaluated: ${agg.calls} calls < ${params.minCalls} minimum` };
  }
  const active = ratio > params.threshold;
  return { active, value: ratio, summary: `${what} ${formatPercent(ratio)} ${active ? '>' : '≤'} ${formatPercent(params.threshold)}` };
}

/** `latency`: a percentile of the window's timed calls above a threshold. */
export function evaluateLatency(agg: Aggregate, params: LatencyParams): ConditionResult {
  const minCalls = params.minCalls ?? 1;
  const value = percentile(agg, PERCENTILES[params.percentile]);
  // NaN means no timed calls: silence about latency is no_data's job, not this rule's.
  if (Number.isNaN(value) || agg.sketch.count < minCalls) {
    return { active: false, value, summary: `${params.percentile} latency not evaluated: ${agg.sketch.count} timed calls < ${minCalls} minimum` };
  }
  const active = value > params.thresholdMs;
  return { active, value, summary: `${params.percentile} latency ${formatMs(value)} ${active ? '>' : '≤'} ${formatMs(params.thresholdMs)}` };
}

/** `no_data`: fewer calls than the floor in the window. */
export function evaluateNoData(agg: Aggregate, params: NoDataParams): ConditionResult {
  const minCalls = params.minCalls ?? 1;
  const active = agg.calls < minCalls;
  return { active, value: agg.calls, summary: `${agg.calls} calls ${active ? '<' : '≥'} ${minCalls} expected in the window` };
}

/** `check_failing`: the newest N runs all failed. Runs may arrive in any order. */
export function evaluateCheckFailing(runs: readonly RunOutcome[], params: CheckFailingParams): ConditionResult {
  const newestFirst = [...runs].sort((a, b) => b.startedAtMs - a.startedAtMs);
  let streak = 0;
  for (const run of newestFirst) {
    if (run.ok) break;
    streak += 1;
  }
  const active = streak >= params.consecutiveFailures;
  return { active, value: streak, summary: `${streak} consecutive failed runs ${active ? '≥' : '<'} ${params.consecutiveFailures}` };
}
