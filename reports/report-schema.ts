// The JSON SLA report's schema: the API's OpenAPI document, its serializer and the dashboard's
// types all read this one definition.
import { Type, type Static } from '@sinclair/typebox';

const Num = Type.Number();
const NullableNum = Type.Union([Type.Number(), Type.Null()]);
const Time = Type.String({ format: 'date-time' });

const Latency = Type.Object({ p50Ms: NullableNum, p95Ms: NullableNum, p99Ms: NullableNum });

export const IncidentJsonSchema = Type.Object({
  fingerprint: Type.String(), rule: Type.String(), ruleId: Type.String(), severity: Type.String(), summary: Type.String(),
  labels: Type.Record(Type.String(), Type.String()),
  start: Time, end: Type.Union([Time, Type.Null()], { description: 'null: still firing at the end of the period' }),
  durationMinutes: Num, runbookId: Type.Union([Type.String(), Type.Null()]), runbookUrl: Type.Union([Type.String(), Type.Null()]),
});

export const SlaSloJsonSchema = Type.Object({
  id: Type.String(), name: Type.String(), indicator: Type.String(),
  basis: Type.Union([Type.Literal('requests'), Type.Literal('time')]),
  target: Type.Number({ description: 'percent' }),
  attained: Type.Union([Num, Type.Null()], { description: 'percent; null when nothing counted' }),
  met: Type.Union([Type.Boolean(), Type.Null()]),
  downtimeMinutes: Num, maintenanceMinutes: Num, noDataMinutes: Num, goodEvents: Num, badEvents: Num,
  budget: Type.Object({ unit: Type.Union([Type.Literal('events'), Type.Literal('minutes')]), total: Num, consumed: Num, remaining: Num }),
  errorBudgetConsumed: Type.Union([Num, Type.Null()], { description: 'percent of the period\'s budget spent; may pass 100' }),
  latency: Latency,
  incidents: Type.Array(IncidentJsonSchema),
  worstRoutes: Type.Array(Type.Object({ service: Type.String(), method: Type.String(), route: Type.String(), calls: Num, errors: Num, errorShare: Type.Number({ description: '0..1 of the SLO\'s server errors' }) })),
  daily: Type.Array(Type.Object({ from: Time, to: Time, attained: NullableNum })),
  burn: Type.Array(Type.Object({ time: Time, remainingRatio: NullableNum })),
});

export const SlaCheckJsonSchema = Type.Object({
  id: Type.String(), name: Type.String(), uptime: NullableNum, downtimeMinutes: Num, runs: Num, failedRuns: Num,
  latency: Latency, incidents: Type.Array(IncidentJsonSchema),
});

export const SlaReportJsonSchema = Type.Object({
  generatedAt: Time, from: Time, to: Time, timeZone: Type.String(), scope: Type.String(),
  summary: Type.Object({ slos: Num, met: Num, breached: Num, noData: Num }),
  slos: Type.Array(SlaSloJsonSchema),
  checks: Type.Array(SlaCheckJsonSchema, { description: 'Checks tagged `critical` in the scope' }),
  incidents: Type.Array(IncidentJsonSchema),
});

export type SlaReportJson = Static<typeof SlaReportJsonSchema>;
