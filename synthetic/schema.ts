// The parts every check definition shares: common fields, the HTTP request, assertions and
// multistep extraction. Each check type (types/*.ts) builds its own object from these, so one
// schema serves validation, the API's OpenAPI document and the static types.
import { Type, type Static, type TSchema } from '@sinclair/typebox';

export const DEFAULTS = {
  retries: 0,
  timeoutMs: 10_000,
  enabled: true,
  method: 'GET',
  followRedirects: true,
  maxRedirects: 5,
  tlsVerify: true,
  maxResponseBytes: 1024 * 1024,
  /** Node's own default; a target sending more header bytes fails with `headers_too_large`. */
  maxHeaderSize: 16 * 1024,
} as const;

export const LIMITS = {
  maxTimeoutMs: 120_000,
  maxRetries: 5,
  maxRedirects: 20,
  maxResponseBytes: 16 * 1024 * 1024,
  maxSteps: 20,
} as const;

const Slug = Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,63}$', description: 'lower-case letters, digits and dashes' });

/** Fields every check has; spread into each type's object schema. */
export const commonFields = {
  id: Slug,
  name: Type.String({ minLength: 1, maxLength: 200 }),
  schedule: Type.String({ minLength: 1, description: '`30s`, `1m`, `5m`, `1h` … or a cron expression (UTC)' }),
  retries: Type.Optional(Type.Integer({ minimum: 0, maximum: LIMITS.maxRetries, default: DEFAULTS.retries })),
  timeoutMs: Type.Optional(Type.Integer({ minimum: 100, maximum: LIMITS.maxTimeoutMs, default: DEFAULTS.timeoutMs })),
  degradedLatencyMs: Type.Optional(Type.Integer({ minimum: 1 })),
  tags: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 50 })),
  runbook: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  enabled: Type.Optional(Type.Boolean({ default: DEFAULTS.enabled })),
  /** The service this check watches, so its runs sit beside that service's traffic; default the target host. */
  service: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
};

export const HttpMethodSchema = Type.Union(
  (['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const).map((m) => Type.Literal(m)),
);

export const HttpRequestSchema = Type.Object({
  method: Type.Optional(HttpMethodSchema),
  url: Type.String({ minLength: 1, maxLength: 8192 }),
  headers: Type.Optional(Type.Record(Type.String(), Type.String())),
  /** A raw body; mutually exclusive with `json`. */
  body: Type.Optional(Type.String({ maxLength: 1024 * 1024 })),
  /** A JSON body, sent with `content-type: application/json`; templates in its strings are filled in. */
  json: Type.Optional(Type.Unknown()),
  followRedirects: Type.Optional(Type.Boolean({ default: DEFAULTS.followRedirects })),
  maxRedirects: Type.Optional(Type.Integer({ minimum: 0, maximum: LIMITS.maxRedirects, default: DEFAULTS.maxRedirects })),
  tlsVerify: Type.Optional(Type.Boolean({ default: DEFAULTS.tlsVerify })),
  maxResponseBytes: Type.Optional(Type.Integer({ minimum: 1, maximum: LIMITS.maxResponseBytes, default: DEFAULTS.maxResponseBytes })),
}, { additionalProperties: false });
export type HttpRequestDefinition = Static<typeof HttpRequestSchema>;

const closed = <T extends Record<string, TSchema>>(props: T) => Type.Object(props, { additionalProperties: false });
const Num = Type.Number();

// Each assertion kind takes exactly one operator key; validate.ts reports a missing or second one.
export const StatusAssertionSchema = closed({
  kind: Type.Literal('status'),
  equals: Type.Optional(Type.Integer({ minimum: 100, maximum: 599 })),
  in: Type.Optional(Type.Array(Type.Integer({ minimum: 100, maximum: 599 }), { minItems: 1 })),
  range: Type.Optional(Type.Tuple([Type.Integer({ minimum: 100, maximum: 599 }), Type.Integer({ minimum: 100, maximum: 599 })])),
});
export const LatencyAssertionSchema = closed({
  kind: Type.Literal('latency'),
  phase: Type.Optional(Type.Union((['total', 'dns', 'connect', 'tls', 'firstByte', 'download'] as const).map((p) => Type.Literal(p)))),
  lessThan: Type.Number({ exclusiveMinimum: 0 }),
});
export const HeaderAssertionSchema = closed({
  kind: Type.Literal('header'),
  name: Type.String({ minLength: 1 }),
  equals: Type.Optional(Type.String()),
  contains: Type.Optional(Type.String()),
  /** A bounded regular expression (see bounded-regex.ts). */
  matches: Type.Optional(Type.String()),
});
export const BodyAssertionSchema = closed({
  kind: Type.Literal('body'),
  contains: Type.Optional(Type.String({ minLength: 1 })),
  notContains: Type.Optional(Type.String({ minLength: 1 })),
});
export const JsonPathAssertionSchema = closed({
  kind: Type.Literal('jsonPath'),
  path: Type.String({ minLength: 1 }),
  equals: Type.Optional(Type.Unknown()),
  contains: Type.Optional(Type.Unknown()),
  greaterThan: Type.Optional(Num),
  lessThan: Type.Optional(Num),
  exists: Type.Optional(Type.Boolean()),
});
export const JsonSchemaAssertionSchema = closed({
  kind: Type.Literal('jsonSchema'),
  schema: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Boolean()]),
});
export const TlsDaysLeftAssertionSchema = closed({
  kind: Type.Literal('tlsDaysLeft'),
  greaterThan: Type.Number(),
});

export const AssertionSchema = Type.Union([
  StatusAssertionSchema, LatencyAssertionSchema, HeaderAssertionSchema, BodyAssertionSchema,
  JsonPathAssertionSchema, JsonSchemaAssertionSchema, TlsDaysLeftAssertionSchema,
]);
export type Assertion = Static<typeof AssertionSchema>;
export type AssertionKind = Assertion['kind'];
export const Assertions = Type.Optional(Type.Array(AssertionSchema, { maxItems: 50 }));

/** Operator keys per assertion kind: exactly one must be set (latency and jsonSchema have one fixed key). */
export const ASSERTION_OPERATORS: Record<AssertionKind, readonly string[]> = {
  status: ['equals', 'in', 'range'],
  latency: ['lessThan'],
  header: ['equals', 'contains', 'matches'],
  body: ['contains', 'notContains'],
  jsonPath: ['equals', 'contains', 'greaterThan', 'lessThan', 'exists'],
  jsonSchema: ['schema'],
  tlsDaysLeft: ['greaterThan'],
};

const VarName = Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]{0,63}$' });
export const ExtractSchema = Type.Union([
  closed({ name: VarName, from: Type.Literal('json'), path: Type.String({ minLength: 1 }) }),
  closed({ name: VarName, from: Type.Literal('header'), header: Type.String({ minLength: 1 }) }),
  closed({
    name: VarName, from: Type.Literal('regex'), pattern: Type.String({ minLength: 1 }),
    /** Capture group to take; 0 is the whole match. Defaults to 1 when the pattern has a group, else 0. */
    group: Type.Optional(Type.Integer({ minimum: 0, maximum: 9 })),
  }),
]);
export type Extraction = Static<typeof ExtractSchema>;

export const StepSchema = closed({
  name: Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_-]{0,63}$' }),
  request: HttpRequestSchema,
  extract: Type.Optional(Type.Array(ExtractSchema, { maxItems: 20 })),
  assertions: Assertions,
});
export type StepDefinition = Static<typeof StepSchema>;
