// Rule unit tests in the spirit of `promtool test rules`: a file describes traffic as series,
// the times to look at, and the alerts expected then. This is the pure part: the schema, the
// series notation, the traffic it describes, and the comparison. The CLI runs the evaluator.
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import type { ApiCall, CheckRunRecord } from '../store/index.ts';
import { parseDuration } from './duration.ts';
import type { Labels } from './grouping.ts';

const Duration = Type.String({ pattern: '^[0-9]+(\\.[0-9]+)?(ms|s|m|h|d|w)$' });
const LabelSet = Type.Record(Type.String(), Type.String());

export const RuleTestFileSchema = Type.Object({
  /** Alert rules as in the config file; or `ruleFiles`, config files whose `alertRules` are read. */
  rules: Type.Optional(Type.Array(Type.Unknown())),
  ruleFiles: Type.Optional(Type.Array(Type.String({ minLength: 1 }))),
  evaluationInterval: Type.Optional(Duration),
  tests: Type.Array(Type.Object({
    name: Type.Optional(Type.String()),
    /** Width of one series value. */
    interval: Type.Optional(Duration),
    series: Type.Optional(Type.Array(Type.Object({
      service: Type.String({ minLength: 1 }),
      route: Type.Optional(Type.String()),
      method: Type.Optional(Type.String()),
      consumer: Type.Optional(Type.String()),
      calls: Type.String({ description: 'calls per interval, e.g. `100x30` or `0+10x5 50x10`' }),
      errors: Type.Optional(Type.String({ description: 'server errors per interval (of the calls)' })),
      latencyMs: Type.Optional(Type.String({ description: 'duration of every call in the interval, ms' })),
    }, { additionalProperties: false }))),
    checkRuns: Type.Optional(Type.Array(Type.Object({
      check: Type.String({ minLength: 1 }),
      /** One value per interval: 1 passed, 0 failed, `_` no run. */
      results: Type.String(),
    }, { additionalProperties: false }))),
    alerts: Type.Array(Type.Object({
      at: Duration,
      alertname: Type.String({ minLength: 1 }),
      /** Label subsets of the instances expected firing; `[]` expects none. */
      firing: Type.Optional(Type.Array(LabelSet)),
      pending: Type.Optional(Type.Array(LabelSet)),
    }, { additionalProperties: false })),
  }, { additionalProperties: false }), { minItems: 1 }),
}, { additionalProperties: false });
export type RuleTestFile = Static<typeof RuleTestFileSchema>;
export type RuleTestCase = RuleTestFile['tests'][number];

/** Validates a parsed test file; every problem, one per line. */
export function checkRuleTestFile(doc: unknown): { ok: true; file: RuleTestFile } | { ok: false; problems: string[] } {
  if (!Value.Check(RuleTestFileSchema, doc)) {
    return { ok: false, problems: [...Value.Errors(RuleTestFileSchema, doc)].slice(0, 20).map((e) => `${e.path || '/'}: ${e.message}`) };
  }
  const problems: string[] = [];
  const evalMs = parseDuration(doc.evaluationInterval ?? '15s') ?? 15_000;
  if (evalMs < 1000) problems.push('/evaluationInterval: at least 1s');
  if (!doc.rules && !doc.ruleFiles) problems.push('/: give the rules under test in `rules` or `ruleFiles`');
  for (const [i, test] of doc.tests.entries()) {
    for (const [j, s] of (test.series ?? []).entries()) {
      for (const field of ['calls', 'errors', 'latencyMs'] as const) {
        const text = s[field];
        if (text === undefined) continue;
        const parsed = expandSeries(text);
        if (typeof parsed === 'string') problems.push(`/tests/${i}/series/${j}/${field}: ${parsed}`);
      }
    }
    for (const [j, a] of test.alerts.entries()) {
      // Alerts change only at evaluations: a time between two would test nothing real.
      if ((parseDuration(a.at) ?? 0) % evalMs !== 0) problems.push(`/tests/${i}/alerts/${j}/at: ${a.at} is not a multiple of the evaluation interval`);
    }
    for (const [j, r] of (test.checkRuns ?? []).entries()) {
      const parsed = expandSeries(r.results);
      if (typeof parsed === 'string') problems.push(`/tests/${i}/checkRuns/${j}/results: ${parsed}`);
    }
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, file: doc };
}

/**
 * Expands promtool's series notation: `a+bxn` is a, a+b, … (n+1 values), `axn` is a repeated
 * n+1 times, `_` is no value, `_xn` n+1 of them; terms are separated by spaces.
 * Returns the values (null for no value) or why the text is malformed.
 */
export function expandSeries(text: string): Array<number | null> | string {
  const values: Array<number | null> = [];
  for (const term of text.trim().split(/\s+/)) {
    if (term === '') continue;
    const m = /^(_|-?\d+(?:\.\d+)?)(?:([+-]\d+(?:\.\d+)?)?x(\d+))?$/.exec(term);
    if (!m) return `"${term}" is not a value, \`a+bxn\`, \`axn\` or \`_\``;
    const count = m[3] === undefined ? 1 : Number(m[3]) + 1;
    if (count > 100_000) return `"${term}" expands to more than 100000 values`;
    if (m[1] === '_') {
      if (m[2] !== undefined) return `"${term}": \`_\` takes no increment`;
      for (let i = 0; i < count; i += 1) values.push(null);
      continue;
    }
    const start = Number(m[1]);
    const step = m[2] === undefined ? 0 : Number(m[2]);
    for (let i = 0; i < count; i += 1) values.push(start + step * i);
  }
  return values;
}

const valuesOf = (text: string | undefined): Array<number | null> => {
  const v = text === undefined ? [] : expandSeries(text);
  return typeof v === 'string' ? [] : v;
};

/** The calls and check runs a test's series describe, starting at `startMs`. */
export function trafficOf(test: RuleTestCase, startMs: number): { calls: ApiCall[]; checkRuns: CheckRunRecord[] } {
  const intervalMs = parseDuration(test.interval ?? '1m') ?? 60_000;
  const calls: ApiCall[] = [];
  for (const [s, series] of (test.series ?? []).entries()) {
    const counts = valuesOf(series.calls);
    const errors = valuesOf(series.errors);
    const latencies = valuesOf(series.latencyMs);
    for (const [i, count] of counts.entries()) {
      const n = Math.max(0, Math.floor(count ?? 0));
      const failed = Math.min(n, Math.max(0, Math.floor(errors[i] ?? 0)));
      for (let k = 0; k < n; k += 1) {
        const error = k < failed;
        calls.push({
          id: `series${s}-${i}-${k}`, timeUnixMs: startMs + i * intervalMs + Math.floor((k * intervalMs) / n),
          service: series.service, method: series.method ?? 'GET', route: series.route ?? '/', statusCode: error ? 500 : 200,
          durationMs: latencies[i] ?? null, source: 'trace', traceId: null, spanId: null, consumer: series.consumer ?? null, error,
        });
      }
    }
  }
  const checkRuns: CheckRunRecord[] = [];
  for (const runs of test.checkRuns ?? []) {
    for (const [i, value] of valuesOf(runs.results).entries()) {
      if (value === null) continue;
      const ok = value !== 0;
      checkRuns.push({
        checkId: runs.check, startedAtMs: startMs + i * intervalMs, ok, degraded: false, durationMs: 10, statusCode: ok ? 200 : 503,
        error: ok ? null : 'failed (rule test)', traceId: null, result: {},
      });
    }
  }
  return { calls, checkRuns };
}

/** An instance as the comparison sees it. */
export interface ObservedAlert {
  state: 'pending' | 'firing' | 'resolved';
  labels: Labels;
}

const matches = (labels: Labels, subset: Labels) => Object.entries(subset).every(([k, v]) => labels[k] === v);

/** Compares what is expected of one alertname at one time; one line per difference. */
export function compareAlerts(expect: RuleTestCase['alerts'][number], observed: readonly ObservedAlert[]): string[] {
  const mine = observed.filter((a) => a.labels.alertname === expect.alertname);
  const diffs: string[] = [];
  for (const state of ['firing', 'pending'] as const) {
    const wanted = expect[state];
    if (wanted === undefined) continue;
    const actual = mine.filter((a) => a.state === state);
    const unmatched = [...actual];
    for (const subset of wanted) {
      const i = unmatched.findIndex((a) => matches(a.labels, subset));
      if (i < 0) diffs.push(`at ${expect.at}: expected ${expect.alertname} ${state} with ${JSON.stringify(subset)}, got ${describe(actual)}`);
      else unmatched.splice(i, 1);
    }
    for (const extra of unmatched) diffs.push(`at ${expect.at}: unexpected ${expect.alertname} ${state} ${JSON.stringify(extra.labels)}`);
  }
  return diffs;
}

function describe(alerts: readonly ObservedAlert[]): string {
  return alerts.length === 0 ? 'none' : alerts.map((a) => JSON.stringify(a.labels)).join(', ');
}
