// What a run of a check produced, as TypeBox schemas so the API serializes and documents the
// same shape the runner returns. Results are values: a failure is `ok: false` with an `error`.
import { Type, type Static } from '@sinclair/typebox';

export const RUN_ERROR_CODES = [
  'invalid_url', 'scheme_not_allowed', 'address_blocked', 'dns_failed', 'connection_refused', 'connection_reset',
  'timeout', 'tls_error', 'protocol_error', 'headers_too_large', 'response_too_large', 'too_many_redirects',
  'template_error', 'extract_failed', 'assertion_failed', 'network_error', 'internal_error',
] as const;
export type RunErrorCode = (typeof RUN_ERROR_CODES)[number];

export const RunErrorSchema = Type.Object({
  code: Type.Union(RUN_ERROR_CODES.map((c) => Type.Literal(c))),
  message: Type.String(),
});
export type RunError = { code: RunErrorCode; message: string };

/** Durations in milliseconds; a phase that did not happen (no DNS for an IP, no TLS for http) is 0. */
export const PhasesSchema = Type.Object({
  dnsMs: Type.Number({ minimum: 0 }),
  connectMs: Type.Number({ minimum: 0 }),
  tlsMs: Type.Number({ minimum: 0 }),
  firstByteMs: Type.Number({ minimum: 0 }),
  downloadMs: Type.Number({ minimum: 0 }),
  totalMs: Type.Number({ minimum: 0 }),
});
export type Phases = Static<typeof PhasesSchema>;
export type PhaseName = 'dns' | 'connect' | 'tls' | 'firstByte' | 'download' | 'total';

export function zeroPhases(): Phases {
  return { dnsMs: 0, connectMs: 0, tlsMs: 0, firstByteMs: 0, downloadMs: 0, totalMs: 0 };
}

const round = (ms: number) => Math.round(ms * 1000) / 1000;

/** Phases of consecutive exchanges (redirect hops, multistep steps) add up. */
export function addPhases(a: Phases, b: Phases): Phases {
  return {
    dnsMs: round(a.dnsMs + b.dnsMs), connectMs: round(a.connectMs + b.connectMs), tlsMs: round(a.tlsMs + b.tlsMs),
    firstByteMs: round(a.firstByteMs + b.firstByteMs), downloadMs: round(a.downloadMs + b.downloadMs), totalMs: round(a.totalMs + b.totalMs),
  };
}

export const AssertionActualSchema = Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null()]);
export type AssertionActual = string | number | boolean | null;

/** One assertion's outcome; `expected` is readable ("equals 200", "< 500 ms"), `actual` what was seen. */
export const AssertionResultSchema = Type.Object({
  kind: Type.String(),
  target: Type.Optional(Type.String()),
  expected: Type.String(),
  actual: AssertionActualSchema,
  pass: Type.Boolean(),
});
export type AssertionResult = Static<typeof AssertionResultSchema>;

export const TlsInfoSchema = Type.Object({
  subject: Type.String(),
  issuer: Type.String(),
  validFromMs: Type.Number(),
  validToMs: Type.Number(),
  /** Fractional days from the run's clock to `validToMs`; negative once expired. */
  daysLeft: Type.Number(),
  /** The chain verified against the trusted CAs (regardless of whether the check required it). */
  authorized: Type.Boolean(),
  authorizationError: Type.Union([Type.String(), Type.Null()]),
});
export type TlsInfo = Static<typeof TlsInfoSchema>;

export const StepResultSchema = Type.Object({
  name: Type.String(),
  ok: Type.Boolean(),
  /** The URL requested after templating (the first hop; redirects are in the step's timing). */
  url: Type.String(),
  statusCode: Type.Union([Type.Integer(), Type.Null()]),
  phases: PhasesSchema,
  assertions: Type.Array(AssertionResultSchema),
  error: Type.Union([RunErrorSchema, Type.Null()]),
});
export type StepResult = Static<typeof StepResultSchema>;

export const CheckRunResultSchema = Type.Object({
  checkId: Type.String(),
  type: Type.String(),
  ok: Type.Boolean(),
  /** Passed, but slower than the check's `degradedLatencyMs`. */
  degraded: Type.Boolean(),
  startedAtMs: Type.Number(),
  /** The whole run by the injected clock, retries included; latency of the reported attempt is `phases.totalMs`. */
  durationMs: Type.Number(),
  statusCode: Type.Union([Type.Integer(), Type.Null()]),
  phases: PhasesSchema,
  assertions: Type.Array(AssertionResultSchema),
  error: Type.Union([RunErrorSchema, Type.Null()]),
  /** W3C trace id sent in `traceparent` by the reported attempt; null for checks that send no HTTP. */
  traceId: Type.Union([Type.String(), Type.Null()]),
  attempts: Type.Integer({ minimum: 1 }),
  tls: Type.Optional(TlsInfoSchema),
  steps: Type.Optional(Type.Array(StepResultSchema)),
});
export type CheckRunResult = Static<typeof CheckRunResultSchema>;
