// Alert rules: one TypeBox schema for the config file, the API and OpenAPI, and a validation
// that collects every problem (kind-specific fields, durations, the runbook) instead of
// stopping at the first, so a team fixing a rules file sees all of it at once.
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { formatDuration, parseDuration } from './duration.ts';
import type { LatencyPercentile } from './evaluate.ts';
import type { NotifyTarget, RuleKind } from './notification.ts';
import { isValidMailAddress } from './notify/bodies.ts';

const Duration = Type.String({ pattern: '^[0-9]+(\\.[0-9]+)?(ms|s|m|h|d|w)$', description: 'e.g. `30s`, `5m`, `1h`, `3d`' });
const Name = Type.String({ minLength: 1, maxLength: 200 });
const LabelName = Type.String({ pattern: '^[a-zA-Z_][a-zA-Z0-9_]*$', maxLength: 100 });
const LabelValue = Type.String({ maxLength: 500 });
const Email = Type.String({ minLength: 3, maxLength: 254 });
const HttpUrl = Type.String({ pattern: '^https?://', maxLength: 2000 });

export const NotifyTargetSchema = Type.Union([
  Type.Object({ type: Type.Literal('email'), to: Type.Array(Email, { minItems: 1, maxItems: 50 }) }, { additionalProperties: false }),
  Type.Object({
    type: Type.Literal('webhook'), url: HttpUrl,
    headers: Type.Optional(Type.Record(Type.String({ pattern: '^[A-Za-z0-9-]+$' }), Type.String({ pattern: '^[^\\r\\n]*$', maxLength: 4000 }))),
  }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('alertmanager'), url: HttpUrl }, { additionalProperties: false }),
]);

/** An alert rule as written (config file or API body). */
export const AlertRuleSchema = Type.Object({
  id: Type.String({ pattern: '^[a-z0-9][a-z0-9_.-]*$', maxLength: 64 }),
  name: Name,
  kind: Type.Union([
    Type.Literal('error_rate'), Type.Literal('latency'), Type.Literal('check_failing'), Type.Literal('slo_burn'), Type.Literal('no_data'),
  ]),
  selector: Type.Optional(Type.Object({
    service: Type.Optional(Name), route: Type.Optional(Name), method: Type.Optional(Type.String({ pattern: '^[A-Z_]+$', maxLength: 20 })),
    consumer: Type.Optional(Name), check: Type.Optional(Name), tag: Type.Optional(Name), slo: Type.Optional(Name),
  }, { additionalProperties: false })),
  by: Type.Optional(Type.Array(Type.Union([Type.Literal('service'), Type.Literal('route'), Type.Literal('method')]), {
    uniqueItems: true, description: 'Split into one alert per value of these dimensions (error_rate, latency, no_data).',
  })),
  threshold: Type.Optional(Type.Number({ description: 'error_rate: a ratio in 0..1; latency: milliseconds.' })),
  percentile: Type.Optional(Type.Union([
    Type.Literal('p50'), Type.Literal('p75'), Type.Literal('p90'), Type.Literal('p95'), Type.Literal('p99'), Type.Literal('p99.9'),
  ])),
  window: Type.Optional(Duration),
  minCalls: Type.Optional(Type.Integer({ minimum: 0 })),
  include4xx: Type.Optional(Type.Boolean()),
  consecutiveFailures: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  for: Type.Optional(Duration),
  keepFiringFor: Type.Optional(Duration),
  severity: Type.Optional(Type.String({ pattern: '^[a-z]+$', maxLength: 20, description: 'e.g. `page`, `ticket`, `info`' })),
  labels: Type.Optional(Type.Record(LabelName, LabelValue)),
  annotations: Type.Optional(Type.Record(LabelName, Type.String({ maxLength: 4000 }))),
  runbook: Type.Optional(Type.String({ pattern: '^[a-z0-9][a-z0-9-]*$', maxLength: 100 })),
  notify: Type.Optional(Type.Array(NotifyTargetSchema, { maxItems: 20 })),
  groupBy: Type.Optional(Type.Array(Type.String({ pattern: '^([a-zA-Z_][a-zA-Z0-9_]*|\\.\\.\\.)$' }), { uniqueItems: true })),
  groupWait: Type.Optional(Duration),
  groupInterval: Type.Optional(Duration),
  repeatInterval: Type.Optional(Duration),
  enabled: Type.Optional(Type.Boolean()),
}, { additionalProperties: false });
export type AlertRuleInput = Static<typeof AlertRuleSchema>;

/** A validated rule with every default applied and every duration in ms. */
export interface AlertRule {
  id: string;
  name: string;
  kind: RuleKind;
  selector: { service?: string; route?: string; method?: string; consumer?: string; check?: string; tag?: string; slo?: string };
  by: Array<'service' | 'route' | 'method'>;
  threshold: number;
  percentile: LatencyPercentile;
  windowMs: number;
  minCalls: number;
  include4xx: boolean;
  consecutiveFailures: number;
  forMs: number;
  keepFiringForMs: number;
  severity: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** Always set: the named runbook or the default of the kind (validation refuses neither). */
  runbook: string | null;
  notify: NotifyTarget[];
  groupBy: string[];
  groupWaitMs: number;
  groupIntervalMs: number;
  repeatIntervalMs: number;
  enabled: boolean;
}

/** One problem with a rule, at a JSON Pointer into it. */
export interface RuleDiagnostic {
  path: string;
  message: string;
}

export type RuleValidation = { ok: true; rule: AlertRule } | { ok: false; diagnostics: RuleDiagnostic[] };

/** What validation needs to know about runbooks (the library, or a stand-in in tests). */
export interface RunbookIndex {
  has(id: string): boolean;
  /** The id of the kind's default runbook, if one applies. */
  defaultFor(kind: RuleKind): string | null;
}

// Alertmanager's defaults, so a rule without timing behaves as teams expect from it.
const DEFAULTS = { groupWaitMs: 30_000, groupIntervalMs: 5 * 60_000, repeatIntervalMs: 4 * 3_600_000 };
const MAX_WINDOW_MS = 30 * 86_400_000;

/** Validates a rule as written; every problem is reported with its path. */
export function validateRule(input: unknown, runbooks: RunbookIndex): RuleValidation {
  if (!Value.Check(AlertRuleSchema, input)) {
    // TypeBox reports a missing field twice (required, then its type): the first per path says it.
    const byPath = new Map<string, RuleDiagnostic>();
    for (const e of Value.Errors(AlertRuleSchema, input)) if (!byPath.has(e.path || '/')) byPath.set(e.path || '/', { path: e.path || '/', message: e.message });
    return { ok: false, diagnostics: [...byPath.values()].slice(0, 20) };
  }
  const r = input;
  const problems: RuleDiagnostic[] = [];
  const need = (field: string, why: string) => problems.push({ path: `/${field}`, message: why });
  const ms = (field: 'window' | 'for' | 'keepFiringFor' | 'groupWait' | 'groupInterval' | 'repeatInterval', fallback: number): number => {
    const text = r[field];
    if (text === undefined) return fallback;
    const value = parseDuration(text) ?? fallback;
    if (value > MAX_WINDOW_MS) need(field, `must be at most ${formatDuration(MAX_WINDOW_MS)}`);
    return value;
  };
  const selector = r.selector ?? {};
  switch (r.kind) {
    case 'error_rate':
      if (r.threshold === undefined || r.threshold < 0 || r.threshold > 1) need('threshold', 'error_rate needs a threshold ratio between 0 and 1 (0.05 = 5%)');
      if (r.window === undefined) need('window', 'error_rate needs a window, e.g. 5m');
      break;
    case 'latency':
      if (r.threshold === undefined || r.threshold <= 0) need('threshold', 'latency needs a threshold in milliseconds');
      if (r.window === undefined) need('window', 'latency needs a window, e.g. 5m');
      break;
    case 'no_data':
      if (r.window === undefined) need('window', 'no_data needs a window, e.g. 10m');
      break;
    case 'check_failing':
      if ((selector.check === undefined) === (selector.tag === undefined)) need('selector', 'check_failing needs exactly one of selector.check or selector.tag');
      break;
    case 'slo_burn':
      if (selector.slo === undefined) need('selector', 'slo_burn needs selector.slo, the id of an SLO');
      break;
  }
  if (r.by && (r.kind === 'check_failing' || r.kind === 'slo_burn')) need('by', `${r.kind} alerts are per check or per SLO already; \`by\` does not apply`);
  const runbook = r.runbook ?? runbooks.defaultFor(r.kind);
  if (r.runbook !== undefined && !runbooks.has(r.runbook)) need('runbook', `no runbook with id "${r.runbook}" (see GET /api/v1/runbooks)`);
  for (const [name, value] of Object.entries(r.labels ?? {})) {
    if (name === 'alertname') need(`labels/${name}`, 'alertname is the rule id and cannot be set');
    if (/[\r\n]/.test(value)) need(`labels/${name}`, 'label values are one line');
  }
  for (const [i, target] of (r.notify ?? []).entries()) {
    // The delivery's own check, so an address accepted here is never refused at 3 a.m.
    if (target.type === 'email') for (const to of target.to) if (!isValidMailAddress(to)) need(`notify/${i}/to`, `"${to}" is not a plain email address`);
  }
  if (selector.consumer !== undefined && r.kind !== 'error_rate') need('selector/consumer', 'only error_rate rules select a consumer (it is counted from raw calls)');
  if (selector.consumer !== undefined && r.by?.length) need('by', 'a consumer rule is one alert; `by` does not apply');
  const rule: AlertRule = {
    id: r.id,
    name: r.name,
    kind: r.kind,
    selector,
    by: r.by ?? [],
    threshold: r.threshold ?? 0,
    percentile: r.percentile ?? 'p99',
    windowMs: ms('window', 5 * 60_000),
    minCalls: r.minCalls ?? (r.kind === 'error_rate' ? 10 : 1),
    include4xx: r.include4xx ?? false,
    consecutiveFailures: r.consecutiveFailures ?? 3,
    forMs: ms('for', 0),
    keepFiringForMs: ms('keepFiringFor', 0),
    severity: r.severity ?? 'page',
    labels: r.labels ?? {},
    annotations: r.annotations ?? {},
    runbook,
    notify: r.notify ?? [],
    groupBy: r.groupBy ?? ['alertname'],
    groupWaitMs: ms('groupWait', DEFAULTS.groupWaitMs),
    groupIntervalMs: ms('groupInterval', DEFAULTS.groupIntervalMs),
    repeatIntervalMs: ms('repeatInterval', DEFAULTS.repeatIntervalMs),
    enabled: r.enabled ?? true,
  };
  if (rule.windowMs < 60_000 && r.window !== undefined) need('window', 'windows are at least 1m: rollups are per minute');
  return problems.length > 0 ? { ok: false, diagnostics: problems } : { ok: true, rule };
}
