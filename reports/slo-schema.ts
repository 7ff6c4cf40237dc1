// SLO definitions: one TypeBox schema for the config file's `slos:`, the API and the OpenAPI
// document, and a validator that reports every problem with its path instead of the first.
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { validateMaintenanceWindow, type MaintenanceWindow } from '../alerts/silences.ts';
import { isTimeZone } from './periods.ts';

const Slug = Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,63}$', description: 'lower-case letters, digits and dashes' });
const Text = (maxLength: number) => Type.String({ minLength: 1, maxLength });

export const SelectorSchema = Type.Object({
  service: Type.Optional(Text(256)),
  route: Type.Optional(Text(512)),
  method: Type.Optional(Text(16)),
  consumer: Type.Optional(Type.String({
    minLength: 1, maxLength: 256,
    description: 'Counted from raw calls (rollups have no consumer), so only as far back as raw retention (TELLTALE_RETENTION_DAYS); older minutes have no data.',
  })),
}, { additionalProperties: false, description: 'Which calls count; every field given must match. Empty: all calls.' });
export type Selector = Static<typeof SelectorSchema>;

export const AvailabilityIndicatorSchema = Type.Object({
  type: Type.Literal('availability'),
  selector: SelectorSchema,
}, { additionalProperties: false, description: 'Good calls are those that are not server errors.' });

export const LatencyIndicatorSchema = Type.Object({
  type: Type.Literal('latency'),
  thresholdMs: Type.Number({ exclusiveMinimum: 0, description: 'Good calls took at most this long.' }),
  selector: SelectorSchema,
}, { additionalProperties: false, description: 'Good calls are timed calls no slower than the threshold.' });

export const CheckIndicatorSchema = Type.Object({
  type: Type.Literal('check'),
  checkId: Type.Optional(Slug),
  tag: Type.Optional(Text(100)),
  staleAfterMs: Type.Optional(Type.Integer({
    minimum: 60_000, maximum: 86_400_000,
    description: 'How long one run speaks for when no next run comes; default twice the check interval (1 hour for cron schedules).',
  })),
}, { additionalProperties: false, description: 'Time-based: up while the latest run (after retries) passed. Exactly one of checkId and tag.' });

export const IndicatorSchema = Type.Union([AvailabilityIndicatorSchema, LatencyIndicatorSchema, CheckIndicatorSchema]);
export type Indicator = Static<typeof IndicatorSchema>;

export const SloMaintenanceSchema = Type.Object({
  id: Type.Optional(Slug),
  cron: Type.String({ minLength: 1, description: '5-field cron in UTC: when the window opens' }),
  durationMs: Type.Integer({ minimum: 60_000, maximum: 7 * 86_400_000 }),
}, { additionalProperties: false });

export const SLO_WINDOWS = ['7d', '28d', '30d', 'month'] as const;
export const NO_DATA_POLICIES = ['excluded', 'good', 'bad'] as const;

const sloFields = {
  id: Slug,
  name: Text(200),
  description: Type.Optional(Type.String({ maxLength: 2000 })),
  target: Type.Number({ exclusiveMinimum: 0, exclusiveMaximum: 100, description: 'Percent of good events (or good time), e.g. 99.9' }),
  window: Type.Union([Type.Literal('7d'), Type.Literal('28d'), Type.Literal('30d'), Type.Literal('month')], { description: 'Rolling 7d/28d/30d, or `month`: the calendar month in `timeZone`' }),
  timeZone: Type.Optional(Type.String({ minLength: 1, maxLength: 64, default: 'UTC', description: 'IANA zone of calendar months and report days' })),
  noData: Type.Optional(Type.Union([Type.Literal('excluded'), Type.Literal('good'), Type.Literal('bad')], { default: 'excluded', description: 'How time without data counts' })),
  tags: Type.Optional(Type.Array(Text(100), { maxItems: 50 })),
  maintenance: Type.Optional(Type.Array(SloMaintenanceSchema, { maxItems: 50 })),
};

export const SloSchema = Type.Object({ ...sloFields, indicator: IndicatorSchema }, { additionalProperties: false });
export type SloInput = Static<typeof SloSchema>;

/** A validated SLO with its defaults filled in. */
export interface Slo extends SloInput {
  timeZone: string;
  noData: (typeof NO_DATA_POLICIES)[number];
  tags: string[];
  maintenance: Array<Static<typeof SloMaintenanceSchema>>;
}

/** One problem, at a JSON Pointer into the SLO. */
export interface Diagnostic {
  path: string;
  message: string;
}

export type SloValidation = { ok: true; slo: Slo } | { ok: false; diagnostics: Diagnostic[] };

const INDICATORS: Record<string, TSchema> = {
  availability: AvailabilityIndicatorSchema, latency: LatencyIndicatorSchema, check: CheckIndicatorSchema,
};
// The union's own error ("expected union value") says nothing; each indicator is checked against its own branch.
const BaseSchema = Type.Object({ ...sloFields, indicator: Type.Unknown() }, { additionalProperties: false });

function errorsOf(schema: TSchema, value: unknown, prefix: string): Diagnostic[] {
  return [...Value.Errors(schema, value)].map((e) => ({ path: prefix + e.path, message: e.message }));
}

/** Checks an SLO definition and fills its defaults; collects every problem. */
export function validateSlo(input: unknown): SloValidation {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return { ok: false, diagnostics: [{ path: '', message: 'an SLO must be an object' }] };
  const diagnostics = errorsOf(BaseSchema, input, '');
  const raw = input as Record<string, unknown>;
  const indicator = raw.indicator;
  if (indicator === undefined) {
    diagnostics.push({ path: '/indicator', message: 'required: an indicator of type availability, latency or check' });
  } else {
    const type = typeof indicator === 'object' && indicator !== null ? (indicator as Record<string, unknown>).type : undefined;
    const schema = typeof type === 'string' ? INDICATORS[type] : undefined;
    if (!schema) diagnostics.push({ path: '/indicator/type', message: 'must be availability, latency or check' });
    else {
      diagnostics.push(...errorsOf(schema, indicator, '/indicator'));
      if (type === 'check') {
        const { checkId, tag } = indicator as { checkId?: unknown; tag?: unknown };
        if ((checkId === undefined) === (tag === undefined)) diagnostics.push({ path: '/indicator', message: 'give exactly one of checkId and tag' });
      }
    }
  }
  if (typeof raw.timeZone === 'string' && !isTimeZone(raw.timeZone)) diagnostics.push({ path: '/timeZone', message: `unknown time zone "${raw.timeZone}"` });
  if (Array.isArray(raw.maintenance)) {
    raw.maintenance.forEach((m: unknown, i) => {
      if (typeof m !== 'object' || m === null) return;
      const { cron, durationMs } = m as { cron?: unknown; durationMs?: unknown };
      if (typeof cron !== 'string' || typeof durationMs !== 'number') return;
      for (const problem of validateMaintenanceWindow({ id: 'm', cron, durationMs, matchers: [] })) {
        if (problem.startsWith('cron')) diagnostics.push({ path: `/maintenance/${i}/cron`, message: problem.replace(/^cron: /, '') });
      }
    });
  }
  if (diagnostics.length > 0) return { ok: false, diagnostics };
  const value = input as SloInput;
  return {
    ok: true,
    slo: { ...value, timeZone: value.timeZone ?? 'UTC', noData: value.noData ?? 'excluded', tags: value.tags ?? [], maintenance: value.maintenance ?? [] },
  };
}

/** An SLO's maintenance windows in alerts' shape (they mute no alerts: no matchers are used here). */
export function sloMaintenanceWindows(slo: Slo): MaintenanceWindow[] {
  return slo.maintenance.map((m, i) => ({ id: m.id ?? `${slo.id}-maintenance-${i}`, cron: m.cron, durationMs: m.durationMs, matchers: [] }));
}

/** One line listing every problem. */
export function describeDiagnostics(diagnostics: readonly Diagnostic[]): string {
  return diagnostics.map((d) => `${d.path || '/'} ${d.message}`).join('; ');
}
