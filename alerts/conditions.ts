// What each rule kind says right now, per alert instance: the data is fetched through the
// Store interface (and the SLO source), the verdict comes from the pure functions in
// evaluate.ts and burn-rate.ts.
import type { Aggregate, CallFilter, RollupDimension, Store } from '../store/index.ts';
import { emptyAggregate } from '../store/index.ts';
import { WORKBOOK_BURN_WINDOWS, evaluateBurn } from './burn-rate.ts';
import { evaluateCheckFailing, evaluateErrorRate, evaluateLatency, evaluateNoData, type ConditionResult } from './evaluate.ts';
import type { Labels } from './grouping.ts';
import type { NotifiedAlert } from './notification.ts';
import type { AlertRule } from './rule.ts';
import type { SloSource } from './slo-source.ts';

/** One alert instance's verdict: the labels that identify it within its rule, and the condition. */
export interface InstanceVerdict {
  labels: Labels;
  result: ConditionResult;
  threshold: number;
  unit: NotifiedAlert['unit'];
}

export interface ConditionSources {
  store: Store;
  slos?: SloSource;
}

/** The selector's fixed dimensions, as labels every instance of the rule carries. */
export function selectorLabels(rule: AlertRule): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [name, value] of Object.entries(rule.selector)) if (value !== undefined && name !== 'tag') labels[name] = value;
  return labels;
}

function callFilter(rule: AlertRule): CallFilter {
  const { service, route, method } = rule.selector;
  return { ...(service ? { service } : {}), ...(route ? { route } : {}), ...(method ? { method } : {}) };
}

/** A key for instance labels split by `by`, so known instances can be found again. */
const dimsKey = (labels: Labels, by: readonly string[]) => JSON.stringify(by.map((d) => labels[d] ?? ''));

/**
 * Evaluates one rule at `nowMs`. `known` are the labels of instances already in a state other
 * than inactive: each gets a verdict even when its traffic vanished, so it can resolve.
 */
export async function evaluateRuleConditions(
  rule: AlertRule, sources: ConditionSources, nowMs: number, known: readonly Labels[],
): Promise<InstanceVerdict[]> {
  const base = selectorLabels(rule);
  switch (rule.kind) {
    case 'error_rate':
    case 'latency':
    case 'no_data':
      return windowVerdicts(rule, sources.store, nowMs, known, base);
    case 'check_failing':
      return checkVerdicts(rule, sources.store, nowMs, base);
    case 'slo_burn':
      return [await burnVerdict(rule, sources.slos, nowMs, base)];
  }
}

function judge(rule: AlertRule, agg: Aggregate): Omit<InstanceVerdict, 'labels'> {
  switch (rule.kind) {
    case 'error_rate':
      return { result: evaluateErrorRate(agg, { threshold: rule.threshold, minCalls: rule.minCalls, include4xx: rule.include4xx }), threshold: rule.threshold, unit: 'ratio' };
    case 'latency':
      return { result: evaluateLatency(agg, { percentile: rule.percentile, thresholdMs: rule.threshold, minCalls: rule.minCalls }), threshold: rule.threshold, unit: 'ms' };
    default:
      return { result: evaluateNoData(agg, { minCalls: Math.max(1, rule.minCalls) }), threshold: Math.max(1, rule.minCalls), unit: 'count' };
  }
}

const MINUTE_MS = 60_000;

// How far back no_data looks for the instances that used to get traffic.
const NO_DATA_LOOKBACK_FACTOR = 12;

async function windowVerdicts(
  rule: AlertRule, store: Store, nowMs: number, known: readonly Labels[], base: Record<string, string>,
): Promise<InstanceVerdict[]> {
  // Rollups are per minute: start at the minute holding now − window, so the window always
  // spans at least its length (plus the minute in progress), never less.
  const fromMs = Math.floor((nowMs - rule.windowMs) / MINUTE_MS) * MINUTE_MS;
  if (rule.selector.consumer !== undefined) {
    const rows = await store.consumerBreakdown({ fromMs, toMs: nowMs }, callFilter(rule), 10_000);
    const row = rows.find((r) => r.consumer === rule.selector.consumer);
    const agg = { ...emptyAggregate(), calls: row?.calls ?? 0, errors: row?.errors ?? 0, status4xx: row?.status4xx ?? 0, status5xx: row?.status5xx ?? 0 };
    return [{ labels: base, ...judge(rule, agg) }];
  }
  const by = rule.by as RollupDimension[];
  const rows = await store.aggregate({ fromMs, toMs: nowMs, filter: callFilter(rule), groupBy: by });
  const verdicts = new Map<string, InstanceVerdict>();
  const add = (dims: Labels, agg: Aggregate) => {
    const labels = { ...base, ...dims };
    verdicts.set(dimsKey(labels, by), { labels, ...judge(rule, agg) });
  };
  for (const row of rows) add(pick(row.group, by), row.agg);
  if (rule.kind === 'no_data' && by.length > 0) {
    // An instance that stopped receiving traffic has no row in the window: find it further back.
    const earlier = await store.aggregate({ fromMs: nowMs - rule.windowMs * NO_DATA_LOOKBACK_FACTOR, toMs: fromMs, filter: callFilter(rule), groupBy: by });
    for (const row of earlier) {
      const dims = pick(row.group, by);
      if (!verdicts.has(dimsKey({ ...base, ...dims }, by))) add(dims, emptyAggregate());
    }
  }
  if (by.length === 0 && verdicts.size === 0) add({}, emptyAggregate());
  for (const labels of known) {
    if (!verdicts.has(dimsKey(labels, by))) add(pick(labels, by), emptyAggregate());
  }
  return [...verdicts.values()];
}

function pick(source: Readonly<Record<string, string | undefined>>, names: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const n of names) out[n] = source[n] ?? '';
  return out;
}

function tagsOf(definition: unknown): string[] {
  const tags = (definition as { tags?: unknown } | null)?.tags;
  return Array.isArray(tags) ? tags.filter((t): t is string => typeof t === 'string') : [];
}

async function checkVerdicts(rule: AlertRule, store: Store, nowMs: number, base: Record<string, string>): Promise<InstanceVerdict[]> {
  const { check, tag } = rule.selector;
  const ids = check !== undefined
    ? [check]
    : (await store.listChecks()).filter((c) => tag !== undefined && tagsOf(c.definition).includes(tag)).map((c) => c.id);
  const verdicts: InstanceVerdict[] = [];
  for (const id of ids) {
    // The newest N runs decide; a week back is far enough for any schedule that N runs fit in.
    const runs = await store.checkRuns({ checkId: id, fromMs: nowMs - 7 * 86_400_000, toMs: nowMs + 1, limit: rule.consecutiveFailures });
    const result = evaluateCheckFailing(runs.map((r) => ({ startedAtMs: r.startedAtMs, ok: r.ok })), { consecutiveFailures: rule.consecutiveFailures });
    verdicts.push({ labels: { ...base, check: id }, result, threshold: rule.consecutiveFailures, unit: 'count' });
  }
  return verdicts;
}

async function burnVerdict(rule: AlertRule, slos: SloSource | undefined, nowMs: number, base: Record<string, string>): Promise<InstanceVerdict> {
  const sloId = rule.selector.slo ?? '';
  const target = slos ? await slos.target(sloId) : null;
  if (!slos || target === null) {
    return { labels: base, result: { active: false, value: 0, summary: `SLO "${sloId}" is not defined` }, threshold: 0, unit: 'burn' };
  }
  const windows = new Set(WORKBOOK_BURN_WINDOWS.flatMap((w) => [w.longMs, w.shortMs]));
  const ratios = new Map<number, number>();
  for (const w of windows) ratios.set(w, await slos.errorRatio(sloId, w, nowMs));
  const burn = evaluateBurn(WORKBOOK_BURN_WINDOWS, (w) => ratios.get(w) ?? Number.NaN, target);
  const factor = WORKBOOK_BURN_WINDOWS.find((w) => w.severity === burn.severity)?.factor ?? WORKBOOK_BURN_WINDOWS[0]!.factor;
  return { labels: base, result: { active: burn.active, value: burn.value, summary: burn.summary }, threshold: factor, unit: 'burn' };
}
