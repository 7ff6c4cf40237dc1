// The one interface every check type implements (one file per type, a closed registry in
// index.ts), and the context an attempt runs in. Kept apart from the registry so type files
// import it without a cycle.
import type { LookupFunction } from 'node:net';
import type { TObject } from '@sinclair/typebox';
import type { AddressPolicy } from '../address-policy.ts';
import type { AssertionResult, Phases, RunError, StepResult, TlsInfo } from '../result-schema.ts';

/** A problem found in a check definition; `path` is a JSON Pointer from the check's root. */
export interface Diagnostic {
  path: string;
  message: string;
}

/** Everything an attempt may use besides the check itself; tests swap any of it. */
export interface AttemptContext {
  checkId: string;
  /** W3C trace id (32 hex) for this attempt; every HTTP request of the attempt carries it. */
  traceId: string;
  newSpanId(): string;
  /** Absolute deadline on the `performance.now()` clock. */
  deadline: number;
  /** Wall clock, epoch ms (certificate days left). */
  now: () => number;
  policy: AddressPolicy;
  lookup?: LookupFunction;
  ca?: string[];
  dnsServers?: string[];
  maxHeaderSize: number;
  userAgent: string;
}

/** What one attempt produced; run-check.ts turns the last attempt into a CheckRunResult. */
export interface AttemptOutcome {
  statusCode: number | null;
  phases: Phases;
  assertions: AssertionResult[];
  error: RunError | null;
  /** Null when the attempt sent no HTTP request. */
  traceId: string | null;
  tls?: TlsInfo;
  steps?: StepResult[];
}

export interface ValidateOptions {
  /** When given, URLs and hosts that are IP literals are checked against it. */
  policy?: AddressPolicy;
}

/** One kind of check: its schema, its own rules beyond the schema, and how to run one attempt. */
export interface CheckType<C extends { type: string }> {
  readonly type: C['type'];
  readonly schema: TObject;
  /** Semantic problems the schema cannot express; called only on schema-valid checks. */
  validate(check: C, options: ValidateOptions): Diagnostic[];
  /** Runs one attempt. Must not throw: failures are values in the outcome. */
  run(check: C, ctx: AttemptContext): Promise<AttemptOutcome>;
}
